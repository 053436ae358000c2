"""The two reference apps every portal figure is compared with, served the same way (gunicorn -w 2).

(a) bare_app(): Flask returning a tiny page — the framework's ceiling.
(b) form_app(): Flask + Flask-WTF rendering a sign-in form (User Name, Password, CSRF token) from a
    Jinja template, padded to the size of the portal's sign-in page (BENCH_PAGE_BYTES) — the
    stack's floor cost for a form page.
"""
import os

from flask import Flask, render_template
from flask_wtf import FlaskForm
from jinja2 import DictLoader
from wtforms import PasswordField, StringField
from wtforms.validators import InputRequired

SIGN_IN = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Please Sign-In</title>
<link rel="stylesheet" href="/static/portal.css"></head>
<body><main><h1>Please Sign-In</h1>
<form method="post" action="/login" novalidate>
{{ form.csrf_token }}
<p>{{ form.user_name.label }} {{ form.user_name(autocomplete="username") }}</p>
<p>{{ form.password.label }} {{ form.password(autocomplete="current-password") }}</p>
<button type="submit">Login</button>
</form>
<div class="welcome">{{ padding }}</div>
</main></body></html>
"""


class SignInForm(FlaskForm):
    user_name = StringField("User Name", [InputRequired()])
    password = PasswordField("Password", [InputRequired()])


def bare_app():
    """(a) The framework's ceiling: one route, a tiny constant page."""
    app = Flask(__name__)

    @app.route("/")
    def index():
        return "<!doctype html><title>ok</title><p>ok</p>"

    return app


def form_app():
    """(b) A sign-in form with a CSRF token (so a session cookie), as large as the portal's page."""
    app = Flask(__name__)
    app.config.update(SECRET_KEY="bench", WTF_CSRF_TIME_LIMIT=None)
    app.jinja_loader = DictLoader({"sign_in.html": SIGN_IN})  # compiled once, cached like a file template
    size = int(os.environ.get("BENCH_PAGE_BYTES", "6000"))
    with app.test_request_context():
        bare = len(render_template("sign_in.html", form=SignInForm(), padding="").encode())
    padding = "Welcome to the Retail Producer Portal. " * max(0, (size - bare) // 39)

    @app.route("/")
    def sign_in():
        return render_template("sign_in.html", form=SignInForm(), padding=padding)

    return app
