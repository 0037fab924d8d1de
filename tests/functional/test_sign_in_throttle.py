"""Sign-in throttling: by client address and by account, with growing delays; never a lock one
client can impose on someone else's account; one message whoever the address belongs to."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

from qa_audit.auth.roles import Role
from qa_audit.auth.throttle import ACCOUNT_TIERS, ADDRESS_TIERS, SIGN_IN_THROTTLED
from qa_audit.core.config import Config
from tests import factories
from tests.page_text import main_text

UNKNOWN = "nobody.here@example.org"


def attempt(client: FlaskClient, email: str, password: str, address: str):  # type: ignore[no-untyped-def]
    return client.post(
        "/sign-in",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def fail(client: FlaskClient, email: str, address: str, times: int) -> None:
    for _ in range(times):
        assert attempt(client, email, "wrong password", address).status_code == 400


def main_text_of(html: str, email: str) -> str:
    return main_text(html).replace(email, "EMAIL")


def test_wrong_passwords_from_one_client_never_lock_the_person_out(
    app: Flask, client: FlaskClient, db
) -> None:  # type: ignore[no-untyped-def]
    user = factories.user(Role.AUDITOR)
    db.session.commit()
    # Someone who knows only the e-mail address tries again and again, until throttled.
    fail(client, user.email, "203.0.113.9", ADDRESS_TIERS[0].amount)
    refused = attempt(client, user.email, "wrong password", "203.0.113.9")
    assert refused.status_code == 429
    # The person, elsewhere, still signs in.
    person = app.test_client()
    assert attempt(person, user.email, factories.PASSWORD, "198.51.100.7").status_code == 302
    assert person.get("/").status_code == 200


def test_a_throttled_client_is_refused_even_the_right_password_for_a_while(
    client: FlaskClient, db
) -> None:  # type: ignore[no-untyped-def]
    user = factories.user(Role.AUDITOR)
    other = factories.user(Role.AUDITOR)
    db.session.commit()
    fail(client, user.email, "203.0.113.9", ADDRESS_TIERS[0].amount)
    for email in (user.email, other.email):  # the address is throttled, whatever it tries
        response = attempt(client, email, factories.PASSWORD, "203.0.113.9")
        assert response.status_code == 429
        html = response.get_data(as_text=True)
        assert "govuk-error-summary" in html
        assert SIGN_IN_THROTTLED in html
    assert client.get("/").status_code == 302


def test_the_throttled_page_is_the_same_for_known_and_unknown_addresses(
    client: FlaskClient, db
) -> None:  # type: ignore[no-untyped-def]
    user = factories.user(Role.AUDITOR)
    db.session.commit()
    pages = []
    for email, address in ((user.email, "203.0.113.1"), (UNKNOWN, "203.0.113.2")):
        fail(client, email, address, ADDRESS_TIERS[0].amount)
        response = attempt(client, email, "wrong password", address)
        assert response.status_code == 429
        pages.append(main_text_of(response.get_data(as_text=True), email))
    assert pages[0] == pages[1]
    assert "locked" not in pages[0]


def test_guesses_spread_over_many_addresses_throttle_the_account_known_or_not(
    client: FlaskClient, db
) -> None:  # type: ignore[no-untyped-def]
    user = factories.user(Role.AUDITOR)
    db.session.commit()
    pages = []
    for email in (user.email, UNKNOWN):
        for n in range(ACCOUNT_TIERS[0].amount // 2):  # two guesses from each address
            fail(client, email, f"192.0.2.{n + 1}", 2)
        fresh = attempt(client, email, factories.PASSWORD, "198.51.100.200")
        assert fresh.status_code == 429
        pages.append(main_text_of(fresh.get_data(as_text=True), email))
    assert pages[0] == pages[1]


def test_successful_sign_ins_are_not_counted(app: Flask, db) -> None:  # type: ignore[no-untyped-def]
    user = factories.user(Role.AUDITOR)
    db.session.commit()
    for _ in range(ADDRESS_TIERS[0].amount * 2):
        browser = app.test_client()
        assert attempt(browser, user.email, factories.PASSWORD, "203.0.113.5").status_code == 302


def test_a_success_starts_the_accounts_count_again_but_not_the_addresss(
    app: Flask, client: FlaskClient, db
) -> None:  # type: ignore[no-untyped-def]
    user = factories.user(Role.AUDITOR)
    other = factories.user(Role.AUDITOR)
    db.session.commit()
    fail(client, user.email, "203.0.113.5", ADDRESS_TIERS[0].amount - 1)
    assert attempt(client, user.email, factories.PASSWORD, "203.0.113.5").status_code == 302
    # One good account does not let an address go on guessing at another.
    guesser = app.test_client()
    fail(guesser, other.email, "203.0.113.5", 1)
    assert attempt(guesser, other.email, "wrong password", "203.0.113.5").status_code == 429


def test_delays_grow_and_one_address_can_never_reach_an_accounts_limit() -> None:
    windows = [tier.get_expiry() for tier in ADDRESS_TIERS]
    assert windows == sorted(windows)
    assert len(set(windows)) == len(windows) >= 3
    assert [t.get_expiry() for t in ACCOUNT_TIERS] == windows
    for address, account in zip(ADDRESS_TIERS, ACCOUNT_TIERS, strict=True):
        assert address.amount < account.amount


@pytest.mark.parametrize(
    ("setting", "expected"), [(None, "memory://"), ("redis://cache:6379", "redis://cache:6379")]
)
def test_the_throttles_store_is_a_setting(
    monkeypatch: pytest.MonkeyPatch, setting: str | None, expected: str
) -> None:
    if setting is None:
        monkeypatch.delenv("QA_AUDIT_RATELIMIT_STORAGE_URI", raising=False)
    else:
        monkeypatch.setenv("QA_AUDIT_RATELIMIT_STORAGE_URI", setting)
    stored = Config().RATELIMIT_STORAGE_URI
    assert stored == expected
