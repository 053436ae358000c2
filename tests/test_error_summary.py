"""Every form with errors opens with a GOV.UK-style error summary whose links lead to the fields."""
import html
import re
from html.parser import HTMLParser

import pytest

from rpp.messages import text
from tests.helpers import Portal, add_staff_user, login, make_account, registration_form, staff_login

FOCUSABLE = {"input", "select", "textarea", "button"}


class Anchors(HTMLParser):
    """Elements by id, and the links inside the error summary."""

    def __init__(self):
        super().__init__()
        self.ids = {}
        self.summary_depth = 0
        self.summaries = 0
        self.links = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids[attrs["id"]] = (tag, attrs)
        if "error-summary" in (attrs.get("class") or "").split():
            self.summaries += 1
            self.summary_depth = 1
        elif self.summary_depth and tag not in ("br", "input", "img"):
            self.summary_depth += 1
            if tag == "a":
                self.links.append(attrs.get("href", ""))

    def handle_endtag(self, tag):
        if self.summary_depth:
            self.summary_depth -= 1


def assert_summary_leads_to_fields(response, at_least=1):
    assert response.status_code in (200, 400, 422), response.status_code
    page = Anchors()
    page.feed(response.get_data(as_text=True))
    # A plain POST answers with a whole page whose title says first that something is wrong (3.3.1).
    title = re.search(r"<title>(.*?)</title>", response.get_data(as_text=True)).group(1)
    assert title.startswith("Error: ") and title.count("Error") == 1, title
    assert page.summaries == 1, "one error summary"
    assert len(page.links) >= at_least, page.links
    for href in page.links:
        assert href.startswith("#"), href
        tag, attrs = page.ids.get(href[1:], (None, {}))
        assert tag in FOCUSABLE or attrs.get("tabindex") == "-1", f"{href} leads to no field ({tag})"


@pytest.fixture
def signed_in(app):
    make_account(app, states=("TX", "IL"))
    portal = Portal(app.test_client())
    login(portal)
    return portal


@pytest.fixture
def console(app):
    with app.app_context():
        add_staff_user("alice")
    portal = Portal(app.test_client())
    staff_login(portal)
    return portal


def test_a_page_without_errors_has_its_plain_title(portal):
    assert "<title>Registration – Retail Producer Portal</title>" in portal.get("/register").get_data(as_text=True)
    done = portal.post("/forgot-user-name", {"agent_id": "999999999", "email": "nobody@example.com"})
    assert "<title>Error: " not in done.get_data(as_text=True)


def page_title(response):
    return re.search(r"<title>(.*?)</title>", response.get_data(as_text=True)).group(1)


def test_a_refused_sign_in_says_error_in_the_title(app, portal):
    make_account(app)
    with app.app_context():
        add_staff_user("alice")
    producer = portal.post("/login", {"user_name": "jessicacamp", "password": "wrong1"}, follow_redirects=True)
    assert page_title(producer) == "Error: Please Sign-In – Retail Producer Portal", page_title(producer)
    staff = portal.post("/staff/login", {"user_name": "alice", "password": "wrong password"}, follow_redirects=True)
    assert page_title(staff).startswith("Error: "), page_title(staff)
    assert not page_title(portal.get("/")).startswith("Error")


def test_sign_in_with_empty_fields(portal):
    assert_summary_leads_to_fields(portal.post("/login", {}), at_least=2)


def test_registration(portal):
    assert_summary_leads_to_fields(portal.post("/register", registration_form(
        user_name="x", confirm_password="other", **{"TX-zip_code": "1", "TX-agent_id": "12"})), at_least=4)


def test_registration_without_a_state(portal):
    form = {key: value for key, value in registration_form().items() if not key.startswith("TX-")}
    assert_summary_leads_to_fields(portal.post("/register", form))


@pytest.mark.parametrize("path", ["/forgot-user-name", "/reset-password"])
def test_recovery_forms(portal, path):
    assert_summary_leads_to_fields(portal.post(path, {}))


def test_select_a_state(signed_in):
    assert_summary_leads_to_fields(signed_in.post("/select-state", {}))


def test_edit_profile(signed_in):
    signed_in.post("/select-state", {"state": "TX"})
    assert_summary_leads_to_fields(signed_in.post("/account/profile", {"zip_code": "1", "phone": "2"}),
                                   at_least=3)


def test_change_password(signed_in):
    signed_in.post("/select-state", {"state": "TX"})
    assert_summary_leads_to_fields(signed_in.post("/account/change-password", {}), at_least=3)


def test_register_for_another_state(signed_in):
    signed_in.post("/select-state", {"state": "TX"})
    assert_summary_leads_to_fields(signed_in.post("/account/register-another-state", {}))
    assert_summary_leads_to_fields(signed_in.post("/account/register-another-state",
                                                  {"MT-register": "y", "MT-zip_code": "1"}), at_least=2)


def test_staff_sign_in_with_empty_fields(portal):
    assert_summary_leads_to_fields(portal.post("/staff/login", {}), at_least=2)


def test_staff_reject_without_a_reason(app, console):
    make_account(app, activate=False)
    producer = re.search(r'href="(/staff/producers/\d+)"', console.get("/staff/").get_data(as_text=True)).group(1)
    action = re.search(r'action="(/staff/registrations/\d+/reject)"', console.get(producer).get_data(as_text=True))
    assert_summary_leads_to_fields(console.post(action.group(1), {}))


def test_staff_reject_selected_without_a_reason(app, console):
    make_account(app, activate=False)
    registration = re.search(r'name="registration" value="(\d+)"', console.get("/staff/").get_data(as_text=True))
    assert_summary_leads_to_fields(console.post("/staff/registrations/bulk", {
        "registration": registration.group(1), "action": "reject", "reason": ""}))


def test_staff_bulk_without_a_selection(app, console):
    make_account(app, activate=False)
    assert_summary_leads_to_fields(console.post("/staff/registrations/bulk", {"action": "activate"}))


def test_staff_user_without_a_name_or_password(console):
    assert_summary_leads_to_fields(console.post("/staff/users", {"role": "clerk"}))


def test_staff_roster_upload_without_a_file(console):
    assert_summary_leads_to_fields(console.post("/staff/roster", {}))


def summary_links(response):
    """The error summary's links as (words, href), in the page's order."""
    body = response.get_data(as_text=True)
    summary = re.search(r'<div class="error-summary".*?</ul>', body, re.S).group(0)
    return [(html.unescape(words), href) for href, words in re.findall(r'<a href="([^"]+)">(.*?)</a>', summary)]


def test_registration_summary_names_the_state_and_follows_the_page(portal):
    form = registration_form(states=("TX", "IL"), first_name="", user_name="j!", **{
        "TX-city": "", "TX-zip_code": "1", "TX-agent_id": "12", "TX-email": "", "IL-city": ""})
    assert summary_links(portal.post("/register", form)) == [
        ("Please enter your First Name.", "#first_name"),
        (text("field.user_name"), "#user_name"),
        ("Illinois: Please enter your City.", "#IL-city"),
        ("Texas: Please enter your City.", "#TX-city"),
        (f"Texas: {text('field.zip_code')}", "#TX-zip_code"),
        ("Texas: Agent Unique ID must be exactly 9 digits.", "#TX-agent_id"),
        ("Texas: Please enter your E-mail Address.", "#TX-email"),
    ]


def test_register_for_another_state_summary_names_the_state_and_follows_the_page(signed_in):
    signed_in.post("/select-state", {"state": "TX"})
    form = {"OK-register": "y", "OK-city": "", "OK-zip_code": "1", "MT-register": "y", "MT-phone": "2"}
    links = summary_links(signed_in.post("/account/register-another-state", form))
    assert [words for words, _ in links] == [
        "Montana: Please enter your Address 1.", "Montana: Please enter your City.",
        "Montana: Please enter your Zip Code.", "Montana: Please enter your Agent Unique ID.",
        f"Montana: {text('field.phone')}", "Montana: Please enter your E-mail Address.",
        "Oklahoma: Please enter your Address 1.", "Oklahoma: Please enter your City.",
        f"Oklahoma: {text('field.zip_code')}", "Oklahoma: Please enter your Agent Unique ID.",
        "Oklahoma: Please enter your Phone.", "Oklahoma: Please enter your E-mail Address.",
    ]
    assert links[0][1] == "#MT-address_1" and links[-1][1] == "#OK-email"


def test_edit_profile_summary_names_the_state_and_follows_the_page(signed_in):
    signed_in.post("/select-state", {"state": "TX"})
    form = {"address_1": "1 Main St", "city": "", "address_state": "TX", "zip_code": "1", "phone": "(815) 555-1212",
            "email": "new.address@example.com"}
    assert summary_links(signed_in.post("/account/profile", form)) == [
        ("Texas: Please enter your City.", "#city"),
        (f"Texas: {text('field.zip_code')}", "#zip_code"),
        (text("profile.email_change_needs_password"), "#password"),
    ]
