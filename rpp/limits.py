"""Request size limits. Every body is bounded by MAX_CONTENT_LENGTH, forms by MAX_FORM_MEMORY_SIZE and
MAX_FORM_PARTS (Werkzeug answers 413 from the Content-Length, before reading the body, or as soon as a
body without one goes past the limit); a view marked @body_limit(SETTING) accepts up to that setting."""
from flask import current_app
from flask.wrappers import Request

MULTIPART_ALLOWANCE = 64 * 1024  # the form's other fields and boundaries around an uploaded file


def body_limit(setting):
    """Let this view's requests carry a file of up to app.config[setting] bytes."""
    def mark(view):
        view.body_limit_setting = setting
        return view
    return mark


class LimitedRequest(Request):
    """A request whose body limit is its view's (known once the URL is matched, before the body is read)."""

    @property
    def max_content_length(self):
        view = current_app.view_functions.get(self.endpoint) if current_app and self.endpoint else None
        setting = getattr(view, "body_limit_setting", None)
        if setting and self._max_content_length is None:
            return current_app.config[setting] + MULTIPART_ALLOWANCE
        return super().max_content_length

    @max_content_length.setter
    def max_content_length(self, value):
        self._max_content_length = value


def init_app(app):
    """Requests carry their view's body limit."""
    app.request_class = LimitedRequest
