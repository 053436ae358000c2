"""deploy/nginx.conf in front of the production gunicorn: Debian's nginx with that file (only the
addresses, certificate and folders of this machine put in) keeps the portal answering while clients
trickle their request bodies, passes the client's address and scheme, and serves static files with
their cache headers. gunicorn alone, facing those clients, stops answering."""
import datetime
import os
import re
import shutil
import socket
import ssl
import subprocess
import time
from urllib.parse import urlencode

import pytest

from rpp.models import SecurityEvent
from tests.helpers import ROOT, TOKEN, free_port, send

pytestmark = pytest.mark.slow  # nginx and gunicorn processes, clients trickling bodies for seconds
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"

@pytest.fixture(autouse=True)
def nginx_installed():
    """Debian's nginx (scripts/test installs it as root): its absence fails, it never skips the proof."""
    if not os.path.exists(NGINX):
        pytest.fail(f"{NGINX} is missing: apt-get install nginx (scripts/test does it as root).")
TRICKLERS = 20


def self_signed_certificate(folder):
    """A certificate and key for 127.0.0.1, as files; (certificate path, key path)."""
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                   .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
                   .not_valid_after(now + datetime.timedelta(days=1))
                   .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                                  critical=False)
                   .sign(key, hashes.SHA256()))
    certificate_path, key_path = folder / "portal.pem", folder / "portal.key"
    certificate_path.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return certificate_path, key_path


def replaced(text, old, new):
    """`text` with `old` (which must be there) replaced by `new`."""
    assert old in text, f"deploy/nginx.conf no longer has {old!r}"
    return text.replace(old, new)


def site_for_this_machine(folder, upstream_port, http_port, https_port):
    """deploy/nginx.conf with this machine's ports, certificate and static folder: nothing else changed."""
    with open(os.path.join(ROOT, "deploy", "nginx.conf")) as shipped:
        site = shipped.read()
    certificate, key = self_signed_certificate(folder)
    site = replaced(site, "server 127.0.0.1:8000;", f"server 127.0.0.1:{upstream_port};")
    site = replaced(site, "listen 80;", f"listen 127.0.0.1:{http_port};")
    site = replaced(site, "listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;")
    site = re.sub(r"\n\s*listen \[::\]:\d+[^;]*;", "", site)  # no IPv6 needed here
    site = replaced(site, "/etc/ssl/certs/producers.example.com.pem", str(certificate))
    site = replaced(site, "/etc/ssl/private/producers.example.com.key", str(key))
    return replaced(site, "alias /srv/rpp/static/;", f"alias {ROOT}/static/;")


class Nginx:
    """Debian's nginx in the foreground with deploy/nginx.conf as its only site."""

    def __init__(self, folder, upstream_port):
        self.folder, self.http_port, self.https_port = folder, free_port(), free_port()
        (folder / "rpp.conf").write_text(site_for_this_machine(folder, upstream_port, self.http_port,
                                                               self.https_port))
        temporary = " ".join(f"{kind}_temp_path {folder}/{kind};" for kind in
                             ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
        (folder / "nginx.conf").write_text(
            ("user root;\n" if os.geteuid() == 0 else "")
            + f"daemon off; worker_processes 1; pid {folder}/nginx.pid; error_log {folder}/error.log warn;\n"
            + "events { worker_connections 256; }\n"
            + f"http {{ include /etc/nginx/mime.types; access_log off; {temporary} include {folder}/rpp.conf; }}\n")
        self.process = subprocess.Popen([NGINX, "-p", str(folder), "-e", str(folder / "error.log"),
                                         "-c", str(folder / "nginx.conf")], stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.https_port), timeout=1).close()
                return
            except OSError:
                assert time.monotonic() < deadline and self.process.poll() is None, self.log()
                time.sleep(0.1)

    def log(self):
        path = self.folder / "error.log"
        return path.read_text() if path.exists() else ""

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)


@pytest.fixture
def behind_nginx(app, gunicorn, tmp_path):
    """The production gunicorn (gunicorn.conf.py: threaded workers) with TRUSTED_PROXIES=1 and
    deploy/nginx.conf in front of it; (nginx, gunicorn's port)."""
    from rpp.extensions import db
    db.close()
    port = gunicorn(FLASK_TRUSTED_PROXIES="1")
    folder = tmp_path / "nginx"
    folder.mkdir()
    nginx = Nginx(folder, port)
    yield nginx, port
    nginx.stop()


def connect(port, tls):
    """A connection to the local server, over TLS (any certificate) when `tls`."""
    connection = socket.create_connection(("127.0.0.1", port), timeout=5)
    if tls:
        context = ssl.create_default_context()
        context.check_hostname, context.verify_mode = False, ssl.CERT_NONE
        connection = context.wrap_socket(connection)
    return connection


def trickle(port, tls):
    """A client that starts POST /login with a 500-byte body, sends one byte of it, and waits."""
    connection = connect(port, tls)
    connection.sendall(b"POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded"
                       b"\r\nContent-Length: 500\r\n\r\nu")
    return connection


def seconds_to_answer(port, tls, path="/", limit=1.0, headers=b""):
    """How long GET `path` took to answer in full (None: no answer within `limit` seconds), and the answer."""
    started = time.monotonic()
    with connect(port, tls) as connection:
        connection.settimeout(limit)
        connection.sendall(b"GET " + path.encode() + b" HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                           + headers + b"\r\n")
        answer = b""
        try:
            while chunk := connection.recv(65536):
                answer += chunk
        except TimeoutError:
            return None, b""
    return time.monotonic() - started, answer


def test_the_portal_answers_through_nginx_while_20_clients_trickle_their_bodies(behind_nginx, gunicorn):
    nginx, _port = behind_nginx
    tricklers = [trickle(nginx.https_port, tls=True) for _ in range(TRICKLERS)]
    try:
        for _ in range(5):
            seconds, answer = seconds_to_answer(nginx.https_port, tls=True)
            assert seconds is not None and seconds < 1, "no answer within 1 s through nginx"
            assert answer.startswith(b"HTTP/1.1 200") and b"Please Sign-In" in answer
    finally:
        for connection in tricklers:
            connection.close()
    assert "Traceback" not in gunicorn.log()


def test_gunicorn_alone_stops_answering_while_20_clients_trickle_their_bodies(behind_nginx):
    """For the record: why deploy/nginx.conf is not optional."""
    _, port = behind_nginx
    assert seconds_to_answer(port, tls=False)[0] is not None  # it answers while nobody trickles
    tricklers = [trickle(port, tls=False) for _ in range(TRICKLERS)]
    try:
        waits = [seconds_to_answer(port, tls=False, limit=2)[0] for _ in range(3)]
        assert None in waits, waits
    finally:
        for connection in tricklers:
            connection.close()


def exchange(port, tls, request):
    """Send a raw request to the local server; (head, body) of its whole answer."""
    with connect(port, tls) as connection:
        connection.sendall(request)
        answer = b""
        while chunk := connection.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    return head.decode(), body


def test_nginx_redirects_plain_http_and_passes_the_clients_address_and_scheme(app, behind_nginx):
    nginx, _ = behind_nginx
    head, _ = exchange(nginx.http_port, False,
                       b"GET /contact-us HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
    assert head.startswith("HTTP/1.1 301") and "Location: https://127.0.0.1/contact-us" in head
    # A wrong sign-in whose client forged X-Forwarded-For/-Proto: the portal sees nginx's view of them.
    forged = b"X-Forwarded-For: 203.0.113.9\r\nX-Forwarded-Proto: http\r\n"
    head, page = exchange(nginx.https_port, True, b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                          + forged + b"\r\n")
    assert head.startswith("HTTP/1.1 200") and "Strict-Transport-Security" in head
    cookie = re.search(r"Set-Cookie: (rpp_session=[^;]+); Secure", head)[1]
    token = TOKEN.search(page.decode())
    form = urlencode({"user_name": "nobody", "password": "wrong1", "csrf_token": token[1] or token[2]}).encode()
    # Over https the CSRF check also wants a same-site Referer: the portal knows the request came by https.
    head, _ = exchange(nginx.https_port, True, b"POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                       b"Referer: https://127.0.0.1/\r\n" + forged + b"Cookie: " + cookie.encode()
                       + b"\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: "
                       + str(len(form)).encode() + b"\r\n\r\n" + form)
    assert head.startswith("HTTP/1.1 200")  # the sign-in page again, with the mismatch message
    with app.app_context():
        [event] = SecurityEvent.select().where(SecurityEvent.kind == "login failed")
        assert event.client_address == "127.0.0.1"


def test_nginx_serves_static_files_with_their_cache_headers(behind_nginx):
    nginx, port = behind_nginx
    _, page = seconds_to_answer(nginx.https_port, tls=True)
    stylesheet = re.search(rb'href="(/static/css/portal\.css\?v=[^"]+)"', page)[1].decode()
    _, answer = seconds_to_answer(nginx.https_port, tls=True, path=stylesheet,
                                  headers=b"Accept-Encoding: gzip\r\n")
    head = answer.split(b"\r\n\r\n", 1)[0].decode()
    assert head.startswith("HTTP/1.1 200") and "Server: nginx" in head
    assert "Cache-Control: public, max-age=31536000, immutable" in head and "Content-Type: text/css" in head
    assert "X-Content-Type-Options: nosniff" in head and "Content-Encoding: gzip" in head
    assert send(port, "GET", stylesheet)[0] == 200  # the same file gunicorn would serve
