"""The template gallery for designers: `flask --app app gallery OUTDIR` (rpp/devtools/gallery)."""
import json
import os
import subprocess
import sys

import pytest

from rpp.devtools.gallery import screenshots
from rpp.models import Account
from tests.helpers import make_account, settings, spanish


@pytest.mark.slow
def test_gallery_renders_every_template_in_its_states(app, runner, tmp_path):
    make_account(app, user_name="realproducer")
    outdir = tmp_path / "gallery"
    result = runner.invoke(args=["gallery", str(outdir), "--no-screenshots"])
    assert result.exit_code == 0, result.output
    assert "states written to" in result.output
    assert "not shown in any state" not in result.output
    assert 'href="en/index.html"' in (outdir / "index.html").read_text()
    assert 'href="es/index.html"' in (outdir / "index.html").read_text()
    spanish_gallery = outdir / "es"
    assert '<html lang="es">' in (spanish_gallery / "sign-in.html").read_text()
    spanish_states = json.loads((spanish_gallery / "gallery.json").read_text())["states"]
    activation_mail = next(state for state in spanish_states if state["slug"] == "email-activation")
    assert activation_mail["title"].startswith(spanish("Retail Producer Portal Registration Activation"))
    outdir = outdir / "en"

    index = (outdir / "index.html").read_text()
    assert "Every template appears in at least one state." in index
    for slug, words in [
        ("sign-in-locked", "your account is now temporarily locked"),
        ("sign-in-locked", "Your account unlocks by itself within 60 minutes; you can then log in again."),
        ("registration", "The User Name must be 3 to 30 characters"),
        ("email-temporary_password", "The Change Password page opens right after you log in."),
        ("registration-errors", "There is a problem"),
        ("registration-errors", "Oklahoma: Zip Code must be 5 digits or ZIP+4"),
        ("registration-errors", "Oklahoma: City may contain only printable characters"),
        ("staff-sign-in-locked", "Your account unlocks by itself within 60 minutes; you can then log in again."),
        ("registration-confirm", "Confirm Oklahoma Registration Information"),
        ("registration-submitted", "Registration Information Submitted"),
        ("too-many-requests", "Please try again later"),
        ("change-password-required", "You logged in with a temporary password."),
        ("staff-queue", "Overdue"),
        ("staff-verify", "Enter the Verification Code your authenticator app shows"),
        ("staff-two-step-set-up", "Every Producer Services staff user signs in with two-step verification."),
        ("staff-recovery-codes", "Continue to the Console"),
        ("staff-users-two-step-reset", "Two-step verification reset for carol"),
        ("email-activation", "This notice is to alert you that your registration request has been activated."),
        ("email-temporary_password", "Your temporary password is:"),
        ("email-user_name", "User Name(s) linked to your email address: <strong>demoproducer</strong>."),
    ]:
        assert f'href="{slug}.html"' in index
        assert words in (outdir / f"{slug}.html").read_text(), slug
    assert "partials/registration/_form.html" in index and "templates/registration/register.html" in index
    # Pages point at the copied static files, so they open from disk with the portal's CSS.
    assert 'href="static/css/portal.css"' in (outdir / "sign-in.html").read_text()
    assert (outdir / "static" / "css" / "portal.css").exists()
    assert "Your temporary password is:" in (outdir / "email-temporary_password.txt").read_text()
    # Every template is in some state, each state once, of every kind (gallery.json lists them).
    manifest = json.loads((outdir / "gallery.json").read_text())
    assert manifest["uncovered"] == []
    slugs = [state["slug"] for state in manifest["states"]]
    assert len(set(slugs)) == len(slugs)
    assert {"page", "fragment", "e-mail"} == {state["kind"] for state in manifest["states"]}
    # The portal that ran the command keeps its own database.
    with app.app_context():
        assert [a.user_name for a in Account.select()] == ["realproducer"]


def test_the_running_portal_does_not_load_the_gallery(tmp_path, database):
    """Developer tooling stays out of the request path: building the portal imports no gallery code."""
    config = {"TESTING": True, "SECRET_KEY": "x", "DATABASE_URL": settings(tmp_path)["DATABASE_URL"]}
    probe = (f"import sys; from rpp import create_app; create_app({config!r}); "
             "print(sorted(name for name in sys.modules if name.startswith('rpp.devtools.')))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


@pytest.mark.slow
def test_screenshots_are_taken_with_chromium(tmp_path):
    """Chromium turns a gallery file into a PNG (scripts/test installs Debian's chromium)."""
    assert os.path.exists(screenshots.CHROMIUM), "chromium is missing: apt-get install chromium"
    (tmp_path / "one.html").write_text("<!doctype html><html lang='en'><title>x</title><h1>One</h1></html>")
    assert screenshots.take_screenshots(str(tmp_path), ["one"]) == {"one"}
    assert (tmp_path / "one.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
