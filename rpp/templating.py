"""Where templates are found and what every template can use: asset_url, the plan and state names,
the Contact Us table and each state's Producer Services number, local_time, the message catalogue (message, text) and SignInOutcome."""
import hashlib
import os

from flask import current_app, request, url_for
from jinja2 import ChoiceLoader, FileSystemLoader

from . import clock, messages
from .hypermedia import document_title
from .lockout import SignInOutcome
from .states import BCBS_STATES, CONTACT_TABLE, PLAN_NAMES, PRODUCER_SERVICES


def local_time(moment):
    """A time as producers read it: in the portal's time zone, e.g. Monday, March 4, 2024 at 3:00 PM CST."""
    moment = clock.local(moment) if moment.tzinfo is None else moment
    hour = moment.hour % 12 or 12
    return f"{moment:%A, %B} {moment.day}, {moment.year} at {hour}:{moment:%M %p %Z}"


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

    @app.context_processor
    def template_helpers():
        return {"asset_url": asset_url, "plan_names": PLAN_NAMES, "state_names": BCBS_STATES,
                "contact_table": CONTACT_TABLE, "producer_services": PRODUCER_SERVICES, "url_rules": current_app.view_functions}

    app.add_template_filter(local_time)
    app.add_template_filter(document_title)
    app.add_template_global(messages.markup, "message")
    app.add_template_global(messages.text, "text")
    # Sign-in pages (producers' and staff's) compare their outcome with the members.
    app.add_template_global(SignInOutcome, "SignInOutcome")
