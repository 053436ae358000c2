"""The benchmark's seeding stays in step with the schema: seeded producers can sign in and register."""
from bench import seed as seeding
from rpp.extensions import db
from rpp.models import Account, LoginSession, StateRegistration
from rpp.registration import service as registration
from tests.helpers import Portal, login


def test_seeded_producers_sign_in_and_spare_roster_ids_can_register(app):
    assert seeding.seed(app, accounts=20, spare_roster=5) is not None
    with app.app_context():
        assert Account.select().count() == 20
        assert StateRegistration.select().where(StateRegistration.status == "active").count() == 20
        assert LoginSession.select().count() == 20  # expired ones
        assert registration.agent_id_problem("TX", str(seeding.SPARE_AGENT_ID + 4)) is None
        assert registration.agent_id_problem("TX", str(seeding.SPARE_AGENT_ID + 5)) is not None
    db.close()
    response = login(Portal(app.test_client()), user_name=seeding.user_name(7), password=seeding.PASSWORD)
    assert response.status_code == 303


def test_seeding_leaves_a_seeded_database_alone(app):
    seeding.seed(app, accounts=3, spare_roster=0)
    assert seeding.seed(app, accounts=3, spare_roster=0) is None
    with app.app_context():
        assert Account.select().count() == 3
