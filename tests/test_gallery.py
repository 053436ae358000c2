"""The template gallery for designers: `flask --app app gallery OUTDIR`."""
import os

from rpp import gallery
from rpp.models import Account
from tests.helpers import make_account


def test_gallery_renders_every_template_in_its_states(app, runner, tmp_path):
    make_account(app, user_name="realproducer")
    outdir = tmp_path / "gallery"
    result = runner.invoke(args=["gallery", str(outdir), "--no-screenshots"])
    assert result.exit_code == 0, result.output
    assert "states written to" in result.output
    assert "not shown in any state" not in result.output

    index = (outdir / "index.html").read_text()
    assert "Every template appears in at least one state." in index
    for slug, words in [
        ("sign-in-locked", "your account is now temporarily locked"),
        ("registration-errors", "There is a problem"),
        ("registration-confirm", "Confirm Oklahoma Registration Information"),
        ("registration-submitted", "Registration Information Submitted"),
        ("too-many-requests", "Please try again later"),
        ("change-password-required", "You logged in with a temporary password."),
        ("staff-queue", "Overdue"),
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
    # The portal that ran the command keeps its own database.
    with app.app_context():
        assert [a.user_name for a in Account.select()] == ["realproducer"]


def test_every_template_is_in_some_state(app, tmp_path):
    with app.app_context():
        shots, taken, uncovered = gallery.build(str(tmp_path / "gallery"), screenshots=False)
    assert uncovered == []
    assert len({shot.slug for shot in shots}) == len(shots)
    assert {"page", "fragment", "e-mail"} == {shot.kind for shot in shots}


def test_screenshots_are_taken_with_chromium(tmp_path):
    """Chromium turns a gallery file into a PNG (scripts/test installs Debian's chromium)."""
    assert os.path.exists(gallery.CHROMIUM), "chromium is missing: apt-get install chromium"
    (tmp_path / "one.html").write_text("<!doctype html><html lang='en'><title>x</title><h1>One</h1></html>")
    assert gallery.take_screenshots(str(tmp_path), ["one"]) == {"one"}
    assert (tmp_path / "one.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
