"""The database schema as typed SQLAlchemy 2 models.

Later features add tables through new Alembic migrations; the names follow the
domain language of DESIGN.md §1.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from teleprospect.core.audit import AuditKind
from teleprospect.core.decisions import DecisionKind
from teleprospect.core.domain import (
    CampaignChannel,
    Disposition,
    EngagementKind,
    HistoryKind,
    ImportKind,
    ImportStatus,
    UserRole,
)
from teleprospect.core.handoff import ExportFormat, Verdict
from teleprospect.core.lifecycle import LeadStatus
from teleprospect.core.offline import OfflineOutcome
from teleprospect.store.types import UTCDateTime, utcnow

# Named constraints keep migrations (and SQLite's batch mode) deterministic.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def str_enum(enum_cls: type[StrEnum], length: int = 24) -> Enum:
    """A portable enum column: stored as its string value, checked on both databases."""
    return Enum(
        enum_cls,
        native_enum=False,
        create_constraint=True,
        length=length,
        values_callable=lambda members: [m.value for m in members],
        validate_strings=True,
        name=enum_cls.__name__.lower(),
    )


#: The leads some queue may hand out; the partial queue index holds only these, and every
#: queue query repeats this condition word for word so both databases can use the index.
QUEUE_INDEX_WHERE = "status IN ('new', 'working', 'nurture') AND do_not_call = false"


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _login_as_db_role(context: Any) -> str | None:
    """A new account's database role is named like its login (at most 63 bytes, as
    PostgreSQL's identifiers)."""
    login = context.get_current_parameters().get("login")
    return login if isinstance(login, str) and len(login.encode()) <= 63 else None


class User(Base):
    __tablename__ = "user_account"
    __table_args__ = (Index("uq_user_account_db_role", "db_role", unique=True),)

    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str] = mapped_column(String(64), unique=True)
    #: The PostgreSQL login role this person connects as (``session_user`` maps to the
    #: account through it); the login unless told otherwise. Unused on SQLite.
    db_role: Mapped[str | None] = mapped_column(String(64), default=_login_as_db_role)
    name: Mapped[str] = mapped_column(String(200))
    role: Mapped[UserRole] = mapped_column(str_enum(UserRole), default=UserRole.TELEPROSPECTOR)
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: Made by a long write still under way (the demo team being loaded): hidden.
    staged_write_id: Mapped[int | None] = mapped_column(Integer)

    def __repr__(self) -> str:
        return f"User({self.login!r}, {self.role.value})"


class Campaign(Base):
    """Where leads came from: a webinar series, a white paper, a trade show…"""

    __tablename__ = "campaign"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    channel: Mapped[CampaignChannel] = mapped_column(
        str_enum(CampaignChannel), default=CampaignChannel.OTHER
    )
    #: Whether its leads count as inbound (fresh inbound come first in the queue); None:
    #: as its channel says (forms, webinars, papers: yes).
    counts_as_inbound: Mapped[bool | None] = mapped_column(Boolean)
    #: What the campaign offered, in words a caller can use ("our paper on …").
    offer: Mapped[str] = mapped_column(Text, default="")
    #: ISO 3166 region used to read phone numbers written without a country code.
    default_region: Mapped[str] = mapped_column(String(2), default="US")
    starts_on: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: Made by a long write still under way (an import naming a new campaign): hidden.
    staged_write_id: Mapped[int | None] = mapped_column(Integer)

    leads: Mapped[list[Lead]] = relationship(back_populates="campaign")


class Lead(Base):
    __tablename__ = "lead"
    __table_args__ = (
        Index("ix_lead_status_next_action_at", "status", "next_action_at"),
        Index("ix_lead_owner_id_status", "owner_id", "status"),
        # "Show the leads of this import", a page at a time.
        Index("ix_lead_import_batch_id_id", "import_batch_id", "id"),
        # ix_lead_queue: below the class (it needs a column's DESC).
        # Fresh inbound leads, newest first (speed to lead).
        Index("ix_lead_inbound_attempts_created_at", "inbound", "attempts", "created_at"),
        # The distinct zone sets, read by a skip scan in a few hundred index seeks.
        Index("ix_lead_call_zones", "call_zones"),
        # The orders the lead list offers, each ending with the id (keyset paging); the
        # country's also serves its filter.
        Index("ix_lead_sort_name", "last_name", "first_name", "id"),
        Index("ix_lead_sort_company", "company", "id"),
        Index("ix_lead_sort_status", "status", "id"),
        Index("ix_lead_sort_score", "score", "id"),
        Index("ix_lead_sort_created_at", "created_at", "id"),
        Index("ix_lead_sort_country", "country", "id"),
        CheckConstraint("attempts >= 0", name="attempts_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    first_name: Mapped[str] = mapped_column(String(100), default="")
    last_name: Mapped[str] = mapped_column(String(100), default="")
    email: Mapped[str | None] = mapped_column(String(254), index=True)
    company: Mapped[str] = mapped_column(String(200), default="")
    title: Mapped[str] = mapped_column(String(200), default="")
    industry: Mapped[str] = mapped_column(String(100), default="")
    company_size: Mapped[int | None] = mapped_column(Integer)
    #: ISO 3166 alpha-2 code.
    country: Mapped[str | None] = mapped_column(String(2))

    phone_raw: Mapped[str] = mapped_column(String(64), default="")
    phone_e164: Mapped[str | None] = mapped_column(String(20), index=True)
    phone_extension: Mapped[str | None] = mapped_column(String(16))
    phone_valid: Mapped[bool] = mapped_column(Boolean, default=False)
    phone_type: Mapped[str | None] = mapped_column(String(24))
    #: IANA zone names, space-separated; a number may map to several (US toll-free: 42).
    phone_time_zones: Mapped[str] = mapped_column(Text, default="")

    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaign.id"), index=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    status: Mapped[LeadStatus] = mapped_column(str_enum(LeadStatus), default=LeadStatus.NEW)
    score: Mapped[int] = mapped_column(Integer, default=0)
    next_action_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    claimed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    claim_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    do_not_call: Mapped[bool] = mapped_column(Boolean, default=False)

    #: core.queue_policy.stored_priority(score, attempts, last touch): the backlog's order.
    priority: Mapped[float] = mapped_column(Float, default=0.0)
    #: The zones the lead is called in (core.call_zones.effective_call_zones): the phone's,
    #: else the campaign country's; empty: unknown local time, never called.
    call_zones: Mapped[str] = mapped_column(Text, default="")
    #: Came from a form or webinar: while untried and fresh, called before the backlog.
    inbound: Mapped[bool] = mapped_column(Boolean, default=False)
    scored_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: The scoring_rule_set version the score was computed with.
    rules_version: Mapped[int | None] = mapped_column(Integer)

    #: Where marketing said the lead came from ("Lead Source" in most CRMs).
    lead_source: Mapped[str] = mapped_column(String(200), default="")
    #: Columns of an imported file that map to no field, kept rather than thrown away.
    extra: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"))
    #: Person and company folded for duplicate detection (core.dedupe_keys.match_key).
    match_key: Mapped[str] = mapped_column(String(210), default="", index=True)
    #: Set when an import found this lead alike to another and was told to keep both.
    possible_duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("lead.id"))
    #: The long write that added the lead (see :class:`StagedWrite`): while that write is
    #: in flight nobody sees the lead. No foreign key: the write's row is deleted the moment
    #: it is done, which is what makes its leads visible all at once.
    staged_write_id: Mapped[int | None] = mapped_column(Integer)

    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    #: Optimistic concurrency: an UPDATE that finds another version raises StaleDataError.
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}

    campaign: Mapped[Campaign | None] = relationship(back_populates="leads")
    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])
    claimed_by: Mapped[User | None] = relationship(foreign_keys=[claimed_by_id])
    calls: Mapped[list[Call]] = relationship(back_populates="lead", order_by="Call.started_at")
    history: Mapped[list[LeadHistory]] = relationship(
        back_populates="lead", order_by="LeadHistory.at"
    )
    phones: Mapped[list[LeadPhone]] = relationship(
        back_populates="lead", order_by="LeadPhone.position", cascade="all, delete-orphan"
    )

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def time_zones(self) -> tuple[str, ...]:
        return tuple(self.phone_time_zones.split())

    def __repr__(self) -> str:
        return f"Lead({self.id}, {self.full_name!r}, {self.status.value})"


# The backlog of every queue, in queue order (priority DESC, id): "next lead" walks it from
# the top and stops at the first lead callable now, with no sort. Partial: leads nobody may
# call (sales-ready, handed off, disqualified, do-not-call) are not in it at all.
Index(
    "ix_lead_queue",
    Lead.priority.desc(),
    Lead.id,
    sqlite_where=text(QUEUE_INDEX_WHERE),
    postgresql_where=text(QUEUE_INDEX_WHERE),
)

# The same backlog cut by calling window and owner: one range per zone set and owner
# (nobody, or the rep), in queue order. "Next lead" merges the ranges of the zone sets open
# now, so an hour when few windows are open costs a few seeks, not a walk past every lead
# of the closed zones. The trailing columns judge a lead passed over (claimed, not due,
# out of tries) from the index alone.
Index(
    "ix_lead_zone_queue",
    Lead.call_zones,
    Lead.owner_id,
    Lead.priority.desc(),
    Lead.id,
    Lead.status,
    Lead.next_action_at,
    Lead.attempts,
    Lead.claimed_by_id,
    Lead.claim_expires_at,
    sqlite_where=text(QUEUE_INDEX_WHERE),
    postgresql_where=text(QUEUE_INDEX_WHERE),
)


class Call(Base):
    """One dial: who made it, when, how it ended."""

    __tablename__ = "call"
    __table_args__ = (
        # Both with what the reports read, so that they never touch the table: a lead's
        # first attempt and first connect; each rep's day with what rep activity sums.
        Index("ix_call_lead_id_started_at", "lead_id", "started_at", "disposition"),
        Index(
            "ix_call_user_id_started_at",
            "user_id",
            "started_at",
            "disposition",
            "duration_s",
            "ended_at",
        ),
        # The calls of a date range with their leads (connect rate by local hour).
        Index("ix_call_report", "started_at", "lead_id", "disposition"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("lead.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Empty while the call is still being made.
    disposition: Mapped[Disposition | None] = mapped_column(str_enum(Disposition))
    notes: Mapped[str] = mapped_column(Text, default="")
    #: Seconds on the line, from the call panel's timer (empty: not measured).
    duration_s: Mapped[int | None] = mapped_column(Integer)
    #: The number dialled: E.164, or as written when it has no E.164 form.
    dialed_number: Mapped[str] = mapped_column(String(64), default="")
    #: The script version the rep asked from; it stays with the call when a new one is out.
    script_version_id: Mapped[int | None] = mapped_column(ForeignKey("script_version.id"))
    #: What the rep decided at the end of the call, and the reason code or track.
    decision_kind: Mapped[DecisionKind | None] = mapped_column(str_enum(DecisionKind))
    decision_reason: Mapped[str] = mapped_column(Text, default="")
    #: The id the workstation gave the call when it was saved (a UUID): a call kept on a
    #: workstation while the server was away and sent again is recognised, never doubled.
    client_action_id: Mapped[str | None] = mapped_column(String(36), unique=True)

    lead: Mapped[Lead] = relationship(back_populates="calls")
    user: Mapped[User] = relationship()


class LeadHistory(Base):
    """Every status change and reassignment of a lead: who, when, from, to, why."""

    __tablename__ = "lead_history"
    __table_args__ = (
        Index("ix_lead_history_lead_id_at", "lead_id", "at"),
        # The reports' "made sales-ready" (kind 'status', to 'sales_ready') in a range.
        Index("ix_lead_history_report", "kind", "to_value", "at", "user_id", "lead_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("lead.id", ondelete="CASCADE"))
    #: Empty when the system made the change (an import, an expired claim).
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    kind: Mapped[HistoryKind] = mapped_column(str_enum(HistoryKind))
    from_value: Mapped[str | None] = mapped_column(String(100))
    to_value: Mapped[str | None] = mapped_column(String(100))
    reason: Mapped[str] = mapped_column(Text, default="")

    lead: Mapped[Lead] = relationship(back_populates="history")
    user: Mapped[User | None] = relationship()


class DoNotCallEntry(Base):
    """A permanent suppression of a phone number or an email address."""

    __tablename__ = "do_not_call"
    __table_args__ = (
        CheckConstraint("phone_e164 IS NOT NULL OR email IS NOT NULL", name="phone_or_email"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    phone_e164: Mapped[str | None] = mapped_column(String(20), unique=True)
    email: Mapped[str | None] = mapped_column(String(254), unique=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    added_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class LeadPhone(Base):
    """Every number a lead has (work, mobile, …); the first callable one is also on the lead."""

    __tablename__ = "lead_phone"
    __table_args__ = (
        Index("ix_lead_phone_lead_id_position", "lead_id", "position"),
        # Named by hand: the convention's name would clash with lead.phone_e164's index.
        Index("ix_lead_phone_number_e164", "e164"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("lead.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    label: Mapped[str] = mapped_column(String(40), default="")
    raw: Mapped[str] = mapped_column(String(64), default="")
    e164: Mapped[str | None] = mapped_column(String(20))
    extension: Mapped[str | None] = mapped_column(String(16))
    valid: Mapped[bool] = mapped_column(Boolean, default=False)
    number_type: Mapped[str | None] = mapped_column(String(24))
    time_zones: Mapped[str] = mapped_column(Text, default="")

    lead: Mapped[Lead] = relationship(back_populates="phones")


class ImportBatch(Base):
    """One import of one file: who, when, how it was read, and what came of every row."""

    __tablename__ = "import_batch"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ImportKind] = mapped_column(str_enum(ImportKind), default=ImportKind.LEADS)
    status: Mapped[ImportStatus] = mapped_column(
        str_enum(ImportStatus), default=ImportStatus.COMMITTED
    )
    file_name: Mapped[str] = mapped_column(String(500))
    file_sha256: Mapped[str] = mapped_column(String(64), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    #: The operating-system login that ran it, also when it is no registered user.
    login: Mapped[str] = mapped_column(String(64), default="")
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    encoding: Mapped[str] = mapped_column(String(32), default="")
    delimiter: Mapped[str] = mapped_column(String(4), default="")
    mapping: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaign.id"))
    default_region: Mapped[str] = mapped_column(String(2), default="")
    on_duplicate: Mapped[str] = mapped_column(String(16), default="")
    rows: Mapped[int] = mapped_column(Integer, default=0)
    imported: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    duplicates: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    invalid_phones: Mapped[int] = mapped_column(Integer, default=0)
    dnc: Mapped[int] = mapped_column(Integer, default=0)
    reject_file: Mapped[str] = mapped_column(String(1000), default="")
    #: Why a failed or cancelled import changed nothing.
    message: Mapped[str] = mapped_column(Text, default="")
    #: The long write (:class:`StagedWrite`) of a SQLite import still under way: the
    #: batch is hidden with its leads until the import is done (its status is the one it
    #: will have; a write that never finishes is removed with all it wrote).
    staged_write_id: Mapped[int | None] = mapped_column(Integer)
    #: When the import was undone, by whom (an account id: no foreign key, as the trail),
    #: and what the undo left as it was, and why.
    undone_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    undone_by_id: Mapped[int | None] = mapped_column(Integer)
    undo_note: Mapped[str] = mapped_column(Text, default="")


class ImportChange(Base):
    """One value an "update" import replaced on a lead that existed before it: the field,
    the value before and the value the file gave. What undoing the import puts back (when
    nobody changed the field again since); the lead's history tells it in words."""

    __tablename__ = "import_change"
    __table_args__ = (
        Index("ix_import_change_batch_id_id", "batch_id", "id"),
        Index("ix_import_change_lead_id_id", "lead_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batch.id", ondelete="CASCADE"))
    lead_id: Mapped[int] = mapped_column(ForeignKey("lead.id", ondelete="CASCADE"))
    #: A lead column ("email", "company", "extra"…), or "phone" for a number added.
    field: Mapped[str] = mapped_column(String(40))
    old: Mapped[Any] = mapped_column(JSON, nullable=True)
    new: Mapped[Any] = mapped_column(JSON, nullable=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: Put back by an undo of the import.
    undone: Mapped[bool] = mapped_column(Boolean, default=False)


class LeadMerge(Base):
    """A lead merged into another: its calls, answers, phones, history and the rest moved
    to the kept lead and its own row removed. This row stays, so its old id still leads
    somewhere ("lead 12 was merged into lead 7"), with a copy of its fields as they were.
    Ids without foreign keys, as in the audit trail: erasing the kept lead later never has
    to look through it."""

    __tablename__ = "lead_merge"
    __table_args__ = (Index("ix_lead_merge_kept_lead_id", "kept_lead_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    merged_lead_id: Mapped[int] = mapped_column(Integer, unique=True)
    kept_lead_id: Mapped[int] = mapped_column(Integer)
    merged_by_id: Mapped[int | None] = mapped_column(Integer)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: The merged lead's own fields when it was merged (name, email, company, phone…).
    merged: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class SavedMapping(Base):
    """A column mapping saved under a name for the next file of the same kind."""

    __tablename__ = "saved_mapping"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[ImportKind] = mapped_column(str_enum(ImportKind), default=ImportKind.LEADS)
    mapping: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class EngagementEvent(Base):
    """Something a lead did: a site visit, a download, an email reply, a webinar attended."""

    __tablename__ = "engagement_event"
    __table_args__ = (Index("ix_engagement_event_lead_id_occurred_at", "lead_id", "occurred_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("lead.id", ondelete="CASCADE"))
    kind: Mapped[EngagementKind] = mapped_column(str_enum(EngagementKind))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    detail: Mapped[str] = mapped_column(Text, default="")
    import_batch_id: Mapped[int | None] = mapped_column(ForeignKey("import_batch.id"))
    #: Like :attr:`Lead.staged_write_id`: hidden while the import adding it is under way.
    staged_write_id: Mapped[int | None] = mapped_column(Integer)


class ScoringRuleSet(Base):
    """One version of the team's scoring rules; the highest version is the one in force."""

    __tablename__ = "scoring_rule_set"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(Integer, unique=True)
    #: core.scoring.rules.ScoringRules.to_dict()
    rules: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    note: Mapped[str] = mapped_column(Text, default="")


class TeamSetting(Base):
    """A team-wide setting (calling hours, retry rules, routing…) as JSON; the keys, types
    and defaults are declared once in services.team_settings."""

    __tablename__ = "team_setting"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))


class CallbackEntry(Base):
    """A promised call at a set time; ``owner_id`` empty: a team callback anyone may make."""

    __tablename__ = "callback"
    __table_args__ = (
        # "Due open callbacks", oldest first: the first tier of every queue.
        Index(
            "ix_callback_open_due_at",
            "due_at",
            sqlite_where=text("done_at IS NULL"),
            postgresql_where=text("done_at IS NULL"),
        ),
        Index("ix_callback_lead_id_done_at", "lead_id", "done_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("lead.id", ondelete="CASCADE"))
    due_at: Mapped[datetime] = mapped_column(UTCDateTime)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    note: Mapped[str] = mapped_column(Text, default="")
    #: The lead asked for this time: the team's calling hours give way (the legal ones not).
    at_lead_request: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    #: Shown as the queue's reason instead of "callback due" ("responded to nurture …").
    queue_reason: Mapped[str | None] = mapped_column(String(200))


# ----------------------------------------------------------------------------- call workspace


class PublishedScript(Base):
    """One published version of the qualification script; the highest is the one in use."""

    __tablename__ = "script_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    version: Mapped[int] = mapped_column(Integer, unique=True)
    #: core.scripts.Script.to_dict()
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    published_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    note: Mapped[str] = mapped_column(Text, default="")

    published_by: Mapped[User | None] = relationship()


class CallAnswer(Base):
    """A script answer as given on one call (core.scripts.to_json form)."""

    __tablename__ = "call_answer"
    __table_args__ = (UniqueConstraint("call_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("call.id", ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(String(64))
    value: Mapped[object] = mapped_column(JSON)


class LeadAnswer(Base):
    """What is known about a lead from its calls: the latest answer to each question. A
    later call starts from these, and they feed the lead's qualification points."""

    __tablename__ = "lead_answer"
    # The unique index also serves "the answers of these leads" (lead_id first).
    __table_args__ = (UniqueConstraint("lead_id", "question_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("lead.id", ondelete="CASCADE"))
    question_id: Mapped[str] = mapped_column(String(64))
    value: Mapped[object] = mapped_column(JSON)
    #: The call it was given on (empty: the call was deleted, or it was typed elsewhere).
    call_id: Mapped[int | None] = mapped_column(ForeignKey("call.id", ondelete="SET NULL"))
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))


class NurtureTrack(Base):
    """A nurture track (core.nurture.Track.to_dict()), found by its key."""

    __tablename__ = "nurture_track"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    definition: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class NurtureEnrollment(Base):
    """A lead's place in a nurture track. At most one open enrolment per lead (ended_at
    empty); the lead's next_action_at is the due time of its next call step."""

    __tablename__ = "nurture_enrollment"
    __table_args__ = (
        Index(
            "uq_nurture_enrollment_open_lead_id",
            "lead_id",
            unique=True,
            sqlite_where=text("ended_at IS NULL"),
            postgresql_where=text("ended_at IS NULL"),
        ),
        Index("ix_nurture_enrollment_lead_id_enrolled_at", "lead_id", "enrolled_at"),
        # "Touches due" across all open enrolments, soonest first.
        Index(
            "ix_nurture_enrollment_open_next_touch_at",
            "next_touch_at",
            sqlite_where=text("ended_at IS NULL"),
            postgresql_where=text("ended_at IS NULL"),
        ),
        CheckConstraint("step_index >= 0", name="step_index_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    lead_id: Mapped[int] = mapped_column(ForeignKey("lead.id", ondelete="CASCADE"))
    track_id: Mapped[int] = mapped_column(ForeignKey("nurture_track.id"))
    enrolled_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    enrolled_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    #: Day 0 of the track: step n falls due ``day_offset`` days after it.
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime)
    #: The next step to be made (the track's length when every step is done).
    step_index: Mapped[int] = mapped_column(Integer, default=0)
    #: When that step falls due (empty: no step left).
    next_touch_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    end_reason: Mapped[str] = mapped_column(Text, default="")
    #: Paused (a response, the lead, its track or its rep away): why, and since when.
    paused_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    pause_reason: Mapped[str | None] = mapped_column(Text)
    #: The newest response (reply, click, …) already acted on: older activity never
    #: pauses the track again.
    responded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    track: Mapped[NurtureTrack] = relationship()
    enrolled_by: Mapped[User | None] = relationship()


# The lead panel shows possible duplicates both ways: "imported as a duplicate of this one"
# looks leads up by this column. Partial: few leads have it.
Index(
    "ix_lead_possible_duplicate_of_id",
    Lead.possible_duplicate_of_id,
    sqlite_where=text("possible_duplicate_of_id IS NOT NULL"),
    postgresql_where=text("possible_duplicate_of_id IS NOT NULL"),
)


# ----------------------------------------------------------------------------- team leads


class ReassignmentBatch(Base):
    """One reassignment by a team lead: which leads moved from whom to whom, undone as one."""

    __tablename__ = "reassignment_batch"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reason: Mapped[str] = mapped_column(Text, default="")
    #: core.reassignment.Spread value, or "one" for a single rep.
    spread: Mapped[str] = mapped_column(String(16), default="")
    #: The selection in words ("owner Sam Carter, status working"), for the history view.
    selection: Mapped[str] = mapped_column(Text, default="")
    moved: Mapped[int] = mapped_column(Integer, default=0)
    skipped_claimed: Mapped[int] = mapped_column(Integer, default=0)
    undone_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    undone_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    #: What the undo could not restore, and why.
    undo_note: Mapped[str] = mapped_column(Text, default="")
    #: The long write (:class:`StagedWrite`) of a SQLite reassignment still being planned.
    staged_write_id: Mapped[int | None] = mapped_column(Integer)

    moves: Mapped[list[ReassignmentMove]] = relationship(
        back_populates="batch", cascade="all, delete-orphan", order_by="ReassignmentMove.id"
    )


class ReassignmentMove(Base):
    """One lead of a reassignment: its owner before and after, and what moved with it."""

    __tablename__ = "reassignment_move"
    __table_args__ = (
        Index("ix_reassignment_move_batch_id", "batch_id"),
        Index("ix_reassignment_move_lead_id_batch_id", "lead_id", "batch_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("reassignment_batch.id", ondelete="CASCADE"))
    lead_id: Mapped[int] = mapped_column(ForeignKey("lead.id", ondelete="CASCADE"))
    from_owner_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    to_owner_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"))
    #: [[callback id, its owner before], …] for the personal callbacks that moved along.
    callbacks: Mapped[list[Any]] = mapped_column(JSON, default=list)
    #: [[enrollment id, its owner before], …] for the nurture enrollments that moved along.
    enrollments: Mapped[list[Any]] = mapped_column(JSON, default=list)
    #: Set when an undo put the lead back.
    undone: Mapped[bool] = mapped_column(Boolean, default=False)

    batch: Mapped[ReassignmentBatch] = relationship(back_populates="moves")


class HandoffBatch(Base):
    """One export of sales-ready leads to sales: who, when, which leads, which file."""

    __tablename__ = "handoff_batch"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    format: Mapped[ExportFormat] = mapped_column(str_enum(ExportFormat))
    file_path: Mapped[str] = mapped_column(String(1000), default="")
    file_sha256: Mapped[str] = mapped_column(String(64), default="")
    leads: Mapped[int] = mapped_column(Integer, default=0)
    #: The selection in words, for the batch list.
    selection: Mapped[str] = mapped_column(Text, default="")
    #: Leads exported before were exported again on purpose.
    again: Mapped[bool] = mapped_column(Boolean, default=False)
    #: The long write (:class:`StagedWrite`) that made it (the demo being loaded): hidden.
    staged_write_id: Mapped[int | None] = mapped_column(Integer)

    items: Mapped[list[HandoffItem]] = relationship(
        back_populates="batch", cascade="all, delete-orphan", order_by="HandoffItem.id"
    )


class HandoffItem(Base):
    """One lead of a hand-off, its reference for sales, and sales' verdict on it."""

    __tablename__ = "handoff_item"
    __table_args__ = (
        Index("ix_handoff_item_batch_id", "batch_id"),
        Index("ix_handoff_item_lead_id_batch_id", "lead_id", "batch_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("handoff_batch.id", ondelete="CASCADE"))
    lead_id: Mapped[int] = mapped_column(ForeignKey("lead.id", ondelete="CASCADE"))
    #: "TP-0007-000123": what sales sends back with their verdict.
    reference: Mapped[str] = mapped_column(String(32), unique=True)
    verdict: Mapped[Verdict | None] = mapped_column(str_enum(Verdict))
    verdict_reason: Mapped[str] = mapped_column(Text, default="")
    #: When sales decided (as their file says), else when it was recorded.
    verdict_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    verdict_recorded_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    verdict_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    #: "by hand", or the verdict file it came from.
    verdict_source: Mapped[str] = mapped_column(String(500), default="")

    batch: Mapped[HandoffBatch] = relationship(back_populates="items")


class AuditEntry(Base):
    """One act recorded in the append-only audit trail: who, as whom, when, from where,
    what, and the values before and after.

    Nobody but the schema owner may change or delete a row: the database refuses it
    (triggers on both databases, and no UPDATE or DELETE granted on PostgreSQL). Leads and
    users are named by id without foreign keys, so that erasing a lead or a user never
    has to touch the trail.
    """

    __tablename__ = "audit_entry"
    __table_args__ = (
        Index("ix_audit_entry_at", "at"),
        Index("ix_audit_entry_user_id_id", "user_id", "id"),
        Index("ix_audit_entry_by_user_id_id", "by_user_id", "id"),
        Index("ix_audit_entry_lead_id_id", "lead_id", "id"),
        Index("ix_audit_entry_kind_id", "kind", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: The server's clock on PostgreSQL.
    at: Mapped[datetime] = mapped_column(UTCDateTime, server_default=func.current_timestamp())
    #: The account the act was done as.
    user_id: Mapped[int | None] = mapped_column(Integer)
    #: Who really acted: the authenticated login, and their account when they have one;
    #: differs from ``user_id`` when an admin acted as someone else.
    by_user_id: Mapped[int | None] = mapped_column(Integer)
    by_login: Mapped[str] = mapped_column(String(128), default="")
    workstation: Mapped[str] = mapped_column(String(255), default="")
    kind: Mapped[AuditKind] = mapped_column(str_enum(AuditKind, length=32))
    lead_id: Mapped[int | None] = mapped_column(Integer)
    #: What was acted on, in words ("maria.lopez's role", "calling hours").
    subject: Mapped[str] = mapped_column(Text, default="")
    before: Mapped[Any] = mapped_column(JSON, nullable=True)
    after: Mapped[Any] = mapped_column(JSON, nullable=True)


# "Leads made sales-ready by this rep this week" (the workload view) reads history by user.
Index("ix_lead_history_user_id_at", LeadHistory.user_id, LeadHistory.at)


# ----------------------------------------------------------------------------- long writes


class StagedWrite(Base):
    """A long write under way on SQLite: an import or a demo load of many rows.

    SQLite has one writer at a time, so a long write runs as many short transactions
    (DESIGN.md rule 9). The rows it adds carry its id (``staged_write_id``) and stay hidden
    from every reader while this row says "staging"; one short transaction at the end
    deletes this row (or moves it on to "applying") and they all appear at once. A write
    whose process died is found here by its host and process, and its rows are removed at
    the next start or import. Rows live only while their write does; ids are never reused.
    """

    __tablename__ = "staged_write"
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(primary_key=True)
    #: What is being written, in words ("lead import", "demo data").
    kind: Mapped[str] = mapped_column(String(32))
    #: "staging": its rows are hidden; "applying": they are visible, and the changes it
    #: makes to existing leads are being applied (resumed by the next start if it dies).
    state: Mapped[str] = mapped_column(String(16), default="staging")
    #: What the write is about, for the log when it has to be removed or finished.
    about: Mapped[str] = mapped_column(String(500), default="")
    login: Mapped[str] = mapped_column(String(64), default="")
    #: The process writing it: host name, process id and its start (a pid can be reused).
    host: Mapped[str] = mapped_column(String(255), default="")
    pid: Mapped[int] = mapped_column(Integer, default=0)
    process_started: Mapped[str] = mapped_column(String(64), default="")
    started_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: Refreshed as the write goes on; what tells a dead write on another host.
    heartbeat_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class StagedLeadChange(Base):
    """A change a long write makes to a lead that existed before it (an import's "update",
    the re-scoring after new activity, a reassignment's move), kept aside while the write
    runs and applied, in short transactions, once the write's new rows are visible.
    ``change`` says what to do; the row is deleted when it is done, so a write whose
    process died is finished at the next start from what is left."""

    __tablename__ = "staged_lead_change"
    __table_args__ = (Index("ix_staged_lead_change_staged_write_id_id", "staged_write_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    staged_write_id: Mapped[int] = mapped_column(Integer)
    #: No foreign key: deleting a lead must not look through this (normally empty) table;
    #: a lead gone meanwhile is skipped when the change is applied.
    lead_id: Mapped[int] = mapped_column(Integer)
    change: Mapped[dict[str, Any]] = mapped_column(JSON)


# ----------------------------------------------------------------------------- offline work


class OfflineAction(Base):
    """A call a workstation kept in its local journal while the server was away, as it
    reached the server: applied, or held for review because the lead changed meanwhile
    (the rep and the team lead see those). Written in the same transaction as the call it
    applies, so a journal sent twice (or after a crash) never applies anything twice."""

    __tablename__ = "offline_action"
    __table_args__ = (
        Index("ix_offline_action_outcome_user_id", "outcome", "user_id"),
        Index("ix_offline_action_lead_id", "lead_id"),
    )

    #: The workstation's id of the action (a UUID), also on the call it made.
    client_action_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    #: Who did it (empty: their login matched no user when it was sent).
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    login: Mapped[str] = mapped_column(String(64), default="")
    lead_id: Mapped[int | None] = mapped_column(ForeignKey("lead.id", ondelete="SET NULL"))
    #: "call": a logged call with its answers, notes and decision.
    kind: Mapped[str] = mapped_column(String(24), default="call")
    #: When the rep did it, on the workstation's clock, and when the server got it.
    taken_at: Mapped[datetime] = mapped_column(UTCDateTime)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    #: The lead's version the rep worked from (empty: unknown, typed at the command line).
    based_on_version: Mapped[int | None] = mapped_column(Integer)
    outcome: Mapped[OfflineOutcome] = mapped_column(str_enum(OfflineOutcome))
    #: What it was, in one line ("No answer; callback Thu 26 Nov 10:00 UTC").
    summary: Mapped[str] = mapped_column(Text, default="")
    #: Why it waits for review (empty when applied straight away).
    reason: Mapped[str] = mapped_column(Text, default="")
    #: The entry as the workstation journaled it: what "apply anyway" applies.
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    call_id: Mapped[int | None] = mapped_column(ForeignKey("call.id", ondelete="SET NULL"))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
