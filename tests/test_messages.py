"""The message catalogue: the guide's words, numbers from the settings, every key that is named exists."""
import ast
import collections
import pathlib
import re

import pytest
from markupsafe import Markup

from rpp.messages import MESSAGES, markup, text

ROOT = pathlib.Path(__file__).resolve().parent.parent
NAMED_KEY = re.compile(r"""\b(?:message|text)\(\s*["']([a-z_.]+)["']""")


def test_sign_in_messages_are_the_guides_words_with_the_default_threshold(app):
    assert text("sign_in.mismatch") == (
        "We’re sorry, this Username/Password combination does not match your account information – please try "
        "again. After three attempts, your account will be temporarily locked for your protection. Please click "
        "Forgot Username and/or Reset Password for help.")
    assert text("sign_in.locked") == (
        "We’re sorry, your account is now temporarily locked as a security precaution due to three unsuccessful "
        "login attempts. Please click Forgot Username and/or Reset Password for help.")


@pytest.mark.settings(LOCKOUT_THRESHOLD=5)
def test_the_count_in_the_sign_in_messages_is_written_from_the_lockout_threshold(app):
    with app.app_context():
        assert "After five attempts, your account will be temporarily locked" in text("sign_in.mismatch")
        assert "due to five unsuccessful login attempts" in text("sign_in.locked")
        assert "locked after 5 unsuccessful login attempts" in text("staff.sign_in.locked")


def test_html_messages_link_their_words_and_escape_what_is_filled_in(app):
    with app.test_request_context():
        html = markup("sign_in.locked")
        assert isinstance(html, Markup)
        assert '<a href="/forgot-user-name">Forgot Username</a>' in html
        assert '<a href="/reset-password">Reset Password</a>' in html
        assert "&lt;b&gt;" in markup("registration.states_already_registered", states="<b>")


def test_every_key_named_in_code_and_templates_is_in_the_catalogue():
    files = [*ROOT.glob("rpp/**/*.py"), *ROOT.glob("templates/**/*.html"), *ROOT.glob("partials/**/*.html"),
             *ROOT.glob("tests/**/*.py")]
    named = {key for path in files for key in NAMED_KEY.findall(path.read_text(encoding="utf-8"))}
    assert named and named <= MESSAGES.keys(), sorted(named - MESSAGES.keys())


def test_every_link_in_a_message_names_a_page_of_the_portal(app):
    endpoints = set(app.view_functions)
    links = {endpoint for template in MESSAGES.values() for endpoint in re.findall(r"\]\(([\w.]+)\)", template)}
    assert links and links <= endpoints


def test_the_catalogue_names_each_message_once_and_says_each_sentence_once():
    catalogue = next(node.value for node in ast.parse((ROOT / "rpp/messages.py").read_text(encoding="utf-8")).body
                     if isinstance(node, ast.Assign) and node.targets[0].id == "MESSAGES")
    keys = collections.Counter(key.value for key in catalogue.keys)
    assert [key for key, count in keys.items() if count > 1] == []
    texts = collections.Counter(MESSAGES.values())
    assert [text for text, count in texts.items() if count > 1] == []

