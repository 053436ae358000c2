"""What the tests share, in one place: settings for a test portal, the portal as a producer's browser,
a complete registration, accounts, the sign-in messages and ways to read a page.

Test modules import from here (never from one another); fixtures live in conftest.py.
"""
import hashlib
import html
import http.client
import http.cookiejar
import os
import pathlib
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pyotp
from babel.messages import pofile

from rpp import messages
from rpp.devtools import authenticator_app
from rpp.registration import activation
from rpp.staff import staff_users as staff

TOKEN = re.compile(r'"X-CSRFToken": "([^"]+)"|name="csrf_token" type="hidden" value="([^"]+)"')

DEMO_ROSTER = """state,agent_id,first_name,last_name
TX,999999999,Jessica,Camp
IL,111111111,Jessica,Camp
MT,222222222,Jessica,Camp
NM,333333333,Jessica,Camp
OK,444444444,Jessica,Camp
TX,999999998,Demo,Producer
IL,111111112,Demo,Producer
"""
AGENT_IDS = {"TX": "999999999", "IL": "111111111", "MT": "222222222", "NM": "333333333", "OK": "444444444"}

# The sign-in messages as the default settings write them (tests/test_messages.py pins the guide's words).
MISMATCH = messages.text("sign_in.mismatch")
LOCKED = messages.text("sign_in.locked")

# RPP_TEST_DATABASE_URL=postgresql://… runs every test on its own PostgreSQL schema instead of a SQLite file.
POSTGRES_URL = os.environ.get("RPP_TEST_DATABASE_URL")


def settings(tmp_path, **extra):
    """Test settings: a file database (threads share it), locmem mail and a cheap hash."""
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret",
        "DATABASE_URL": database_url(tmp_path),
        "MAIL_BACKEND": "locmem",
        "PASSWORD_HASH_METHOD": "argon2id:m=8,t=1,p=1",
        "PASSWORD_CHECKS_AT_ONCE": 64,  # some tests sign in from 20 threads at once; the cap has its own tests
        "SESSION_COOKIE_SECURE": False,
        "PORTAL_URL": "https://portal.example.test",
        "RATELIMIT_ENABLED": True,
        **extra,
    }


def postgres_schema(tmp_path):
    """The PostgreSQL schema that belongs to one test (named after its tmp_path)."""
    return "t_" + hashlib.sha1(str(tmp_path).encode()).hexdigest()[:16]


def database_url(tmp_path):
    """The test's own database: a SQLite file, or a PostgreSQL schema first on the search_path."""
    if not POSTGRES_URL:
        return f"sqlite:///{tmp_path}/rpp.sqlite3"
    parts = urlsplit(POSTGRES_URL)
    query = [*parse_qsl(parts.query), ("options", f"-csearch_path={postgres_schema(tmp_path)}")]
    return urlunsplit(parts._replace(query=urlencode(query)))


class Portal:
    """The Flask test client as a producer's browser: it sends the CSRF token like a form does."""

    def __init__(self, client):
        self.client = client
        self.token = None

    def _remember_token(self, response):
        if response.mimetype == "text/html":
            match = TOKEN.search(response.get_data(as_text=True))
            if match:
                self.token = match.group(1) or match.group(2)
        return response

    def get(self, path, htmx=False, **kwargs):
        headers = kwargs.pop("headers", {})
        if htmx:
            headers["HX-Request"] = "true"
        return self._remember_token(self.client.get(path, headers=headers, **kwargs))

    def post(self, path, data=None, htmx=False, trigger=None, csrf=True, **kwargs):
        headers = kwargs.pop("headers", {})
        if htmx:
            headers["HX-Request"] = "true"
        if trigger:
            headers["HX-Trigger-Name"] = trigger
        data = dict(data or {})
        if csrf:
            if self.token is None:
                self.get("/contact-us")
            data.setdefault("csrf_token", self.token)
        response = self.client.post(path, data=data, headers=headers, **kwargs)
        if response.status_code == 303 or "HX-Redirect" in response.headers:
            self.token = None  # login and logout start a new session with a new token
        return self._remember_token(response)


def registration_form(user_name="jessicacamp", password="bcbs4tx9", states=("TX",), **overrides):
    """A complete, valid registration as the form posts it."""
    data = {"first_name": "Jessica", "last_name": "Camp", "user_name": user_name,
            "password": password, "confirm_password": password}
    for code in states:
        data.update({f"{code}-register": "y", f"{code}-company_name": "Producer Name Company",
                     f"{code}-address_1": "123 Test St", f"{code}-address_2": "",
                     f"{code}-city": "Testville", f"{code}-address_state": code,
                     f"{code}-zip_code": "99999", f"{code}-agent_id": AGENT_IDS[code],
                     f"{code}-phone": "(815) 555-1212", f"{code}-email": "testproducer@gmail.com"})
    data.update(overrides)
    return data


def profile_form(**overrides):
    """The Edit Profile form as posted, with the registration's current values."""
    data = {"company_name": "Producer Name Company", "address_1": "123 Test St", "address_2": "",
            "city": "Testville", "address_state": "TX", "zip_code": "99999",
            "phone": "(815) 555-1212", "email": "testproducer@gmail.com"}
    data.update(overrides)
    return data


def make_account(app, user_name="jessicacamp", password="bcbs4tx9", states=("TX",), activate=True):
    """Register through the form and, unless told not to, activate every state."""
    portal = Portal(app.test_client())
    portal.post("/register", registration_form(user_name=user_name, password=password, states=states))
    assert portal.post("/register/submit").status_code == 303
    if activate:
        with app.app_context():
            activation.activate(user_name)
    return user_name


def login(portal, user_name="jessicacamp", password="bcbs4tx9", **kwargs):
    return portal.post("/login", {"user_name": user_name, "password": password}, **kwargs)


def text(response):
    """The response's HTML as a string."""
    return response.get_data(as_text=True)


def visible(response):
    """The words a reader sees: tags removed, entities decoded, white space folded."""
    body = text(response)
    body = re.sub(r"<(script|style)\b.*?</\1>", " ", body, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split()).replace(" .", ".")


def without_token(body):
    """The page with its CSRF token blanked out, to compare two pages."""
    return re.sub(r'(X-CSRFToken": "|name="csrf_token" type="hidden" value=")[^"]+', r"\1", body)


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# Headers that may differ between two answers that must otherwise be identical.
UNCOMPARED_HEADERS = {"date", "set-cookie", "expires", "last-modified", "x-request-id"}


def comparable(response, typed=()):
    """A whole answer as the attacker sees it: status, headers apart from dates and cookies, and the
    body apart from the CSRF token, with what the attacker typed (echoed in the form) blanked out."""
    body = without_token(response.get_data(as_text=True))
    for words in typed:
        body = body.replace(words, "TYPED")
    headers = sorted((name, value) for name, value in response.headers.items()
                     if name.lower() not in UNCOMPARED_HEADERS)
    return response.status_code, headers, body


def post_at_once(app, browser, path, times):
    """POST `path` `times` times at once from copies of `browser` (its session cookie and CSRF
    token), as a double-clicking producer or a retrying proxy does; returns each copy and its answer."""
    if browser.token is None:
        browser.get("/contact-us")
    cookie = browser.client.get_cookie(app.config["SESSION_COOKIE_NAME"])
    copies = []
    for _ in range(times):
        copy = Portal(app.test_client())
        copy.client.set_cookie(cookie.key, cookie.value)
        copy.token = browser.token
        copies.append(copy)
    answers = [None] * times
    start = threading.Barrier(times)

    def post(index):
        start.wait()
        answers[index] = copies[index].post(path)

    threads = [threading.Thread(target=post, args=(index,)) for index in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return list(zip(copies, answers, strict=False))


# The Producer Services console.

NOT_A_STAFF_ACCOUNT = "This User Name/Password combination does not match a staff account"
STAFF_LOCKED = "This staff account is temporarily locked"
STAFF_PASSWORD = "correct horse battery"


STAFF_VERIFY = "/staff/login/verify"


def add_staff_user(user_name="Alice", password=STAFF_PASSWORD, admin=False):
    """A staff user who has set up two-step with the tooling's authenticator app (rpp.devtools.authenticator_app),
    as every staff user must; needs an app context."""
    staff_user = staff.create_staff_user(user_name, password, admin=admin)
    authenticator_app.enrol(staff_user)
    return staff_user


def staff_code(app, user_name="alice"):
    """The Verification Code the staff user's authenticator app shows now (one the portal has not taken)."""
    with app.app_context():
        return authenticator_app.next_code(staff.find_staff_user(user_name))


def with_two_step(app, user_name="jessicacamp"):
    """Two-step on for a producer, with the tooling's authenticator app (rpp.devtools.authenticator_app)."""
    from rpp.models import Account
    with app.app_context():
        authenticator_app.enrol(Account.get(Account.user_name == user_name))


def producer_code(app, user_name="jessicacamp"):
    """The Verification Code that producer's authenticator app shows now (one the portal has not taken)."""
    from rpp.models import Account
    with app.app_context():
        return authenticator_app.next_code(Account.get(Account.user_name == user_name))


def set_up_two_step(portal, base="/account/two-step"):
    """Set Up Two-Step Verification through its pages (base: "/staff/two-step" in the console) with the
    setup key the page shows; returns (secret, the recovery codes as Save Your Recovery Codes shows them)."""
    page = portal.get(f"{base}/set-up").get_data(as_text=True)
    secret = re.search(r'<code class="setup-key" id="setup-key">([A-Z2-7 ]+)</code>', page).group(1).replace(" ", "")
    response = portal.post(f"{base}/set-up", {"code": pyotp.TOTP(secret).now()})
    response.close()  # mail goes out once the response has been sent
    assert redirect_target(response) == f"{base}/recovery-codes", response.status_code
    codes = re.findall(r"<li><code>([A-Z2-9]{5}-[A-Z2-9]{5})</code></li>",
                       portal.get(f"{base}/recovery-codes").get_data(as_text=True))
    return secret, codes


def redirect_target(response):
    """Where a redirect (303, or HX-Redirect for htmx) leads; None for any other answer."""
    return response.headers.get("HX-Redirect") or (response.headers.get("Location") if response.status_code in
                                                     (302, 303) else None)


def staff_login(portal, user_name="alice", password=STAFF_PASSWORD, **kwargs):
    """Sign a staff user in through the console's sign-in form and, when it asks, the Verification Code step
    with the code their authenticator app shows; returns the last answer."""
    response = portal.post("/staff/login", {"user_name": user_name, "password": password}, **kwargs)
    if redirect_target(response) != STAFF_VERIFY:
        return response
    return portal.post(STAFF_VERIFY, {"code": staff_code(portal.client.application, user_name)}, **kwargs)


def state_registration(state="TX", user_name="jessicacamp"):
    """The stored registration of that user name in that state."""
    from rpp.models import Account, StateRegistration
    return (StateRegistration.select().join(Account)
            .where(Account.user_name == user_name, StateRegistration.state == state).get())


def add_producer(number, states=("TX",), submitted_at=None, status="pending", email=None, **names):
    """A producer straight in the database, for the console's lists (which only read): producerNNNN,
    Agent IDs 5NNNNNNNN, 6NNNNNNNN, … by state, submitted at `submitted_at` (default: now)."""
    from datetime import timedelta

    from rpp import clock
    from rpp.models import Account, StateRegistration
    submitted_at = submitted_at or clock.utcnow()
    account = Account.create(user_name=f"producer{number:04d}", user_name_key=f"producer{number:04d}",
                             first_name=names.get("first_name", "Pat"),
                             last_name=names.get("last_name", f"Number{number}"), password_hash="x")
    for index, state in enumerate(states):
        StateRegistration.create(
            account=account, state=state, agent_id=f"{index + 5}{number:08d}", address_1="1 Main St",
            city="Springfield", address_state=state, zip_code="60601", phone="8155551212",
            email=email or f"producer{number}@example.com", status=status, submitted_at=submitted_at,
            decided_at=None if status == "pending" else submitted_at + timedelta(hours=5))
    return account


# A real server: gunicorn as docs/operating.md starts it (the `gunicorn` fixture).

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def send(port, method, path, form=None, cookie=None, headers=None):
    """(status, headers, body) of one request to the local server; header values may be bytes."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = dict(headers or {})
    if form:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    if cookie:
        headers["Cookie"] = cookie
    connection.request(method, path, body=urlencode(form) if form else None, headers=headers)
    response = connection.getresponse()
    result = response.status, response.msg, response.read().decode()
    connection.close()
    return result


class Gunicorn:
    """`gunicorn -w 2 'rpp:create_app()'` on the test's database with production settings, its log in
    a file (a pipe nobody reads would stall a server that logs a lot)."""

    def __init__(self, tmp_path):
        self.tmp_path, self.servers = tmp_path, []
        self.log_path = tmp_path / "gunicorn.log"

    def __call__(self, workers=2, **environment):
        """Start one; FLASK_* settings in `environment`. Returns its port once it answers."""
        port = free_port()
        env = {**{k: v for k, v in os.environ.items() if not k.startswith("FLASK_")},
               "FLASK_DATABASE_URL": settings(self.tmp_path)["DATABASE_URL"], "FLASK_SECRET_KEY": "test-secret",
               "FLASK_TWO_STEP_KEY": "test-secret",  # the material the test portals derive from SECRET_KEY
               "FLASK_MAIL_BACKEND": "locmem", "FLASK_PASSWORD_HASH_METHOD": "argon2id:m=8,t=1,p=1", **environment}
        with open(self.log_path, "a") as log:
            server = subprocess.Popen([sys.executable, "-m", "gunicorn", "-w", str(workers), "-b", f"127.0.0.1:{port}",
                                       "--log-level", "warning", "rpp:create_app()"],
                                      cwd=ROOT, env=env, stdout=log, stderr=log, text=True)
        self.servers.append(server)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and server.poll() is None:
            try:
                send(port, "GET", "/")
                return port
            except OSError:
                time.sleep(0.1)
        server.terminate()
        server.wait(timeout=10)
        raise AssertionError(f"gunicorn did not start: {self.log()}")

    def workers(self):
        """The process ids of the last server's workers."""
        master = self.servers[-1].pid
        with open(f"/proc/{master}/task/{master}/children") as children:
            return [int(pid) for pid in children.read().split()]

    def log(self):
        return self.log_path.read_text() if self.log_path.exists() else ""

    def stop(self):
        for server in self.servers:
            server.terminate()
            server.wait(timeout=30)


class Browser:
    """A producer's browser against a real server: cookies and the CSRF token."""

    def __init__(self, base):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        page = self.opener.open(base + "/").read().decode()
        self.token = re.search(r'"X-CSRFToken": "([^"]+)"', page).group(1)

    def post(self, path, data):
        body = urllib.parse.urlencode(dict(data, csrf_token=self.token)).encode()
        try:
            return self.opener.open(self.base + path, body).status
        except urllib.error.HTTPError as error:
            return error.code


def wait_until(condition, seconds=30, what="the condition"):
    """Call `condition` until it returns something true (returned); fail after `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        result = condition()
        if result:
            return result
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)


class ThrowawayPostgres:
    """A PostgreSQL cluster of this test's own (Debian's binaries, as scripts/with-postgres starts one),
    which the test may stop and start again on the same port; `url` is its database "rpp"."""

    def __init__(self):
        import glob
        import pathlib
        import tempfile
        binaries = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
        assert binaries, "PostgreSQL is not installed (apt-get install postgresql, as scripts/with-postgres does)"
        # Not under pytest's tmp_path: as root, that is a folder the postgres user cannot enter.
        self.bin, self.port = binaries[-1], free_port()
        self.data = pathlib.Path(tempfile.mkdtemp(prefix="rpp-postgres."))
        if os.getuid() == 0:  # initdb refuses root: the cluster belongs to Debian's postgres user
            import shutil
            shutil.chown(self.data, "postgres")
        self.run("initdb", "-D", str(self.data / "cluster"), "-U", "postgres", "-A", "trust", "--no-sync")
        self.start()
        self.run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "rpp")
        self.url = f"postgresql://postgres@127.0.0.1:{self.port}/rpp"

    def run(self, program, *arguments):
        command = [os.path.join(self.bin, program), *arguments]
        if os.getuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def start(self):
        options = f"-c listen_addresses=127.0.0.1 -p {self.port} -k {self.data} -c fsync=off"
        self.run("pg_ctl", "-D", str(self.data / "cluster"), "-l", str(self.data / "server.log"), "-w",
                 "-o", options, "start")

    def stop(self):
        self.run("pg_ctl", "-D", str(self.data / "cluster"), "-m", "fast", "-w", "stop")

    def remove(self):
        """Stop it if it runs, and delete its files."""
        import shutil
        if (self.data / "cluster" / "postmaster.pid").exists():
            self.stop()
        shutil.rmtree(self.data, ignore_errors=True)


class ThrowawayRedis:
    """A Redis of this test's own (Debian's redis-server), which the test may stop; `url` finds it."""

    def __init__(self):
        import shutil
        self.port = free_port()
        self.server = subprocess.Popen([shutil.which("redis-server") or "/usr/bin/redis-server", "--port",
                                        str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.url = f"redis://127.0.0.1:{self.port}"
        wait_until(self.answers, what="redis-server to start")

    def answers(self):
        try:
            socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
            return True
        except OSError:
            assert self.server.poll() is None, "redis-server exited"
            return False

    def stop(self):
        if self.server.poll() is None:
            self.server.terminate()
            self.server.wait(timeout=30)


TRANSLATIONS = pathlib.Path(__file__).resolve().parent.parent / "rpp" / "translations"
SPANISH_PO = TRANSLATIONS / "es" / "LC_MESSAGES" / "messages.po"


def read_catalogue(path):
    """A gettext catalogue (.po or .pot) as Babel reads it."""
    with open(path, "rb") as catalogue:
        return pofile.read_po(catalogue)


def spanish(msgid):
    """The translation es.po gives `msgid`, so a test holds whatever the translator's wording (it must be there)."""
    translation = read_catalogue(SPANISH_PO)[msgid].string
    assert translation, f"es.po has no translation of {msgid!r}"
    return translation
