"""The lead list model reads a chunk at a time and never the whole table (DESIGN.md §4)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QTableView
from sqlalchemy import insert, select, text

from teleprospect.core.lifecycle import LeadStatus
from teleprospect.core.scoring.rules import default_rules
from teleprospect.services.leads.lead_list import lead_page, lead_page_query
from teleprospect.store.database import Database
from teleprospect.store.migrate import upgrade_to_head
from teleprospect.store.models import Campaign, Lead, User
from teleprospect.ui import background
from teleprospect.ui.leads.lead_table_model import (
    COLUMN_INDEX,
    COLUMNS,
    LEAD_ID_ROLE,
    LeadTableModel,
)
from tests.ui.sample_leads import lead_dicts

BIG = 100_000
CHUNK = LeadTableModel.ROWS_TO_LOAD


@pytest.fixture(scope="module")
def big_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """100,000 leads in one campaign, inserted with one Core executemany."""
    db = Database(str(tmp_path_factory.mktemp("big") / "big.sqlite3"))
    upgrade_to_head(db)
    with db.write() as session:
        campaign = Campaign(name="Webinar: Cloud cost control")
        session.add(campaign)
        session.flush()
        session.execute(insert(Lead), lead_dicts(BIG, [campaign.id], []))
    yield db
    db.dispose()


@pytest.fixture
def model(big_db: Database, qtbot) -> LeadTableModel:
    return LeadTableModel(big_db)


def test_nothing_is_read_before_the_view_asks(model: LeadTableModel) -> None:
    assert model.rowCount() == 0
    assert model.canFetchMore(QModelIndex())


def test_fetch_more_reads_one_chunk_at_a_time(model: LeadTableModel) -> None:
    model.fetchMore(QModelIndex())
    assert model.rowCount() == CHUNK
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 2 * CHUNK
    assert model.canFetchMore(QModelIndex())
    ids = [model.lead_row(row).id for row in range(model.rowCount())]
    assert ids == sorted(ids) and len(set(ids)) == len(ids)


def test_a_shown_view_loads_the_first_chunk_and_more_only_as_it_scrolls(
    model: LeadTableModel, qtbot
) -> None:
    view = QTableView()
    qtbot.addWidget(view)
    view.resize(800, 400)
    view.setModel(model)
    view.show()
    qtbot.waitExposed(view)
    qtbot.waitUntil(lambda: model.rowCount() > 0)
    assert model.rowCount() == CHUNK

    for _ in range(5):
        view.scrollToBottom()
        qtbot.wait(20)  # the view asks for more from a zero-delay timer
    assert CHUNK < model.rowCount() <= 7 * CHUNK
    assert model.rowCount() < BIG
    assert not model.all_loaded


def test_passes_the_qt_model_tester(model: LeadTableModel, qtmodeltester) -> None:
    model.fetchMore(QModelIndex())
    qtmodeltester.check(model)


def test_rows_show_what_the_database_holds(model: LeadTableModel, big_db: Database) -> None:
    model.fetchMore(QModelIndex())
    with big_db.read() as session:
        leads = session.scalars(select(Lead).order_by(Lead.id).limit(CHUNK)).all()
        campaign_names = {c.id: c.name for c in session.scalars(select(Campaign))}
    for row, lead in enumerate(leads):

        def cell(key: str, row: int = row) -> str:
            return model.index(row, COLUMN_INDEX[key]).data()

        assert model.index(row, 0).data(LEAD_ID_ROLE) == lead.id
        assert cell("name") == lead.full_name
        assert cell("company") == lead.company
        assert cell("phone") == (lead.phone_e164 or lead.phone_raw)
        assert cell("status") == lead.status.label
        assert cell("score") == f"{lead.score} {default_rules().grade_for(lead.score).grade}"
        assert cell("campaign") == campaign_names[lead.campaign_id]
        assert cell("owner") == ""


def test_an_invalid_phone_is_flagged_in_colour_and_tooltip(model: LeadTableModel) -> None:
    model.fetchMore(QModelIndex())
    phone = COLUMN_INDEX["phone"]
    invalid = next(r for r in range(model.rowCount()) if not model.lead_row(r).phone_valid)
    valid = next(r for r in range(model.rowCount()) if model.lead_row(r).phone_valid)
    assert model.index(invalid, phone).data(Qt.ItemDataRole.ForegroundRole) is not None
    assert "not a valid phone number" in model.index(invalid, phone).data(
        Qt.ItemDataRole.ToolTipRole
    )
    assert model.index(valid, phone).data(Qt.ItemDataRole.ForegroundRole) is None


def test_headers_name_every_column(model: LeadTableModel) -> None:
    titles = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert titles == [column.title for column in COLUMNS]
    assert model.headerData(0, Qt.Orientation.Vertical) is None


def test_reload_starts_again_from_the_first_chunk(model: LeadTableModel) -> None:
    for _ in range(3):
        model.fetchMore(QModelIndex())
    first_id = model.lead_row(0).id
    model.reload()
    assert model.rowCount() == CHUNK
    assert model.lead_row(0).id == first_id


def test_the_total_is_counted_in_the_background(model: LeadTableModel, qtbot) -> None:
    with qtbot.waitSignal(model.total_changed) as blocker:
        model.count_total()
    assert blocker.args == [BIG]
    assert model.total == BIG


def test_the_end_of_the_list_stops_fetching(qtbot, sqlite_db: Database) -> None:
    with sqlite_db.write() as session:
        session.execute(insert(Lead), lead_dicts(CHUNK + 5, [], []))
    model = LeadTableModel(sqlite_db)
    model.fetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert model.rowCount() == CHUNK + 5
    assert not model.canFetchMore(QModelIndex())


class TestOnAWorkerThread:
    @pytest.fixture(autouse=True)
    def _threaded(self) -> Iterator[None]:
        background.set_inline(False)
        yield
        background.wait_for_background()
        background.set_inline(True)

    def test_rows_arrive_later_and_one_request_runs_at_a_time(
        self, model: LeadTableModel, qtbot
    ) -> None:
        model.fetchMore(QModelIndex())
        model.fetchMore(QModelIndex())  # ignored: a chunk is already on its way
        assert model.is_loading
        qtbot.waitUntil(lambda: model.rowCount() == CHUNK)
        qtbot.wait(50)
        assert model.rowCount() == CHUNK
        assert not model.is_loading

    def test_a_chunk_requested_before_reload_is_dropped(self, model: LeadTableModel, qtbot) -> None:
        model.fetchMore(QModelIndex())
        model.reload()  # asks for the first chunk again
        qtbot.waitUntil(lambda: not model.is_loading)
        background.wait_for_background()
        qtbot.wait(50)
        assert model.rowCount() == CHUNK
        ids = [model.lead_row(row).id for row in range(model.rowCount())]
        assert len(set(ids)) == CHUNK


# -- lead_page, on SQLite and PostgreSQL ---------------------------------------------------


@pytest.fixture
def small_list(db: Database) -> list[int]:
    """Five leads: three from a campaign with an owner, two with neither."""
    created = datetime(2025, 1, 6, 9, 30, tzinfo=UTC)
    with db.write() as session:
        campaign = Campaign(name="Trade show: LogiMAT")
        owner = User(login="jkeller", name="Julia Keller")
        session.add_all([campaign, owner])
        session.flush()
        leads = [
            Lead(
                first_name=f"First{n}",
                last_name=f"Last{n}",
                company=f"Company {n}",
                phone_raw=f"+49 30 90182{n}",
                phone_e164=f"+4930901820{n}" if n % 2 == 0 else None,
                phone_valid=n % 2 == 0,
                status=LeadStatus.SALES_READY if n == 0 else LeadStatus.NEW,
                score=10 * n,
                campaign_id=campaign.id if n < 3 else None,
                owner_id=owner.id if n < 3 else None,
                created_at=created + timedelta(days=n),
            )
            for n in range(5)
        ]
        session.add_all(leads)
        session.flush()
        return [lead.id for lead in leads]


def test_lead_page_returns_leads_in_id_order(db: Database, small_list: list[int]) -> None:
    page = lead_page(db, after_id=None, limit=10)
    assert [row.id for row in page] == sorted(small_list)


def test_lead_page_continues_after_the_last_id_seen(db: Database, small_list: list[int]) -> None:
    first = lead_page(db, after_id=None, limit=2)
    second = lead_page(db, after_id=first[-1].id, limit=2)
    third = lead_page(db, after_id=second[-1].id, limit=2)
    assert [row.id for row in first + second + third] == sorted(small_list)
    assert len(third) == 1
    assert lead_page(db, after_id=third[-1].id, limit=2) == []


def test_lead_page_joins_campaign_and_owner_names(db: Database, small_list: list[int]) -> None:
    rows = {row.id: row for row in lead_page(db, after_id=None, limit=10)}
    first, last = rows[small_list[0]], rows[small_list[4]]
    assert (first.campaign, first.owner) == ("Trade show: LogiMAT", "Julia Keller")
    assert (last.campaign, last.owner) == ("", "")  # outer joins keep leads without them
    assert first.name == "First0 Last0"
    assert first.status == "Sales-ready"
    assert first.phone == "+49309018200" and first.phone_valid
    assert rows[small_list[1]].phone == "+49 30 901821"  # unreadable: shown as imported
    assert not rows[small_list[1]].phone_valid
    assert first.created_at == datetime(2025, 1, 6, 9, 30, tzinfo=UTC)


def test_lead_page_is_an_index_range_scan_on_sqlite(sqlite_db: Database) -> None:
    """Keyset pagination: the plan walks the primary key from the last id, never the table."""
    query = lead_page_query(after_id=500_000, limit=200)
    sql = query.compile(sqlite_db.engine, compile_kwargs={"literal_binds": True})
    with sqlite_db.read() as session:
        plan = session.execute(text(f"EXPLAIN QUERY PLAN {sql}")).all()
    details = " | ".join(row[-1] for row in plan)
    assert "SEARCH lead USING INTEGER PRIMARY KEY (rowid>?)" in details
    assert "SCAN lead" not in details
    assert "TEMP B-TREE" not in details  # no sort: the order is the index's
