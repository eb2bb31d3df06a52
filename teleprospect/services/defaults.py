"""What a new team starts with: the shipped qualification script, nurture tracks and
scoring rules, stored once when the database is opened or upgraded.

Readers never write them: a script, track or rule set the team removed stays removed
until the next open finds none at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from teleprospect.services.calls.scripts import seed_default_script
from teleprospect.services.nurture.tracks import seed_default_tracks
from teleprospect.services.scoring.scores import seed_default_rules
from teleprospect.store.database import Database
from teleprospect.store.models import NurtureTrack, PublishedScript, ScoringRuleSet

__all__ = ["SeededDefaults", "seed_defaults"]


@dataclass(frozen=True)
class SeededDefaults:
    """What this call stored (False: the team had its own already)."""

    script: bool
    tracks: bool
    scoring_rules: bool

    @property
    def any(self) -> bool:
        return self.script or self.tracks or self.scoring_rules


def seed_defaults(db: Database, *, now: datetime | None = None) -> SeededDefaults:
    """Store the shipped script, tracks and scoring rules where the team has none, in one
    transaction. Idempotent: a second call stores nothing, and takes no write lock (every
    start opens the database, and a start must never wait for another workstation's write).
    """
    if _all_stored(db):
        return SeededDefaults(script=False, tracks=False, scoring_rules=False)
    for attempt in range(2):
        try:
            with db.write() as session:
                return SeededDefaults(
                    script=seed_default_script(session, now=now),
                    tracks=seed_default_tracks(session, now=now),
                    scoring_rules=seed_default_rules(session),
                )
        except IntegrityError:
            # Another workstation stored them at the same moment; what is left is seen now.
            if attempt:
                raise
    raise AssertionError("unreachable")  # pragma: no cover


def _all_stored(db: Database) -> bool:
    with db.read() as session:
        return all(
            session.scalar(select(model.id).limit(1)) is not None
            for model in (PublishedScript, NurtureTrack, ScoringRuleSet)
        )
