"""``teleprospect nurture …`` (touches due, done, skipped, put off; enrol, pause, resume,
the daily job) and ``teleprospect engagement add`` (a response typed by hand)."""

from __future__ import annotations

import argparse
from datetime import datetime
from typing import TYPE_CHECKING

from teleprospect.cli.common import (
    CommandError,
    ExitCode,
    acting_user_id,
    add_as_option,
    add_json_option,
    database,
    print_json,
    record_id,
    say,
    user_by_login,
    whole_number,
)

if TYPE_CHECKING:
    from teleprospect.cli.common import Commands

_KINDS = "call, email, content, invitation, letter, social, task or wait"


def setup_parser(commands: Commands) -> None:
    nurture = commands.add_parser(
        "nurture",
        help="nurture touches: what is due, done, skipped; enrol, pause and resume",
        description="Nurture tracks as work: every step of a lead's track is a touch due on "
        "a business day in the lead's time zone. Calls come through the call queue; every "
        "other touch is listed here for its owner.",
    )
    sub = nurture.add_subparsers(dest="nurture_command", required=True, metavar="COMMAND")

    due = sub.add_parser("due", help="the touches due now, most overdue first")
    add_as_option(due)
    due.add_argument("--user", metavar="LOGIN", help="another user's touches (default: yours)")
    due.add_argument("--kind", metavar="KIND", help=f"only touches of this kind ({_KINDS})")
    add_json_option(due, "the touches")
    due.set_defaults(run=run_due)

    done = sub.add_parser("done", help="record a touch as done")
    done.add_argument("touch_id", type=record_id, metavar="TOUCH_ID")
    add_as_option(done)
    done.add_argument(
        "--outcome",
        required=True,
        metavar="OUTCOME",
        help="sent, delivered, posted, done, no_response or bounced",
    )
    done.add_argument("--note", default="", metavar="TEXT")
    done.set_defaults(run=run_done)

    skip = sub.add_parser("skip", help="skip a touch, saying why")
    skip.add_argument("touch_id", type=record_id, metavar="TOUCH_ID")
    add_as_option(skip)
    skip.add_argument("--reason", required=True, metavar="TEXT")
    skip.set_defaults(run=run_skip)

    later = sub.add_parser("postpone", help="put a touch off by some business days")
    later.add_argument("touch_id", type=record_id, metavar="TOUCH_ID")
    add_as_option(later)
    later.add_argument("--days", type=whole_number(1, 60, unit="days"), default=1)
    later.set_defaults(run=run_postpone)

    message = sub.add_parser("message", help="the email of an email touch, and its mailto: link")
    message.add_argument("touch_id", type=record_id, metavar="TOUCH_ID")
    add_as_option(message)
    add_json_option(message, "the message")
    message.set_defaults(run=run_message)

    enrol = sub.add_parser("enrol", help="put a lead in a track from today")
    enrol.add_argument("lead_id", type=record_id, metavar="LEAD")
    enrol.add_argument("--track", required=True, metavar="KEY")
    add_as_option(enrol)
    enrol.set_defaults(run=run_enrol)

    for name, verb in (("pause", "pause"), ("resume", "resume")):
        command = sub.add_parser(name, help=f"{verb} a lead's track, a whole track or a rep's")
        which = command.add_mutually_exclusive_group(required=True)
        which.add_argument("--lead", type=record_id, metavar="LEAD")
        which.add_argument("--track", metavar="KEY")
        which.add_argument("--rep", metavar="LOGIN", help="a rep away (vacation)")
        if name == "pause":
            command.add_argument("--reason", default="", metavar="TEXT")
        add_as_option(command)
        command.set_defaults(run=run_pause if name == "pause" else run_resume)

    advance = sub.add_parser(
        "advance", help="the daily job: schedule due steps, skip what cannot be made"
    )
    add_as_option(advance)
    add_json_option(advance, "the summary")
    advance.set_defaults(run=run_advance)

    engagement = commands.add_parser(
        "engagement", help="record something a lead did (a reply, a click, an opt-out…)"
    )
    esub = engagement.add_subparsers(dest="engagement_command", required=True, metavar="COMMAND")
    add = esub.add_parser(
        "add",
        help="add one engagement event; a response to nurture calls the lead at once",
    )
    add.add_argument("lead_id", type=record_id, metavar="LEAD")
    add.add_argument(
        "--kind",
        required=True,
        metavar="KIND",
        help="replied, clicked, registered, attended, form, opted_out, meeting_booked, or any "
        "activity kind (site_visit, download, email_open, …)",
    )
    add.add_argument("--detail", default="", metavar="TEXT")
    add.add_argument("--at", metavar="WHEN", help="when it happened (default: now)")
    add_as_option(add)
    add_json_option(add, "the result")
    add.set_defaults(run=run_engagement_add)


def run_due(args: argparse.Namespace) -> int:
    from teleprospect.services.nurture.touches import due_touches

    with database(args) as db:
        me = acting_user_id(db, args)
        user = user_by_login(db, args.user) if args.user else me
        try:
            found = due_touches(db, user, kind=args.kind)
        except ValueError:
            raise CommandError(
                f"{args.kind!r} is no kind of touch; use {_KINDS}.", ExitCode.USAGE
            ) from None
    if args.json:
        print_json([t.as_json() for t in found])
        return ExitCode.OK
    if not found:
        say("No touches due.")
    for t in found:
        say(
            f"{t.touch_id:>8}  {t.due_at:%Y-%m-%d %H:%M}  {t.kind.value:<10}  {t.title}"
            f" — {t.lead_name} ({t.company}), {t.track_name}, {t.step_text}"
        )
    return ExitCode.OK


def run_done(args: argparse.Namespace) -> int:
    from teleprospect.services.nurture.touches import mark_done

    with database(args) as db:
        mark_done(db, args.touch_id, acting_user_id(db, args), outcome=args.outcome, note=args.note)
    say(f"Touch {args.touch_id} done ({args.outcome}).")
    return ExitCode.OK


def run_skip(args: argparse.Namespace) -> int:
    from teleprospect.services.nurture.touches import skip_touch

    with database(args) as db:
        skip_touch(db, args.touch_id, acting_user_id(db, args), reason=args.reason)
    say(f"Touch {args.touch_id} skipped ({args.reason}).")
    return ExitCode.OK


def run_postpone(args: argparse.Namespace) -> int:
    from teleprospect.services.nurture.touches import postpone_touch

    with database(args) as db:
        due = postpone_touch(db, args.touch_id, acting_user_id(db, args), days=args.days)
    say(f"Touch {args.touch_id} now due {due:%Y-%m-%d %H:%M} UTC.")
    return ExitCode.OK


def run_message(args: argparse.Namespace) -> int:
    from teleprospect.services.nurture.touches import touch_message

    with database(args) as db:
        found = touch_message(db, args.touch_id, acting_user_id(db, args))
    if args.json:
        print_json(
            {
                "to": found.to,
                "subject": found.message.subject,
                "body": found.message.body,
                "mailto": found.url,
            }
        )
        return ExitCode.OK
    say(f"To: {found.to}\nSubject: {found.message.subject}\n\n{found.message.body}\n\n{found.url}")
    return ExitCode.OK


def run_enrol(args: argparse.Namespace) -> int:
    from teleprospect.services.nurture.enrolment import enrol_lead

    with database(args) as db:
        enrolled = enrol_lead(db, args.lead_id, args.track, acting_user_id(db, args))
    ahead = f"; next call {enrolled.next_call_at:%Y-%m-%d}" if enrolled.next_call_at else ""
    say(f"Lead {args.lead_id} enrolled in {enrolled.track.name}{ahead}.")
    return ExitCode.OK


def run_pause(args: argparse.Namespace) -> int:
    from teleprospect.services.nurture import pauses

    with database(args) as db:
        me = acting_user_id(db, args)
        if args.lead is not None:
            pauses.pause_lead(db, args.lead, me, reason=args.reason)
            say(f"Lead {args.lead}'s track paused.")
            return ExitCode.OK
        if args.track is not None:
            outcome = pauses.pause_track(db, args.track, me)
        else:
            outcome = pauses.pause_rep(db, args.rep, me)
    say(f"Paused: {outcome.text}.")
    return ExitCode.OK


def run_resume(args: argparse.Namespace) -> int:
    from teleprospect.services.nurture import pauses

    with database(args) as db:
        me = acting_user_id(db, args)
        if args.lead is not None:
            pauses.resume_lead(db, args.lead, me)
            say(f"Lead {args.lead}'s track resumed.")
            return ExitCode.OK
        if args.track is not None:
            outcome = pauses.resume_track(db, args.track, me)
        else:
            outcome = pauses.resume_rep(db, args.rep, me)
    say(f"Resumed: {outcome.text}.")
    return ExitCode.OK


def run_advance(args: argparse.Namespace) -> int:
    from teleprospect.services.nurture.daily import advance_due_touches

    with database(args) as db:
        acting_user_id(db, args)
        summary = advance_due_touches(db)
    if args.json:
        print_json(summary.as_json())
    else:
        say(summary.text)
    return ExitCode.OK


def run_engagement_add(args: argparse.Namespace) -> int:
    from teleprospect.services.nurture.responses import add_engagement

    at = None
    if args.at:
        try:
            at = datetime.fromisoformat(args.at)
        except ValueError:
            raise CommandError(
                f"{args.at!r} is no time; write it as 2027-01-04T10:30.", ExitCode.USAGE
            ) from None
        at = at if at.tzinfo is not None else at.astimezone()
    with database(args) as db:
        added = add_engagement(
            db,
            args.lead_id,
            acting_user_id(db, args),
            kind=args.kind,
            detail=args.detail,
            occurred_at=at,
        )
    if args.json:
        print_json({"event_id": added.event_id, "score": added.score, "nurture": added.nurture})
        return ExitCode.OK
    say(
        f"Recorded; score now {added.score}."
        + (f" Nurture: {added.nurture}." if added.nurture else "")
    )
    return ExitCode.OK
