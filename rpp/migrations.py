"""Schema versions: a new database is created at the latest one, an older one is upgraded, never dropped.

Version 1 is the schema of the first release (no `schema_version` table yet). Each later version
is one function in MIGRATIONS that changes existing tables with playhouse.migrate. A new model
needs no migration: after the migrations, every missing table is created at its latest shape.
So a migration that changes a table added after version 1 must skip it when it is missing —
the helpers below do (`add_index`, `add_column`).

The upgrade is a deploy step, `flask db upgrade`, run before the web processes start (systemd's
ExecStartPre, the Procfile's release line); a web process refuses a database that is behind
(`require_latest`). Several upgrades may run at once: each runs in one transaction holding a lock
(an advisory lock on PostgreSQL, the write lock on SQLite), and reads the version inside it.
"""
import logging

from peewee import (
    BooleanField,
    CharField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    Model,
    PostgresqlDatabase,
    SchemaManager,
    fn,
)
from playhouse.migrate import SchemaMigrator, migrate

from . import clock
from .extensions import db, write_transaction
from .models import ALL_MODELS, Account, StateRegistration

log = logging.getLogger(__name__)
# pg_advisory_xact_lock key: any constant this application alone uses.
UPGRADE_LOCK = 0x525050  # "RPP"


class SchemaVersion(Model):
    """One row per schema version this database reached."""
    version = IntegerField(primary_key=True)
    applied_at = DateTimeField(default=clock.utcnow)

    class Meta:
        database = db
        table_name = "schema_version"


class SchemaTooNew(RuntimeError):
    """The database was upgraded by a newer portal than this one."""


class SchemaBehind(RuntimeError):
    """The database's schema is older than this portal's: `flask db upgrade` brings it forward."""


def add_index(migrator, table, columns, unique=False):
    """Add an index unless its table is missing (created later at its latest shape) or it exists."""
    if table not in db.get_tables():
        return
    if any(index.columns == list(columns) for index in db.get_indexes(table)):
        return
    migrate(migrator.add_index(table, columns, unique))


def add_column(migrator, table, name, field):
    """Add a column unless its table is missing (created later at its latest shape) or it exists."""
    if table not in db.get_tables():
        return
    if any(column.name == name for column in db.get_columns(table)):
        return
    migrate(migrator.add_column(table, name, field))


def index_agent_id(migrator):
    """User name recovery looks up an Agent Unique ID without its state: index agent_id alone."""
    add_index(migrator, "state_registration", ("agent_id",))


def remember_last_failure(migrator):
    """Failures older than the lockout time are forgotten: accounts and staff users keep the last one's time."""
    for table in ("account", "staff_user"):
        add_column(migrator, table, "last_failed_at", DateTimeField(null=True))


def session_browser(migrator):
    """Where You're Signed In: each login session's browser and when it was last active."""
    add_column(migrator, "login_session", "user_agent", CharField(max_length=300, default=""))
    add_column(migrator, "login_session", "last_active_at", DateTimeField(null=True))


def free_agent_ids(migrator):
    """A rejected or revoked registration no longer holds its Agent Unique ID: the unique index on
    (state, agent_id) becomes a partial one over pending and active registrations; revoked_at is added."""
    add_column(migrator, "state_registration", "revoked_at", DateTimeField(null=True))
    if "state_registration" not in db.get_tables():
        return
    if any(index.name == "state_registration_state_agent_id" for index in db.get_indexes("state_registration")):
        migrate(migrator.drop_index("state_registration", "state_registration_state_agent_id"))
    SchemaManager(StateRegistration).create_indexes(safe=True)


def staff_roles(migrator):
    """Staff users get a role (clerk or admin), can be disabled, and can be told to change an initial
    password; those who existed could do everything, so they become admins."""
    for name, field in (("role", CharField(max_length=10, default="clerk")),
                        ("disabled", BooleanField(default=False)),
                        ("must_change_password", BooleanField(default=False))):
        add_column(migrator, "staff_user", name, field)
    if "staff_user" in db.get_tables():
        db.execute_sql("UPDATE staff_user SET role = 'admin'")


def relay_outbox(migrator):
    """The mail relay: when each unsent e-mail is next due, when one failed for good, whom it is about."""
    add_column(migrator, "outbox_message", "next_attempt_at", DateTimeField(null=True))
    add_column(migrator, "outbox_message", "failed_at", DateTimeField(null=True))
    add_column(migrator, "outbox_message", "account_id",
               ForeignKeyField(Account, null=True, on_delete="SET NULL", field=Account.id))
    # What was still queued is due at once; what was sent has nothing left to do.
    db.execute_sql("UPDATE outbox_message SET next_attempt_at = created_at WHERE sent_at IS NULL")
    add_index(migrator, "outbox_message", ("next_attempt_at",))
    add_index(migrator, "outbox_message", ("account_id", "created_at"))


def sign_in_states(migrator):
    """A pending sign-in lists the steps it still owes; staff sessions end after inactivity as producers' do."""
    add_column(migrator, "sign_in_challenge", "steps", CharField(max_length=100, default=""))
    add_column(migrator, "staff_session", "last_active_at", DateTimeField(null=True))


def account_language(migrator):
    """Each producer's language (en or es): the e-mails to them go in it. Those who registered before read English.

    Plain SQL, which SQLite and PostgreSQL both take: playhouse's add_column makes a NOT NULL column on SQLite
    by copying the table, and dropping the old `account` would cascade to every table that refers to it."""
    if "account" in db.get_tables() and not any(column.name == "language" for column in db.get_columns("account")):
        db.execute_sql("ALTER TABLE account ADD COLUMN language VARCHAR(5) NOT NULL DEFAULT 'en'")


# version → what turns the previous version into it
MIGRATIONS = {
    2: index_agent_id,
    3: session_browser,
    4: free_agent_ids,
    5: staff_roles,
    6: relay_outbox,
    7: remember_last_failure,
    8: sign_in_states,
    9: account_language,
}
LATEST = max(MIGRATIONS, default=1)


def current_version():
    """The database's schema version: 0 when empty, 1 for a first-release database."""
    tables = db.get_tables()
    if SchemaVersion._meta.table_name in tables:
        version = SchemaVersion.select(fn.MAX(SchemaVersion.version)).scalar()
        if version:
            return version
    return 1 if any(model._meta.table_name in tables for model in ALL_MODELS) else 0


def require_latest():
    """Refuse a database whose schema is not this portal's: SchemaBehind (naming `flask db upgrade`) when it
    is older or empty, SchemaTooNew when a newer release upgraded it."""
    version = current_version()
    if version > LATEST:
        raise SchemaTooNew(f"The database schema is at version {version}, newer than this "
                           f"portal's {LATEST}: run a newer release of the portal.")
    if version < LATEST:
        raise SchemaBehind(f"The database schema is at version {version}; this portal needs version {LATEST}. "
                           "Run `flask db upgrade` (the deploy step before the portal starts), then start it again.")


def upgrade():
    """Create or upgrade the schema to LATEST; returns (version before, version after). Safe to run twice."""
    with write_transaction():
        if isinstance(db.obj, PostgresqlDatabase):
            db.execute_sql("SELECT pg_advisory_xact_lock(%s)", (UPGRADE_LOCK,))
        before = current_version()
        if before > LATEST:
            raise SchemaTooNew(f"The database schema is at version {before}, newer than this "
                               f"portal's {LATEST}: run a newer release of the portal.")
        if before == 0:
            db.create_tables([*ALL_MODELS, SchemaVersion])
            SchemaVersion.create(version=LATEST)
            return 0, LATEST
        db.create_tables([SchemaVersion], safe=True)
        if before == 1 and not SchemaVersion.select().exists():
            SchemaVersion.create(version=1)
        migrator = SchemaMigrator.from_database(db)
        for version in range(before + 1, LATEST + 1):
            MIGRATIONS[version](migrator)
            SchemaVersion.create(version=version)
            log.info("database schema upgraded to version %d", version)
        # Only what is missing: checking every table and index of an up-to-date schema made each start slow.
        tables = set(db.get_tables())
        db.create_tables([model for model in ALL_MODELS if model._meta.table_name not in tables])
    return before, LATEST
