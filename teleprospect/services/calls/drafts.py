"""Call drafts: what a rep typed during a call, kept on this workstation until it is saved.

A draft is written as the rep types (a few seconds behind at most), to a small JSON file in
the data folder, so a crash, a killed process or a lost database connection loses nothing:
on the next start the draft is offered back and can be saved. The file is replaced
atomically (written beside it, flushed, then renamed), so a crash while writing leaves
the previous draft whole. One file per database and lead: the same lead on two databases
never mixes.

Drafts are local on purpose: they must work when the database does not.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tempfile
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from teleprospect.config import data_dir

log = logging.getLogger(__name__)

#: Bumped when the file layout changes; older files are still read when they can be.
DRAFT_FORMAT = 1


@dataclass(frozen=True, slots=True)
class CallDraft:
    """Everything typed during one call that is not in the database yet."""

    lead_id: int
    #: The login of the rep who typed it: a draft is offered back to them only.
    login: str
    lead_name: str = ""
    #: The attempt record made when the call started (None: not dialled yet).
    call_id: int | None = None
    call_started_at: str | None = None
    script_version_id: int | None = None
    notes: str = ""
    #: Answers in their stored (JSON) form, by question id.
    answers: dict[str, Any] = field(default_factory=dict)
    disposition: str | None = None
    #: The decision being prepared: kind and its fields, as the decision panel holds them.
    decision: dict[str, Any] = field(default_factory=dict)
    #: When the rep last typed (UTC, ISO 8601).
    saved_at: str = ""

    @property
    def saved_at_time(self) -> datetime | None:
        try:
            return datetime.fromisoformat(self.saved_at)
        except ValueError:
            return None

    def is_empty(self) -> bool:
        """Nothing worth keeping: no call started and nothing typed or chosen."""
        return (
            self.call_id is None
            and not self.notes.strip()
            and not self.answers
            and self.disposition is None
            and not self.decision
        )


class DraftStore:
    """The drafts of one database on this workstation."""

    def __init__(self, database_key: str, folder: Path | None = None) -> None:
        self.folder = (folder or data_dir() / "drafts") / _key_digest(database_key)

    def _path(self, lead_id: int) -> Path:
        return self.folder / f"lead-{lead_id}.json"

    def save(self, draft: CallDraft) -> Path:
        """Write ``draft`` (atomically); returns its file."""
        self.folder.mkdir(parents=True, exist_ok=True)
        if not draft.saved_at:
            draft = _with_time(draft)
        data = {"format": DRAFT_FORMAT, **asdict(draft)}
        path = self._path(draft.lead_id)
        handle, temporary = tempfile.mkstemp(prefix=".draft-", suffix=".tmp", dir=self.folder)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(data, out, ensure_ascii=False, indent=1)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        return path

    def load(self, lead_id: int) -> CallDraft | None:
        return _read(self._path(lead_id))

    def discard(self, lead_id: int) -> None:
        """Forget the draft of ``lead_id`` (it was saved, or the rep threw it away)."""
        self._path(lead_id).unlink(missing_ok=True)

    def drafts_of(self, login: str) -> list[CallDraft]:
        """The drafts ``login`` left behind, oldest first."""
        if not self.folder.is_dir():
            return []
        found = [_read(path) for path in sorted(self.folder.glob("lead-*.json"))]
        mine = [draft for draft in found if draft is not None and draft.login == login]
        return sorted(mine, key=lambda draft: draft.saved_at)


def _key_digest(database_key: str) -> str:
    return hashlib.sha256(database_key.encode("utf-8")).hexdigest()[:16]


def _with_time(draft: CallDraft) -> CallDraft:
    from dataclasses import replace

    return replace(draft, saved_at=datetime.now(UTC).isoformat(timespec="seconds"))


def _read(path: Path) -> CallDraft | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as error:
        # A damaged draft must not stop the app; it stays on disk for a person to look at.
        log.warning("the call draft %s cannot be read: %s", path, error)
        return None
    if not isinstance(data, dict):
        return None
    known = set(CallDraft.__dataclass_fields__)
    try:
        return CallDraft(**{key: value for key, value in data.items() if key in known})
    except TypeError as error:
        log.warning("the call draft %s is incomplete: %s", path, error)
        return None
