"""This workstation's preferences, declared once with their types and defaults.

Team-wide settings (calling hours, scoring rules, scripts, tracks) live in the database;
what belongs to one desk, such as the softphone the rep dials with, is kept in QSettings.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from PySide6.QtCore import QSettings

from teleprospect.core.errors import Invalid

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Preference(Generic[T]):
    key: str
    default: T
    label: str
    help: str = ""

    def read(self, settings: QSettings | None = None) -> T:
        settings = settings or QSettings()
        value = settings.value(self.key, self.default)
        return type(self.default)(value) if value is not None else self.default  # type: ignore[call-arg]

    def write(self, value: T, settings: QSettings | None = None) -> None:
        (settings or QSettings()).setValue(self.key, value)


#: How a number is dialled: the link opened through the operating system's handler.
#: ``{number}`` is the number in E.164 (+4930123456), ``{digits}`` the same without "+".
CALL_LINK = Preference(
    "call/linkTemplate",
    "tel:{number}",
    "Call link",
    "tel:{number} for the system's phone app; sip:{number}, callto:{number} or a "
    "softphone's own scheme work too. {digits} is the number without the plus sign.",
)


class CallLinkError(Invalid):
    pass


def call_link(template: str, number: str) -> str:
    """The link that dials ``number`` (E.164) with ``template``."""
    if "{number}" not in template and "{digits}" not in template:
        raise CallLinkError("The call link must contain {number} or {digits}.")
    if ":" not in template.split("{", 1)[0]:
        raise CallLinkError("The call link must start with a scheme such as tel: or sip:.")
    digits = number.lstrip("+")
    try:
        return template.format(number=number, digits=digits)
    except (KeyError, IndexError, ValueError) as error:
        raise CallLinkError(f"The call link has an unknown placeholder: {error}.") from None
