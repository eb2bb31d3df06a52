"""The demo's lead factory: realistic, deterministic leads and the calls they had.

:class:`DemoLeadFactory` makes lead rows and their calls as plain dicts, without
touching a database; :func:`teleprospect.demo.loader.load_demo` numbers and inserts
them. The campaigns the leads answered (:data:`DEMO_CAMPAIGNS`) live here because
their audiences and time windows decide who the leads are. :class:`PhoneBook` gives
each generated number the phone fields ``parse_phone`` would, without parsing every
one.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from teleprospect.core.call_zones import effective_call_zones, is_inbound
from teleprospect.core.dedupe_keys import match_key, person_key
from teleprospect.core.domain import CampaignChannel, Disposition
from teleprospect.core.lifecycle import LeadStatus
from teleprospect.core.phones import PhoneInfo, parse_phone
from teleprospect.core.queue_policy import DEFAULT_RETRY_RULES
from teleprospect.demo.people import (
    BRAND_HEADS,
    BRAND_TAILS,
    COUNTRIES,
    EXTENSION_FORMATS,
    FIRST_NAMES,
    FREE_DIGITS,
    INDUSTRIES,
    INDUSTRY_WORDS,
    LAST_NAMES,
    NOT_A_NUMBER,
    CountryProfile,
    PhoneRange,
    Weighted,
    ascii_slug,
    fill,
    pick_company_size,
    pick_seniority,
    pick_title,
)

__all__ = [
    "DEMO_CAMPAIGNS",
    "DemoCampaign",
    "DemoLeadFactory",
    "PhoneBook",
]


@dataclass(frozen=True)
class DemoCampaign:
    name: str
    channel: CampaignChannel
    offer: str
    default_region: str
    #: Leads arrive between these many days ago (first, last); a trade show is short.
    window_days: tuple[float, float]
    #: Lead country → relative share of this campaign among that country's leads.
    audience: dict[str, float]


# The tables below are laid out by hand to stay readable.
# fmt: off
_EVERYWHERE = {country.code: 1.0 for country in COUNTRIES}

DEMO_CAMPAIGNS: tuple[DemoCampaign, ...] = (
    DemoCampaign(
        "Cloud Cost Clinic — webinar series", CampaignChannel.WEBINAR,
        "Live webinar: cutting cloud costs by 30% — 45 minutes with a customer case "
        "from a retail chain.",
        "US", (88, 0), {**_EVERYWHERE, "US": 5, "CA": 3, "GB": 1.5, "BR": 2, "JP": 1.5},
    ),
    DemoCampaign(
        "Zero Trust in 10 Steps — white paper", CampaignChannel.WHITE_PAPER,
        "Downloaded our white paper “Zero trust in 10 steps” (24 pages, with a "
        "self-assessment checklist).",
        "US", (90, 0), {**_EVERYWHERE, "US": 3, "BR": 2, "JP": 2},
    ),
    DemoCampaign(
        "Talk to sales — website form", CampaignChannel.CONTACT_FORM,
        "Filled in the “Talk to sales” form on the website: wants a demo for their team.",
        "US", (90, 0), {"US": 4, "CA": 1, "BR": 1.5, "GB": 0.3, "IN": 0.3},
    ),
    DemoCampaign(
        "ROI calculator — Q3 customer newsletter", CampaignChannel.EMAIL,
        "Clicked the ROI calculator in our Q3 newsletter and asked for a walkthrough "
        "of the results.",
        "CA", (60, 20), {"CA": 4, "US": 1.5},
    ),
    DemoCampaign(
        "London Tech Expo", CampaignChannel.TRADE_SHOW,
        "Visited our stand at London Tech Expo and watched the live demo of the "
        "forecasting dashboard.",
        "GB", (47, 44), {"GB": 6, "NL": 0.3, "DE": 0.2, "FR": 0.2, "IN": 0.2},
    ),
    DemoCampaign(
        "Industrie-Forum Hannover", CampaignChannel.TRADE_SHOW,
        "Met our team at the Industrie-Forum in Hannover and asked about predictive "
        "maintenance for production lines.",
        "DE", (33, 30), {"DE": 6, "NL": 0.5, "BE": 0.3},
    ),
    DemoCampaign(
        "Site web — demande de rappel", CampaignChannel.CONTACT_FORM,
        "Asked for a callback through the contact form on the French website "
        "(pricing page).",
        "FR", (90, 0), {"FR": 6, "BE": 2},
    ),
    DemoCampaign(
        "Benelux Data Summit, Antwerp", CampaignChannel.TRADE_SHOW,
        "Scanned at our booth at the Benelux Data Summit in Antwerp; took the "
        "data-governance one-pager.",
        "BE", (20, 17), {"BE": 4, "NL": 5},
    ),
    DemoCampaign(
        "Scaling Support Ops — India webinar", CampaignChannel.WEBINAR,
        "Webinar for support leaders: automating ticket triage, with a live Q&A "
        "(60 minutes).",
        "IN", (75, 0), {"IN": 8},
    ),
    DemoCampaign(
        "Data Sovereignty Guide — APAC", CampaignChannel.WHITE_PAPER,
        "Downloaded the guide “Data sovereignty in Australia and Japan” after a LinkedIn ad.",
        "AU", (80, 5), {"AU": 6, "JP": 4},
    ),
)

_COUNTRY_WEIGHTS = Weighted([(country, country.weight) for country in COUNTRIES])

#: Countries that share a dialling plan read each other's local numbers correctly.
_CALLING_CODES = {
    "US": 1, "CA": 1, "GB": 44, "DE": 49, "FR": 33, "BE": 32, "NL": 31, "IN": 91,
    "AU": 61, "BR": 55, "JP": 81,
}

#: Share of leads whose phone field is unusable or belongs to another country.
BAD_PHONE_SHARE = 0.022

_ATTEMPTS_WORKING = Weighted([(1, 35), (2, 28), (3, 18), (4, 12), (5, 7)])
_ATTEMPTS_NURTURE = Weighted([(1, 30), (2, 25), (3, 20), (4, 15), (5, 10)])
_EARLIER_CALL = Weighted(
    [(Disposition.NO_ANSWER, 45), (Disposition.VOICEMAIL_LEFT, 30), (Disposition.BUSY, 8),
     (Disposition.GATEKEEPER, 17)]
)
_LAST_CALL_WORKING = Weighted(
    [(Disposition.NO_ANSWER, 30), (Disposition.VOICEMAIL_LEFT, 25),
     (Disposition.GATEKEEPER, 10), (Disposition.BUSY, 5),
     (Disposition.CALLBACK_REQUESTED, 15), (Disposition.CONNECTED, 15)]
)
_LAST_CALL_NURTURE = Weighted(
    [(Disposition.CONNECTED, 70), (Disposition.VOICEMAIL_LEFT, 15), (Disposition.NO_ANSWER, 15)]
)
#: Seconds on the line, by outcome.
_CALL_SECONDS = {
    Disposition.CONNECTED: (120, 900),
    Disposition.CALLBACK_REQUESTED: (60, 240),
    Disposition.VOICEMAIL_LEFT: (30, 75),
    Disposition.GATEKEEPER: (40, 150),
    Disposition.NO_ANSWER: (20, 40),
    Disposition.BUSY: (5, 15),
}
#: When the next attempt falls due after each outcome (hours: low, high).
_RETRY_HOURS = {
    Disposition.NO_ANSWER: (4, 6),
    Disposition.BUSY: (1, 4),
    Disposition.VOICEMAIL_LEFT: (20, 48),
    Disposition.GATEKEEPER: (20, 30),
    Disposition.CALLBACK_REQUESTED: (18, 120),
    Disposition.CONNECTED: (48, 168),
}
_NOTES: dict[Disposition, tuple[str, ...]] = {
    Disposition.NO_ANSWER: ("", "", "No answer.", "Rang out, no voicemail."),
    Disposition.BUSY: ("", "Line busy."),
    Disposition.VOICEMAIL_LEFT: (
        "Left voicemail mentioning the {channel}.",
        "Voicemail: introduced myself, will try again tomorrow.",
        "Left a short message with my direct line.",
    ),
    Disposition.GATEKEEPER: (
        "Reception: {first} is in meetings all day, try mornings.",
        "Assistant asked us to send an e-mail first.",
        "Switchboard would not put me through without a reference.",
    ),
    Disposition.CALLBACK_REQUESTED: (
        "{first} asked to call back later this week, after 2 pm.",
        "Busy with a release, asked for a call next week.",
        "Driving; asked to be called back tomorrow morning.",
    ),
    Disposition.CONNECTED: (
        "Spoke with {first}: evaluating options this quarter, send the case study.",
        "Interested, but the budget is set in the autumn; follow up then.",
        "Uses a competitor today, contract ends in about {months} months.",
        "Good fit, needs to involve their manager before the next step.",
        "Not a priority this quarter; asked to stay in touch by e-mail.",
    ),
}
_EMAIL_STYLES = Weighted(
    [("f.l", 45), ("fl1", 20), ("f", 5), ("fl", 7), ("f1l", 5), ("l.f", 5), ("f_l", 3),
     ("l", 3), ("f.l1", 7)]
)
# fmt: on


@dataclass
class _Company:
    name: str
    domain: str
    industry: str
    size: int
    country: str


PhoneFields = tuple[str | None, str | None, bool, str | None, str]


class PhoneBook:
    """Phone fields for generated numbers, exactly as ``parse_phone`` gives them, but fast.

    Numbers are generated from "shapes": a written pattern, a fixed block of
    leading digits and a region; only the last :data:`FREE_DIGITS` digits (and
    an extension's digits) vary. Within a shape, validity, type and time zones come
    from the leading digits, and the E.164 form and the extension change only in
    those free digits. So after parsing the first number of a shape for real, the
    next :attr:`confirmations` numbers are parsed too and compared with the
    prediction; only a shape that agreed every time is predicted from then on. A
    shape that ever disagrees is parsed number by number for good.
    """

    def __init__(
        self,
        parse: Callable[[str, str | None], PhoneInfo] = parse_phone,
        confirmations: int = 3,
    ) -> None:
        self._parse = parse
        self.confirmations = confirmations
        self._shapes: dict[tuple[object, ...], _Shape] = {}
        self.parsed = 0
        self.predicted = 0

    def fields(
        self, raw: str, region: str, shape: tuple[object, ...] | None, free: str, ext: str
    ) -> PhoneFields:
        """``free``: the number's last digits; ``ext``: its extension's digits ("" if none)."""
        if shape is None:
            return self._parsed(raw, region)
        known = self._shapes.get(shape)
        if known is None:
            info = self._parse(raw, region)
            self.parsed += 1
            self._shapes[shape] = _Shape.learn(info, free, ext)
            return _stored(info)
        if known.broken:
            return self._parsed(raw, region)
        predicted = known.predict(free, ext)
        if known.agreed >= self.confirmations:
            self.predicted += 1
            return predicted
        actual = self._parsed(raw, region)
        if actual == predicted:
            known.agreed += 1
        else:
            known.broken = True
        return actual

    def _parsed(self, raw: str, region: str) -> PhoneFields:
        self.parsed += 1
        return _stored(self._parse(raw, region))


def _stored(info: PhoneInfo) -> PhoneFields:
    """The PhoneInfo parts a lead keeps (the columns phone_e164 … phone_time_zones)."""
    return (
        info.e164,
        info.extension or None,
        bool(info.valid),
        info.number_type,
        " ".join(info.time_zones),
    )


@dataclass
class _Shape:
    fields: PhoneFields
    free: str
    ext: str
    broken: bool = False
    agreed: int = 0

    @classmethod
    def learn(cls, info: PhoneInfo, free: str, ext: str) -> _Shape:
        fields = _stored(info)
        e164, extension = fields[0], fields[1]
        # Predictable only if the free digits really end the E.164 form and the
        # extension came back exactly as written.
        broken = (e164 is not None and not e164.endswith(free)) or (extension or "") != ext
        return cls(fields, free, ext, broken=broken)

    def predict(self, free: str, ext: str) -> PhoneFields:
        e164, _, valid, number_type, zones = self.fields
        if e164 is not None:
            e164 = e164[: len(e164) - len(free)] + free
        return (e164, ext or None, valid, number_type, zones)


class DemoLeadFactory:
    """Makes lead rows (plain dicts for a Core INSERT) and their calls; no database access.

    The n-th lead depends only on the seed, ``now`` and the leads before it, never
    on how many are asked for, so a small load is the start of a bigger one.
    """

    def __init__(
        self,
        *,
        seed: int,
        now: datetime,
        campaign_ids: Sequence[int],
        owner_ids: Sequence[int],
        phone_book: PhoneBook | None = None,
    ) -> None:
        if len(campaign_ids) != len(DEMO_CAMPAIGNS):
            raise ValueError(f"expected {len(DEMO_CAMPAIGNS)} campaign ids")
        if not owner_ids:
            raise ValueError("demo leads need at least one owner")
        self.rng = random.Random(seed)
        self.now = now
        self.campaign_ids = list(campaign_ids)
        self.owner_ids = list(owner_ids)
        self.phone_book = phone_book or PhoneBook()
        self._campaigns_by_country = {
            country.code: Weighted(
                [
                    (index, campaign.audience[country.code])
                    for index, campaign in enumerate(DEMO_CAMPAIGNS)
                    if campaign.audience.get(country.code)
                ]
            )
            for country in COUNTRIES
        }
        self._cultures = {country.code: Weighted(list(country.cultures)) for country in COUNTRIES}
        self._ranges = {
            country.code: Weighted([(r, r.weight) for r in country.phone_ranges])
            for country in COUNTRIES
        }
        self._local_formats = {
            r.label: Weighted(list(r.local_formats))
            for country in COUNTRIES
            for r in country.phone_ranges
        }
        self._companies: dict[str, list[_Company]] = {c.code: [] for c in COUNTRIES}
        self._company_by_name: dict[str, _Company] = {}
        self._block_uses: dict[tuple[str, str], int] = {}
        self._next_owner = 0

    def leads(self, count: int) -> Iterator[tuple[dict[str, Any], list[dict[str, Any]]]]:
        for _ in range(count):
            yield self.lead()

    def lead(self) -> tuple[dict[str, Any], list[dict[str, Any]]]:
        rng, now = self.rng, self.now
        country = _COUNTRY_WEIGHTS.pick(rng)
        campaign_index = self._campaigns_by_country[country.code].pick(rng)
        campaign = DEMO_CAMPAIGNS[campaign_index]
        culture = self._cultures[country.code].pick(rng)
        first = rng.choice(FIRST_NAMES[culture])
        last = rng.choice(LAST_NAMES[culture])
        company = self._company(country)
        seniority = pick_seniority(rng, company.size)
        # Belgians and Canadians from French-speaking families write French titles.
        language = "fr" if culture == "french" else country.title_language
        title = pick_title(rng, seniority, language)
        email = self._email(first, last, company, country, seniority)
        phone_raw, fields = self.phone(country, campaign.default_region)

        oldest, newest = campaign.window_days
        created_at = now - timedelta(
            seconds=rng.randrange(int(newest * 86400) + 300, int(oldest * 86400) + 600)
        )
        age_days = (now - created_at).total_seconds() / 86400
        status = self._status(age_days)
        owner_id = self._owner(status)

        calls: list[dict[str, Any]] = []
        next_action_at: datetime | None = None
        last_attempt_at: datetime | None = None
        last_outcome: Disposition | None = None
        if status is not LeadStatus.NEW:
            attempts = (
                _ATTEMPTS_WORKING if status is LeadStatus.WORKING else _ATTEMPTS_NURTURE
            ).pick(rng)
            calls = self._calls(attempts, status, created_at, owner_id, first, campaign)
            last_attempt_at = calls[-1]["started_at"]
            last_outcome = calls[-1]["disposition"]
            if status is LeadStatus.WORKING:
                low, high = _RETRY_HOURS[last_outcome]
                next_action_at = last_attempt_at + timedelta(
                    seconds=rng.randrange(low * 3600, high * 3600)
                )
            else:
                next_action_at = last_attempt_at + timedelta(days=rng.randint(14, 60))

        # Drawn and not used: this draw once made up a score; the same seed keeps making
        # the same people. Scores are the rules' (the loader scores every lead).
        rng.randint(0, 25)
        e164, extension, valid, phone_type, zones = fields
        row: dict[str, Any] = {
            "first_name": first,
            "last_name": last,
            "match_key": match_key(person_key(first, last), company.name),
            "email": email,
            "company": company.name,
            "title": title,
            "industry": company.industry,
            "company_size": company.size,
            "country": country.code,
            "phone_raw": phone_raw,
            "phone_e164": e164,
            "phone_extension": extension,
            "phone_valid": valid,
            "phone_type": phone_type,
            "phone_time_zones": zones,
            "campaign_id": self.campaign_ids[campaign_index],
            "owner_id": owner_id,
            "status": status,
            # Score, priority and the rules version are the loader's: it scores the lead
            # with its past (calls, answers, engagement) as the app scores any lead. The
            # calling zones are known now: callbacks in its past keep to its hours.
            "score": 0,
            "priority": 0.0,
            "call_zones": effective_call_zones(zones, campaign.default_region),
            "inbound": is_inbound(campaign.channel),
            "next_action_at": next_action_at,
            "claimed_by_id": None,
            "claim_expires_at": None,
            # Failed tries of the current round, by the retry rules (the past may still
            # change the last call's outcome; the history counts them again).
            "attempts": attempts_of(calls),
            "last_attempt_at": last_attempt_at,
            "do_not_call": False,
            "created_at": created_at,
            "updated_at": last_attempt_at or created_at,
            "version": 1,
        }
        return row, calls

    # -- parts of a lead

    def _status(self, age_days: float) -> LeadStatus:
        # Fresh leads are untouched; older ones have mostly been worked.
        if age_days < 1:
            return LeadStatus.NEW
        share_new = 0.85 if age_days < 3 else 0.55
        draw = self.rng.random()
        if draw < share_new:
            return LeadStatus.NEW
        worked = (draw - share_new) / (1 - share_new)
        return LeadStatus.WORKING if worked < 0.62 else LeadStatus.NURTURE

    def _owner(self, status: LeadStatus) -> int | None:
        rng = self.rng
        if status is LeadStatus.NEW and rng.random() < 0.25:
            return None  # still in the team's unassigned pool
        if rng.random() < 0.1:
            return rng.choice(self.owner_ids)
        self._next_owner += 1
        return self.owner_ids[self._next_owner % len(self.owner_ids)]

    def _company(self, country: CountryProfile) -> _Company:
        rng = self.rng
        known = self._companies[country.code]
        if known and rng.random() < 0.35:
            return rng.choice(known)
        industry = INDUSTRIES.pick(rng)
        word = rng.choice(INDUSTRY_WORDS[industry])
        if rng.random() < 0.7:
            brand = rng.choice(BRAND_HEADS) + rng.choice(BRAND_TAILS)
            base = f"{brand} {word}" if rng.random() < 0.5 else brand
        else:
            culture = self._cultures[country.code].pick(rng)
            brand = rng.choice(LAST_NAMES[culture])
            if rng.random() < 0.3:
                brand = f"{brand} & {rng.choice(LAST_NAMES[culture])}"
            base = f"{brand} {word}"
        legal = rng.choice(country.legal_forms)
        name = f"{base} {legal}" if legal else base
        existing = self._company_by_name.get(name)
        if existing is not None:
            return existing
        suffix = "com" if rng.random() < 0.2 else country.web_suffix
        company = _Company(
            name=name,
            domain=f"{ascii_slug(base if rng.random() < 0.4 else brand)}.{suffix}",
            industry=industry,
            size=pick_company_size(rng),
            country=country.code,
        )
        known.append(company)
        self._company_by_name[name] = company
        return company

    def _email(
        self, first: str, last: str, company: _Company, country: CountryProfile, seniority: str
    ) -> str | None:
        rng = self.rng
        if rng.random() < 0.02:
            return None
        free_share = 0.6 if seniority == "junior" else 0.25 if company.size <= 10 else 0.05
        f, l_ = ascii_slug(first), ascii_slug(last)
        style = _EMAIL_STYLES.pick(rng)
        if rng.random() < free_share:
            domain = rng.choice(country.free_mail)
            # The plain names are long taken at free-mail providers; people add digits.
            if style == "f.l":
                local = f"{f}.{l_}{rng.randint(1, 999)}"
            else:
                local = f"{f}{l_}{rng.randint(60, 99)}"
        else:
            domain = company.domain
            local = {
                "f.l": f"{f}.{l_}",
                "fl1": f"{f[:1]}{l_}",
                "f": f,
                "fl": f"{f}{l_}",
                "f1l": f"{f}{l_[:1]}",
                "l.f": f"{l_}.{f}",
                "f_l": f"{f}_{l_}",
                "l": l_,
                "f.l1": f"{f}.{l_[:1]}",
            }[style]
        return f"{local}@{domain}"

    def phone(self, country: CountryProfile, region: str) -> tuple[str, PhoneFields]:
        """A phone number of ``country`` as written for a campaign run in ``region``.

        Returns the raw text and its phone fields (e164, extension, valid, type, zones).
        """
        rng = self.rng
        if rng.random() < BAD_PHONE_SHARE:
            raw = self._bad_phone(country, region)
            return raw, self.phone_book.fields(raw, region, None, "", "")
        phone_range = self._ranges[country.code].pick(rng)
        block = self._free_block(country.code, phone_range)
        uses = self._block_uses[(country.code, block)]
        self._block_uses[(country.code, block)] = uses + 1
        # An odd step that is no multiple of 5 visits every 4-digit ending once.
        free = f"{(uses * 7919 + len(block) * 1231 + int(block)) % 10**FREE_DIGITS:0{FREE_DIGITS}d}"
        if _CALLING_CODES[country.code] == _CALLING_CODES[region]:
            pattern = self._local_formats[phone_range.label].pick(rng)
        else:
            pattern = rng.choice(phone_range.international_formats)
        raw = fill(pattern, block + free)
        ext_pattern, ext = "", ""
        if phone_range.extension_share and rng.random() < phone_range.extension_share:
            ext_pattern = EXTENSION_FORMATS.pick(rng)
            places = ext_pattern.count("#")
            ext = str(rng.randint(10 ** (places - 1), 10**places - 1))
            raw += fill(ext_pattern, ext)
        shape = (pattern, block, ext_pattern, region)
        return raw, self.phone_book.fields(raw, region, shape, free, ext)

    def _free_block(self, country: str, phone_range: PhoneRange) -> str:
        """A block of the range with unused endings left (any block once all are used)."""
        blocks = phone_range.blocks
        start = self.rng.randrange(len(blocks))
        for step in range(len(blocks)):
            block = blocks[(start + step) % len(blocks)]
            uses = self._block_uses.setdefault((country, block), 0)
            if uses < 10**FREE_DIGITS:
                return block
        return blocks[start]

    def _bad_phone(self, country: CountryProfile, region: str) -> str:
        rng = self.rng
        kind = rng.random()
        if kind < 0.25:
            return rng.choice(NOT_A_NUMBER)
        phone_range = self._ranges[country.code].pick(rng)
        digits = rng.choice(phone_range.blocks) + "".join(
            rng.choice("0123456789") for _ in range(FREE_DIGITS)
        )
        pattern = self._local_formats[phone_range.label].pick(rng)
        if kind < 0.5:
            return fill(pattern, digits)[: -rng.randint(2, 4)].rstrip(" -./")  # cut short
        if kind < 0.65:
            return fill(pattern, digits) + rng.choice("0123456789")  # a digit too many
        if kind < 0.8:
            written = fill(pattern, digits)
            spot = max(i for i, ch in enumerate(written) if ch.isdigit()) - rng.randint(0, 2)
            return written[:spot] + rng.choice("OlI") + written[spot + 1 :]  # letters for digits
        # Another country's local number, read as if it were from the campaign's region.
        others = [c for c in COUNTRIES if _CALLING_CODES[c.code] != _CALLING_CODES[region]]
        other = rng.choice(others)
        other_range = self._ranges[other.code].pick(rng)
        digits = rng.choice(other_range.blocks) + "".join(
            rng.choice("0123456789") for _ in range(FREE_DIGITS)
        )
        return fill(self._local_formats[other_range.label].items[0], digits)

    def _calls(
        self,
        attempts: int,
        status: LeadStatus,
        created_at: datetime,
        user_id: int | None,
        first: str,
        campaign: DemoCampaign,
    ) -> list[dict[str, Any]]:
        rng = self.rng
        span = int((self.now - created_at).total_seconds())
        offsets = sorted(rng.randrange(span // 50, span * 19 // 20) for _ in range(attempts))
        last_kind = _LAST_CALL_WORKING if status is LeadStatus.WORKING else _LAST_CALL_NURTURE
        calls = []
        for number, offset in enumerate(offsets, start=1):
            outcome = (last_kind if number == attempts else _EARLIER_CALL).pick(rng)
            started_at = created_at + timedelta(seconds=offset)
            low, high = _CALL_SECONDS[outcome]
            note = rng.choice(_NOTES[outcome])
            if note:
                note = note.format(
                    first=first, channel=campaign.channel.label.lower(), months=rng.randint(2, 11)
                )
            calls.append(
                {
                    "user_id": user_id,
                    "started_at": started_at,
                    "ended_at": started_at + timedelta(seconds=rng.randint(low, high)),
                    "disposition": outcome,
                    "notes": note,
                }
            )
        return calls


def attempts_of(calls: Sequence[dict[str, Any]]) -> int:
    """The calls that count as a failed try by the default retry rules (reaching the
    person does not)."""
    return sum(DEFAULT_RETRY_RULES[call["disposition"]].counts_as_attempt for call in calls)
