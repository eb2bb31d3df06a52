"""Call drafts on this workstation: kept whole across crashes, per database and per rep."""

from __future__ import annotations

import json
from pathlib import Path

from teleprospect.services.calls.drafts import CallDraft, DraftStore


def draft(lead_id: int = 7, login: str = "sam", **fields) -> CallDraft:  # noqa: ANN003
    return CallDraft(lead_id=lead_id, login=login, lead_name="Ada Lovelace", **fields)


def test_a_saved_draft_reads_back_with_its_answers_and_time(tmp_path: Path) -> None:
    store = DraftStore("sqlite:///a.db", tmp_path)
    store.save(draft(notes="Asked for pricing", answers={"need": True, "timeline": "this_year"}))
    back = store.load(7)
    assert back is not None
    assert back.notes == "Asked for pricing"
    assert back.answers == {"need": True, "timeline": "this_year"}
    assert back.saved_at_time is not None


def test_drafts_are_kept_apart_by_database_and_offered_to_their_rep_only(tmp_path: Path) -> None:
    one, other = DraftStore("db one", tmp_path), DraftStore("db two", tmp_path)
    one.save(draft(7, "sam", notes="one"))
    one.save(draft(8, "julie", notes="hers"))
    other.save(draft(7, "sam", notes="two"))
    assert [d.notes for d in one.drafts_of("sam")] == ["one"]
    assert [d.notes for d in other.drafts_of("sam")] == ["two"]
    assert [d.lead_id for d in one.drafts_of("julie")] == [8]


def test_saving_again_replaces_and_discard_forgets(tmp_path: Path) -> None:
    store = DraftStore("db", tmp_path)
    store.save(draft(notes="first"))
    store.save(draft(notes="second"))
    assert store.load(7).notes == "second"
    assert len(list(store.folder.glob("*"))) == 1  # no temporary files left behind
    store.discard(7)
    assert store.load(7) is None
    store.discard(7)  # twice is fine


def test_a_damaged_draft_is_skipped_and_left_on_disk(tmp_path: Path) -> None:
    store = DraftStore("db", tmp_path)
    store.save(draft(8, notes="good"))
    store.folder.joinpath("lead-9.json").write_text("{ half a file", encoding="utf-8")
    assert [d.lead_id for d in store.drafts_of("sam")] == [8]
    assert store.folder.joinpath("lead-9.json").exists()


def test_unknown_keys_from_a_newer_version_do_not_break_reading(tmp_path: Path) -> None:
    store = DraftStore("db", tmp_path)
    path = store.save(draft(notes="kept"))
    data = json.loads(path.read_text(encoding="utf-8"))
    data["something_new"] = 1
    path.write_text(json.dumps(data), encoding="utf-8")
    assert store.load(7).notes == "kept"


def test_an_untouched_draft_counts_as_empty() -> None:
    assert draft().is_empty()
    assert not draft(notes="x").is_empty()
    assert not draft(call_id=3).is_empty()
