"""The gallery on disk: a file per state, a copy of static/, index.html and gallery.json."""
import html
import json
import os
import shutil

from .recorder import template_closure
from .screenshots import take_screenshots

# Every page extends base.html and draws its fields with the macros; the index says so once.
EVERYWHERE = {"base.html", "_macros.html"}
AREAS = ["Sign-in", "Registration", "Recovery", "Signed in", "Edit Profile", "Producer Services console",
         "Errors", "E-mails"]
MANIFEST = "gallery.json"  # every state (slug, title, area, kind, templates), for tools and tests


def write(gallery, outdir, screenshots):
    """The files, a copy of static/, index.html and (when possible) the screenshots."""
    os.makedirs(outdir, exist_ok=True)
    static_copy = os.path.join(outdir, "static")
    shutil.rmtree(static_copy, ignore_errors=True)
    shutil.copytree(gallery.app.static_folder, static_copy)
    for shot in gallery.shots:
        with open(os.path.join(outdir, f"{shot.slug}.html"), "w", encoding="utf-8") as page:
            page.write(gallery.files[shot.slug])
        if shot.text:
            with open(os.path.join(outdir, f"{shot.slug}.txt"), "w", encoding="utf-8") as text:
                text.write(shot.text)
    taken = take_screenshots(outdir, [shot.slug for shot in gallery.shots]) if screenshots else set()
    uncovered = gallery.uncovered()
    with open(os.path.join(outdir, "index.html"), "w", encoding="utf-8") as index:
        index.write(index_page(gallery, taken, uncovered))
    with open(os.path.join(outdir, MANIFEST), "w", encoding="utf-8") as manifest:
        json.dump({"states": [{"slug": shot.slug, "title": shot.title, "area": shot.area, "kind": shot.kind,
                               "templates": shot.templates} for shot in gallery.shots],
                   "screenshots": sorted(taken), "uncovered": uncovered}, manifest, indent=1)
    return taken, uncovered


def write_languages_index(outdir, languages):
    """OUTDIR/index.html: a link to each language's gallery."""
    links = "".join(f'<li><a href="{language}/index.html" hreflang="{language}">{language}</a></li>'
                    for language in languages)
    with open(os.path.join(outdir, "index.html"), "w", encoding="utf-8") as index:
        index.write(f'<!doctype html>\n<html lang="en">\n<meta charset="utf-8">\n<title>Template gallery</title>\n'
                    f"<h1>Template gallery</h1>\n<p>Every page, fragment and e-mail in each language:</p>\n"
                    f"<ul>{links}</ul>\n")


def index_page(gallery, taken, uncovered):
    """index.html: every state by area, with the templates that drew it and how to reach it."""
    env = gallery.app.jinja_env
    rows = []
    for area in AREAS:
        shots = [shot for shot in gallery.shots if shot.area == area]
        if not shots:
            continue
        rows.append(f'<h2 id="{area.lower().replace(" ", "-")}">{html.escape(area)}</h2>\n<table>'
                    '<thead><tr><th scope="col">State</th><th scope="col">Kind</th>'
                    '<th scope="col">Templates (the first drew it; the rest it includes)</th>'
                    '<th scope="col">How to see it</th><th scope="col">Screenshot</th></tr></thead><tbody>')
        for shot in shots:
            names = []
            for name in shot.templates:
                names += [name, *sorted(template_closure(env, name) - {name} - set(names) - EVERYWHERE)]
            listed = "<br>".join(f"<code>{html.escape(source_path(gallery.app, n))}</code>" for n in names)
            text = f' · <a href="{shot.slug}.txt">text</a>' if shot.text else ""
            picture = (f'<a href="{shot.slug}.png"><img src="{shot.slug}.png" alt="" width="160"></a>'
                       if shot.slug in taken else "")
            rows.append(f'<tr><th scope="row"><a href="{shot.slug}.html">{html.escape(shot.title)}</a>{text}</th>'
                        f"<td>{shot.kind}</td><td>{listed}</td><td>{html.escape(shot.how)}</td>"
                        f"<td>{picture}</td></tr>")
        rows.append("</tbody></table>")
    missing = ("<p>Every template appears in at least one state.</p>" if not uncovered else
               "<p><strong>Not shown in any state yet:</strong></p><ul>"
               + "".join(f"<li><code>{html.escape(n)}</code></li>" for n in uncovered) + "</ul>")
    return ('<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
            '<title>Template gallery – Retail Producer Portal</title>'
            '<link rel="stylesheet" href="static/css/portal.css"></head>\n<body><main id="main">\n'
            '<h1>Template gallery</h1>\n'
            f'<p>{len(gallery.shots)} states of the portal\'s pages, htmx fragments and e-mails, drawn by the '
            'real app with sample data. Pages live in <code>templates/&lt;area&gt;/</code>, fragments in '
            '<code>partials/&lt;area&gt;/_name.html</code> (each page includes its fragment; the htmx '
            'route answers with the same file), e-mails in <code>templates/email/</code>. Rebuild with '
            '<code>flask --app app gallery OUTDIR</code>.</p>\n'
            '<p>Every page extends <code>templates/base.html</code> (header, menus, footer) and draws its '
            'fields, error summary and required-field note with the macros in '
            '<code>partials/_macros.html</code>; the lists below leave those two out.</p>\n'
            f'<nav aria-label="Areas"><ul class="links">'
            + "".join(f'<li><a href="#{a.lower().replace(" ", "-")}">{a}</a></li>' for a in AREAS)
            + "</ul></nav>\n" + "\n".join(rows) + "\n<h2>Coverage</h2>\n" + missing
            + "\n</main></body></html>\n")


def source_path(app, name):
    """Where a template lives in the project: templates/… or partials/…"""
    folder = "templates" if os.path.exists(os.path.join(app.template_folder, name)) else "partials"
    return f"{folder}/{name}"
