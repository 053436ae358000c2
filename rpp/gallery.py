"""Template gallery for designers: every page, partial and e-mail in each of its states, as static files.

`flask --app app gallery OUTDIR` builds a throwaway portal (SQLite in a temporary folder, sample
producers registered through the real forms), walks it with the Flask test client the way producers
and Producer Services do, and saves each state it meets: full pages, htmx fragments (shown inside a
bare page with the portal's CSS), and the e-mails as sent. index.html lists every state with the
templates that drew it and how to reach it in the running portal. With Chromium at /usr/bin/chromium
and Playwright installed (the `test` extra), each file also gets a PNG screenshot.
"""
import html
import io
import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from datetime import timedelta
from urllib.parse import quote

import click
from flask import current_app, template_rendered
from flask.cli import with_appcontext
from jinja2 import meta

from . import clock
from .extensions import db

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update"]
SAMPLE_PASSWORD = "abc123"
STAFF_PASSWORD = "gallery staff password"
SAMPLE_ROSTER = """state,agent_id,first_name,last_name
TX,999999999,Jessica,Camp
IL,111111111,Jessica,Camp
MT,222222222,Jessica,Camp
TX,999999998,Demo,Producer
IL,111111112,Demo,Producer
OK,444444445,Nora,Newman
NM,333333334,Nora,Newman
NM,333333333,Larry,Locke
IL,100000001,Alex,Allen
MT,200000001,Alex,Allen
NM,300000001,Alex,Allen
OK,400000001,Alex,Allen
TX,900000001,Alex,Allen
"""
BAD_ROSTER = "state,agent_id\nTX,12345\nZZ,999999999\n"
# Every page extends base.html and draws its fields with the macros; the index says so once.
EVERYWHERE = {"base.html", "_macros.html"}
AREAS = ["Sign-in", "Registration", "Recovery", "Signed in", "Edit Profile", "Producer Services console",
         "Errors", "E-mails"]


@dataclass
class Shot:
    """One state of one template, saved as <slug>.html (and <slug>.png)."""
    slug: str
    title: str
    area: str
    kind: str                 # "page", "fragment" or "e-mail"
    how: str                  # how to see it in the running portal
    templates: list = field(default_factory=list)
    text: str = ""            # an e-mail's plain-text body


def sample_registration(user_name, first_name, last_name, agent_ids, **overrides):
    """What the registration form posts for these BCBS states ({"TX": "999999999", …})."""
    data = {"first_name": first_name, "last_name": last_name, "user_name": user_name,
            "password": SAMPLE_PASSWORD, "confirm_password": SAMPLE_PASSWORD}
    for code, agent_id in agent_ids.items():
        data.update({f"{code}-register": "y", f"{code}-company_name": f"{last_name} Insurance Agency",
                     f"{code}-address_1": "123 Test St", f"{code}-address_2": "Suite 200",
                     f"{code}-city": "Testville", f"{code}-address_state": code, f"{code}-zip_code": "99999",
                     f"{code}-agent_id": agent_id, f"{code}-phone": "(815) 555-1212",
                     f"{code}-email": f"{user_name}@example.com"})
    data.update(overrides)
    return data


def state_details(**overrides):
    """The Edit Profile form's fields."""
    data = {"company_name": "Camp Insurance Agency", "address_1": "500 Main St", "address_2": "",
            "city": "Dallas", "address_state": "TX", "zip_code": "75201", "phone": "(214) 555-0100",
            "email": "jessica.camp@example.com"}
    data.update(overrides)
    return data


class Visitor:
    """One browser (a test client with its own cookies) that files what it sees in the gallery."""

    def __init__(self, gallery):
        self.gallery = gallery
        self.client = gallery.app.test_client()

    def get(self, path, htmx=False):
        return self.request("GET", path, htmx=htmx)

    def post(self, path, data=None, htmx=False, trigger=None):
        return self.request("POST", path, data=data or {}, htmx=htmx, trigger=trigger)

    def request(self, method, path, data=None, htmx=False, trigger=None):
        headers = {"HX-Request": "true"} if htmx else {}
        if trigger:
            headers["HX-Trigger-Name"] = trigger
        self.gallery.rendered.clear()
        # buffered: the response is closed at once, so e-mails queued by it go out now.
        response = self.client.open(path, method=method, data=data, headers=headers, buffered=True)
        if response.status_code in (301, 302, 303) and not htmx:
            return self.get(response.headers["Location"])
        return response

    def page(self, slug, title, area, how, response):
        """File a full page (or an htmx fragment) the last request answered with."""
        self.gallery.add(slug, title, area, how, response)
        return response

    def fragment(self, slug, title, area, how, response, slot=None):
        self.gallery.add(slug, title, area, how, response, kind="fragment", slot=slot)
        return response

    def sign_in(self, user_name, password=SAMPLE_PASSWORD):
        return self.post("/login", {"user_name": user_name, "password": password})


class Gallery:
    """Walks a throwaway portal and keeps every state it sees."""

    def __init__(self, app):
        self.app = app
        self.shots = []
        self.files = {}           # slug -> HTML to write
        self.rendered = []        # templates rendered by the current request
        self.mail_templates = []  # e-mail templates rendered since the last e-mails were filed
        self.mail_seen = 0
        template_rendered.connect(self.record, app)

    def record(self, sender, template, context, **extra):
        if template.name.startswith("email/"):
            if template.name.endswith(".html"):
                self.mail_templates.append(template.name)
        else:
            self.rendered.append(template.name)

    def visitor(self):
        return Visitor(self)

    def add(self, slug, title, area, how, response, kind="page", slot=None):
        if response.status_code >= 500:
            raise click.ClickException(f"{slug}: the portal answered {response.status_code}")
        body = response.get_data(as_text=True)
        if kind == "fragment":
            body = fragment_page(title, body, slot)
        self.shots.append(Shot(slug, title, area, kind, how, list(dict.fromkeys(self.rendered))))
        self.files[slug] = static_paths(body)
        self.collect_mail(how)

    def collect_mail(self, how):
        """File the e-mails sent since the last look: of each template, those of the first action that sent it."""
        outbox = self.app.extensions["mailman"].outbox
        filed = {template for shot in self.shots if shot.kind == "e-mail" for template in shot.templates}
        for message, template in zip(outbox[self.mail_seen:], self.mail_templates):
            if template in filed:
                continue
            name = template.removeprefix("email/").removesuffix(".html")
            slug = f"email-{name}"
            while slug in self.files:
                slug += "-2"
            body_html = next((content for content, mimetype in message.alternatives if mimetype == "text/html"),
                             f"<pre>{html.escape(message.body)}</pre>")
            self.shots.append(Shot(slug, f"{message.subject} (to {', '.join(message.to)})", "E-mails",
                                   "e-mail", how, [template, template.replace(".html", ".txt")], message.body))
            self.files[slug] = body_html
        self.mail_seen = len(outbox)
        self.mail_templates.clear()

    def uncovered(self):
        """Templates no state of the gallery shows (each should have one)."""
        env = self.app.jinja_env
        covered = set()
        for shot in self.shots:
            for name in shot.templates:
                covered |= template_closure(env, name)
        return sorted(name for name in env.list_templates()
                      if name.endswith((".html", ".txt")) and name not in covered)


def template_closure(env, name, seen=None):
    """A template and every template it extends, includes or imports, by name."""
    seen = set() if seen is None else seen
    if name in seen:
        return seen
    seen.add(name)
    source = env.loader.get_source(env, name)[0]
    for referenced in meta.find_referenced_templates(env.parse(source)):
        if referenced:
            template_closure(env, referenced, seen)
    return seen


def static_paths(body):
    """Point /static/… URLs at the copy of static/ beside the gallery files (no version query)."""
    return re.sub(r'((?:href|src)=")/static/([^"?]+)(\?[^"]*)?"', r'\1static/\2"', body)


def fragment_page(title, fragment, slot=None):
    """An htmx fragment inside a bare page with the portal's CSS, as it looks once swapped in."""
    if slot:
        fragment = slot.format(fragment)
    elif not fragment.lstrip().startswith(("<section", "<div id=", "<tr")):
        fragment = f'<section class="panel">{fragment}</section>'
    width = ""
    if fragment.lstrip().startswith("<tr"):  # a queue row: in its table, as wide as the console
        fragment = f'<div class="table-wrap"><table><tbody>{fragment}</tbody></table></div>'
        width = ' style="max-width:96rem"'
    return ('<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<title>{html.escape(title)} – fragment</title>'
            '<link rel="stylesheet" href="/static/css/portal.css"></head>\n'
            f'<body><main id="main"{width}>\n{fragment}\n</main></body></html>\n')


def walk(gallery):
    """Every state of every template, reached the way a person would reach it."""
    app = gallery.app
    from . import clock
    from .models import Account, OutboxMessage, StateRegistration
    from .registration import activation, roster
    from .staff import service as staff

    with app.app_context():
        roster.import_roster(SAMPLE_ROSTER)
        staff.create_staff_user("alice", STAFF_PASSWORD)

    def register(user_name, first_name, last_name, agent_ids):
        visitor = gallery.visitor()
        visitor.post("/register", sample_registration(user_name, first_name, last_name, agent_ids))
        visitor.post("/register/submit")

    def activate(user_name, state=None):
        with app.app_context():
            activation.activate(user_name, state, by="gallery")
        gallery.collect_mail(f"flask registrations activate {user_name}, or Activate in the console")

    # Sample producers, registered through the form.
    register("demoproducer", "Demo", "Producer", {"TX": "999999998", "IL": "111111112"})
    activate("demoproducer", "TX")
    register("larrylocke", "Larry", "Locke", {"NM": "333333333"})
    activate("larrylocke")
    register("alexallen", "Alex", "Allen", {"IL": "100000001", "MT": "200000001", "NM": "300000001",
                                            "OK": "400000001", "TX": "900000001"})
    activate("alexallen")

    # Sign-in
    producer = gallery.visitor()
    producer.page("sign-in", "Please Sign-In", "Sign-in", "GET /", producer.get("/"))
    producer.page("sign-in-mismatch", "Please Sign-In: wrong user name or password", "Sign-in",
                  "Login with a wrong password", producer.sign_in("demoproducer", "wrong1"))
    producer.fragment("sign-in-mismatch-fragment", "Sign-in box: wrong password (htmx)", "Sign-in",
                      "Login with a wrong password, JavaScript on",
                      producer.post("/login", {"user_name": "demoproducer", "password": "wrong1"}, htmx=True))
    producer.sign_in("larrylocke", "wrong1")
    producer.sign_in("larrylocke", "wrong2")
    producer.page("sign-in-locked", "Please Sign-In: account locked", "Sign-in",
                  "Three wrong passwords in a row", producer.sign_in("larrylocke", "wrong3"))

    # Registration
    newcomer = gallery.visitor()
    newcomer.page("registration", "Registration", "Registration", "GET /register (the Register button)",
                  newcomer.get("/register"))
    gallery.files["registration-no-js"] = re.sub(r"<script[^>]*></script>\n?", "", gallery.files["registration"])
    gallery.shots.append(Shot("registration-no-js", "Registration without JavaScript (all five states shown)",
                              "Registration", "page", "GET /register with JavaScript off",
                              gallery.shots[-1].templates))
    newcomer.page("registration-errors", "Registration: mistakes beside the fields and in the summary",
                  "Registration", "Continue with mistakes",
                  newcomer.post("/register", sample_registration(
                      "nn", "Nora", "Newman", {"OK": "444444445", "NM": "12345"}, password="abc",
                      **{"OK-zip_code": "9999", "OK-phone": "555-1212"})))
    newcomer.page("registration-no-state", "Registration: no state selected", "Registration",
                  "Continue without ticking a state",
                  newcomer.post("/register", sample_registration("noranewman", "Nora", "Newman", {})))
    newcomer.fragment("field-error", "Inline validation: a field's error (htmx)", "Registration",
                      "Leave User Name with a name already taken, JavaScript on",
                      newcomer.post("/register/validate", {"user_name": "DemoProducer"}, htmx=True,
                                    trigger="user_name"),
                      slot='<div class="field field--error"><label for="user_name">User Name</label>'
                           '<p class="field-error" id="user_name-error">{}</p>'
                           '<input class="input" id="user_name" value="DemoProducer" aria-invalid="true"></div>')
    newcomer.post("/register", sample_registration("noranewman", "Nora", "Newman",
                                                   {"OK": "444444445", "NM": "333333334"}))
    newcomer.page("registration-confirm", "Confirm Your Registration", "Registration",
                  "Continue with everything right", newcomer.get("/register/confirm"))
    newcomer.fragment("registration-confirm-fragment", "Confirm Your Registration (htmx)", "Registration",
                      "Continue, JavaScript on", newcomer.get("/register/confirm", htmx=True))
    newcomer.page("registration-submitted", "Registration Information Submitted", "Registration",
                  "Submit Registration", newcomer.post("/register/submit"))
    with app.app_context():  # one registration has waited past its promised day: overdue in the queue
        StateRegistration.update(submitted_at=clock.utcnow() - timedelta(days=4)).where(
            StateRegistration.agent_id == "444444445").execute()
    producer.page("sign-in-not-activated", "Please Sign-In: registration not yet activated", "Sign-in",
                  "Login before Producer Services activated the registration", producer.sign_in("noranewman"))

    # Recovery
    helpless = gallery.visitor()
    helpless.page("forgot-user-name", "Forgot User Name?", "Recovery", "Forgot User Name? on the sign-in page",
                  helpless.get("/forgot-user-name"))
    helpless.page("forgot-user-name-errors", "Forgot User Name? with mistakes", "Recovery",
                  "Submit with a short Agent Unique ID and no e-mail address",
                  helpless.post("/forgot-user-name", {"agent_id": "12345", "email": ""}))
    helpless.page("forgot-user-name-sent", "We sent your user name", "Recovery", "Submit",
                  helpless.post("/forgot-user-name", {"agent_id": "999999998",
                                                      "email": "demoproducer@example.com"}))
    helpless.page("reset-password", "Reset Password?", "Recovery", "Reset Password? on the sign-in page",
                  helpless.get("/reset-password"))
    helpless.page("reset-password-errors", "Reset Password? with mistakes", "Recovery",
                  "Submit with a User Name only", helpless.post("/reset-password", {"user_name": "larrylocke"}))
    reset = {"user_name": "larrylocke", "email": "larrylocke@example.com", "agent_id": ""}
    helpless.page("reset-password-sent", "We sent a temporary password", "Recovery", "Submit",
                  helpless.post("/reset-password", reset))
    helpless.fragment("reset-password-sent-fragment", "We sent a temporary password (htmx)", "Recovery",
                      "Submit, JavaScript on", helpless.post("/reset-password", reset, htmx=True))
    helpless.post("/reset-password", reset)
    helpless.page("too-many-requests", "Please try again later", "Recovery",
                  "A fourth reset for one user name within an hour", helpless.post("/reset-password", reset))
    temporary = re.search(r"Your temporary password is: ([A-Za-z0-9]+)\.",
                          app.extensions["mailman"].outbox[-1].body).group(1)

    # Forced Change Password after a temporary password
    locked_out = gallery.visitor()
    locked_out.page("change-password-required", "Change Password after a temporary password", "Edit Profile",
                    "Login with the temporary password from the e-mail",
                    locked_out.sign_in("larrylocke", temporary))

    # Signed in: Jessica Camp, active in Texas and Illinois
    register("jessicacamp", "Jessica", "Camp", {"TX": "999999999", "IL": "111111111"})
    activate("jessicacamp")
    jessica = gallery.visitor()
    jessica.page("select-state", "Select a State", "Signed in", "Login when active in several states",
                 jessica.sign_in("jessicacamp"))
    jessica.page("select-state-error", "Select a State without a choice", "Signed in",
                 "Continue without choosing", jessica.post("/select-state", {}))
    jessica.post("/select-state", {"state": "TX"})
    jessica.page("edit-profile", "Edit Profile", "Edit Profile", "Account → Edit Profile",
                 jessica.get("/account/profile"))
    jessica.page("edit-profile-errors", "Edit Profile with mistakes", "Edit Profile",
                 "Update Profile with mistakes",
                 jessica.post("/account/profile", state_details(zip_code="752", phone="555", email="jessica@")))
    jessica.fragment("field-error-profile", "Inline validation on Edit Profile (htmx)", "Edit Profile",
                     "Leave Zip Code with a mistake, JavaScript on",
                     jessica.post("/account/profile/validate", {"zip_code": "752"}, htmx=True, trigger="zip_code"),
                     slot='<p class="field-error">{}</p>')
    jessica.page("profile-updated", "Your profile has been updated", "Edit Profile", "Update Profile",
                 jessica.post("/account/profile", state_details()))
    jessica.fragment("profile-updated-fragment", "Your profile has been updated (htmx)", "Edit Profile",
                     "Update Profile, JavaScript on",
                     jessica.post("/account/profile", state_details(), htmx=True))
    jessica.page("change-password-errors", "Change Password with mistakes", "Edit Profile",
                 "Update Password with a wrong current password",
                 jessica.post("/account/change-password", {"current_password": "wrong1", "new_password": "abc",
                                                           "confirm_new_password": "abd"}))
    jessica.page("password-updated", "Your password has been updated", "Edit Profile", "Update Password",
                 jessica.post("/account/change-password", {"current_password": SAMPLE_PASSWORD,
                                                           "new_password": "newpw42",
                                                           "confirm_new_password": "newpw42"}))
    jessica.fragment("change-password-fragment", "Change Password panel with mistakes (htmx)", "Edit Profile",
                     "Update Password with mistakes, JavaScript on",
                     jessica.post("/account/change-password", {}, htmx=True))
    jessica.fragment("password-updated-fragment", "Your password has been updated (htmx)", "Edit Profile",
                     "Update Password, JavaScript on",
                     jessica.post("/account/change-password", {"current_password": "newpw42",
                                                               "new_password": "newpw43",
                                                               "confirm_new_password": "newpw43"}, htmx=True))
    jessica.page("register-another-state", "Register for Another State", "Edit Profile",
                 "Register for Another State on Edit Profile", jessica.get("/account/register-another-state"))
    jessica.page("register-another-state-errors", "Register for Another State with mistakes", "Edit Profile",
                 "Continue with mistakes",
                 jessica.post("/account/register-another-state", {"MT-register": "y", "MT-agent_id": "2222"}))
    another = {key: value for key, value in sample_registration("jessicacamp", "Jessica", "Camp",
                                                                 {"MT": "222222222"}).items() if "-" in key}
    jessica.post("/account/register-another-state", another)
    jessica.page("register-another-state-confirm", "Confirm Montana Registration Information", "Edit Profile",
                 "Continue", jessica.get("/account/register-another-state/confirm"))
    jessica.page("register-another-state-submitted", "Registration Information Submitted (another state)",
                 "Edit Profile", "Submit Registration", jessica.post("/account/register-another-state/submit"))
    jessica.page("home", "Home: active and pending states", "Signed in", "Login, then Menu → Home",
                 jessica.get("/home"))
    alex = gallery.visitor()
    alex.sign_in("alexallen")
    alex.post("/select-state", {"state": "TX"})
    alex.page("register-another-state-none-left", "Register for Another State: all five registered",
              "Edit Profile", "Register for Another State when every state is registered",
              alex.get("/account/register-another-state"))

    # Producer Services console
    console = gallery.visitor()
    console.page("staff-sign-in", "Producer Services Sign-In", "Producer Services console", "GET /staff/login",
                 console.get("/staff/login"))
    console.page("staff-sign-in-mismatch", "Producer Services Sign-In: wrong password",
                 "Producer Services console", "Login with a wrong password",
                 console.post("/staff/login", {"user_name": "alice", "password": "wrong"}))
    console.post("/staff/login", {"user_name": "alice", "password": STAFF_PASSWORD})
    console.page("staff-queue", "Pending registrations (one overdue)", "Producer Services console",
                 "Login, or Pending registrations", console.get("/staff/"))
    with app.app_context():
        pending = {r.agent_id: r.id for r in
                   StateRegistration.select().where(StateRegistration.status == "pending")}
        demo = Account.get(Account.user_name == "demoproducer").id
        larry = Account.get(Account.user_name == "larrylocke").id
    console.fragment("staff-queue-reject-error", "Queue row: Reject without a reason (htmx)",
                     "Producer Services console", "Reject with the reason empty, JavaScript on",
                     console.post(f"/staff/registrations/{pending['111111112']}/reject", {}, htmx=True))
    console.fragment("staff-queue-rejected", "Queue row: rejected (htmx)", "Producer Services console",
                     "Reject with a reason, JavaScript on",
                     console.post(f"/staff/registrations/{pending['111111112']}/reject",
                                  {f"registration-{pending['111111112']}-reason":
                                   "The Agent Unique ID belongs to another producer."}, htmx=True))
    console.fragment("staff-queue-activated", "Queue row: activated (htmx)", "Producer Services console",
                     "Activate, JavaScript on",
                     console.post(f"/staff/registrations/{pending['333333334']}/activate", htmx=True))
    console.page("staff-queue-notice", "Pending registrations after Activate (no JavaScript)",
                 "Producer Services console", "Activate, JavaScript off",
                 console.post(f"/staff/registrations/{pending['444444445']}/activate"))
    console.page("staff-search", "Find a producer", "Producer Services console", "Find a producer",
                 console.get("/staff/producers"))
    console.page("staff-search-results", "Find a producer: results", "Producer Services console",
                 "Search for “camp”", console.get("/staff/producers?q=camp"))
    console.page("staff-account", "A producer's account", "Producer Services console",
                 "Select a user name in the results", console.get(f"/staff/producers/{demo}"))
    for attempt in ("wrong1", "wrong2", "wrong3"):
        gallery.visitor().sign_in("larrylocke", attempt)
    console.page("staff-account-locked", "A locked producer's account", "Producer Services console",
                 "A producer after three wrong passwords", console.get(f"/staff/producers/{larry}"))
    console.fragment("staff-account-unlocked", "Account after Unlock (htmx)", "Producer Services console",
                     "Unlock, JavaScript on", console.post(f"/staff/producers/{larry}/unlock", htmx=True))
    console.page("staff-roster", "Roster upload", "Producer Services console", "Roster upload",
                 console.get("/staff/roster"))
    console.page("staff-roster-problems", "Roster upload: bad lines", "Producer Services console",
                 "Upload a file with bad lines",
                 console.post("/staff/roster", {"roster_file": (bytes_file(BAD_ROSTER), "roster.csv")}))
    console.fragment("staff-roster-imported", "Roster upload: imported (htmx)", "Producer Services console",
                     "Upload a good file, JavaScript on",
                     console.post("/staff/roster", {"roster_file": (bytes_file(SAMPLE_ROSTER), "roster.csv")},
                                  htmx=True))
    with app.app_context():
        failed = OutboxMessage.create(
            account=larry, recipient="larry@example.com", subject="Retail Producer Portal E-mail Address Changed",
            body_text="(sample)", attempts=3, failed_at=clock.utcnow(), next_attempt_at=None,
            last_error="550 5.1.1 <larry@example.com>: Recipient address rejected").id
    console.page("staff-failed-mail", "Failed e-mail", "Producer Services console", "Failed e-mail",
                 console.get("/staff/mail"))
    console.fragment("staff-failed-mail-retried", "Failed e-mail: Retry (htmx)", "Producer Services console",
                     "Retry, JavaScript on", console.post(f"/staff/mail/{failed}/retry", htmx=True))

    # Errors and the rest
    stranger = gallery.visitor()
    stranger.page("contact-us", "Contact Us", "Sign-in", "Menu → Contact Us", stranger.get("/contact-us"))
    stranger.page("page-not-found", "Page not found", "Errors", "Any unknown address",
                  stranger.get("/no-such-page"))


def bytes_file(text):
    return io.BytesIO(text.encode())


def write(gallery, outdir, screenshots):
    """The files, a copy of static/, index.html and (when possible) the screenshots."""
    os.makedirs(outdir, exist_ok=True)
    static_copy = os.path.join(outdir, "static")
    shutil.rmtree(static_copy, ignore_errors=True)
    shutil.copytree(gallery.app.static_folder, static_copy)
    for shot in gallery.shots:
        with open(os.path.join(outdir, f"{shot.slug}.html"), "w", encoding="utf-8") as page:
            page.write(gallery.files[shot.slug])
        if shot.text:
            with open(os.path.join(outdir, f"{shot.slug}.txt"), "w", encoding="utf-8") as text:
                text.write(shot.text)
    taken = take_screenshots(outdir, [shot.slug for shot in gallery.shots]) if screenshots else set()
    uncovered = gallery.uncovered()
    with open(os.path.join(outdir, "index.html"), "w", encoding="utf-8") as index:
        index.write(index_page(gallery, taken, uncovered))
    return taken, uncovered


def take_screenshots(outdir, slugs):
    """A full-page PNG of each file, in Debian's Chromium; nothing when Chromium or Playwright is missing."""
    if not os.path.exists(CHROMIUM):
        click.echo(f"No screenshots: {CHROMIUM} is not installed.")
        return set()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        click.echo("No screenshots: Playwright is not installed (pip install -e '.[test]').")
        return set()
    taken = set()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1024, "height": 768})
        for slug in slugs:
            page.goto("file://" + quote(os.path.abspath(os.path.join(outdir, f"{slug}.html"))))
            page.screenshot(path=os.path.join(outdir, f"{slug}.png"), full_page=True)
            taken.add(slug)
        browser.close()
    return taken


def index_page(gallery, taken, uncovered):
    """index.html: every state by area, with the templates that drew it and how to reach it."""
    env = gallery.app.jinja_env
    rows = []
    for area in AREAS:
        shots = [shot for shot in gallery.shots if shot.area == area]
        if not shots:
            continue
        rows.append(f'<h2 id="{area.lower().replace(" ", "-")}">{html.escape(area)}</h2>\n<table>'
                    '<thead><tr><th scope="col">State</th><th scope="col">Kind</th>'
                    '<th scope="col">Templates (the first drew it; the rest it includes)</th>'
                    '<th scope="col">How to see it</th><th scope="col">Screenshot</th></tr></thead><tbody>')
        for shot in shots:
            names = []
            for name in shot.templates:
                names += [name] + sorted(template_closure(env, name) - {name} - set(names) - EVERYWHERE)
            listed = "<br>".join(f"<code>{html.escape(source_path(gallery.app, n))}</code>" for n in names)
            text = f' · <a href="{shot.slug}.txt">text</a>' if shot.text else ""
            picture = (f'<a href="{shot.slug}.png"><img src="{shot.slug}.png" alt="" width="160"></a>'
                       if shot.slug in taken else "")
            rows.append(f'<tr><th scope="row"><a href="{shot.slug}.html">{html.escape(shot.title)}</a>{text}</th>'
                        f"<td>{shot.kind}</td><td>{listed}</td><td>{html.escape(shot.how)}</td>"
                        f"<td>{picture}</td></tr>")
        rows.append("</tbody></table>")
    missing = ("<p>Every template appears in at least one state.</p>" if not uncovered else
               "<p><strong>Not shown in any state yet:</strong></p><ul>"
               + "".join(f"<li><code>{html.escape(n)}</code></li>" for n in uncovered) + "</ul>")
    return ('<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
            '<title>Template gallery – Retail Producer Portal</title>'
            '<link rel="stylesheet" href="static/css/portal.css"></head>\n<body><main id="main">\n'
            '<h1>Template gallery</h1>\n'
            f'<p>{len(gallery.shots)} states of the portal\'s pages, htmx fragments and e-mails, drawn by the '
            'real app with sample data. Pages live in <code>templates/&lt;area&gt;/</code>, fragments in '
            '<code>partials/&lt;area&gt;/_name.html</code> (each page includes its fragment; the htmx '
            'route answers with the same file), e-mails in <code>templates/email/</code>. Rebuild with '
            '<code>flask --app app gallery OUTDIR</code>.</p>\n'
            '<p>Every page extends <code>templates/base.html</code> (header, menus, footer) and draws its '
            'fields, error summary and required-field note with the macros in '
            '<code>partials/_macros.html</code>; the lists below leave those two out.</p>\n'
            f'<nav aria-label="Areas"><ul class="links">'
            + "".join(f'<li><a href="#{a.lower().replace(" ", "-")}">{a}</a></li>' for a in AREAS)
            + "</ul></nav>\n" + "\n".join(rows) + "\n<h2>Coverage</h2>\n" + missing
            + "\n</main></body></html>\n")


def source_path(app, name):
    """Where a template lives in the project: templates/… or partials/…"""
    folder = "templates" if os.path.exists(os.path.join(app.template_folder, name)) else "partials"
    return f"{folder}/{name}"


def build(outdir, screenshots=True):
    """Build the gallery from a throwaway portal; returns (shots, screenshots taken, uncovered templates)."""
    from . import create_app
    config = current_app.config
    previous = db.obj
    with tempfile.TemporaryDirectory(prefix="rpp-gallery-") as workdir:
        app = create_app({
            "TESTING": True, "SECRET_KEY": "gallery", "WTF_CSRF_ENABLED": False,
            "DATABASE_URL": f"sqlite:///{workdir}/gallery.sqlite3", "MAIL_BACKEND": "locmem",
            "PASSWORD_HASH_METHOD": "scrypt:1024:8:1", "SESSION_COOKIE_SECURE": False,
            "PORTAL_URL": config["PORTAL_URL"], "PORTAL_TIMEZONE": config["PORTAL_TIMEZONE"],
            "RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://"})
        app.extensions["mailman"].outbox = []
        gallery = Gallery(app)
        try:
            walk(gallery)
            taken, uncovered = write(gallery, outdir, screenshots)
        finally:
            if not db.is_closed():
                db.close()
            db.initialize(previous)  # the app that runs the command gets its own database back
    return gallery.shots, taken, uncovered


@click.command("gallery")
@with_appcontext
@click.argument("outdir", type=click.Path(file_okay=False))
@click.option("--screenshots/--no-screenshots", default=True, show_default=True,
              help="A PNG of each state, when /usr/bin/chromium and Playwright are installed.")
def gallery_command(outdir, screenshots):
    """Render every page, fragment and e-mail in each of its states into OUTDIR (open index.html)."""
    shots, taken, uncovered = build(outdir, screenshots)
    click.echo(f"{len(shots)} states written to {os.path.join(outdir, 'index.html')}"
               f"{f', {len(taken)} screenshots' if taken else ''}.")
    if uncovered:
        click.echo("Templates not shown in any state: " + ", ".join(uncovered), err=True)
