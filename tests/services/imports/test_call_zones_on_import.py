"""Non-geographic numbers reach the queue: a US toll-free number is called on the US's
main clock, whether the lead came in by import or was stored before and re-scored."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from teleprospect.core.phones import parse_phone
from teleprospect.services.imports import leads as importing
from teleprospect.services.imports.leads import LeadImportRequest, import_leads
from teleprospect.services.queue.claims import claim_next
from teleprospect.services.scoring.rescore import rescore_all
from teleprospect.store.database import Database
from teleprospect.store.models import Campaign, Lead, User

# Tuesday 10 March 2026, 15:00 UTC: 11:00 in New York, 08:00 in Los Angeles, 05:00 in
# Honolulu. Inside 09:00-17:00 on the US's main clock, outside it in most US zones.
US_BUSINESS_HOURS = datetime(2026, 3, 10, 15, 0, tzinfo=UTC)
US_EVENING = datetime(2026, 3, 10, 23, 30, tzinfo=UTC)  # 19:30 in New York
TOLL_FREE = "+1 800 642 7676"


def rep_and_campaign(db: Database) -> tuple[int, int]:
    with db.write() as s:
        rep = User(login="rep", name="Rep")
        campaign = Campaign(name="Expo US", channel="trade_show", default_region="US")
        s.add_all([rep, campaign])
        s.flush()
        return rep.id, campaign.id


def test_an_imported_us_toll_free_lead_is_called_in_us_business_hours(
    db: Database, tmp_path: Path, monkeypatch
) -> None:
    imported_at = US_BUSINESS_HOURS - timedelta(hours=1)
    monkeypatch.setattr(importing, "database_now", lambda session: imported_at)
    rep, campaign = rep_and_campaign(db)
    path = tmp_path / "leads.csv"
    path.write_text(
        f"First Name,Last Name,Company,Title,Phone\nTia,Free,Callme Inc,CIO,{TOLL_FREE}\n",
        encoding="utf-8",
    )
    summary = import_leads(
        db, LeadImportRequest(path=path, campaign_id=campaign, report_dir=tmp_path)
    )
    (lead_id,) = summary.imported_lead_ids
    with db.read() as s:
        lead = s.get(Lead, lead_id)
        assert lead is not None
        assert len(lead.time_zones) > 30  # the number's own zones stay as phonenumbers says
        assert lead.call_zones == "America/New_York"

    assert claim_next(db, rep, now=US_EVENING) is None
    claimed = claim_next(db, rep, now=US_BUSINESS_HOURS)
    assert claimed is not None and claimed.lead_id == lead_id
    assert "11:00" in claimed.local_time


def test_a_toll_free_lead_stored_before_reaches_the_queue_after_rescoring(db: Database) -> None:
    rep, campaign = rep_and_campaign(db)
    every_zone_of_plus_1 = " ".join(parse_phone(TOLL_FREE, "US").time_zones)
    with db.write() as s:
        lead = Lead(
            first_name="Tia",
            last_name="Free",
            title="CIO",
            phone_raw=TOLL_FREE,
            phone_e164="+18006427676",
            phone_valid=True,
            phone_type="toll_free",
            phone_time_zones=every_zone_of_plus_1,
            # What was stored for such a number before: never inside the window in all.
            call_zones=every_zone_of_plus_1,
            campaign_id=campaign,
            created_at=US_BUSINESS_HOURS - timedelta(days=3),
        )
        s.add(lead)
        s.flush()
        lead_id = lead.id
    assert claim_next(db, rep, now=US_BUSINESS_HOURS) is None

    rescore_all(db, now=US_BUSINESS_HOURS)
    claimed = claim_next(db, rep, now=US_BUSINESS_HOURS)
    assert claimed is not None and claimed.lead_id == lead_id
