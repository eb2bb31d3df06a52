"""Which figures of each report its chart shows."""

from __future__ import annotations

from typing import Any

from teleprospect.core.reports import SPEED_BUCKETS
from teleprospect.services.reports.common import Report
from teleprospect.ui.reports.charts import MAX_GROUPS, ChartData

__all__ = ["chart_data"]

WEEKDAY_INDEX = {
    name: i for i, name in enumerate(("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"))
}


def chart_data(report: Report[Any]) -> ChartData:
    rows = list(report.rows)[:MAX_GROUPS]
    name = report.name
    if name == "waterfall":
        stages = ("arrived", "worked", "connected", "qualified", "handed_off", "accepted")
        headers = {c.name: c.header for c in report.columns}
        return ChartData(
            "Waterfall: leads reaching each stage",
            [headers[s] for s in stages],
            [(r.group, [getattr(r, s) for s in stages]) for r in rows],
            unit="leads",
        )
    if name == "activity":
        return ChartData(
            "Dials and connects",
            [f"{r.rep.split()[0]} {r.period:%d %b}" for r in rows],
            [("Dials", [r.dials for r in rows]), ("Connects", [r.connects for r in rows])],
            unit="calls",
        )
    if name == "speed-to-lead":
        buckets = [b[0] for b in SPEED_BUCKETS] + ["never"]
        titles = [b[1] for b in SPEED_BUCKETS] + ["Not called"]
        return ChartData(
            "Time from arrival to first attempt",
            titles,
            [(r.group, [getattr(r, b) for b in buckets]) for r in rows],
            unit="leads",
        )
    if name == "connect-hours":
        return ChartData(
            "Connect rate by the lead's local hour",
            heat={
                (WEEKDAY_INDEX[r.weekday], r.hour): (r.connect_rate, r.dials) for r in report.rows
            },
        )
    if name == "sources":
        return ChartData(
            "Sales' verdicts on handed-off leads",
            [r.group for r in rows],
            [
                ("Accepted", [r.accepted for r in rows]),
                ("Rejected", [r.rejected for r in rows]),
                ("Awaiting", [r.awaiting for r in rows]),
            ],
            stacked=True,
            unit="leads",
        )
    return ChartData(report.title)
