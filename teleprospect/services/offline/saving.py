"""Saving a call whether or not the server answers: the call workspace's Save and the
command line's ``log-call --offline-ok`` both come here.

With the server there, the call is logged at once (:func:`log_call`), after the calls kept
earlier, which are sent first (a later call never overtakes an earlier one). When the
server cannot be reached, or earlier calls could not all be sent, the call goes to the
workstation's journal instead, with the id the save was tried with: should the server
have logged it after all (its answer lost on the way back), the replay recognises it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from teleprospect.core.domain import Disposition
from teleprospect.core.offline import LeadState
from teleprospect.core.scripts import AnswerValue
from teleprospect.services.calls.decisions import Decision
from teleprospect.services.calls.log_call import LoggedCall, log_call
from teleprospect.services.calls.scripts import ScriptVersion
from teleprospect.services.offline.actions import (
    KeptCall,
    call_payload,
    keep_call,
    new_client_action_id,
)
from teleprospect.services.offline.journal import Journal
from teleprospect.services.offline.replay import replay_journal
from teleprospect.store.database import Database, is_unreachable
from teleprospect.store.types import utcnow

__all__ = ["save_call"]


def save_call(
    db: Database,
    journal: Journal | None,
    lead_id: int,
    user_id: int,
    *,
    login: str,
    disposition: Disposition | str,
    call_id: int | None = None,
    duration_s: int | None = None,
    notes: str = "",
    answers: Mapping[str, AnswerValue | None] | None = None,
    script: ScriptVersion | None = None,
    decision: Decision | None = None,
    client_action_id: str | None = None,
    lead_name: str = "",
    base: LeadState | None = None,
    seen_at: datetime | None = None,
    as_login: str | None = None,
    server_away: bool = False,
    now: datetime | None = None,
) -> LoggedCall | KeptCall:
    """Log the call on the server, or keep it in ``journal`` (see the module docstring).

    ``journal`` None: the call is logged on the server or not at all (a SQLite file, or
    a command run without ``--offline-ok``). ``script``: the version the answers were
    given with; ``base`` and ``seen_at``: the lead as the rep read it, and when (the
    replay compares it with the lead then). ``server_away``: the workstation knows the
    server cannot be reached; the call is kept without trying it (no connection timeout to
    wait through). Errors other than an unreachable server are raised as :func:`log_call`
    raises them: nothing is kept then."""
    client_action_id = client_action_id or new_client_action_id()

    def keep() -> KeptCall:
        assert journal is not None
        payload = call_payload(
            disposition=disposition,
            duration_s=duration_s,
            notes=notes,
            answers=answers,
            script=script.script if script is not None else None,
            script_version_id=script.id if script is not None else None,
            decision=decision,
            call_id=call_id,
        )
        return keep_call(
            journal,
            client_action_id=client_action_id,
            lead_id=lead_id,
            login=login,
            as_login=as_login,
            user_id=user_id,
            lead_name=lead_name,
            base=base,
            seen_at=seen_at,
            payload=payload,
            # Kept while the server is away: this computer's clock is the only one there is.
            taken_at=now or utcnow(),
        )

    if journal is not None and server_away:
        return keep()
    # Calls kept earlier go first: send them; this one follows them if they all went.
    if journal is not None and journal.count() and replay_journal(db, journal).waiting:
        return keep()
    try:
        return log_call(
            db,
            lead_id,
            user_id,
            disposition=disposition,
            call_id=call_id,
            duration_s=duration_s,
            notes=notes,
            answers=answers,
            script_version_id=script.id if script is not None else None,
            decision=decision,
            client_action_id=client_action_id,
            now=now,
        )
    except Exception as error:
        if journal is None or not is_unreachable(error):
            raise
        return keep()
