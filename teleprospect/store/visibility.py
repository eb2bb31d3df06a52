"""Rows of a long write under way are seen by nobody but that write.

On SQLite a long write (an import, a demo load) runs as many short transactions, so its
rows are in the database long before it is done. Each such row carries the write's id in
``staged_write_id``; while the write's row in ``staged_write`` says "staging", every ORM
query of a session made by :class:`~teleprospect.store.database.Database` leaves those rows
out: queues, lists, searches, reports, counts and look-ups by id alike. The write's last
short transaction takes its row out of "staging" and they all appear at once.

The writes under way are read once per transaction (one look at a table that is empty but
while a write runs), in the transaction's own snapshot: what a transaction sees stays
consistent. With no write under way, queries are left exactly as they are, so their plans
and their speed do not change. A session writing a long write names it in
``session.info[OWN_WRITE]`` and sees its own rows.

Core statements (``connection.execute``) are not filtered: the few that read leads in bulk
say themselves what they do with staged rows.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, or_, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import ORMExecuteState, Session, sessionmaker, with_loader_criteria

from teleprospect.store.models import (
    Campaign,
    EngagementEvent,
    HandoffBatch,
    ImportBatch,
    Lead,
    ReassignmentBatch,
    StagedWrite,
    User,
)

__all__ = [
    "OWN_WRITE",
    "STAGED_MODELS",
    "STAGING",
    "hidden_writes",
    "hide_staged_rows",
    "stage_new_rows",
]

#: ``staged_write.state`` of a write whose rows nobody else may see yet.
STAGING = "staging"
#: The models whose rows a long write adds hidden.
STAGED_MODELS: tuple[Any, ...] = (
    Lead,
    EngagementEvent,
    ImportBatch,
    ReassignmentBatch,
    HandoffBatch,
    Campaign,
    User,
)
#: ``session.info`` key: the staged write this session itself writes.
OWN_WRITE = "teleprospect.own_staged_write"
_HIDDEN = "teleprospect.hidden_writes"
_WRITES_UNDER_WAY = "SELECT id FROM staged_write WHERE state = 'staging'"


def hide_staged_rows(target: sessionmaker[Session] | Session) -> None:
    """Make the sessions of ``target`` (a sessionmaker or one session) leave out rows of
    writes under way."""
    event.listen(target, "do_orm_execute", _leave_out_staged_rows)


def stage_new_rows(session: Session) -> None:
    """Rows of :data:`STAGED_MODELS` that ``session`` adds carry its own write's id (a
    campaign an import creates, the demo's users), so they stay hidden with the rest."""
    event.listen(session, "before_flush", _stamp_new_rows)


def _stamp_new_rows(session: Session, _context: Any, _instances: Any) -> None:
    own = session.info.get(OWN_WRITE)
    if own is None:
        return
    for row in session.new:
        if isinstance(row, STAGED_MODELS) and row.staged_write_id is None:
            row.staged_write_id = own


def hidden_writes(session: Session) -> tuple[int, ...]:
    """The ids of the writes under way whose rows ``session`` must not see, read once per
    transaction."""
    transaction = session.get_transaction()
    cached = session.info.get(_HIDDEN)
    if cached is not None and transaction is not None and cached[0] is transaction:
        return tuple(cached[1])
    own = session.info.get(OWN_WRITE)
    try:
        ids = session.connection().exec_driver_sql(_WRITES_UNDER_WAY).scalars().all()
    except OperationalError:  # a database not upgraded yet has no long writes either
        ids = []
    hidden = tuple(write_id for write_id in ids if write_id != own)
    session.info[_HIDDEN] = (session.get_transaction(), hidden)
    return hidden


def _leave_out_staged_rows(state: ORMExecuteState) -> None:
    if not state.is_select or state.is_column_load:
        return
    if not hidden_writes(state.session):
        return
    # The writes under way are read again by the statement itself (a subquery SQLite runs
    # once per statement), so the criteria are the same SQL every time: built and
    # compiled once, not per statement. ``own`` is 0 when the session writes none.
    own = state.session.info.get(OWN_WRITE) or 0
    state.statement = state.statement.options(*(_criteria(model, own) for model in STAGED_MODELS))


def _criteria(model: Any, own: int) -> Any:
    return with_loader_criteria(
        model,
        lambda cls: or_(
            cls.staged_write_id.is_(None),
            cls.staged_write_id.not_in(
                select(StagedWrite.id).where(StagedWrite.state == STAGING, StagedWrite.id != own)
            ),
        ),
        include_aliases=True,
    )
