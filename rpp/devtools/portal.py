"""A portal on a database of its own, for the tools that build one (the tests, the gallery, the benchmarks):
its schema is made ready first by `flask db upgrade`, run as a deploy runs it, since create_app refuses a
database that is behind."""
from flask.cli import FlaskGroup

from .. import create_app


def upgraded_portal(config):
    """`flask db upgrade` on the database of `config` (created if empty), then the portal on it."""
    flask = FlaskGroup(create_app=lambda: create_app(config), load_dotenv=False, set_debug_flag=False)
    flask.main(["db", "upgrade"], prog_name="flask", standalone_mode=False)
    return create_app(config)
