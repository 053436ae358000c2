"""What the sign-in page does once instead of on every request (docs/PERFORMANCE.md, issue 17.9) stays right."""
from flask.globals import request_ctx
from flask.sessions import SecureCookieSessionInterface

from rpp.extensions import limiter


def test_every_rate_limit_counts_posts_only_so_gets_may_skip_the_limiter(app):
    """RouteLimiter skips the check before every request and runs its other hooks for POSTs only: right
    while every limit is on a route and counts POSTs, and no default, application or blueprint limit exists."""
    manager = limiter.limit_manager
    limits = [limit for route in manager._decorated_limits.values() for limit in route]
    assert limits and {tuple(limit.methods) for limit in limits} == {("post",)}
    assert (manager.default_limits, manager.application_limits, manager._blueprint_limits) == ([], [], {})
    assert not limiter._meta_limits


def test_a_page_shown_by_a_get_leaves_the_limiter_untouched(app):
    """None of the limiter's request hooks does anything for a GET: it keeps no notes for the request."""
    with app.test_request_context("/"):
        response = app.full_dispatch_request()
        app.do_teardown_request()
        assert response.status_code == 200
        assert not hasattr(request_ctx._get_current_object(), "_limiter_request_context")
    with app.test_request_context("/login", method="POST", data={"user_name": "x", "password": "y"}):
        app.full_dispatch_request()  # a POST to a limited route: the limiter counts it
        assert hasattr(request_ctx._get_current_object(), "_limiter_request_context")


def test_page_urls_worked_out_once_follow_the_script_root(client):
    """The layout's URLs are cached per script root, so a portal mounted under a prefix links under it."""
    assert 'href="/contact-us"' in client.get("/").get_data(as_text=True)
    mounted = client.get("/", environ_overrides={"SCRIPT_NAME": "/portal"}).get_data(as_text=True)
    assert 'href="/portal/contact-us"' in mounted and 'href="/contact-us"' not in mounted
    assert 'src="/portal/static/vendor/htmx-' in mounted


def test_a_session_cookie_signed_with_a_retired_key_still_opens_after_the_key_changes(app, client):
    """The signing serializer is kept per set of keys: rotating SECRET_KEY (old one in the fallbacks)
    signs with the new key and still reads cookies signed with the old one."""
    client.get("/")
    old_cookie = client.get_cookie("rpp_session").value
    with client.session_transaction() as session:
        token = session["csrf_token"]
    app.config.update(SECRET_KEY_FALLBACKS=[app.config["SECRET_KEY"]], SECRET_KEY="a new secret key")
    app.secret_key = "a new secret key"
    with client.session_transaction() as session:
        assert session["csrf_token"] == token
    client.get("/")
    app.config["SECRET_KEY_FALLBACKS"] = []  # Flask's own interface, with the new key alone, reads the new cookie
    new_cookie = client.get_cookie("rpp_session").value
    assert new_cookie != old_cookie
    assert SecureCookieSessionInterface().get_signing_serializer(app).loads(new_cookie)["csrf_token"] == token
