"""Past the per-address sign-in limit, and past the cap on password checks at once, in a browser:
the portal's "try again" page, in place of the page's content with htmx, a whole page without."""
import threading

from playwright.sync_api import expect

from tests.browser.journeys import heading, link, says, sign_in
from tests.helpers import Browser, make_account


def test_past_the_sign_in_limit_the_producer_is_asked_to_try_again_later(app, page, js, live_server):
    make_account(app)
    flood = Browser(live_server)  # the same address as the producer's browser: 127.0.0.1
    for _ in range(20):
        assert flood.post("/login", {"user_name": "nobody", "password": "wrong1"}) == 200
    sign_in(page)
    expect(heading(page, "Please try again later", 1)).to_be_visible()
    expect(says(page, "We have received too many requests. Please try again later.")).to_be_visible()
    expect(heading(page, "Please Sign-In")).to_have_count(0)  # replaced, not added beside
    expect(page).to_have_url(live_server + ("/" if js else "/login"))
    link(page, "Back to Login Page").click()
    expect(heading(page, "Please Sign-In", 1)).to_be_visible()


def test_when_every_password_check_is_taken_the_producer_is_asked_to_try_again_in_a_moment(
        app, page, js, monkeypatch):
    make_account(app)
    state = app.extensions["rpp_hashing"]
    monkeypatch.setattr(state, "slots", threading.BoundedSemaphore(1))
    state.slots.acquire()  # another sign-in is checking a password right now
    sign_in(page)
    expect(heading(page, "Please try again in a moment", 1)).to_be_visible()
    expect(says(page, "Nothing was changed. Please try again in a moment.")).to_be_visible()
    state.slots.release()
    link(page, "Back to Login Page").click()
    sign_in(page)
    expect(heading(page, "Hello, Jessica Camp", 1)).to_be_visible()
