"""Register for the Portal in its states: the form, its mistakes, inline validation, confirm, submitted."""
import re
from datetime import timedelta

from rpp import clock
from rpp.models import StateRegistration

from .recorder import Shot
from .samples import sample_registration


def registration_states(gallery):
    """A newcomer registers Nora Newman (one registration is then made overdue for the console)."""
    newcomer = gallery.visitor()
    newcomer.page("registration", "Registration", "Registration", "GET /register (the Register button)",
                  newcomer.get("/register"))
    gallery.files["registration-no-js"] = re.sub(r"<script[^>]*></script>\n?", "", gallery.files["registration"])
    gallery.shots.append(Shot("registration-no-js",
                              "Registration without JavaScript (an unticked state shows only its box)",
                              "Registration", "page", "GET /register with JavaScript off",
                              gallery.shots[-1].templates))
    newcomer.page("registration-errors", "Registration: mistakes beside the fields and in the summary",
                  "Registration", "Continue with mistakes",
                  newcomer.post("/register", sample_registration(
                      "nn", "Nora", "Newman", {"OK": "444444445", "NM": "12345"}, password="abc",
                      **{"OK-zip_code": "9999", "OK-phone": "555-1212", "OK-city": "Tul\tsa"})))
    newcomer.page("registration-no-state", "Registration: no state selected", "Registration",
                  "Continue without ticking a state",
                  newcomer.post("/register", sample_registration("noranewman", "Nora", "Newman", {})))
    newcomer.fragment("field-error", "Inline validation: a field's error (htmx)", "Registration",
                      "Leave User Name with a name already taken, JavaScript on",
                      newcomer.post("/register/validate", {"user_name": "DemoProducer"}, htmx=True,
                                    trigger="user_name"),
                      slot='<div class="field field--error"><label for="user_name">User Name</label>'
                           '<p class="field-error" id="user_name-error">{}</p>'
                           '<input class="input" id="user_name" value="DemoProducer" aria-invalid="true"></div>')
    newcomer.post("/register", sample_registration("noranewman", "Nora", "Newman",
                                                   {"OK": "444444445", "NM": "333333334"}))
    newcomer.page("registration-confirm", "Confirm Your Registration", "Registration",
                  "Continue with everything right", newcomer.get("/register/confirm"))
    newcomer.fragment("registration-confirm-fragment", "Confirm Your Registration (htmx)", "Registration",
                      "Continue, JavaScript on", newcomer.get("/register/confirm", htmx=True))
    newcomer.page("registration-submitted", "Registration Information Submitted", "Registration",
                  "Submit Registration", newcomer.post("/register/submit"))
    with gallery.app.app_context():  # one registration has waited past its promised day: overdue in the queue
        StateRegistration.update(submitted_at=clock.utcnow() - timedelta(days=4)).where(
            StateRegistration.agent_id == "444444445").execute()
    producer = gallery.visitor()
    producer.page("sign-in-not-activated", "Please Sign-In: registration not yet activated", "Sign-in",
                  "Login before Producer Services activated the registration", producer.sign_in("noranewman"))
