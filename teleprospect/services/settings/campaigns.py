"""Campaigns as a team lead keeps them: their type (channel), offer, phone region, and
whether their leads count as inbound.

An edit takes effect in the queue at once: when whether a campaign counts as inbound
changes, its leads' ``inbound`` flag follows (fresh inbound leads come first), and when
its region changes, the calling zones of its leads whose numbers say nothing follow. Both
are set-based updates in short transactions, so a big campaign never holds SQLite's write
lock for long. Every change is in the audit trail, with who and when.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import and_, func, select, update
from sqlalchemy.orm import Session

from teleprospect.core.audit import AuditKind
from teleprospect.core.call_zones import effective_call_zones, is_inbound
from teleprospect.core.domain import CampaignChannel
from teleprospect.core.errors import Conflict, Invalid, NotFound
from teleprospect.core.normalise import campaign_key
from teleprospect.core.permissions import Action
from teleprospect.core.phones import phone_region
from teleprospect.services.audit.record import record_audit
from teleprospect.services.identity.permissions import require_user
from teleprospect.services.scoring.scores import fallback_region
from teleprospect.store.database import Database
from teleprospect.store.models import Campaign, Lead

__all__ = [
    "CampaignEdit",
    "CampaignInfo",
    "CampaignInvalid",
    "CampaignNotFound",
    "InboundChoice",
    "add_campaign",
    "campaign_channel",
    "edit_campaign",
    "find_campaign",
    "list_campaigns",
]

#: Leads updated per transaction when an edit reaches a campaign's leads.
LEADS_PER_STEP = 5_000


class CampaignInvalid(Invalid):
    """A campaign value that cannot be used; the message is one sentence."""


class CampaignNotFound(NotFound):
    def __init__(self, which: object) -> None:
        super().__init__(f"There is no campaign {which!r}.")


class InboundChoice(StrEnum):
    """Whether a campaign's leads count as inbound."""

    BY_TYPE = "by_type"
    YES = "yes"
    NO = "no"

    @property
    def override(self) -> bool | None:
        return {InboundChoice.YES: True, InboundChoice.NO: False}.get(self)

    @classmethod
    def of(cls, override: bool | None) -> InboundChoice:
        return cls.BY_TYPE if override is None else cls.YES if override else cls.NO


def campaign_channel(text: str) -> CampaignChannel:
    """The campaign type called ``text`` ("webinar", "White paper", "contact-form")."""
    key = "_".join(text.strip().lower().replace("-", " ").split())
    try:
        return CampaignChannel(key)
    except ValueError:
        known = ", ".join(c.value for c in CampaignChannel)
        raise CampaignInvalid(f"{text!r} is not a campaign type; use one of {known}.") from None


@dataclass(frozen=True)
class CampaignInfo:
    id: int
    name: str
    channel: CampaignChannel
    offer: str
    default_region: str
    inbound_choice: InboundChoice

    @property
    def inbound(self) -> bool:
        """Whether its leads count as inbound, all told."""
        return is_inbound(self.channel, self.inbound_choice.override)

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "type": self.channel.value,
            "offer": self.offer,
            "region": self.default_region,
            "inbound": self.inbound,
            "inbound_choice": self.inbound_choice.value,
        }


@dataclass(frozen=True)
class CampaignEdit:
    """What to change; None: leave as it is."""

    name: str | None = None
    channel: CampaignChannel | None = None
    offer: str | None = None
    region: str | None = None
    inbound: InboundChoice | None = None


def _info(campaign: Campaign) -> CampaignInfo:
    return CampaignInfo(
        campaign.id,
        campaign.name,
        CampaignChannel(campaign.channel),
        campaign.offer or "",
        campaign.default_region,
        InboundChoice.of(campaign.counts_as_inbound),
    )


def list_campaigns(db: Database) -> list[CampaignInfo]:
    """Every campaign, by name (campaigns an import is still writing are left out)."""
    with db.read() as session:
        rows = session.scalars(
            select(Campaign).where(Campaign.staged_write_id.is_(None)).order_by(Campaign.name)
        )
        return [_info(c) for c in rows]


def _by_name(session: Session, name: str) -> Campaign | None:
    key = campaign_key(name)
    # Tens or hundreds of campaigns; SQL's case folding is ASCII-only on SQLite.
    return next((c for c in session.scalars(select(Campaign)) if campaign_key(c.name) == key), None)


def _campaign(session: Session, which: int | str) -> Campaign:
    campaign = (
        session.get(Campaign, which)
        if isinstance(which, int)
        else (session.get(Campaign, int(which)) if which.isdigit() else _by_name(session, which))
    )
    if campaign is None:
        raise CampaignNotFound(which)
    return campaign


def find_campaign(db: Database, which: int | str) -> CampaignInfo:
    """The campaign with id ``which`` or called ``which`` (case and spacing aside)."""
    with db.read() as session:
        return _info(_campaign(session, which))


def _clean_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise CampaignInvalid("A campaign needs a name.")
    if len(name) > 200:
        raise CampaignInvalid("A campaign's name is at most 200 characters long.")
    return name


def _region(text: str) -> str:
    region = text.strip().upper()
    if len(region) != 2 or not region.isalpha() or phone_region(region) != region:
        raise CampaignInvalid(
            f"{text!r} is not a country code for phone numbers; use two letters such as DE or US."
        )
    return region


def add_campaign(
    db: Database,
    user_id: int,
    name: str,
    channel: CampaignChannel = CampaignChannel.OTHER,
    *,
    offer: str = "",
    region: str = "US",
    inbound: InboundChoice = InboundChoice.BY_TYPE,
) -> CampaignInfo:
    """A new campaign (team leads); refused when one of that name exists."""
    name, region = _clean_name(name), _region(region)
    with db.write() as session:
        require_user(session, user_id, Action.EDIT_TEAM_SETTINGS)
        existing = _by_name(session, name)
        if existing is not None:
            raise Conflict(f"There is already a campaign called “{existing.name}”.")
        campaign = Campaign(
            name=name,
            channel=channel,
            offer=offer.strip(),
            default_region=region,
            counts_as_inbound=inbound.override,
        )
        session.add(campaign)
        session.flush()
        info = _info(campaign)
        record_audit(
            session,
            AuditKind.SETTING_CHANGED,
            user_id=user_id,
            subject=f"campaign “{name}”",
            before=None,
            after=info.as_json(),
        )
        return info


def edit_campaign(db: Database, user_id: int, which: int | str, edit: CampaignEdit) -> CampaignInfo:
    """Change a campaign (team leads), then bring its leads in line: their inbound flag
    when whether it counts as inbound changed, their calling zones when its region did."""
    with db.write() as session:
        require_user(session, user_id, Action.EDIT_TEAM_SETTINGS)
        campaign = _campaign(session, which)
        before = _info(campaign)
        if edit.name is not None:
            name = _clean_name(edit.name)
            other = _by_name(session, name)
            if other is not None and other.id != campaign.id:
                raise Conflict(f"There is already a campaign called “{other.name}”.")
            campaign.name = name
        if edit.channel is not None:
            campaign.channel = edit.channel
        if edit.offer is not None:
            campaign.offer = edit.offer.strip()
        if edit.region is not None:
            campaign.default_region = _region(edit.region)
        if edit.inbound is not None:
            campaign.counts_as_inbound = edit.inbound.override
        session.flush()
        after = _info(campaign)
        if after != before:
            old, new = before.as_json(), after.as_json()
            record_audit(
                session,
                AuditKind.SETTING_CHANGED,
                user_id=user_id,
                subject=f"campaign “{after.name}”",
                before={k: v for k, v in old.items() if new[k] != v},
                after={k: v for k, v in new.items() if old[k] != v},
            )
    if after.inbound != before.inbound:
        _set_inbound(db, after.id, after.inbound)
    if after.default_region != before.default_region:
        _set_zones(db, after.id, after.default_region)
    return after


def _set_inbound(db: Database, campaign_id: int, inbound: bool) -> None:
    """Every lead of the campaign gets ``inbound``, a step of leads per transaction."""
    while True:
        with db.write() as session:
            step = (
                select(Lead.id)
                .where(Lead.campaign_id == campaign_id, Lead.inbound != inbound)
                .limit(LEADS_PER_STEP)
                .scalar_subquery()
            )
            result = session.execute(
                update(Lead).where(Lead.id.in_(step)).values(inbound=inbound),
                execution_options={"synchronize_session": False},
            )
            done = int(getattr(result, "rowcount", 0) or 0)
        if not done:
            return


def _set_zones(db: Database, campaign_id: int, region: str) -> None:
    """The calling zones of the campaign's leads, from their numbers' zones and, where
    those say nothing, the campaign's new region: one update per distinct pair (few)."""
    with db.read() as session:
        pairs = session.execute(
            select(func.coalesce(Lead.phone_time_zones, ""), Lead.country)
            .where(Lead.campaign_id == campaign_id)
            .distinct()
        ).all()
    for phone_zones, country in pairs:
        zones = effective_call_zones(phone_zones, fallback_region(region, country))
        same_country = Lead.country.is_(None) if country is None else Lead.country == country
        with db.write() as session:
            session.execute(
                update(Lead)
                .where(
                    and_(
                        Lead.campaign_id == campaign_id,
                        func.coalesce(Lead.phone_time_zones, "") == phone_zones,
                        same_country,
                        Lead.call_zones != zones,
                    )
                )
                .values(call_zones=zones),
                execution_options={"synchronize_session": False},
            )
