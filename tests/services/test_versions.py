"""Publishing a new version (scripts, scoring rules): numbered one above the highest, and
two workstations publishing at the same moment get distinct versions. On SQLite and
PostgreSQL."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from teleprospect.core.scoring.rules import default_rules
from teleprospect.services.versions import PUBLISH_ATTEMPTS, publish_version
from teleprospect.store.database import Database
from teleprospect.store.models import ScoringRuleSet

RULES = default_rules().to_dict()


def add_rules(session: Session, version: int) -> int:
    session.add(ScoringRuleSet(version=version, rules=RULES, note=f"version {version}"))
    return version


def test_each_publication_is_numbered_after_the_highest(db: Database) -> None:
    # The database was opened with the shipped rules as version 1.
    assert publish_version(db, ScoringRuleSet.version, add_rules) == 2
    assert publish_version(db, ScoringRuleSet.version, add_rules) == 3


def test_two_publishing_at_the_same_moment_get_distinct_versions(db: Database) -> None:
    # Both read the same highest version before either writes. PostgreSQL lets them, and
    # the loser must number again; SQLite's write transactions take turns.
    both_read = threading.Barrier(2, timeout=30)
    calls: list[int] = []

    def publish(session: Session, version: int) -> int:
        calls.append(version)
        if not db.is_sqlite and len(calls) <= 2:
            both_read.wait()
        return add_rules(session, version)

    with ThreadPoolExecutor(2) as pool:
        results = [
            f.result() for f in [pool.submit(publish_version, db, ScoringRuleSet.version, publish)
                                 for _ in range(2)]
        ]  # fmt: skip
    assert sorted(results) == [2, 3]
    if not db.is_sqlite:
        assert sorted(calls) == [2, 2, 3], "the loser of the race numbered its row again"


def test_a_publication_that_keeps_clashing_gives_up(db: Database) -> None:
    tries: list[int] = []

    def always_version_one(session: Session, version: int) -> int:
        tries.append(version)
        return add_rules(session, 1)

    with pytest.raises(IntegrityError):
        publish_version(db, ScoringRuleSet.version, always_version_one)
    assert len(tries) == PUBLISH_ATTEMPTS
