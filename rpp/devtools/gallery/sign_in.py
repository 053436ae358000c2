"""The sign-in page in its states, and the pages anyone can reach."""
from rpp.registration import activation

from .samples import register, sample_registration


def sign_in_states(gallery):
    """Please Sign-In: fresh, wrong password (page and htmx fragment), locked."""
    producer = gallery.visitor()
    producer.page("sign-in", "Please Sign-In", "Sign-in", "GET /", producer.get("/"))
    producer.page("sign-in-mismatch", "Please Sign-In: wrong user name or password", "Sign-in",
                  "Login with a wrong password", producer.sign_in("demoproducer", "wrong1"))
    producer.fragment("sign-in-mismatch-fragment", "Sign-in box: wrong password (htmx)", "Sign-in",
                      "Login with a wrong password, JavaScript on",
                      producer.post("/login", {"user_name": "demoproducer", "password": "wrong1"}, htmx=True))
    producer.sign_in("larrylocke", "wrong1")
    producer.sign_in("larrylocke", "wrong2")
    producer.page("sign-in-locked", "Please Sign-In: account locked", "Sign-in",
                  "Three wrong passwords in a row", producer.sign_in("larrylocke", "wrong3"))


def rejected_states(gallery):
    """Signing in after Producer Services rejected the registration, and Register Again."""
    register(gallery, "robinreyes", "Robin", "Reyes", {"OK": "400000002"})
    with gallery.app.app_context():
        activation.reject("robinreyes", "OK", "The Agent Unique ID belongs to another agency.", by="gallery")
    gallery.collect_mail("Reject in the console, or flask registrations reject")
    producer = gallery.visitor()
    producer.page("sign-in-not-registered", "Please Sign-In: every registration rejected", "Sign-in",
                  "Log in after Producer Services rejected the registration", producer.sign_in("robinreyes"))
    producer.page("register-again", "Register Again", "Registration", "Register Again, on that sign-in page",
                  producer.get("/register/again"))


def other_pages(gallery):
    """Contact Us, the page-not-found error and the wrong-method page."""
    stranger = gallery.visitor()
    stranger.page("contact-us", "Contact Us", "Sign-in", "Menu → Contact Us", stranger.get("/contact-us"))
    stranger.page("page-not-found", "Page not found", "Errors", "Any unknown address",
                  stranger.get("/no-such-page"))
    stranger.fragment("error-in-place", "Any error answer to htmx, shown in the main content (here 404)", "Errors",
                      "An htmx request answered with an error", stranger.get("/no-such-page", htmx=True))
    stranger.page("wrong-method", "An address for sending a form, opened another way", "Errors",
                  "PUT /login (a GET, e.g. a reload, goes to the sign-in page)", stranger.request("PUT", "/login"))


def expired_states(gallery):
    """Forms sent from an expired page (the session cookie gone) come back filled, saying so; a form of a
    signed-in page sent after the sign-in ended leads to the sign-in page, which says so."""
    gallery.app.config["WTF_CSRF_ENABLED"] = True  # off elsewhere in the gallery; read at each request
    try:
        producer = gallery.visitor()
        producer.page("sign-in-expired", "Please Sign-In: sent from an expired page", "Errors",
                      "Login with the session cookie gone", producer.sign_in("demoproducer", "wrong1"))
        producer.fragment("registration-expired-fragment", "Registration: Continue from an expired page (htmx)",
                          "Errors", "Continue with the session cookie gone, JavaScript on",
                          producer.post("/register", sample_registration("newproducer", "New", "Producer",
                                                                         {"TX": "999999999"}), htmx=True))
    finally:
        gallery.app.config["WTF_CSRF_ENABLED"] = False
    signed_out = gallery.visitor()
    signed_out.page("sign-in-session-expired", "Please Sign-In: the session had ended", "Errors",
                    "Update Profile after the sign-in ended", signed_out.post("/account/profile", {"city": "Abilene"}))
