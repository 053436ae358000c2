"""Request size limits. Every body is bounded by MAX_CONTENT_LENGTH, forms by MAX_FORM_MEMORY_SIZE and
MAX_FORM_PARTS (Werkzeug answers 413 from the Content-Length, before reading the body, or as soon as a
body without one goes past the limit); a view marked @body_limit(SETTING) accepts up to that setting."""
from flask import current_app, request

MULTIPART_ALLOWANCE = 64 * 1024  # the form's other fields and boundaries around an uploaded file


def body_limit(setting):
    """Let this view's requests carry a file of up to app.config[setting] bytes."""
    def mark(view):
        view.body_limit_setting = setting
        return view
    return mark


def view_body_limit():
    """Before anything reads the body (the CSRF check reads the form): the view's own limit, set on this
    request (Flask 3.1's per-request `request.max_content_length`)."""
    setting = getattr(current_app.view_functions.get(request.endpoint), "body_limit_setting", None)
    if setting:
        request.max_content_length = current_app.config[setting] + MULTIPART_ALLOWANCE


def init_app(app):
    """Requests carry their view's body limit (registered before the CSRF check's hook)."""
    app.before_request(view_body_limit)
