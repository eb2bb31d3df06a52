"""The nurture report (per track and step: done, skipped, responded, made sales-ready)
reads the touch history the nurture tracks record; until that history exists it says so
instead of showing numbers nobody could check."""

from __future__ import annotations

from teleprospect.core.errors import NotFound

__all__ = ["NurtureReportUnavailable", "nurture_rows"]


class NurtureReportUnavailable(NotFound):
    """The nurture report's data is not recorded yet."""


def nurture_rows() -> tuple[()]:
    raise NurtureReportUnavailable(
        "The nurture report needs the touch history of nurture tracks, which this version "
        "does not record yet."
    )
