"""Staff users and roles: Clerk (queue, search, unlock, revoke) and Admin (also staff users and the
roster); admins create staff users with an initial password that must be changed, disable, enable and
unlock them."""
import re

import pytest

from rpp.models import SecurityEvent, StaffSession, StaffUser
from tests.helpers import STAFF_PASSWORD, Portal, add_staff_user, set_up_two_step, staff_login, visible

NEW_PASSWORD = "a brand new passphrase"


@pytest.fixture
def clerk(app, staff_user):
    """A clerk's browser (alice, the first staff user, is the admin)."""
    with app.app_context():
        add_staff_user("carol")
    portal = Portal(app.test_client())
    assert staff_login(portal, user_name="carol").status_code == 303
    return portal


def test_the_first_staff_user_is_an_admin_and_the_next_a_clerk_unless_asked(app, runner):
    runner.invoke(args=["staff", "create", "alice", "--password", STAFF_PASSWORD])
    second = runner.invoke(args=["staff", "create", "bob", "--password", STAFF_PASSWORD])
    third = runner.invoke(args=["staff", "create", "dana", "--password", STAFF_PASSWORD, "--admin"])
    assert "Staff user bob created as clerk" in second.output and "created as admin" in third.output
    assert {u.user_name: u.role for u in StaffUser.select()} == {"alice": "admin", "bob": "clerk", "dana": "admin"}


def test_a_clerk_works_the_queue_but_not_staff_users_or_the_roster(clerk):
    assert clerk.get("/staff/").status_code == 200
    assert clerk.get("/staff/producers?q=x").status_code == 200
    menu = clerk.get("/staff/").get_data(as_text=True)
    assert 'href="/staff/roster"' not in menu and 'href="/staff/users"' not in menu
    for method, path in [("get", "/staff/users"), ("post", "/staff/users"), ("get", "/staff/roster"),
                         ("post", "/staff/roster"), ("post", "/staff/roster/apply")]:
        response = getattr(clerk, method)(path)
        assert response.status_code == 403, path
        assert "Only a console admin can manage staff users and upload the roster." in visible(response)


def test_an_admin_creates_a_clerk_who_must_change_the_initial_password(app, console):
    page = console.get("/staff/users")
    assert "Add a staff user" in visible(page)
    response = console.post("/staff/users", {"user_name": "Erin", "role": "clerk", "password": STAFF_PASSWORD})
    assert response.status_code == 303 and response.headers["Location"] == "/staff/users"
    seen = visible(console.get("/staff/users"))
    assert ("Staff user erin created as clerk. They must change the initial password when they first sign in."
            in seen)
    assert "erin Clerk Active; initial password not changed yet" in seen
    erin = Portal(app.test_client())
    signed_in = staff_login(erin, user_name="erin")
    assert signed_in.headers["Location"] == "/staff/password"
    assert erin.get("/staff/").headers["Location"] == "/staff/password"  # nothing else first
    assert "You signed in with an initial password an admin set." in visible(erin.get("/staff/password"))
    same = erin.post("/staff/password", {"current_password": STAFF_PASSWORD, "new_password": STAFF_PASSWORD,
                                         "confirm_password": STAFF_PASSWORD})
    assert "The new password must differ from the current one." in visible(same)
    changed = erin.post("/staff/password", {"current_password": STAFF_PASSWORD, "new_password": NEW_PASSWORD,
                                            "confirm_password": NEW_PASSWORD})
    assert changed.status_code == 303 and changed.headers["Location"] == "/staff/"
    assert erin.get("/staff/").headers["Location"] == "/staff/two-step/set-up"  # then two-step, before the queue
    set_up_two_step(erin, "/staff/two-step")
    assert erin.get("/staff/").status_code == 200
    assert not StaffUser.get(StaffUser.user_name == "erin").must_change_password
    again = staff_login(Portal(app.test_client()), user_name="erin", password=NEW_PASSWORD)
    assert again.status_code == 303 and again.headers["Location"] == "/staff/"


@pytest.mark.parametrize("data, field, message", [
    ({"user_name": "", "password": STAFF_PASSWORD}, "user_name", "Please enter a user name."),
    ({"user_name": "a b", "password": STAFF_PASSWORD}, "user_name", "A staff user name must be 3 to 30"),
    ({"user_name": "ALICE", "password": STAFF_PASSWORD}, "user_name",
     "A staff user named &#39;alice&#39; already exists."),
    ({"user_name": "erin", "password": "short"}, "password", "A staff password must be 12 to 128 characters."),
])
def test_a_bad_staff_user_is_refused_beside_its_field(console, data, field, message):
    response = console.post("/staff/users", {"role": "clerk", **data})
    assert response.status_code == 200
    assert re.search(rf'id="{field}-error"[^>]*>.*{re.escape(message)}', response.get_data(as_text=True))
    assert StaffUser.select().count() == 1


def test_a_disabled_staff_user_is_signed_out_and_cannot_sign_in_until_enabled(app, console, clerk):
    carol = StaffUser.get(StaffUser.user_name == "carol")
    response = console.post(f"/staff/users/{carol.id}/disable")
    assert response.status_code == 303 and "carol disabled." in visible(console.get("/staff/users"))
    assert clerk.get("/staff/").status_code == 302  # the session ended
    assert StaffSession.select().where(StaffSession.staff_user == carol.id).count() == 0
    refused = staff_login(Portal(app.test_client()), user_name="carol")
    assert "This staff account is disabled. Please ask a console administrator to enable it." in visible(refused)
    console.post(f"/staff/users/{carol.id}/enable")
    assert staff_login(Portal(app.test_client()), user_name="carol").status_code == 303
    kinds = [e.kind for e in SecurityEvent.select().where(SecurityEvent.kind.startswith("staff user"))]
    assert kinds == ["staff user created", "staff user created", "staff user disabled", "staff user enabled"]


def test_an_admin_unlocks_a_locked_staff_user(app, console):
    with app.app_context():
        add_staff_user("carol")
    for _ in range(3):
        staff_login(Portal(app.test_client()), user_name="carol", password="wrong password")
    carol = StaffUser.get(StaffUser.user_name == "carol")
    assert "carol Clerk Locked until" in visible(console.get("/staff/users"))
    console.post(f"/staff/users/{carol.id}/unlock")
    assert "Unlocked carol." in visible(console.get("/staff/users"))
    assert staff_login(Portal(app.test_client()), user_name="carol").status_code == 303


def test_an_admin_cannot_disable_themselves(console):
    alice = StaffUser.get(StaffUser.user_name == "alice")
    assert console.post(f"/staff/users/{alice.id}/disable").status_code == 404
    assert not StaffUser.get_by_id(alice.id).disabled
