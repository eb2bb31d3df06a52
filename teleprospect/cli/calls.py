"""``teleprospect log-call`` (for dialers and scripts) and ``lead``: one call, one lead.

Both call the same services as the call workspace. A decision the services refuse
(readiness not met, a callback outside the calling window…) exits with
:attr:`~teleprospect.cli.common.ExitCode.REFUSED` and the reason on stderr; nothing is
saved then.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from datetime import datetime
from typing import TYPE_CHECKING, Any

from teleprospect.cli.common import (
    CommandError,
    ExitCode,
    acting_user_id,
    add_as_option,
    add_json_option,
    database,
    error_message,
    exit_code_for,
    print_json,
    record_id,
    say,
    whole_number,
)
from teleprospect.core.text import printable

if TYPE_CHECKING:
    from teleprospect.cli.common import Commands
    from teleprospect.services.calls.decisions import Decision
    from teleprospect.store.database import Database

#: A day on the phone is more than any call; larger values are typing mistakes.
MAX_CALL_SECONDS = 24 * 60 * 60

_DECIDE_HELP = (
    "the decision: sales-ready | exception:REASON | nurture[:TRACK][@DATE] | "
    "callback:DATETIME | disqualify:REASON | dnc. Times without a zone are your computer's "
    "local time (2026-12-01T10:30, or with +01:00 / Z)."
)


def setup_parser(commands: Commands) -> None:
    log = commands.add_parser(
        "log-call",
        help="log a call of a lead: outcome, notes, script answers and the decision",
        description="Log one call the way the call workspace does: the call and its answers "
        "are saved, the lead re-scored, the retry rule of the outcome applied, the decision "
        "made through the lifecycle and the claim released. A refused decision saves "
        f"nothing and exits with code {int(ExitCode.REFUSED)}. When the database server "
        f"cannot be reached the call is not saved (exit code {int(ExitCode.FAILURE)}), "
        "unless --offline-ok keeps it on this computer until the server is back.",
    )
    log.add_argument("lead_id", type=record_id, metavar="LEAD_ID")
    add_as_option(log)
    log.add_argument(
        "--disposition",
        required=True,
        metavar="NAME",
        help="connected, no_answer, voicemail_left, busy, wrong_number, gatekeeper, "
        "callback_requested, not_interested or do_not_call",
    )
    log.add_argument(
        "--duration",
        type=whole_number(0, MAX_CALL_SECONDS, unit="seconds"),
        metavar="S",
        help="seconds on the line",
    )
    log.add_argument("--notes", default="", metavar="TEXT", help="the call's notes")
    log.add_argument(
        "--answer",
        action="append",
        default=[],
        metavar="QUESTION=VALUE",
        help="a script answer, e.g. budget=yes, authority='Decision maker', budget_amount=25k "
        "(repeat for each; QUESTION= with nothing clears a known answer)",
    )
    log.add_argument("--decide", metavar="DECISION", help=_DECIDE_HELP)
    log.add_argument(
        "--decision-note", metavar="TEXT", help="the decision's note (needed for reason 'other')"
    )
    log.add_argument("--team", action="store_true", help="callback: anyone in the team may make it")
    log.add_argument(
        "--at-lead-request",
        action="store_true",
        help="callback: the lead asked for that time (allowed outside the team's hours)",
    )
    log.add_argument(
        "--offline-ok",
        action="store_true",
        help="when the database server cannot be reached, keep the call on this computer and "
        "send it when the server is back (see `teleprospect journal`)",
    )
    add_json_option(log, "the result")
    log.set_defaults(run=run_log_call)

    lead = commands.add_parser(
        "lead",
        help="show a lead: contact, score breakdown, answers, calls and history",
    )
    lead.add_argument("lead_id", type=record_id, metavar="LEAD_ID")
    add_json_option(lead, "everything")
    lead.set_defaults(run=run_lead)


# ----------------------------------------------------------------------------- log-call


def _time(text: str, what: str) -> datetime:
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise CommandError(
            f"{text!r} is no {what}; write it as 2026-12-01 or 2026-12-01T10:30 (optionally with"
            " +01:00 or Z).",
            ExitCode.USAGE,
        ) from None
    # A time without a zone is the rep's own local time.
    return value if value.tzinfo is not None else value.astimezone()


def parse_decision(text: str, args: argparse.Namespace) -> Decision:
    """The ``--decide`` text as a services.calls.Decision."""
    from teleprospect.core.decisions import DecisionKind
    from teleprospect.services.calls.decisions import Decision

    kind, _, rest = text.strip().partition(":")
    kind = kind.strip().lower().replace("_", "-")
    note = args.decision_note if args.decision_note is not None else ""
    code = rest.strip().lower().replace("-", "_")
    if kind == "sales-ready" and not rest:
        return Decision(DecisionKind.SALES_READY, note=note)
    if kind == "exception" and code:
        return Decision(DecisionKind.EXCEPTION, reason=code, note=note)
    if kind == "disqualify" and code:
        return Decision(DecisionKind.DISQUALIFY, reason=code, note=note)
    if kind in ("dnc", "do-not-call") and not rest:
        return Decision(DecisionKind.DO_NOT_CALL, note=note)
    if kind == "nurture":
        track, _, when = rest.partition("@")
        return Decision(
            DecisionKind.NURTURE,
            note=note,
            track_key=track.strip() or None,
            next_touch_at=_time(when, "date for the next touch") if when.strip() else None,
        )
    if kind == "callback" and rest.strip():
        return Decision(
            DecisionKind.CALLBACK,
            note=note,
            callback_at=_time(rest, "callback time"),
            personal=not args.team,
            at_lead_request=args.at_lead_request,
        )
    raise CommandError(f"--decide {text!r} is not a decision: {_DECIDE_HELP}", ExitCode.USAGE)


def parse_answers(pairs: list[str], script: Any) -> dict[str, Any]:
    """``QUESTION=VALUE`` texts as typed answers of ``script`` (an empty value clears)."""
    from teleprospect.core.scripts import AnswerError, parse_answer

    answers: dict[str, Any] = {}
    for pair in pairs:
        qid, sep, value = pair.partition("=")
        qid = qid.strip()
        if not sep or not qid:
            raise CommandError(f"--answer {pair!r} must be QUESTION=VALUE.", ExitCode.USAGE)
        if not script.has_question(qid):
            known = ", ".join(q.id for q in script.questions)
            raise CommandError(
                f"The script has no question {qid!r}; its questions are: {known}.", ExitCode.USAGE
            )
        if not value.strip():
            answers[qid] = None
            continue
        try:
            answers[qid] = parse_answer(script.question(qid), value)
        except AnswerError as exc:
            raise CommandError(f"--answer {qid}: {exc}", ExitCode.USAGE) from None
    return answers


#: What log-call says when the server is away and --offline-ok was not given.
SERVER_UNREACHABLE = (
    "The database server cannot be reached, so the call was not saved; try again when it is"
    " back, or add --offline-ok to keep it on this computer until then."
)


def _disposition(args: argparse.Namespace) -> str:
    from teleprospect.services.calls.decisions import disposition_of

    value = args.disposition.strip().lower().replace("-", "_")
    try:
        return disposition_of(value).value
    except ValueError as exc:
        raise CommandError(error_message(exc), ExitCode.USAGE) from None


def run_log_call(args: argparse.Namespace) -> int:
    from teleprospect.services.offline.connection import is_unreachable

    # Read before the database is asked anything: a call kept on this computer is checked
    # as far as it can be without the server.
    disposition = _disposition(args)
    decision = parse_decision(args.decide, args) if args.decide else None
    try:
        with database(args) as db:
            result = _log_call(db, args, disposition, decision)
    except Exception as error:
        if not is_unreachable(error):
            raise
        if not args.offline_ok:
            raise CommandError.about(error, SERVER_UNREACHABLE) from None
        result = _keep_call(args, disposition, decision)
    _print_saved(result, args.json)
    return ExitCode.OK


def _log_call(
    db: Database, args: argparse.Namespace, disposition: str, decision: Decision | None
) -> Any:
    from teleprospect.services.calls.decisions import DecisionRefused
    from teleprospect.services.calls.scripts import active_script
    from teleprospect.services.identity.current_user import os_login
    from teleprospect.services.offline.connection import can_work_offline
    from teleprospect.services.offline.journal import journal_of
    from teleprospect.services.offline.saving import save_call

    user_id = acting_user_id(db, args)
    script = active_script(db)
    answers = parse_answers(args.answer, script.script)
    journal = journal_of(db) if args.offline_ok and can_work_offline(db) else None
    try:
        return save_call(
            db,
            journal,
            args.lead_id,
            user_id,
            login=os_login(),
            as_login=args.as_login,
            disposition=disposition,
            duration_s=args.duration,
            notes=args.notes,
            answers=answers,
            script=script,
            decision=decision,
            lead_name=f"lead {args.lead_id}",
        )
    except DecisionRefused as exc:
        message = f"the decision was refused, nothing was saved: {error_message(exc)}"
        raise CommandError.about(exc, message) from None
    except ValueError as exc:
        if exit_code_for(exc) is not ExitCode.FAILURE:
            raise
        # A value typed on the command line (a disposition, an answer) that cannot be used.
        raise CommandError(error_message(exc), ExitCode.USAGE) from None


def _keep_call(args: argparse.Namespace, disposition: str, decision: Decision | None) -> Any:
    """The call kept on this computer: the server could not even be asked who is acting or
    which script is in use, so answers are kept as typed and read when it is sent."""
    from teleprospect.config import resolve_db_url
    from teleprospect.services.identity.current_user import os_login
    from teleprospect.services.offline.actions import call_payload, keep_call
    from teleprospect.services.offline.journal import journal_for_url

    texts: dict[str, str] = {}
    for pair in args.answer:
        qid, sep, value = pair.partition("=")
        if not sep or not qid.strip():
            raise CommandError(f"--answer {pair!r} must be QUESTION=VALUE.", ExitCode.USAGE)
        texts[qid.strip()] = value
    payload = call_payload(
        disposition=disposition,
        duration_s=args.duration,
        notes=args.notes,
        answer_texts=texts,
        decision=decision,
    )
    return keep_call(
        journal_for_url(resolve_db_url(args.db).url),
        lead_id=args.lead_id,
        login=os_login(),
        as_login=args.as_login,
        lead_name=f"lead {args.lead_id}",
        payload=payload,
    )


def _print_saved(result: Any, as_json: bool) -> None:
    from teleprospect.services.offline.actions import KeptCall

    if isinstance(result, KeptCall):
        if as_json:
            print_json(
                {
                    "kept_on_this_computer": True,
                    "client_action_id": result.entry.client_action_id,
                    "lead_id": result.lead_id,
                    "waiting": result.waiting,
                    "summary": result.summary,
                }
            )
        else:
            say(result.summary)
        return
    if as_json:
        print_json(
            {
                "call_id": result.call_id,
                "lead_id": result.lead_id,
                "status": result.status,
                "score": result.score,
                "next_action_at": result.next_action_at,
                "summary": result.summary,
            }
        )
        return
    say(result.summary)


# ----------------------------------------------------------------------------- lead


def _utc(at: datetime | None) -> str:
    return f"{at:%Y-%m-%d %H:%M} UTC" if at is not None else "—"


def run_lead(args: argparse.Namespace) -> int:
    from teleprospect.core.scripts import answer_text
    from teleprospect.services.calls.lead_detail import lead_detail
    from teleprospect.services.calls.scripts import active_script

    with database(args) as db:
        detail = lead_detail(db, args.lead_id)
        script = active_script(db).script
    answers_text = []
    for qid, value in detail.answers.items():
        if script.has_question(qid):
            question = script.question(qid)
            answers_text.append(f"{question.title}: {answer_text(question, value)}")
        else:
            answers_text.append(f"{qid}: {value}")
    if args.json:
        data = dataclasses.asdict(detail)
        data["name"] = detail.name
        data["answers_text"] = answers_text
        if detail.enrollment is not None:
            data["enrollment"]["text"] = detail.enrollment.text
        print_json(data)
        return ExitCode.OK
    _print_lead(detail, answers_text)
    return ExitCode.OK


def _print_lead(d: Any, answers_text: list[str]) -> None:
    def out(line: str) -> None:
        # One line (after its blank lines): a field's line break or escape sequence, read
        # from a CSV cell, can neither start a forged line nor drive the terminal.
        blank = len(line) - len(line.lstrip("\n"))
        sys.stdout.write("\n" * blank + printable(line.strip("\n")) + "\n")

    where = ", ".join(
        part
        for part in (
            d.industry,
            f"{d.company_size:,} employees" if d.company_size else "",
            d.country or "",
        )
        if part
    )
    out(
        f"#{d.id} {d.name} — {d.title or 'no title'}, {d.company or 'no company'}"
        + (f" ({where})\n" if where else "\n")
    )
    dnc = " · DO NOT CALL" if d.do_not_call else ""
    out(
        f"Status: {d.status.label} · owner {d.owner_name or 'nobody'} · score {d.score}"
        f" {d.grade} ({d.grade_label}), sales-ready from {d.sales_ready_threshold}{dnc}\n"
    )
    if d.claimed_by_name:
        out(f"Claimed by {d.claimed_by_name} until {_utc(d.claim_expires_at)}\n")
    phone = d.phone_e164 or d.phone_raw or "no phone"
    flag = "" if d.phone_valid else " (not a valid number)"
    out(f"Phone: {phone}{flag} · email: {d.email or 'none'}\n")
    out(f"Local time: {d.local_time_text} — {d.window_text}\n")
    if d.campaign_name:
        out(f"Campaign: {d.campaign_name} ({d.campaign_channel}): {d.campaign_offer}\n")
    out(f"Next action: {_utc(d.next_action_at)} · attempts {d.attempts}\n")
    if d.enrollment is not None:
        out(f"Nurture: {d.enrollment.text}\n")
    for _id, due, personal, owner, note in d.open_callbacks:
        who = owner if personal and owner else "the team"
        out(f"Callback: {_utc(due)} for {who}{f' — {note}' if note else ''}\n")
    for lead_id, name, company, why in d.possible_duplicates:
        out(f"Possible duplicate: #{lead_id} {name}, {company} ({why})\n")
    out("\nScore breakdown:\n")
    for line in d.breakdown_lines or ["(no points)"]:
        out(f"  {line}\n")
    out("\nAnswers:\n")
    for line in answers_text or ["(none yet)"]:
        out(f"  {line}\n")
    out(f"\nCalls ({len(d.calls)}):\n")
    for call in d.calls:
        length = f" {call.duration_s // 60}:{call.duration_s % 60:02d}" if call.duration_s else ""
        decision = f" → {call.decision_text}" if call.decision_text else ""
        out(f"  {_utc(call.at)}  {call.user_name}  {call.disposition_label}{length}{decision}\n")
        for note_line in printable(call.notes or "", multiline=True).splitlines():
            out(f"      {note_line}\n")
        if call.answers_text:
            out(f"      {'; '.join(call.answers_text)}\n")
    if d.engagement:
        out(f"\nEngagement ({len(d.engagement)}):\n")
        for at, kind, detail in d.engagement:
            out(f"  {_utc(at)}  {kind}{f' — {detail}' if detail else ''}\n")
    out(f"\nHistory ({len(d.history)}):\n")
    for at, who, text in d.history:
        out(f"  {_utc(at)}  {who or 'system'}: {text}\n")
