"""Campaigns an import files its leads under: found by name or created."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from teleprospect.core.domain import CampaignChannel
from teleprospect.core.normalise import campaign_key
from teleprospect.core.phones import phone_region
from teleprospect.services.imports.errors import ImportInvalid
from teleprospect.store.database import Database
from teleprospect.store.models import Campaign


@dataclass(frozen=True)
class CampaignChoice:
    id: int
    name: str
    default_region: str
    created: bool


def find_or_create_campaign(
    db: Database,
    name: str,
    region: str | None = None,
    channel: CampaignChannel | None = None,
) -> CampaignChoice:
    """The campaign called ``name`` (case-insensitive), created when there is none."""
    with db.write() as session:
        return campaign_in(session, name, region, channel)


def campaign_in(
    session: Session,
    name: str,
    region: str | None = None,
    channel: CampaignChannel | None = None,
) -> CampaignChoice:
    """The campaign called ``name`` in this transaction, created (flushed) when there is none.

    Names match exactly but for case and spacing (:func:`campaign_key`, the rule the wizard
    and the command line use too), in any script: "ÉTÉ forum" is "Été Forum". A new
    campaign is of type ``channel`` (None: other); an existing one of another type is
    refused, since changing a campaign's type is a team lead's edit, not an import's.
    """
    name = " ".join(name.split())
    if not name:
        raise ImportInvalid("A campaign needs a name.")
    key = campaign_key(name)
    # A team has tens or hundreds of campaigns, and SQL's case folding is ASCII-only on
    # SQLite: compare in Python.
    campaign = next(
        (
            c
            for c in session.scalars(select(Campaign).order_by(Campaign.id))
            if campaign_key(c.name) == key
        ),
        None,
    )
    created = campaign is None
    if campaign is None:
        campaign = Campaign(
            name=name,
            default_region=phone_region(region or "US"),
            channel=channel or CampaignChannel.OTHER,
        )
        session.add(campaign)
        session.flush()
    elif channel is not None and CampaignChannel(campaign.channel) is not channel:
        raise ImportInvalid(
            f"The campaign “{campaign.name}” is of type"
            f" {CampaignChannel(campaign.channel).label.lower()}, not {channel.label.lower()};"
            " a team lead changes its type in the team settings."
        )
    return CampaignChoice(campaign.id, campaign.name, campaign.default_region, created)


def campaign_names(db: Database) -> list[tuple[int, str, str]]:
    """(id, name, default region) of every campaign, by name."""
    with db.read() as session:
        rows = session.execute(
            select(Campaign.id, Campaign.name, Campaign.default_region).order_by(Campaign.name)
        )
        return [tuple(row) for row in rows]  # type: ignore[misc]
