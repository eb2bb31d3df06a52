"""The small fixed vocabularies of the domain (see DESIGN.md §1)."""

from __future__ import annotations

from enum import StrEnum


class UserRole(StrEnum):
    TELEPROSPECTOR = "teleprospector"
    TEAM_LEAD = "team_lead"

    @property
    def label(self) -> str:
        return {"teleprospector": "Teleprospector", "team_lead": "Team lead"}[self.value]


class CampaignChannel(StrEnum):
    WEBINAR = "webinar"
    WHITE_PAPER = "white_paper"
    TRADE_SHOW = "trade_show"
    CONTACT_FORM = "contact_form"
    EMAIL = "email"
    OTHER = "other"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class Disposition(StrEnum):
    """The outcome of one dial."""

    CONNECTED = "connected"
    NO_ANSWER = "no_answer"
    VOICEMAIL_LEFT = "voicemail_left"
    BUSY = "busy"
    WRONG_NUMBER = "wrong_number"
    GATEKEEPER = "gatekeeper"
    CALLBACK_REQUESTED = "callback_requested"
    NOT_INTERESTED = "not_interested"
    DO_NOT_CALL = "do_not_call"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class HistoryKind(StrEnum):
    """What a lead-history row records."""

    STATUS = "status"
    OWNER = "owner"
    DO_NOT_CALL = "do_not_call"
    #: Enrolled in a nurture track, moved to another, or left it.
    NURTURE = "nurture"
    #: A callback promised (or its time changed).
    CALLBACK = "callback"
    #: A contact field edited by hand (from: old value, to: new value).
    CONTACT = "contact"
    #: A value an import filled in over another (from: old value, to: new value), or put
    #: back when that import was undone.
    IMPORT = "import"
    #: Another lead merged into this one (from: its id, to: this lead's).
    MERGE = "merge"


class EngagementKind(StrEnum):
    """What a lead did, as marketing tools report it."""

    SITE_VISIT = "site_visit"
    DOWNLOAD = "download"
    EMAIL_OPEN = "email_open"
    EMAIL_CLICK = "email_click"
    EMAIL_REPLY = "email_reply"
    FORM_SUBMIT = "form_submit"
    WEBINAR_REGISTERED = "webinar_registered"
    WEBINAR_ATTENDED = "webinar_attended"
    EVENT_VISIT = "event_visit"
    OTHER = "other"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


class ImportKind(StrEnum):
    LEADS = "leads"
    ACTIVITY = "activity"


class ImportStatus(StrEnum):
    COMMITTED = "committed"
    DRY_RUN = "dry_run"
    FAILED = "failed"
    CANCELLED = "cancelled"


class DuplicatePolicy(StrEnum):
    """What an import does with a row that matches an existing lead."""

    SKIP = "skip"
    UPDATE = "update"
    MARK = "mark"
