"""Issue 17: every rule of the desk editable by a team lead. A change to routing, to a
campaign's type or to the scoring rules reorders the queue at once, says why in its
reasons, and is in the audit trail with who changed what."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from teleprospect.core.audit import AuditKind
from teleprospect.core.domain import CampaignChannel, UserRole
from teleprospect.core.errors import Conflict
from teleprospect.core.permissions import PermissionDenied
from teleprospect.core.queue_policy import QueueTier, RoutingError, RoutingRule
from teleprospect.core.scoring.answers import mismatches, with_answer_points
from teleprospect.core.scripts import Question, QuestionType, Script
from teleprospect.services.calls.scripts import active_script, publish_script
from teleprospect.services.defaults import seed_defaults
from teleprospect.services.queue.page import queue_page
from teleprospect.services.scoring.publishing import preview_rules, rules_in_force
from teleprospect.services.scoring.rescore import save_rules
from teleprospect.services.settings.campaigns import (
    CampaignEdit,
    CampaignInvalid,
    InboundChoice,
    add_campaign,
    edit_campaign,
    list_campaigns,
)
from teleprospect.services.settings.edit import SettingInvalid, set_setting_value, settings_json
from teleprospect.services.settings.team_settings import ROUTING, change_team_setting
from teleprospect.store.database import Database
from teleprospect.store.models import AuditEntry, Campaign, LeadAnswer, User
from tests.services.call_fixtures import NOW, add_lead


@pytest.fixture
def desk(db: Database) -> dict[str, int]:
    seed_defaults(db)
    with db.write() as s:
        users = {
            "rep": User(login="rep", name="Rita Rep"),
            "boss": User(login="boss", name="Bea Boss", role=UserRole.TEAM_LEAD),
            "other_lead": User(login="lead2", name="Olaf Lead", role=UserRole.TEAM_LEAD),
        }
        s.add_all(users.values())
        s.flush()
        return {name: user.id for name, user in users.items()}


def audit(db: Database, kind: AuditKind) -> list[tuple[int | None, str, object]]:
    with db.read() as s:
        return [
            (e.user_id, e.subject, e.after)
            for e in s.scalars(select(AuditEntry).where(AuditEntry.kind == kind))
        ]


def queue(db: Database, user_id: int) -> list[tuple[int, QueueTier, str]]:
    return [(e.lead_id, e.tier, e.reason) for e in queue_page(db, user_id, now=NOW)]


def test_routing_sends_big_companies_to_the_named_team_lead_only(
    db: Database, desk: dict[str, int]
) -> None:
    big = add_lead(db, company_size=1500, email="big@a.de", phone_e164="+4930111")
    small = add_lead(db, company_size=20, email="small@b.de", phone_e164="+4930222")
    everyone = {small, big}
    assert {lead for lead, _, _ in queue(db, desk["rep"])} == everyone

    set_setting_value(db, desk["boss"], "routing.min_company_size", "1000")
    set_setting_value(db, desk["boss"], "routing.receivers", f"[{desk['boss']}]")

    assert [lead for lead, _, _ in queue(db, desk["rep"])] == [small]
    assert [lead for lead, _, _ in queue(db, desk["other_lead"])] == [small]
    boss_queue = {lead: reason for lead, _, reason in queue(db, desk["boss"])}
    assert set(boss_queue) == everyone
    assert boss_queue[big].endswith("routed: 1,500 employees ≥ 1,000")
    assert "routed" not in boss_queue[small]
    changes = audit(db, AuditKind.SETTING_CHANGED)
    assert [(who, subject) for who, subject, _ in changes] == [
        (desk["boss"], "routing to team leads"),
        (desk["boss"], "routing to team leads"),
    ]
    assert changes[-1][2] == {
        "min_score": None,
        "min_company_size": 1000,
        "receivers": [desk["boss"]],
    }


def test_routed_leads_go_only_to_active_team_leads_and_reps_cannot_route(
    db: Database, desk: dict[str, int]
) -> None:
    with pytest.raises(RoutingError, match="Rita Rep is not an active team lead"):
        change_team_setting(db, ROUTING, RoutingRule(80, None, {desk["rep"]}), user_id=desk["boss"])
    with pytest.raises(PermissionDenied, match="Only a team lead can change team settings"):
        change_team_setting(db, ROUTING, RoutingRule(80), user_id=desk["rep"])
    with pytest.raises(SettingInvalid, match="routing.min_score must be a number"):
        set_setting_value(db, desk["boss"], "routing.min_score", "high")
    with pytest.raises(SettingInvalid, match="The routing score must be between 0 and 100"):
        set_setting_value(db, desk["boss"], "routing.min_score", "150")
    with pytest.raises(SettingInvalid, match="There is no team setting 'routeing'"):
        set_setting_value(db, desk["boss"], "routeing.min_score", "80")
    with pytest.raises(SettingInvalid, match="beyond the legal limit"):
        set_setting_value(db, desk["boss"], "calling_hours.end", "22:00")
    with pytest.raises(SettingInvalid, match="no_answer: |A retry needs a delay"):
        set_setting_value(
            db, desk["boss"], "retry_rules.by_disposition.no_answer.delay_minutes", "0"
        )
    assert audit(db, AuditKind.SETTING_CHANGED) == []


def test_a_campaign_made_inbound_puts_its_new_leads_first_at_once(
    db: Database, desk: dict[str, int]
) -> None:
    campaign = add_campaign(db, desk["boss"], "Imported list", region="DE")
    assert not campaign.inbound
    old = add_lead(db, email="old@a.de", phone_e164="+4930111")
    new = add_lead(
        db,
        campaign.id,
        title="Working student",
        email="new@b.de",
        phone_e164="+4930222",
        created_at=NOW - timedelta(minutes=30),
    )
    before = queue(db, desk["rep"])
    assert [lead for lead, _, _ in before] == [old, new]  # the CTO scores higher than the student
    assert before[1][1] is QueueTier.BACKLOG

    edit_campaign(db, desk["boss"], "imported LIST", CampaignEdit(channel=CampaignChannel.WEBINAR))

    after = queue(db, desk["rep"])
    assert [lead for lead, _, _ in after] == [new, old]
    assert after[0][1:] == (QueueTier.FRESH_INBOUND, "new inbound 30 min ago")

    # An explicit "not inbound" beats the type; "by type" goes back to it.
    edit_campaign(db, desk["boss"], campaign.id, CampaignEdit(inbound=InboundChoice.NO))
    assert [lead for lead, _, _ in queue(db, desk["rep"])] == [old, new]
    edit_campaign(db, desk["boss"], campaign.id, CampaignEdit(inbound=InboundChoice.BY_TYPE))
    assert [lead for lead, _, _ in queue(db, desk["rep"])] == [new, old]

    changes = audit(db, AuditKind.SETTING_CHANGED)
    assert [(who, subject) for who, subject, _ in changes] == [
        (desk["boss"], "campaign “Imported list”")
    ] * 4
    assert changes[1][2] == {"type": "webinar", "inbound": True}
    assert [c.as_json()["inbound_choice"] for c in list_campaigns(db)] == ["by_type"]


def test_campaign_edits_refuse_bad_values_duplicates_and_reps(
    db: Database, desk: dict[str, int]
) -> None:
    add_campaign(db, desk["boss"], "Forum", CampaignChannel.TRADE_SHOW)
    with pytest.raises(Conflict, match="There is already a campaign called “Forum”"):
        add_campaign(db, desk["boss"], " forum ")
    with pytest.raises(CampaignInvalid, match="'XX1' is not a country code"):
        edit_campaign(db, desk["boss"], "Forum", CampaignEdit(region="XX1"))
    with pytest.raises(PermissionDenied, match="Only a team lead"):
        edit_campaign(db, desk["rep"], "Forum", CampaignEdit(offer="free beer"))
    with db.read() as s:
        assert s.scalar(select(Campaign.offer)) == ""


def test_a_question_added_to_the_script_carries_points_and_reorders_the_queue(
    db: Database, desk: dict[str, int]
) -> None:
    script = active_script(db).script
    uses_crm = Question("uses_crm", "Do you use a CRM today?", QuestionType.YES_NO)
    publish_script(db, Script(script.name, (*script.questions, uses_crm)), user_id=desk["boss"])
    plain = add_lead(db, email="plain@a.de", phone_e164="+4930111")
    answered = add_lead(db, email="answered@b.de", phone_e164="+4930222")
    with db.write() as s:
        s.add(LeadAnswer(lead_id=answered, question_id="uses_crm", value=True))
    assert [(lead, reason) for lead, _, reason in queue(db, desk["rep"])] == [
        (plain, "score 60, not tried yet"),
        (answered, "score 60, not tried yet"),
    ]
    rules = with_answer_points(rules_in_force(db).rules, uses_crm, {"yes": 20, "no": 0})
    assert mismatches(rules, active_script(db).script) == []

    preview = preview_rules(db, rules, now=NOW)
    assert preview.as_json() == {
        "leads": 2,
        "changed_scores": 1,
        "changed_grades": 1,
        "moves": [{"from": "B", "to": "A", "leads": 1}],
        "become_sales_ready": 1,
        "stop_being_sales_ready": 0,
    }
    assert preview.describe() == (
        "1 of 2 leads change grade (B→A 1); 1 change score; 1 reach the sales-ready"
        " threshold, 0 fall below it."
    )
    published = save_rules(db, rules, desk["boss"], "CRM users buy sooner", now=NOW)
    assert published.rescored.changed == 1

    assert [(lead, reason) for lead, _, reason in queue(db, desk["rep"])] == [
        (answered, "score 80, not tried yet"),
        (plain, "score 60, not tried yet"),
    ]
    [(who, subject, after)] = audit(db, AuditKind.SCORING_RULES_PUBLISHED)
    assert (who, subject) == (desk["boss"], "scoring rules")
    assert after["changed"] == ["qualification"] and after["note"] == "CRM users buy sooner"
    assert rules_in_force(db).version == published.version == 2


def test_rules_giving_points_the_script_cannot_earn_are_named(
    db: Database, desk: dict[str, int]
) -> None:
    rules = rules_in_force(db).rules
    ghost = Question("ghost", "Ghost?", QuestionType.YES_NO)
    odd = with_answer_points(rules, ghost, {"yes": 5})
    assert mismatches(odd, active_script(db).script) == [
        "The rules give points for “Ghost?” (ghost), a question the script does not ask."
    ]
    assert with_answer_points(odd, ghost, {"yes": 0}) == rules


@pytest.mark.postgresql
def test_on_the_server_a_reps_login_cannot_edit_campaigns_or_settings(
    pg_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from teleprospect.services.database import upgrade_database
    from teleprospect.store.database import NotPermittedByDatabase
    from tests.services.identity_fixtures import give_logins, url_as

    db = Database(pg_url)
    try:
        upgrade_database(db)
        seed_defaults(db)
        with db.write() as s:
            rep = User(login="rita", name="Rita Rep")
            boss = User(login="bea", name="Bea Boss", role=UserRole.TEAM_LEAD)
            s.add_all([rep, boss])
            s.flush()
            rep_id, boss_id = rep.id, boss.id
        give_logins(db, rep_id, boss_id)
        as_boss, as_rep = Database(url_as(db, "bea")), Database(url_as(db, "rita"))
        try:
            made = add_campaign(as_boss, boss_id, "Forum", CampaignChannel.TRADE_SHOW)
            edit_campaign(as_boss, boss_id, made.id, CampaignEdit(channel=CampaignChannel.WEBINAR))
            set_setting_value(as_boss, boss_id, "routing.min_score", "85")
            # A rep's login that gets past the services is refused by the grants.
            with pytest.raises(NotPermittedByDatabase, match="permission denied for table"):
                edit_campaign(as_rep, boss_id, made.id, CampaignEdit(offer="x"))
            with pytest.raises(NotPermittedByDatabase, match="Your database login may not"):
                set_setting_value(as_rep, boss_id, "routing.min_score", "10")
        finally:
            as_boss.dispose()
            as_rep.dispose()
        assert [c.channel for c in list_campaigns(db)] == [CampaignChannel.WEBINAR]
        assert settings_json(db)["routing"]["min_score"] == 85
    finally:
        db.dispose()
