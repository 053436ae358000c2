"""The lockout reveals nothing: failures counted per user name as typed, whether or not an account has it."""
import threading
from datetime import timedelta

import pytest

from rpp import clock
from rpp.auth import service as auth
from rpp.models import Account, FailedSignIn, SecurityEvent, StaffUser
from tests.helpers import (
    LOCKED,
    MISMATCH,
    NOT_A_STAFF_ACCOUNT,
    STAFF_LOCKED,
    Browser,
    Portal,
    add_staff_user,
    comparable,
    login,
    make_account,
    staff_login,
    visible,
)

# Three names of the same length, so the echoed user name cannot change the Content-Length.
REAL, WRONG_CASE, UNKNOWN = "jessicacamp", "JessicaCamp", "nobodyhere1"


@pytest.fixture
def account(app):
    return make_account(app, user_name=REAL)


def attempts(app, user_name, count, password="wrong1", sign_in=login):
    """`count` wrong sign-ins with one user name from one browser; every answer."""
    portal = Portal(app.test_client())
    return [sign_in(portal, user_name=user_name, password=password) for _ in range(count)]


def test_unknown_and_wrong_case_names_lock_on_the_same_attempt_as_a_real_account(app, account):
    answers = {name: attempts(app, name, 4) for name in (REAL, WRONG_CASE, UNKNOWN)}
    for attempt in range(4):
        real = comparable(answers[REAL][attempt], typed=[REAL])
        assert comparable(answers[WRONG_CASE][attempt], typed=[WRONG_CASE]) == real
        assert comparable(answers[UNKNOWN][attempt], typed=[UNKNOWN]) == real
    assert [MISMATCH in visible(r) for r in answers[UNKNOWN]] == [True, True, False, False]
    assert all(LOCKED in visible(r) for r in answers[UNKNOWN][2:])
    # The typed names are not stored, only a keyed hash of each.
    keys = [row.name_key for row in FailedSignIn.select()]
    assert len(keys) == 2 and not {WRONG_CASE, UNKNOWN} & set(keys)


def test_a_locked_unknown_name_costs_the_same_hash_checks(app, account, monkeypatch):
    attempts(app, UNKNOWN, 3)
    attempts(app, REAL, 3)
    calls = []
    real = auth.verify_password
    monkeypatch.setattr(auth, "verify_password", lambda h, p: calls.append(h) or real(h, p))
    attempts(app, UNKNOWN, 1)
    unknown_calls = len(calls)
    calls.clear()
    attempts(app, REAL, 1)
    assert unknown_calls == len(calls) == 2


def test_an_unknown_names_lock_expires_like_an_accounts_and_its_counter_is_purged(app, account, monkeypatch):
    attempts(app, UNKNOWN, 3)
    attempts(app, REAL, 3)
    start = clock.utcnow()
    monkeypatch.setattr(clock, "utcnow", lambda: start + timedelta(minutes=59))
    assert LOCKED in visible(attempts(app, UNKNOWN, 1)[0]) and LOCKED in visible(attempts(app, REAL, 1)[0])
    monkeypatch.setattr(clock, "utcnow", lambda: start + timedelta(minutes=59 + 61))
    real, unknown = attempts(app, REAL, 1)[0], attempts(app, UNKNOWN, 1)[0]
    assert comparable(unknown, typed=[UNKNOWN]) == comparable(real, typed=[REAL])
    assert MISMATCH in visible(unknown)
    assert [row.failed_logins for row in FailedSignIn.select()] == [1]  # the expired row went, a new one began


def test_failures_older_than_the_lockout_time_are_forgotten_for_every_name(app, account, monkeypatch):
    attempts(app, UNKNOWN, 2)
    attempts(app, REAL, 2)
    start = clock.utcnow()
    monkeypatch.setattr(clock, "utcnow", lambda: start + timedelta(minutes=61))
    real, unknown = attempts(app, REAL, 1)[0], attempts(app, UNKNOWN, 1)[0]
    assert MISMATCH in visible(real) and MISMATCH in visible(unknown)
    assert Account.get().failed_logins == 1 and not Account.get().is_locked()
    assert [row.failed_logins for row in FailedSignIn.select()] == [1]


def test_concurrent_wrong_passwords_for_an_unknown_name_lose_no_increment(app, account, live_server):
    browsers = [Browser(live_server) for _ in range(20)]
    statuses = [None] * 20
    threads = [threading.Thread(target=lambda i=i: statuses.__setitem__(
        i, browsers[i].post("/login", {"user_name": UNKNOWN, "password": "wrong1"})))
        for i in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * 20
    with app.app_context():
        assert FailedSignIn.get().failed_logins == 20 and FailedSignIn.get().locked_until is not None
        # Exactly the threshold of attempts were judged; the other 17 met the lock.
        assert SecurityEvent.select().where(SecurityEvent.kind == "login failed").count() == 3
        assert SecurityEvent.select().where(SecurityEvent.kind == "login refused: account locked").count() == 17


# Staff sign-in: the same per-name counting (staff user names ignore case, so the name counts lower-cased).

@pytest.fixture
def staff_user(app):
    with app.app_context():
        return add_staff_user("alice").user_name


def test_unknown_staff_names_lock_on_the_same_attempt_as_a_staff_user(app, staff_user):
    answers = {name: attempts(app, name, 4, password="wrong password!", sign_in=staff_login)
               for name in ("alice", "zelda", "ZELDA")}
    for attempt in range(4):
        real = comparable(answers["alice"][attempt], typed=["alice"])
        assert comparable(answers["zelda"][attempt], typed=["zelda"]) == real
    assert [NOT_A_STAFF_ACCOUNT in visible(r) for r in answers["zelda"]] == [True, True, False, False]
    # "ZELDA" is the same staff user name as "zelda": its attempts met zelda's lock.
    assert all(STAFF_LOCKED in visible(r) for r in answers["ZELDA"])


def test_staff_unlock_by_cli(app, staff_user, runner):
    attempts(app, "alice", 3, password="wrong password!", sign_in=staff_login)
    assert StaffUser.get().is_locked()
    result = runner.invoke(args=["staff", "unlock", "ALICE"])
    assert result.exit_code == 0 and "Unlocked staff user alice." in result.output
    assert staff_login(Portal(app.test_client())).status_code == 303
    assert SecurityEvent.select().where(SecurityEvent.kind == "staff user unlocked",
                                        SecurityEvent.detail == "staff user alice (by cli)").exists()


def test_staff_unlock_of_an_unknown_staff_user_is_an_error(runner):
    result = runner.invoke(args=["staff", "unlock", "nobody"])
    assert result.exit_code != 0 and "No staff user named 'nobody'." in result.output
