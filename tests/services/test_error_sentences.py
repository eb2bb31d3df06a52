"""Issue 13: a database error is told by the first line of the driver's message: never the
statement, its parameters (the leads' emails and phones) or the server's DETAIL."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError, OperationalError

from teleprospect.services.errors import user_message
from teleprospect.store.database import first_line

STATEMENT = "INSERT INTO lead (email, phone_e164) VALUES (%(email)s, %(phone)s)"
PARAMETERS = {"email": "anna@example.com", "phone": "+4930901820"}


class DriverError(Exception):
    """What psycopg raises: the primary message, then DETAIL and HINT lines."""


def test_a_refused_change_is_told_without_the_statement_its_values_or_detail() -> None:
    orig = DriverError(
        'duplicate key value violates unique constraint "lead_email_key"\n'
        "DETAIL:  Key (email)=(anna@example.com) already exists."
    )
    error = IntegrityError(STATEMENT, PARAMETERS, orig)
    assert "anna@example.com" in str(error) and "INSERT" in str(error)  # what we must hide
    text = user_message(error)
    assert text.startswith(
        "The database refused the change: duplicate key value violates unique constraint "
        '"lead_email_key"'
    )
    for hidden in ("anna@example.com", "+4930901820", "INSERT", "DETAIL", "[SQL", "\n"):
        assert hidden not in text


def test_a_lost_server_is_one_line_even_when_the_driver_says_it_in_one() -> None:
    error = OperationalError(STATEMENT, PARAMETERS, DriverError("server closed the connection"))
    assert first_line(error) == "server closed the connection"
    text = user_message(error)
    assert text.startswith("The database could not be used: server closed the connection")
    assert "INSERT" not in text and "anna@" not in text


def test_an_error_without_a_driver_keeps_only_its_first_line_cut_to_size() -> None:
    assert first_line(ValueError("c" * 10_000 + "\nsecond")).endswith("…")
    assert len(first_line(ValueError("c" * 10_000))) <= 300
    assert first_line(ValueError("bad \x1b[2Jvalue\nsecond line")) == "bad value"
