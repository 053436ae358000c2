"""Schema upgrades: `flask db upgrade` upgrades a database made by the first release in place, keeping every
row; the portal refuses to start on a database that is behind."""
import threading

import pytest

from rpp import create_app, relay
from rpp.devtools.portal import upgraded_portal
from rpp.extensions import db
from rpp.migrations import LATEST, SchemaBehind, SchemaTooNew, SchemaVersion, upgrade
from rpp.models import ALL_MODELS, Account, MailStatus
from rpp.models import OutboxMessage as CurrentOutboxMessage
from tests.first_release import build_first_release_database, stored_rows
from tests.helpers import Portal, settings


def schema_of(database):
    """Tables with their columns and indexes (by columns and uniqueness), to compare two schemas."""
    return {table: ({(c.name, c.data_type.lower(), c.null, c.primary_key) for c in database.get_columns(table)},
                    {(tuple(i.columns), i.unique) for i in database.get_indexes(table)})
            for table in database.get_tables()}


def drop_everything():
    db.drop_tables([*ALL_MODELS, SchemaVersion], safe=True)


def test_a_new_database_starts_at_the_latest_version(app):
    with app.app_context():
        assert [v.version for v in SchemaVersion.select()] == [LATEST]
        indexed = [tuple(i.columns) for i in db.get_indexes("state_registration")]
        assert ("agent_id",) in indexed


def test_the_portal_refuses_to_start_on_a_database_that_is_behind_and_names_the_command(tmp_path):
    config = settings(tmp_path)
    before = build_first_release_database(config["DATABASE_URL"])
    refusal = f"The database schema is at version 1; this portal needs version {LATEST}. Run `flask db upgrade`"
    with pytest.raises(SchemaBehind, match=refusal):
        create_app(config)
    with db.connection_context():
        assert stored_rows(db) == before and "schema_version" not in db.get_tables()  # untouched
    upgraded_portal(config)  # the deploy step
    assert create_app(config).test_client().get("/").status_code == 200  # up to date: it starts
    db.close()


def test_an_empty_database_is_refused_until_flask_db_upgrade_creates_the_schema(tmp_path):
    config = settings(tmp_path)
    with pytest.raises(SchemaBehind, match=f"at version 0; this portal needs version {LATEST}"):
        create_app(config)
    app = upgraded_portal(config)
    with app.app_context():
        assert [v.version for v in SchemaVersion.select()] == [LATEST]
    db.close()


def test_first_release_database_is_upgraded_by_flask_db_upgrade_and_keeps_every_row(tmp_path):
    config = settings(tmp_path)
    before = build_first_release_database(config["DATABASE_URL"])
    app = upgraded_portal(config)
    with app.app_context(), db.connection_context():
        assert stored_rows(db) == before
        assert [v.version for v in SchemaVersion.select().order_by(SchemaVersion.version)] == \
            list(range(1, LATEST + 1))
    # The upgraded account signs in with its old password, user name matched case-sensitively.
    portal = Portal(app.test_client())
    response = portal.post("/login", {"user_name": "JessicaCamp", "password": "bcbs4tx9"})
    assert response.status_code == 303
    with app.app_context():
        assert Account.get().failed_logins == 0
    db.close()


def test_db_upgrade_command_upgrades_a_first_release_database(app, runner):
    with app.app_context():
        drop_everything()
    before = build_first_release_database(app.config["DATABASE_URL"])
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert f"Schema upgraded from version 1 to {LATEST}" in result.output
    with app.app_context():
        assert stored_rows(db) == before
    result = runner.invoke(args=["db", "upgrade"])
    assert f"Schema already at version {LATEST}, the latest" in result.output


def test_an_upgraded_database_has_the_same_schema_as_a_new_one(app):
    with app.app_context():
        new = schema_of(db)
        drop_everything()
    build_first_release_database(app.config["DATABASE_URL"])
    with app.app_context():
        upgrade()
        upgraded = schema_of(db)
    for table in new:
        assert upgraded.get(table) == new[table], (
            f"Table {table} differs after an upgrade from version 1: a change to an existing "
            "model needs a migration in rpp/migrations.py")


def test_workers_starting_together_upgrade_once(app):
    with app.app_context():
        drop_everything()
    before = build_first_release_database(app.config["DATABASE_URL"])
    results, errors = [], []
    barrier = threading.Barrier(3)

    def start_worker():
        with app.app_context(), db.connection_context():
            barrier.wait()
            try:
                results.append(upgrade())
            except Exception as error:  # collected for the assertion below
                errors.append(error)

    threads = [threading.Thread(target=start_worker) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(results) == [(1, LATEST), (LATEST, LATEST), (LATEST, LATEST)]
    with app.app_context():
        assert stored_rows(db) == before


def test_a_database_upgraded_by_a_newer_release_is_refused(app):
    with app.app_context():
        SchemaVersion.create(version=LATEST + 1)
        with pytest.raises(SchemaTooNew, match=f"version {LATEST + 1}, newer"):
            upgrade()
        assert SchemaVersion.select().count() == 2


def test_mail_still_queued_at_the_upgrade_goes_on_the_relays_next_pass(tmp_path):
    config = settings(tmp_path)
    build_first_release_database(config["DATABASE_URL"])
    app = upgraded_portal(config)
    app.extensions["mailman"].outbox = []
    with app.app_context():
        [message] = CurrentOutboxMessage.select()
        assert message.status is MailStatus.QUEUED and message.next_attempt_at == message.created_at
        assert relay.deliver_due().sent == 1
        assert CurrentOutboxMessage.get().status is MailStatus.SENT
    assert [m.body for m in app.extensions["mailman"].outbox] == ["Activated."]
    db.close()
