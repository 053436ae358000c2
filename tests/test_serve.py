"""scripts/serve, the developer's one command: the portal it starts names its own address in e-mails."""
import os
import signal
import subprocess
import time

import pytest

from rpp.extensions import db
from tests.helpers import ROOT, Browser, free_port, make_account, send

pytestmark = pytest.mark.slow  # installs into .venv when missing, then starts `flask run`


def test_serve_on_another_port_sends_emails_that_link_to_that_port(app, tmp_path):
    make_account(app)
    db.close()
    port, mail = free_port(), tmp_path / "mail"
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("FLASK_")}, "PORT": str(port),
           "FLASK_DATABASE_URL": app.config["DATABASE_URL"], "FLASK_MAIL_BACKEND": "file",
           "FLASK_MAIL_FILE_PATH": str(mail)}
    with open(tmp_path / "serve.log", "w") as log:
        server = subprocess.Popen([os.path.join(ROOT, "scripts", "serve")], cwd=ROOT, env=env, stdout=log,
                                  stderr=subprocess.STDOUT, start_new_session=True)  # flask's reloader: a group
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                send(port, "GET", "/")
                break
            except OSError:
                assert time.monotonic() < deadline and server.poll() is None, (tmp_path / "serve.log").read_text()
                time.sleep(0.2)
        browser = Browser(f"http://127.0.0.1:{port}")
        assert browser.post("/forgot-user-name", {"agent_id": "999999999", "email": "testproducer@gmail.com"}) == 200
        [written] = [path.read_text() for path in mail.iterdir()]
        assert f"Retail Producer Portal Login page: http://127.0.0.1:{port}/" in written
        assert "127.0.0.1:5000" not in written
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
