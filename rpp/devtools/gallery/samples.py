"""Sample data for the gallery: the roster, producers registered through the real forms, profile details."""
import io

from rpp.registration import activation, roster
from rpp.staff import staff_users as staff

from .. import authenticator_app

SAMPLE_PASSWORD = "bcbs4tx9"
STAFF_PASSWORD = "gallery staff password"
SAMPLE_ROSTER = """state,agent_id,first_name,last_name
TX,999999999,Jessica,Camp
IL,111111111,Jessica,Camp
MT,222222222,Jessica,Camp
TX,999999998,Demo,Producer
IL,111111112,Demo,Producer
OK,444444445,Nora,Newman
NM,333333334,Nora,Newman
NM,333333333,Larry,Locke
IL,100000001,Alex,Allen
MT,200000001,Alex,Allen
NM,300000001,Alex,Allen
OK,400000001,Alex,Allen
TX,900000001,Alex,Allen
OK,400000002,Robin,Reyes
"""
BAD_ROSTER = "state,agent_id\nTX,12345\nZZ,999999999\n"


def sample_registration(user_name, first_name, last_name, agent_ids, **overrides):
    """What the registration form posts for these BCBS states ({"TX": "999999999", …})."""
    data = {"first_name": first_name, "last_name": last_name, "user_name": user_name,
            "password": SAMPLE_PASSWORD, "confirm_password": SAMPLE_PASSWORD}
    for code, agent_id in agent_ids.items():
        data.update({f"{code}-register": "y", f"{code}-company_name": f"{last_name} Insurance Agency",
                     f"{code}-address_1": "123 Test St", f"{code}-address_2": "Suite 200",
                     f"{code}-city": "Testville", f"{code}-address_state": code, f"{code}-zip_code": "99999",
                     f"{code}-agent_id": agent_id, f"{code}-phone": "(815) 555-1212",
                     f"{code}-email": f"{user_name}@example.com"})
    data.update(overrides)
    return data


def state_details(**overrides):
    """The Edit Profile form's fields."""
    data = {"company_name": "Camp Insurance Agency", "address_1": "500 Main St", "address_2": "",
            "city": "Dallas", "address_state": "TX", "zip_code": "75201", "phone": "(214) 555-0100",
            "email": "jessica.camp@example.com", "password": SAMPLE_PASSWORD}
    data.update(overrides)
    return data


def bytes_file(text):
    return io.BytesIO(text.encode())


def register(gallery, user_name, first_name, last_name, agent_ids):
    """Register for the Portal through the form: Continue, then Submit Registration."""
    visitor = gallery.visitor()
    visitor.post("/register", sample_registration(user_name, first_name, last_name, agent_ids))
    visitor.post("/register/submit")


def activate(gallery, user_name, state=None):
    """Producer Services activates; the activation e-mail is filed."""
    with gallery.app.app_context():
        activation.activate(user_name, state, by="gallery")
    gallery.collect_mail(f"flask registrations activate {user_name}, or Activate in the console")


def sample_producers(gallery):
    """The roster, a staff user and the sample producers, registered through the form."""
    with gallery.app.app_context():
        roster.import_roster(SAMPLE_ROSTER)
        authenticator_app.enrol(staff.create_staff_user("alice", STAFF_PASSWORD))  # two-step set up already
    register(gallery, "demoproducer", "Demo", "Producer", {"TX": "999999998", "IL": "111111112"})
    activate(gallery, "demoproducer", "TX")
    register(gallery, "larrylocke", "Larry", "Locke", {"NM": "333333333"})
    activate(gallery, "larrylocke")
    register(gallery, "alexallen", "Alex", "Allen", {"IL": "100000001", "MT": "200000001", "NM": "300000001",
                                                     "OK": "400000001", "TX": "900000001"})
    activate(gallery, "alexallen")
