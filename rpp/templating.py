"""Where templates are found and what every template can use: asset_url, the plan and state names,
the Contact Us table and each state's Producer Services number, local_time, phone_links, the message
catalogue (message, text), the error summary's items and SignInOutcome."""
import hashlib
import os
import re

from flask import g, request, url_for
from flask_babel import format_date, format_time, get_locale
from jinja2 import ChoiceLoader, FileSystemLoader
from markupsafe import Markup, escape

from . import clock, idle, messages
from .hypermedia import document_title
from .lockout import SignInOutcome
from .states import CONTACT_TABLE, PLAN_NAMES, PRODUCER_SERVICES


def local_time(moment):
    """A time as producers read it, in the portal's time zone and the page's (or e-mail's) language:
    "Monday, March 4, 2024 at 3:00 PM CST", in Spanish "lunes, 4 de marzo de 2024, 3:00 p. m. CST" (Babel)."""
    moment = clock.local(moment) if moment.tzinfo is None else moment
    if get_locale().language == "en":
        hour = moment.hour % 12 or 12
        return f"{moment:%A, %B} {moment.day}, {moment.year} at {hour}:{moment:%M %p %Z}"
    return f"{format_date(moment, 'full', rebase=False)}, {format_time(moment, 'h:mm a', rebase=False)} {moment:%Z}"


# A Producer Services number as the states and the guide write it, e.g. "(888) 313-5526".
PHONE_NUMBER = re.compile(r"\((\d{3})\) (\d{3})-(\d{4})")


def phone_links(line):
    """Each number in a Producer Services line as a tel: link (E.164) that never breaks across lines."""
    return Markup(PHONE_NUMBER.sub(lambda number: f'<a class="tel" href="tel:+1{number[1]}{number[2]}{number[3]}">'
                                                  f'{number[0]}</a>', str(escape(line))))


def note_page_error():
    """The page shows an error summary: base.html's <title> starts with "Error: " (read first by a screen
    reader after a plain POST). Returns nothing to show."""
    g.page_error = True
    return ""


def error_summary_items(forms, extra=()):
    """The error summary's (message, #anchor) pairs in the page's order: each form's fields as the page
    shows them (`in_page_order()` where a form has one), a state's fields naming the state
    ("Texas: Please enter your City."), then `extra` (errors that sit below the forms' fields)."""
    items = []
    for form in forms:
        fields = form.in_page_order() if hasattr(form, "in_page_order") else list(form)
        state_name, state_fields = getattr(form, "state_name", None), getattr(form, "DETAILS", ())
        for field in fields:
            if not field.errors or field.type == "CSRFTokenField":
                continue
            error = field.errors[0]
            if state_name and field.short_name in state_fields:
                error = messages.text("summary.in_state", state=state_name, error=error)
            items.append((error, "#" + field.id + ("-0" if field.type == "RadioField" else "")))
    return items + list(extra)


def init_app(app, root):
    """Pages from templates/, fragments from partials/, and the helpers every template uses."""
    app.jinja_loader = ChoiceLoader([FileSystemLoader(os.path.join(root, "templates")),
                                     FileSystemLoader(os.path.join(root, "partials"))])
    versions = {}

    def asset_url(filename):
        """A static file's URL with a content hash, so it can be cached for a year (worked out once)."""
        key = (request.script_root, filename)
        if key not in versions:
            with open(os.path.join(app.static_folder, filename), "rb") as asset:
                digest = hashlib.sha256(asset.read()).hexdigest()[:10]
            versions[key] = url_for("static", filename=filename, v=digest)
        return versions[key]

    # Globals rather than a context processor: they never change, and a context processor runs and
    # merges its dictionary on every render.
    app.jinja_env.globals.update(
        asset_url=asset_url, plan_names=PLAN_NAMES, state_names=messages.STATE_NAMES,
        all_state_names=messages.all_state_names, contact_number=messages.contact_number, contact_table=CONTACT_TABLE,
        producer_services=PRODUCER_SERVICES, url_rules=app.view_functions)
    app.add_template_filter(local_time)
    app.add_template_filter(document_title)
    app.add_template_filter(phone_links)
    app.add_template_global(error_summary_items)
    app.add_template_global(note_page_error)
    app.add_template_global(messages.markup, "message")
    app.add_template_global(messages.text, "text")
    app.add_template_global(idle.seconds_left, "idle_seconds")
    app.add_template_global(idle.warning_seconds, "idle_warning_seconds")
    # Sign-in pages (producers' and staff's) compare their outcome with the members.
    app.add_template_global(SignInOutcome, "SignInOutcome")
