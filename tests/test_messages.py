"""The message catalogue: the guide's words, numbers from the settings, every key that is named exists,
and no sentence the portal shows written anywhere else in rpp/."""
import ast
import collections
import pathlib
import re

import pytest
from markupsafe import Markup, escape

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


def test_a_sentence_with_nothing_to_fill_in_and_no_link_is_shown_as_written(app):
    plain = [key for key, sentence in MESSAGES.items() if not re.search(r"[{}]|\]\(", sentence)]
    assert len(plain) > len(MESSAGES) / 2
    with app.test_request_context():
        for key in plain:
            assert text(key) == MESSAGES[key]
            assert markup(key) == escape(MESSAGES[key]) and isinstance(markup(key), Markup)


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


# Not the portal's users' text: operators' command-line output and the developers' gallery, the per-state
# data (names, plans, phone numbers: rpp/states.py is their catalogue), settings and schema upgrades.
NOT_USER_TEXT = ("rpp/messages.py", "rpp/states.py", "rpp/settings.py", "rpp/migrations.py", "rpp/cli.py",
                 "rpp/staff/cli.py", "rpp/devtools/")
# Errors for developers (a setting or a programming mistake), never shown on a page.
DEVELOPER_ERRORS = {"RuntimeError", "ValueError", "TypeError", "KeyError", "LookupError", "AssertionError"}
LOG_CALLS = {"debug", "info", "warning", "error", "exception", "critical", "log"}
LOGGER = re.compile(r"(^|\.)(log|logger)$")
SQL = re.compile(r"^(SELECT|UPDATE|INSERT|DELETE|CREATE|ALTER|DROP|WITH|SET|EPOCH)\b")
# Four words or more starting with a capital, or a phrase starting with a capital or a value and ending
# like a sentence ("{user_name} has no pending registration."). Lower-case phrases are event names and
# their details (the audit record, stored as written).
SENTENCE = re.compile(r"^[A-Z“\"']\S*(\s+\S+){3,}|^(\{\}|[A-Z])[^\n]*\s[^\n]*[.?!]$")


def literal_text(node):
    """A string literal's text; an f-string's with `{}` for each value."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(part.value if isinstance(part, ast.Constant) else "{}" for part in node.values)
    return None


def not_shown(tree):
    """The literals no user reads: docstrings, log lines, command-line help, developers' errors, and the
    pieces of an f-string (the f-string is read whole)."""
    skipped = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            skipped.add(id(body[0].value))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in LOG_CALLS \
                and LOGGER.search(ast.unparse(node.func.value)):
            skipped.update(id(child) for argument in node.args for child in ast.walk(argument))
        if isinstance(node, ast.Call):
            skipped.update(id(child) for keyword in node.keywords if keyword.arg == "help"
                           for child in ast.walk(keyword.value))
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) and \
                getattr(node.exc.func, "id", "") in DEVELOPER_ERRORS:
            skipped.update(id(child) for child in ast.walk(node.exc))
        if isinstance(node, ast.JoinedStr):
            skipped.update(id(part) for part in node.values)
    return skipped


def sentences_in(source):
    """(line, text) of each literal in `source` that reads like a sentence someone is shown."""
    tree = ast.parse(source)
    skipped = not_shown(tree)
    for node in ast.walk(tree):
        words = literal_text(node)
        if words and id(node) not in skipped and not SQL.match(words) and SENTENCE.search(words.strip()):
            yield node.lineno, words


def test_every_sentence_the_portal_shows_is_in_the_catalogue_or_a_template():
    found = [f"{path.relative_to(ROOT).as_posix()}:{line} {words!r}"
             for path in sorted(ROOT.glob("rpp/**/*.py"))
             if not path.relative_to(ROOT).as_posix().startswith(NOT_USER_TEXT)
             for line, words in sentences_in(path.read_text(encoding="utf-8"))]
    assert found == []


def test_the_sentence_check_tells_a_sentence_from_names_log_lines_and_docstrings():
    source = ('def notice(name):\n'
              '    """Tell the producer what was removed."""\n'
              '    log.info("Passkey %s removed by the producer", name)\n'
              '    record_event("passkey removed", name)\n'
              '    label = "Passkey Name"\n'
              '    return f"{name} was removed from your account."\n')
    assert [words for _, words in sentences_in(source)] == ["{} was removed from your account."]
