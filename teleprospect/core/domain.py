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
