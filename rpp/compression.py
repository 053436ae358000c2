"""Compressed answers (Flask-Compress): pages, fragments, CSS and JavaScript in Brotli or gzip, as the
browser accepts; settings COMPRESS_* in rpp/settings.py."""
from .extensions import compress


def init_app(app):
    """Bind Flask-Compress first, so its after_request runs last and compresses the final answer."""
    compress.init_app(app)

    @app.after_request  # registered after Compress's, so it runs just before it
    def close_static_file_when_done(response):
        """A compressed static file is read through a generator that hides the file from the server;
        closing it with the answer keeps a file open no longer than the answer (not until garbage collection)."""
        if response.is_streamed and hasattr(response.response, "close"):
            response.call_on_close(response.response.close)
        return response
