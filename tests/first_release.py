"""The first release's schema, frozen as it was, and a database built with it (tests/test_migrations.py
and tests/test_production.py upgrade it)."""
from datetime import datetime, timedelta

from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField, Model, TextField
from playhouse.db_url import connect
from werkzeug.security import generate_password_hash

# The first release's tables, frozen as they were (no schema_version table, no agent_id index).

class V1Model(Model):
    class Meta:
        legacy_table_names = False


class RosterEntry(V1Model):
    state = CharField(max_length=2)
    agent_id = CharField(max_length=9)
    first_name = CharField(max_length=50, null=True)
    last_name = CharField(max_length=50, null=True)
    imported_at = DateTimeField()

    class Meta:
        indexes = ((("state", "agent_id"), True),)


class Account1(V1Model):
    user_name = CharField(max_length=30)
    user_name_key = CharField(max_length=30, unique=True)
    first_name = CharField(max_length=50)
    last_name = CharField(max_length=50)
    password_hash = CharField(max_length=255)
    failed_logins = IntegerField(default=0)
    locked_until = DateTimeField(null=True)
    created_at = DateTimeField()

    class Meta:
        table_name = "account"


class StateRegistration(V1Model):
    account = ForeignKeyField(Account1, backref="registrations", on_delete="CASCADE")
    state = CharField(max_length=2)
    agent_id = CharField(max_length=9)
    company_name = CharField(max_length=100, default="")
    address_1 = CharField(max_length=100)
    address_2 = CharField(max_length=100, default="")
    city = CharField(max_length=100)
    address_state = CharField(max_length=2)
    zip_code = CharField(max_length=10)
    phone = CharField(max_length=10)
    email = CharField(max_length=254, index=True)
    status = CharField(max_length=10, default="pending", index=True)
    submitted_at = DateTimeField()
    decided_at = DateTimeField(null=True)
    rejection_reason = TextField(null=True)

    class Meta:
        indexes = ((("state", "agent_id"), True), (("account", "state"), True))


class TemporaryPassword(V1Model):
    account = ForeignKeyField(Account1, unique=True, on_delete="CASCADE")
    password_hash = CharField(max_length=255)
    created_at = DateTimeField()
    expires_at = DateTimeField()


class LoginSession(V1Model):
    token = CharField(max_length=64, primary_key=True)
    account = ForeignKeyField(Account1, backref="login_sessions", on_delete="CASCADE")
    created_at = DateTimeField()
    expires_at = DateTimeField()
    client_address = CharField(max_length=64, default="")
    selected_state = CharField(max_length=2, null=True)
    must_change_password = BooleanField(default=False)
    temporary_password_hash = CharField(max_length=255, null=True)


class SecurityEvent(V1Model):
    account = ForeignKeyField(Account1, null=True, backref="security_events", on_delete="CASCADE")
    kind = CharField(max_length=40)
    created_at = DateTimeField()
    client_address = CharField(max_length=64, default="")
    detail = TextField(default="")

    class Meta:
        indexes = ((("account", "created_at"), False),)


class OutboxMessage(V1Model):
    recipient = CharField(max_length=254)
    subject = CharField(max_length=200)
    body_text = TextField()
    body_html = TextField(default="")
    created_at = DateTimeField()
    sent_at = DateTimeField(null=True, index=True)
    claimed_until = DateTimeField(null=True)
    attempts = IntegerField(default=0)
    last_error = TextField(default="")


class RegistrationDraft(V1Model):
    token = CharField(max_length=64, primary_key=True)
    data = TextField()
    password_hash = CharField(max_length=255)
    created_at = DateTimeField(index=True)


V1_MODELS = [RosterEntry, Account1, StateRegistration, TemporaryPassword, LoginSession,
             SecurityEvent, OutboxMessage, RegistrationDraft]


def build_first_release_database(url):
    """Create the version 1 tables in `url` and fill them as producers and staff would have."""
    database = connect(url)
    database.bind(V1_MODELS)
    then = datetime(2024, 3, 4, 15, 0)
    with database.connection_context():
        database.create_tables(V1_MODELS)
        RosterEntry.create(state="TX", agent_id="999999999", first_name="Jessica", last_name="Camp",
                           imported_at=then)
        RosterEntry.create(state="IL", agent_id="111111111", imported_at=then)
        account = Account1.create(user_name="JessicaCamp", user_name_key="jessicacamp", first_name="Jessica",
                                  last_name="Camp", created_at=then, failed_logins=1,
                                  password_hash=generate_password_hash("bcbs4tx9", "scrypt:1024:8:1"))
        StateRegistration.create(account=account, state="TX", agent_id="999999999",
                                 company_name="Producer Name Company", address_1="123 Test St",
                                 city="Testville", address_state="TX", zip_code="99999",
                                 phone="8155551212", email="testproducer@gmail.com", status="active",
                                 submitted_at=then, decided_at=then + timedelta(hours=3))
        TemporaryPassword.create(account=account, password_hash="scrypt:1024:8:1$x$y", created_at=then,
                                 expires_at=then + timedelta(hours=4))
        LoginSession.create(token="t" * 43, account=account, created_at=then,
                            expires_at=then + timedelta(hours=12), selected_state="TX")
        SecurityEvent.create(account=account, kind="login", created_at=then, client_address="127.0.0.1")
        SecurityEvent.create(account=None, kind="login failed", created_at=then, detail="unknown user name")
        OutboxMessage.create(recipient="testproducer@gmail.com", subject="Retail Producer Portal "
                             "Registration Activation", body_text="Activated.", created_at=then)
        RegistrationDraft.create(token="d" * 43, data='{"account": {}, "states": {}}',
                                 password_hash="scrypt:1024:8:1$x$y", created_at=then)
        rows = stored_rows(database)
    database.close()
    return rows


def stored_rows(database):
    """Every first-release column of every first-release row, table by table."""
    rows = {}
    for model in V1_MODELS:
        columns = ", ".join(f'"{field.column_name}"' for field in model._meta.sorted_fields)
        table = model._meta.table_name
        rows[table] = database.execute_sql(f'SELECT {columns} FROM "{table}" ORDER BY 1').fetchall()
    return rows
