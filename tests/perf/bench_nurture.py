"""Benchmark: "nurture due" for one rep, and the daily advance job, on a big programme.

    python tests/perf/bench_nurture.py --db /tmp/nurture.sqlite3 --leads 1000000 --enrolled 300000
    python tests/perf/bench_nurture.py --db postgresql://me@localhost/bench --leads 100000

18 tracks of 27 steps (by industry, function and role), leads owned by 100 reps, the
enrolled ones started on random days of the past year with every step due so far made
a touch (done, or still open when due in the last ten days). Figures: "nurture due" for
one rep (median and p95 of runs taken in turns with a floor, one lead by primary key in
its own transaction), then the daily job ("advance all due steps") for the next day.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, select

from teleprospect.core.business_days import add_business_days
from teleprospect.core.lifecycle import LeadStatus
from teleprospect.core.nurture import Track, TrackStep
from teleprospect.services.database import upgrade_database
from teleprospect.services.nurture.daily import advance_due_touches
from teleprospect.services.nurture.touches import due_touches
from teleprospect.store.database import Database
from teleprospect.store.models import Lead, NurtureEnrollment, NurtureTrack, User
from teleprospect.store.nurture_models import NurtureTouch

KINDS = ["email", "content", "call", "invitation", "letter", "social", "email", "task"]
NOW = datetime(2027, 6, 16, 10, 0, tzinfo=UTC)  # a Wednesday
REPS = 100
BATCH = 20_000


def programme() -> list[Track]:
    rng = random.Random(18)
    tracks = []
    for t in range(18):
        day, steps = 0, []
        for s in range(27):
            steps.append(TrackStep(day, KINDS[(t + s) % len(KINDS)], f"Track {t} step {s + 1}"))
            day += rng.randint(2, 9)
        tracks.append(Track(f"bench-{t}", f"Bench track {t}", tuple(steps)))
    return tracks


def load(db: Database, leads: int, enrolled: int) -> None:
    rng = random.Random(1)
    tracks = programme()
    with db.write() as s:
        if s.scalar(select(Lead.id).limit(1)) is not None:
            return
        s.execute(
            insert(User),
            [{"login": f"rep{i}", "name": f"Rep {i}", "db_role": f"rep{i}"} for i in range(REPS)],
        )
        for t in tracks:
            s.add(
                NurtureTrack(
                    key=t.key, name=t.name, definition=t.to_dict(), created_at=NOW, updated_at=NOW
                )
            )
    with db.read() as s:
        reps = list(s.scalars(select(User.id).where(User.login.like("rep%"))))
        track_ids = list(s.scalars(select(NurtureTrack.id).where(NurtureTrack.key.like("bench-%"))))
    today = NOW.date()
    days = {}  # (start, offset) → date: business days without holidays (zone UTC)
    started = time.perf_counter()
    for first in range(0, leads, BATCH):
        ids = range(first + 1, min(first + BATCH, leads) + 1)
        lead_rows, enrol_rows, touch_rows = [], [], []
        for lead_id in ids:
            nurture = lead_id <= enrolled
            lead_rows.append(
                {
                    "id": lead_id,
                    "first_name": "Lead",
                    "last_name": str(lead_id),
                    "email": f"l{lead_id}@example.com",
                    "owner_id": reps[lead_id % REPS],
                    "status": (LeadStatus.NURTURE if nurture else LeadStatus.WORKING).value,
                    "call_zones": "Europe/Berlin",
                    "phone_time_zones": "Europe/Berlin",
                    "phone_e164": f"+49301{lead_id:07d}",
                    "phone_valid": True,
                    "country": None,
                    "extra": {},
                    "created_at": NOW,
                    "updated_at": NOW,
                }
            )
            if not nurture:
                continue
            t = rng.randrange(len(tracks))
            start = today - timedelta(days=rng.randint(0, 365))
            track = tracks[t]
            step_index = 0
            for index, step in enumerate(track.steps):
                key = (start, step.day_offset)
                if key not in days:
                    days[key] = add_business_days(start, step.day_offset, None)
                due = days[key]
                if due > today:
                    break
                step_index = index + 1
                open_ = (today - due).days < 10 and rng.random() < 0.5
                touch_rows.append(
                    {
                        "enrollment_id": lead_id,
                        "lead_id": lead_id,
                        "step_index": index,
                        "follow_up": False,
                        "kind": step.kind.value,
                        "title": step.title,
                        "due_at": datetime.combine(due, datetime.min.time(), tzinfo=UTC)
                        + timedelta(hours=9),
                        "state": "open" if open_ else "done",
                        "outcome": "" if open_ else "sent",
                        "reason": "",
                        "postponed": 0,
                        "created_at": NOW,
                    }
                )
            nxt = (
                datetime.combine(
                    add_business_days(start, track.steps[step_index].day_offset, None),
                    datetime.min.time(),
                    tzinfo=UTC,
                )
                + timedelta(hours=9)
                if step_index < len(track.steps)
                else None
            )
            enrol_rows.append(
                {
                    "id": lead_id,
                    "lead_id": lead_id,
                    "track_id": track_ids[t],
                    "enrolled_at": NOW,
                    "starts_at": datetime.combine(start, datetime.min.time(), tzinfo=UTC),
                    "step_index": step_index,
                    "next_touch_at": nxt,
                    "end_reason": "",
                }
            )
        with db.write() as s:
            s.execute(insert(Lead), lead_rows)
            if enrol_rows:
                s.execute(insert(NurtureEnrollment), enrol_rows)
            if touch_rows:
                s.execute(insert(NurtureTouch), touch_rows)
        print(f"  loaded {ids[-1]:,} leads ({time.perf_counter() - started:.0f} s)", flush=True)


def _ms(values: list[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[max(0, int(len(ordered) * 0.95) - 1)]
    return f"median {statistics.median(ordered) * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, metavar="URL")
    parser.add_argument("--leads", type=int, default=1_000_000)
    parser.add_argument("--enrolled", type=int, default=300_000)
    parser.add_argument("--runs", type=int, default=40)
    args = parser.parse_args(argv)
    db = Database(args.db)
    upgrade_database(db)
    load(db, args.leads, args.enrolled)
    with db.read() as s:
        rep = s.scalar(select(User.id).where(User.login == "rep7"))
    assert rep is not None
    floor, due = [], []
    count = 0
    for i in range(args.runs):
        started = time.perf_counter()
        with db.read() as s:
            s.get(Lead, 1 + (i * 7919) % args.leads)
        floor.append(time.perf_counter() - started)
        started = time.perf_counter()
        count = len(due_touches(db, rep, now=NOW))
        due.append(time.perf_counter() - started)
    print(f"{db.backend}: {args.leads:,} leads, {args.enrolled:,} enrolled, 18 tracks x 27 steps")
    print(f"  floor (one lead by id): {_ms(floor)}")
    print(f"  nurture due, one rep ({count} touches): {_ms(due)}")
    started = time.perf_counter()
    summary = advance_due_touches(db, now=NOW + timedelta(days=1))
    print(f"  daily advance job: {time.perf_counter() - started:.1f} s — {summary.text}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
