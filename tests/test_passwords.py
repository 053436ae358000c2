"""The cost of a password: Argon2id for new hashes, older scrypt hashes replaced at sign-in,
per-address limits on what hashes or answers about accounts, and a cap on checks at once."""
import os
import re
import shutil
import socket
import subprocess
import threading
import time
import uuid

import pytest
from werkzeug.security import generate_password_hash

from rpp import create_app, passwords
from rpp.extensions import db
from rpp.models import Account, SecurityEvent, StaffUser
from rpp.settings import DEFAULTS
from tests.helpers import (
    MISMATCH,
    NOT_A_STAFF_ACCOUNT,
    STAFF_PASSWORD,
    Portal,
    free_port,
    login,
    make_account,
    registration_form,
    send,
    settings,
    staff_login,
    visible,
)


@pytest.fixture
def account(app):
    return make_account(app)


TRY_AGAIN_LATER = "Please try again later We have received too many requests. Please try again later."
TRY_AGAIN_IN_A_MOMENT = ("Please try again in a moment We are checking many passwords just now and could not "
                         "check yours. Nothing was changed. Please try again in a moment.")
VALIDATION_OVER_LIMIT = "Error: We cannot check this just now. Please try again in a moment."


def stored_hash(user_name="jessicacamp"):
    return Account.get(Account.user_name == user_name).password_hash


# Argon2id, and scrypt hashes from before ----------------------------------------------------

def test_the_default_is_argon2id_at_owasps_parameters(tmp_path, database):
    assert DEFAULTS["PASSWORD_HASH_METHOD"] == "argon2id:m=19456,t=2,p=1"
    config = {k: v for k, v in settings(tmp_path).items() if k != "PASSWORD_HASH_METHOD"}
    app = create_app(config)
    with app.app_context():
        password_hash = passwords.hash_password("abc123")
        assert password_hash.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
        assert passwords.verify_password(password_hash, "abc123")
        assert not passwords.verify_password(password_hash, "abc124")
    db.close()


def test_a_registration_stores_an_argon2id_hash_at_the_configured_cost(app):
    make_account(app)
    with app.app_context():
        assert stored_hash().startswith("$argon2id$v=19$m=8,t=1,p=1$")
        assert "bcbs4tx9" not in stored_hash()


def test_a_scrypt_hash_still_signs_in_and_is_replaced_by_argon2id(app, portal, account):
    with app.app_context():
        Account.update(password_hash=generate_password_hash("bcbs4tx9", method="scrypt:1024:8:1")).execute()
    assert login(portal, password="wrong1").status_code == 200
    with app.app_context():
        assert stored_hash().startswith("scrypt:1024:8:1$")  # a wrong password changes nothing
    assert login(portal).status_code == 303
    with app.app_context():
        assert stored_hash().startswith("$argon2id$v=19$m=8,t=1,p=1$")
    assert login(Portal(app.test_client())).status_code == 303  # the new hash signs in


def test_a_hash_of_another_argon2id_cost_is_replaced_at_sign_in(app, account, tmp_path):
    db.close()
    stronger = create_app(settings(tmp_path, PASSWORD_HASH_METHOD="argon2id:m=16,t=2,p=1"))
    assert login(Portal(stronger.test_client())).status_code == 303
    with stronger.app_context():
        assert stored_hash().startswith("$argon2id$v=19$m=16,t=2,p=1$")
    db.close()


def test_a_staff_users_scrypt_hash_is_replaced_at_sign_in(app, portal, staff_user):
    with app.app_context():
        StaffUser.update(password_hash=generate_password_hash(STAFF_PASSWORD, method="scrypt:1024:8:1")).execute()
    assert staff_login(portal).status_code == 303
    with app.app_context():
        assert StaffUser.get().password_hash.startswith("$argon2id$")


def test_a_bad_hash_method_stops_the_start(tmp_path, database):
    with pytest.raises(ValueError, match="argon2id:m=<KiB>,t=<passes>,p=<lanes>"):
        create_app(settings(tmp_path, PASSWORD_HASH_METHOD="argon2id:m=19456"))


# Per-address limits -------------------------------------------------------------------------

def assert_try_again_later_page(response):
    assert response.status_code == 429 and TRY_AGAIN_LATER in visible(response)


def assert_try_again_later_in_place(response):
    """For htmx: the same panel without the layout, swapped in place of the page's main content."""
    body = response.get_data(as_text=True)
    assert response.status_code == 429 and "<html" not in body and TRY_AGAIN_LATER in visible(response)
    assert response.headers["HX-Retarget"] == "#main" and response.headers["HX-Reswap"] == "innerHTML"


def test_the_21st_sign_in_in_a_minute_from_one_address_is_refused(app, portal, account):
    for number in range(20):  # 20 names: each name alone would lock at the third (rpp.lockout)
        assert MISMATCH in visible(login(portal, user_name=f"nobody{number}"))
    assert_try_again_later_page(login(portal))  # even the right password: nothing is checked
    assert_try_again_later_in_place(login(portal, htmx=True))
    with app.app_context():
        assert Account.get().failed_logins == 0
    other = Portal(app.test_client())
    assert login(other, environ_base={"REMOTE_ADDR": "10.0.0.7"}).status_code == 303


def test_the_staff_sign_in_has_its_own_limit_per_address(app, portal, staff_user):
    for number in range(20):
        assert NOT_A_STAFF_ACCOUNT in visible(staff_login(portal, user_name=f"nobody{number}"))
    assert_try_again_later_page(staff_login(portal))
    assert_try_again_later_in_place(staff_login(portal, htmx=True))
    assert staff_login(Portal(app.test_client()), environ_base={"REMOTE_ADDR": "10.0.0.7"}).status_code == 303


def test_the_21st_registration_continue_in_a_minute_from_one_address_is_refused(app, portal):
    for number in range(20):
        assert portal.post("/register", registration_form(user_name=f"producer{number}")).status_code == 303
    assert_try_again_later_page(portal.post("/register", registration_form()))
    assert_try_again_later_in_place(portal.post("/register", registration_form(), htmx=True))
    assert portal.get("/register").status_code == 200  # the form itself is not limited


def test_sign_in_limits_are_settings_and_count_per_hour_too(tmp_path, database):
    app = create_app(settings(tmp_path, SIGN_IN_LIMIT_PER_ADDRESS="100 per minute;3 per hour"))
    portal = Portal(app.test_client())
    for _ in range(3):
        assert login(portal, user_name="nobody").status_code == 200
    assert_try_again_later_page(login(portal, user_name="nobody"))
    db.close()


def test_inline_validation_over_its_limit_says_so_in_the_fields_error_slot(app, portal, account):
    for _ in range(120):
        taken = portal.post("/register/validate", {"user_name": "jessicacamp"}, htmx=True, trigger="user_name")
        assert taken.status_code == 200 and "This User Name is already taken." in visible(taken)
    refused = portal.post("/register/validate", {"user_name": "jessicacamp"}, htmx=True, trigger="user_name")
    assert refused.status_code == 429 and visible(refused) == VALIDATION_OVER_LIMIT
    assert "taken" not in refused.get_data(as_text=True)
    other = Portal(app.test_client())
    answer = other.post("/register/validate", {"user_name": "jessicacamp"}, htmx=True, trigger="user_name",
                        environ_base={"REMOTE_ADDR": "10.0.0.7"})
    assert answer.status_code == 200 and "This User Name is already taken." in visible(answer)


def test_behind_a_trusted_proxy_each_producers_own_address_counts(tmp_path, database):
    app = create_app(settings(tmp_path, TRUSTED_PROXIES=1))
    portal = Portal(app.test_client())
    for _ in range(20):
        assert login(portal, user_name="nobody", headers={"X-Forwarded-For": "203.0.113.9"}).status_code == 200
    assert_try_again_later_page(login(portal, user_name="nobody", headers={"X-Forwarded-For": "203.0.113.9"}))
    assert login(portal, user_name="nobody", headers={"X-Forwarded-For": "203.0.113.10"}).status_code == 200
    db.close()


def test_without_a_trusted_proxy_x_forwarded_for_does_not_escape_the_limit(app, portal):
    for number in range(20):
        assert login(portal, user_name="nobody", headers={"X-Forwarded-For": f"203.0.113.{number}"}).status_code == 200
    assert_try_again_later_page(login(portal, user_name="nobody", headers={"X-Forwarded-For": "203.0.113.99"}))


# Shared counting in Redis -------------------------------------------------------------------

@pytest.fixture(scope="session")
def redis_url():
    """RPP_TEST_REDIS_URL (scripts/with-redis, as .ci/run starts it), else Debian's redis-server here."""
    if os.environ.get("RPP_TEST_REDIS_URL"):
        yield os.environ["RPP_TEST_REDIS_URL"]
        return
    port = free_port()
    server = subprocess.Popen([shutil.which("redis-server") or "/usr/bin/redis-server", "--port", str(port),
                               "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            assert server.poll() is None and time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)
    yield f"redis://127.0.0.1:{port}"
    server.terminate()
    server.wait(timeout=30)


@pytest.mark.slow
def test_with_redis_two_servers_count_against_one_limit(app, gunicorn, redis_url):
    """Two gunicorn servers (as two hosts) on one database and one Redis: a client that
    alternates between them is refused after 20 sign-ins in all, not 20 on each."""
    db.close()
    shared = {"FLASK_RATELIMIT_STORAGE_URI": redis_url, "FLASK_RATELIMIT_KEY_PREFIX": uuid.uuid4().hex}
    ports = [gunicorn(workers=1, **shared) for _ in range(2)]
    status, headers, body = send(ports[0], "GET", "/")
    cookie = headers["Set-Cookie"].split(";", 1)[0]
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', body).group(1)
    for number in range(20):  # 20 names: each name alone would lock at the third (rpp.lockout)
        form = {"csrf_token": token, "user_name": f"nobody{number}", "password": "wrong1"}
        status, _, body = send(ports[number % 2], "POST", "/login", form, cookie)
        assert status == 200 and "does not match your account information" in body
    for port in ports:
        status, _, body = send(port, "POST", "/login", form, cookie)
        assert status == 429 and "Please try again later" in body


# The cap on password checks at once ---------------------------------------------------------

def capped(tmp_path):
    """A portal that runs one password check at a time, with a producer who can sign in (the test's
    `database` has the demo roster)."""
    app = create_app(settings(tmp_path, PASSWORD_CHECKS_AT_ONCE=1))
    make_account(app)
    return app


def test_past_the_cap_a_sign_in_is_answered_at_once_and_nothing_is_counted(tmp_path, database, monkeypatch):
    app = capped(tmp_path)
    entered, release = threading.Event(), threading.Event()
    real_verify = passwords.Hashing.verify

    def held_verify(self, password_hash, password):
        if threading.current_thread().name == "first":
            entered.set()
            release.wait(timeout=30)
        return real_verify(self, password_hash, password)

    monkeypatch.setattr(passwords.Hashing, "verify", held_verify)
    first_status = []
    first = threading.Thread(name="first", target=lambda: first_status.append(
        login(Portal(app.test_client()), password="wrong1").status_code))
    first.start()
    assert entered.wait(timeout=30)  # the first sign-in holds the only slot
    portal = Portal(app.test_client())
    busy = login(portal)
    assert busy.status_code == 503 and busy.headers["Retry-After"] == "1"
    assert TRY_AGAIN_IN_A_MOMENT in visible(busy)
    in_place = login(portal, htmx=True)
    assert in_place.status_code == 503 and "<html" not in in_place.get_data(as_text=True)
    assert in_place.headers["HX-Retarget"] == "#main" and TRY_AGAIN_IN_A_MOMENT in visible(in_place)
    release.set()
    first.join(timeout=30)
    assert first_status == [200]
    with app.app_context():
        assert Account.get().failed_logins == 1  # the first one only
        assert SecurityEvent.select().where(SecurityEvent.kind == "login failed").count() == 1
    assert login(portal).status_code == 303  # the slot is free again
    db.close()


def test_one_sign_in_holds_one_slot_for_all_its_checks(tmp_path, database):
    app = capped(tmp_path)
    assert login(Portal(app.test_client()), user_name="nobody").status_code == 200  # two dummy checks
    assert login(Portal(app.test_client())).status_code == 303  # two checks, the hash upgrade check
    db.close()


def test_the_limiters_memory_storage_restarts_its_expiry_timer_under_a_lock():
    """limits' own memory storage can start one timer twice from two threads (a 500 under gthread):
    memory:// is the portal's locked subclass, and it keeps counting from many threads at once."""
    import threading

    from limits.storage import storage_from_string

    from rpp.extensions import ThreadSafeMemoryStorage
    storage = storage_from_string("memory://")
    assert isinstance(storage, ThreadSafeMemoryStorage)
    errors = []

    def hit(worker):
        for n in range(200):
            try:
                storage.incr(f"sign-in/{worker}/{n % 3}", 1)
            except Exception as error:
                errors.append(error)

    threads = [threading.Thread(target=hit, args=(worker,)) for worker in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sum(storage.get(f"sign-in/{worker}/{n}") for worker in range(16) for n in range(3)) == 16 * 200
