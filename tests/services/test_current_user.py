"""Issue: the login is read from the operating system itself, not from ``$USER`` or
``$LOGNAME``: setting an environment variable proves nothing."""

from __future__ import annotations

import os
import pwd

import pytest

from teleprospect.services.identity import current_user


def test_the_computer_account_comes_from_the_real_user_id_not_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("USER", "LOGNAME", "USERNAME", "LNAME"):
        monkeypatch.setenv(name, "maria.lopez")
    assert current_user.os_login() == pwd.getpwuid(os.getuid()).pw_name != "maria.lopez"


def test_an_account_without_a_password_entry_is_named_by_its_number(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def missing(uid: int) -> pwd.struct_passwd:
        raise KeyError(uid)

    monkeypatch.setattr(pwd, "getpwuid", missing)
    monkeypatch.setenv("USER", "maria.lopez")
    assert current_user.os_login() == f"uid-{os.getuid()}"
