"""What the gallery keeps: each state it meets (Shot), the visitors that meet them, the e-mails sent."""
import html
import json
import re
from dataclasses import dataclass, field

import click
from flask import template_rendered
from jinja2 import meta

from .samples import SAMPLE_PASSWORD


@dataclass
class Shot:
    """One state of one template, saved as <slug>.html (and <slug>.png)."""
    slug: str
    title: str
    area: str
    kind: str                 # "page", "fragment" or "e-mail"
    how: str                  # how to see it in the running portal
    templates: list = field(default_factory=list)
    text: str = ""            # an e-mail's plain-text body


class Visitor:
    """One browser (a test client with its own cookies) that files what it sees in the gallery."""

    def __init__(self, gallery):
        self.gallery = gallery
        self.client = gallery.app.test_client()
        # The browser's language: the portal answers in it, and the producers it registers keep it for e-mails.
        self.client.environ_base["HTTP_ACCEPT_LANGUAGE"] = gallery.language

    def get(self, path, htmx=False):
        return self.request("GET", path, htmx=htmx)

    def post(self, path, data=None, htmx=False, trigger=None):
        return self.request("POST", path, data=data or {}, htmx=htmx, trigger=trigger)

    def request(self, method, path, data=None, htmx=False, trigger=None):
        headers = {"HX-Request": "true"} if htmx else {}
        if trigger:
            headers["HX-Trigger-Name"] = trigger
        self.gallery.rendered.clear()
        # buffered: the response is closed at once, so e-mails queued by it go out now.
        response = self.client.open(path, method=method, data=data, headers=headers, buffered=True)
        if response.status_code in (301, 302, 303) and not htmx:
            return self.get(response.headers["Location"])
        return response

    def post_json(self, path, body):
        """What passkeys.js sends: a JSON body, as htmx would announce it."""
        self.gallery.rendered.clear()
        return self.client.post(path, data=json.dumps(body), content_type="application/json",
                                headers={"HX-Request": "true"}, buffered=True)

    def page(self, slug, title, area, how, response):
        """File a full page (or an htmx fragment) the last request answered with."""
        self.gallery.add(slug, title, area, how, response)
        return response

    def fragment(self, slug, title, area, how, response, slot=None):
        self.gallery.add(slug, title, area, how, response, kind="fragment", slot=slot)
        return response

    def sign_in(self, user_name, password=SAMPLE_PASSWORD):
        return self.post("/login", {"user_name": user_name, "password": password})


class Gallery:
    """Walks a throwaway portal and keeps every state it sees."""

    def __init__(self, app, language="en"):
        self.app = app
        self.language = language  # the language of every page and e-mail (rpp.languages)
        self.shots = []
        self.files = {}           # slug -> HTML to write
        self.rendered = []        # templates rendered by the current request
        self.mail_templates = []  # e-mail templates rendered since the last e-mails were filed
        self.mail_seen = 0
        template_rendered.connect(self.record, app)

    def record(self, sender, template, context, **extra):
        if template.name.startswith("email/"):
            if template.name.endswith(".html"):
                self.mail_templates.append(template.name)
        else:
            self.rendered.append(template.name)

    def visitor(self):
        return Visitor(self)

    def add(self, slug, title, area, how, response, kind="page", slot=None):
        if response.status_code >= 500:
            raise click.ClickException(f"{slug}: the portal answered {response.status_code}")
        body = response.get_data(as_text=True)
        if kind == "fragment":
            body = fragment_page(title, body, slot)
        self.shots.append(Shot(slug, title, area, kind, how, list(dict.fromkeys(self.rendered))))
        self.files[slug] = static_paths(body)
        self.collect_mail(how)

    def collect_mail(self, how):
        """File the e-mails sent since the last look: of each template, those of the first action that sent it."""
        outbox = self.app.extensions["mailman"].outbox
        filed = {template for shot in self.shots if shot.kind == "e-mail" for template in shot.templates}
        for message, template in zip(outbox[self.mail_seen:], self.mail_templates, strict=False):
            if template in filed:
                continue
            name = template.removeprefix("email/").removesuffix(".html")
            slug = f"email-{name}"
            while slug in self.files:
                slug += "-2"
            body_html = next((content for content, mimetype in message.alternatives if mimetype == "text/html"),
                             f"<pre>{html.escape(message.body)}</pre>")
            self.shots.append(Shot(slug, f"{message.subject} (to {', '.join(message.to)})", "E-mails",
                                   "e-mail", how, [template, template.replace(".html", ".txt")], message.body))
            self.files[slug] = body_html
        self.mail_seen = len(outbox)
        self.mail_templates.clear()

    def uncovered(self):
        """Templates no state of the gallery shows (each should have one)."""
        env = self.app.jinja_env
        covered = set()
        for shot in self.shots:
            for name in shot.templates:
                covered |= template_closure(env, name)
        return sorted(name for name in env.list_templates()
                      if name.endswith((".html", ".txt")) and name not in covered)


def template_closure(env, name, seen=None):
    """A template and every template it extends, includes or imports, by name."""
    seen = set() if seen is None else seen
    if name in seen:
        return seen
    seen.add(name)
    source = env.loader.get_source(env, name)[0]
    for referenced in meta.find_referenced_templates(env.parse(source)):
        if referenced:
            template_closure(env, referenced, seen)
    return seen


def static_paths(body):
    """Point /static/… URLs at the copy of static/ beside the gallery files (no version query)."""
    return re.sub(r'((?:href|src)=")/static/([^"?]+)(\?[^"]*)?"', r'\1static/\2"', body)


def fragment_page(title, fragment, slot=None):
    """An htmx fragment inside a bare page with the portal's CSS, as it looks once swapped in."""
    if slot:
        fragment = slot.format(fragment)
    elif not fragment.lstrip().startswith(("<section", "<div id=", "<tr")):
        fragment = f'<section class="panel">{fragment}</section>'
    width = ""
    if fragment.lstrip().startswith("<tr"):  # a queue row: in its table, as wide as the console
        fragment = f'<div class="table-wrap"><table><tbody>{fragment}</tbody></table></div>'
        width = ' style="max-width:96rem"'
    return ('<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
            f'<title>{html.escape(title)} – fragment</title>'
            '<link rel="stylesheet" href="/static/css/portal.css"></head>\n'
            # the page it is swapped into has the level-one heading; here the gallery gives it one
            f'<body><main id="main"{width}>\n<h1 class="visually-hidden">{html.escape(title)}</h1>\n'
            f'{fragment}\n</main></body></html>\n')
