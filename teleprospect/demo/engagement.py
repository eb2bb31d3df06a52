"""What demo leads did, as a marketing tool would report it: engagement events.

Every lead has the event that made it a lead, by its campaign's channel (attended the
webinar, downloaded the paper, filled in the form, clicked the newsletter, visited the
stand), and many have done more since: site visits, emails opened, clicked and answered,
another download. Events feed the engagement part of the score, which fades with time,
so the demo desk has hot leads and cooling ones, as a real one does.

It draws from its own random stream (seeded from the demo seed), so the leads and calls
the factory makes stay exactly those of a load without engagement.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from teleprospect.core.domain import CampaignChannel, EngagementKind
from teleprospect.demo.leads import DemoCampaign
from teleprospect.demo.people import Weighted

__all__ = ["DemoEngagement"]

#: Mixed into the demo seed for this module's own random stream.
_STREAM = 0xE9A6_E3E7

_K = EngagementKind
# What a lead did later on: how many things, and which.
# fmt: off
_LATER_COUNT = Weighted([(0, 50), (1, 22), (2, 12), (3, 8), (5, 6), (8, 2)])
_LATER_KIND = Weighted(
    [(_K.SITE_VISIT, 40), (_K.EMAIL_OPEN, 30), (_K.EMAIL_CLICK, 15), (_K.DOWNLOAD, 8),
     (_K.EMAIL_REPLY, 4), (_K.WEBINAR_REGISTERED, 3)]
)
_PAGES = ("/pricing", "/product/tour", "/customers", "/integrations", "/security",
          "/blog/forecasting-101", "/contact")
_NEWSLETTERS = ("Monthly product news", "Customer story of the month", "Webinar invitation",
                "Q3 customer newsletter")
_DOWNLOADS = ("Case study: a retail chain cuts cloud costs", "Buyer's guide (PDF)",
              "Data sheet: forecasting dashboard", "Checklist: zero trust readiness")
# fmt: on


class DemoEngagement:
    """Makes the engagement events of demo leads (plain dicts for a Core INSERT)."""

    def __init__(self, *, seed: int, now: datetime, campaigns: Mapping[int, DemoCampaign]) -> None:
        self.rng = random.Random(seed ^ _STREAM)
        self.now = now
        #: Campaign id → the demo campaign it was made from.
        self.campaigns = dict(campaigns)

    def events(self, row: Mapping[str, Any]) -> list[dict[str, Any]]:
        """The events of the lead ``row`` (with its ``id``), oldest first."""
        rng, created = self.rng, row["created_at"]
        campaign = self.campaigns.get(row["campaign_id"])
        found: list[tuple[EngagementKind, datetime, str]] = []
        if campaign is not None:
            found.extend(self._source(campaign, created))
        span = int((self.now - created).total_seconds())
        for _ in range(_LATER_COUNT.pick(rng) if span > 3600 else 0):
            kind = _LATER_KIND.pick(rng)
            at = created + timedelta(seconds=rng.randrange(600, span))
            found.append((kind, at, self._detail(kind)))
        found.sort(key=lambda event: event[1])
        return [
            {"lead_id": row["id"], "kind": kind, "occurred_at": at, "detail": detail}
            for kind, at, detail in found
        ]

    def _source(
        self, campaign: DemoCampaign, created: datetime
    ) -> list[tuple[EngagementKind, datetime, str]]:
        """What made the lead a lead, by the campaign's channel."""
        rng, name = self.rng, campaign.name
        channel = campaign.channel
        if channel is CampaignChannel.WEBINAR:
            registered = created - timedelta(days=rng.randint(2, 12), minutes=rng.randint(0, 600))
            events = [(_K.WEBINAR_REGISTERED, registered, name)]
            if rng.random() < 0.7:
                events.append((_K.WEBINAR_ATTENDED, created, name))
            return events
        if channel is CampaignChannel.WHITE_PAPER:
            return [(_K.DOWNLOAD, created, name)]
        if channel is CampaignChannel.CONTACT_FORM:
            return [(_K.FORM_SUBMIT, created, name)]
        if channel is CampaignChannel.EMAIL:
            opened = created - timedelta(minutes=rng.randint(1, 90))
            return [(_K.EMAIL_OPEN, opened, name), (_K.EMAIL_CLICK, created, name)]
        if channel is CampaignChannel.TRADE_SHOW:
            return [(_K.EVENT_VISIT, created, name)]
        return []

    def _detail(self, kind: EngagementKind) -> str:
        rng = self.rng
        if kind is _K.SITE_VISIT:
            return rng.choice(_PAGES)
        if kind is _K.DOWNLOAD:
            return rng.choice(_DOWNLOADS)
        if kind in (_K.EMAIL_OPEN, _K.EMAIL_CLICK, _K.EMAIL_REPLY):
            return rng.choice(_NEWSLETTERS)
        return "Webinar invitation"
