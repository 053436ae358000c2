"""The console for a busy day: the queue's filters, paging and at-a-glance figures, Activate/Reject
Selected with a confirmation step, and Download CSV."""
import csv
import io
import random
import re
from datetime import datetime, timedelta

import pytest
from peewee import OperationalError

from rpp import clock
from rpp import events as event_trail
from rpp.models import OutboxMessage, SecurityEvent, StateRegistration
from rpp.staff import queue
from tests.helpers import add_producer, make_account, state_registration, visible

MONDAY_9AM = datetime(2024, 3, 4, 15, 0)  # Monday, March 4, 2024 9:00 AM CST


@pytest.fixture
def now(monkeypatch):
    """The portal's clock, stopped at Tuesday, March 5, 2024 12:00 PM CST unless a test moves it."""
    moment = {"at": datetime(2024, 3, 5, 18, 0)}
    monkeypatch.setattr(clock, "utcnow", lambda: moment["at"])
    return moment


def rows_shown(response):
    """The user names in the queue table, in order (none when the page has no table)."""
    table = response.get_data(as_text=True).partition('<table class="queue"')[2].split("</table>", 1)[0]
    return re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a>', table)


# The queue: short waits, filters, sort and 50 a page.

def test_waiting_time_is_short_with_the_exact_time_in_the_time_element(app, console, now):
    with app.app_context():
        add_producer(1, submitted_at=MONDAY_9AM)  # 27 hours ago: due Tuesday 9:00 AM, overdue
        add_producer(2, submitted_at=now["at"] - timedelta(hours=2))
        add_producer(3, submitted_at=now["at"] - timedelta(minutes=12))
    response = console.get("/staff/")
    body, seen = response.get_data(as_text=True), visible(response)
    assert rows_shown(response) == ["producer0001", "producer0002", "producer0003"]
    assert "1 day — overdue" in seen and "2 h" in seen and "12 min" in seen
    assert ('<time datetime="2024-03-04T15:00Z" title="Submitted Monday, March 4, 2024 at 9:00 AM CST; '
            'due Tuesday, March 5, 2024 at 9:00 AM CST">1 day</time>') in body
    assert "Showing 1–3 of 3" in seen


@pytest.mark.parametrize("minutes, words", [
    (0, "< 1 min"), (1, "1 min"), (59, "59 min"), (60, "1 h"), (125, "2 h"), (23 * 60 + 59, "23 h"),
    (1440, "1 day"), (3 * 1440 + 600, "3 days")])
def test_waiting_time_reads_short(minutes, words):
    assert clock.short_wait(timedelta(minutes=minutes)) == words


def test_queue_shows_50_a_page_with_counts_and_links_to_the_next(app, console, now):
    with app.app_context():
        for number in range(1, 121):
            add_producer(number, submitted_at=MONDAY_9AM + timedelta(minutes=number))
    first = console.get("/staff/")
    assert "Showing 1–50 of 120" in visible(first) and "Page 1 of 3" in visible(first)
    assert len(rows_shown(first)) == 50 and rows_shown(first)[0] == "producer0001"
    assert 'href="/staff/?page=2"' in first.get_data(as_text=True)
    last = console.get("/staff/?page=3")
    assert "Showing 101–120 of 120" in visible(last) and rows_shown(last)[-1] == "producer0120"
    beyond = console.get("/staff/?page=99")  # an old bookmark: the last page
    assert "Showing 101–120 of 120" in visible(beyond)


def test_sort_by_waiting_time_newest_first(app, console, now):
    with app.app_context():
        for number in range(1, 4):
            add_producer(number, submitted_at=MONDAY_9AM + timedelta(hours=number))
    response = console.get("/staff/?sort=newest")
    assert rows_shown(response) == ["producer0003", "producer0002", "producer0001"]
    body = response.get_data(as_text=True)
    assert 'aria-sort="descending"' in body and re.search(r'href="/staff/" hx-get="/staff/"[^>]*>Waiting ▲</a>', body)


def test_filter_by_state_and_overdue_only(app, console, now):
    with app.app_context():
        add_producer(1, states=("TX",), submitted_at=MONDAY_9AM)  # overdue since 9:00 AM today
        add_producer(2, states=("IL",), submitted_at=MONDAY_9AM)
        add_producer(3, states=("TX",), submitted_at=now["at"] - timedelta(hours=1))
    assert rows_shown(console.get("/staff/?state=TX")) == ["producer0001", "producer0003"]
    overdue = console.get("/staff/?overdue=1")
    assert rows_shown(overdue) == ["producer0001", "producer0002"]
    assert "Pending registrations, overdue only" in visible(overdue)
    assert rows_shown(console.get("/staff/?state=IL&overdue=1")) == ["producer0002"]


@pytest.mark.parametrize("query", ["producer0002", "PRODUCER0002", "Number2", "pat number2", "500000002",
                                   "producer2@example"])
def test_search_box_finds_by_user_name_name_agent_id_or_email(app, console, now, query):
    with app.app_context():
        for number in (1, 2, 3):
            add_producer(number)
    assert rows_shown(console.get("/staff/", query_string={"q": query})) == ["producer0002"]


def test_activated_and_rejected_in_a_date_range(app, console, now):
    with app.app_context():
        add_producer(1, status="active", submitted_at=datetime(2024, 3, 1, 15))  # decided Mar 1
        add_producer(2, status="active", submitted_at=datetime(2024, 3, 4, 15))  # decided Mar 4
        add_producer(3, status="rejected", submitted_at=datetime(2024, 3, 4, 15))
    response = console.get("/staff/?status=active&date_from=2024-03-02&date_to=2024-03-04")
    assert rows_shown(response) == ["producer0002"]
    assert "Activated registrations" in visible(response)
    assert rows_shown(console.get("/staff/?status=rejected")) == ["producer0003"]


@pytest.mark.parametrize("args, field, message", [
    ("date_from=yesterday", "date_from", "Please enter the from date as YYYY-MM-DD, for example 2026-11-30."),
    ("state=ZZ", "state", "Not a valid choice."),
])
def test_a_bad_filter_is_explained_beside_its_field_and_ignored(app, console, now, args, field, message):
    with app.app_context():
        add_producer(1)
    response = console.get(f"/staff/?{args}")
    assert response.status_code == 200
    assert re.search(rf'id="{field}-error"[^>]*>.*{re.escape(message)}', response.get_data(as_text=True))
    assert rows_shown(response) == ["producer0001"]


@pytest.mark.parametrize("args, shown", [
    ("date_to=9999-12-31", ["producer0001"]),
    ("date_from=0001-01-01&date_to=9999-12-31", ["producer0001"]),
    ("date_from=9999-12-31", []),
    ("date_to=0001-01-01", []),
    ("status=active&date_from=0001-01-01&date_to=9999-12-31", []),
    (f"page={10 ** 30}", ["producer0001"]),
    (f"page={'9' * 5000}", ["producer0001"]),
    ("page=-7&sort=sideways&status=lost&state=ZZ", ["producer0001"]),
])
def test_any_filter_value_gives_a_list_and_a_whole_csv_never_an_error(app, console, now, args, shown):
    with app.app_context():
        add_producer(1, submitted_at=MONDAY_9AM)
    response = console.get(f"/staff/?{args}")
    assert response.status_code == 200 and rows_shown(response) == shown
    export = console.get(f"/staff/registrations.csv?{args}")
    assert export.status_code == 200
    rows = list(csv.reader(io.StringIO(export.get_data(as_text=True))))
    assert rows[0] == queue.CSV_COLUMNS and [row[0] for row in rows[1:]] == shown


def test_htmx_filters_swap_the_table_only_and_push_the_address(app, console, now):
    with app.app_context():
        add_producer(1, states=("TX",))
    response = console.get("/staff/?q=&state=TX&status=pending&date_from=&date_to=&sort=oldest", htmx=True)
    body = response.get_data(as_text=True)
    assert "<html" not in body and '<section class="panel" id="queue-results"' in body
    assert body.startswith("<title>Registrations – Retail Producer Portal</title>")  # with the pushed address
    assert response.headers["HX-Push-Url"] == "/staff/?state=TX"
    assert "HX-Request" in response.headers["Vary"]


def test_filter_form_is_a_get_form_that_works_without_javascript(console):
    body = console.get("/staff/").get_data(as_text=True)
    assert re.search(r'<form class="queue-filters" method="get" action="/staff/" role="search"', body)
    for label in ("Search", "State", "Status", "From", "To", "Sort", "Overdue only"):
        assert re.search(rf'<label for="[a-z_]+">{label}', body), label


# Overdue as a query agrees with the rule row by row.

def test_overdue_query_agrees_with_the_business_day_rule(app, monkeypatch):
    generator = random.Random(20241128)
    start = datetime(2024, 6, 28, 12)  # around July 4 and two weekends
    with app.app_context():
        moments = [start + timedelta(minutes=generator.randrange(0, 60 * 24 * 14)) for _ in range(300)]
        for number, moment in enumerate(moments):
            add_producer(number, submitted_at=moment)
        for hours in range(0, 24 * 14, 7):
            now = start + timedelta(hours=hours, minutes=13)
            expected = {r.id for r in StateRegistration.select()
                        if queue.QueueRow(r, now=now).overdue}
            found = {r.id for r in StateRegistration.select().where(queue.overdue_condition(now))}
            assert found == expected, now


# At a glance.

def test_at_a_glance_counts_pending_overdue_activated_today_and_the_median(app, console, now):
    with app.app_context():
        add_producer(1, submitted_at=MONDAY_9AM)  # overdue
        add_producer(2, submitted_at=now["at"] - timedelta(hours=1))
        add_producer(3, status="active", submitted_at=now["at"] - timedelta(hours=7))  # activated 2 h ago
        add_producer(4, status="active", submitted_at=now["at"] - timedelta(days=3))  # 5 h wait, days ago
        add_producer(5, status="active", submitted_at=now["at"] - timedelta(days=40))  # older than 30 days
        StateRegistration.update(decided_at=now["at"] - timedelta(days=39, hours=1)).where(
            StateRegistration.agent_id == "500000005").execute()
    seen = visible(console.get("/staff/"))
    assert ("Pending 2 Overdue 1 waiting past the guide's 1 business day Activated today 1 "
            "Median time to activation 5 h over 30 days (2 activated)") in seen


# Activate Selected / Reject Selected.

def bulk(console, action, ids, reason="", back="", confirm=False):
    data = {"registration": [str(i) for i in ids], "action": action, "reason": reason, "back": back}
    return console.post("/staff/registrations/bulk/apply" if confirm else "/staff/registrations/bulk", data)


def test_select_all_on_this_page_ticks_every_row(app, console, now):
    with app.app_context():
        for number in (1, 2, 3):
            add_producer(number)
    page = console.get("/staff/").get_data(as_text=True)
    assert page.count('type="checkbox" name="registration"') == 3 and " checked" not in page
    assert re.search(r'href="/staff/\?select=all" hx-get="/staff/\?select=all"[^>]*>Select all on this page</a>', page)
    selected = console.get("/staff/?select=all").get_data(as_text=True)
    assert selected.count(" checked>") == 3 and ">Clear selection</a>" in selected


def test_activate_selected_asks_to_confirm_and_lists_what_will_happen(app, console, now, outbox):
    make_account(app, states=("TX", "IL"), activate=False)
    tx, il = state_registration("TX"), state_registration("IL")
    response = bulk(console, "activate", [tx.id, il.id], back="state=TX")
    seen = visible(response)
    assert response.status_code == 200 and "Activate 2 registrations?" in seen
    assert "Nothing has changed yet." in seen
    assert "jessicacamp Jessica Camp Texas 999999999 testproducer@gmail.com Activated." in seen
    assert "One activation e-mail to testproducer@gmail.com (jessicacamp) listing Illinois and Texas." in seen
    assert 'href="/staff/?state=TX">Cancel</a>' in response.get_data(as_text=True)
    assert state_registration("TX").status == "pending" and outbox == []


def test_activate_selected_sends_one_email_per_producer_listing_every_state(app, console, now, outbox):
    make_account(app, states=("TX", "IL"), activate=False)
    with app.app_context():
        other = add_producer(7, states=("OK",))
    ids = [state_registration("TX").id, state_registration("IL").id,
           StateRegistration.get(StateRegistration.account == other.id).id]
    response = bulk(console, "activate", ids, back="state=TX", confirm=True)
    assert response.status_code == 303 and response.headers["Location"] == "/staff/?state=TX"
    assert {r.status for r in StateRegistration.select()} == {"active"}
    assert len(SecurityEvent.select().where(SecurityEvent.kind == "registration activated")) == 3
    assert sorted(m.to[0] for m in outbox) == ["producer7@example.com", "testproducer@gmail.com"]
    jessica = next(m for m in outbox if m.to == ["testproducer@gmail.com"])
    assert "Illinois registration for User Name jessicacamp (Agent Unique ID 111111111) is now active." in jessica.body
    assert "Texas registration for User Name jessicacamp (Agent Unique ID 999999999) is now active." in jessica.body
    assert "Illinois: (888) 313-5526" in jessica.body and "Texas: (888) 697-0679" in jessica.body
    seen = visible(console.get("/staff/?state=TX"))
    assert "Activated 3 of 3 selected registrations. 2 activation e-mails queued, one per producer." in seen
    assert "jessicacamp Texas 999999999 Activated; e-mail queued for testproducer@gmail.com." in seen
    assert "Activated 3 of 3" not in visible(console.get("/staff/"))  # shown once


def test_reject_selected_needs_one_reason_for_all(app, console, now, outbox):
    make_account(app, states=("TX", "IL"), activate=False)
    response = bulk(console, "reject", [state_registration("TX").id], reason="  ")
    assert response.status_code == 200
    assert re.search(r'id="reason-error"[^>]*>.*Please enter the reason for rejecting the selected registrations\.',
                     response.get_data(as_text=True))
    assert 'value="{}" id="select-{}" checked'.format(*[state_registration("TX").id] * 2) in response.get_data(
        as_text=True)  # the ticked row stays ticked
    nothing = bulk(console, "activate", [])
    assert nothing.status_code == 200 and "Please select at least one registration." in visible(nothing)
    assert state_registration("TX").status == "pending" and outbox == []


def test_reject_selected_rejects_each_with_its_own_email(app, console, now, outbox):
    make_account(app, states=("TX", "IL"), activate=False)
    ids = [state_registration("TX").id, state_registration("IL").id]
    confirm = visible(bulk(console, "reject", ids, reason="Not contracted"))
    assert "Reject 2 registrations?" in confirm
    assert "Each producer gets the rejection e-mail with this reason: “Not contracted”" in confirm
    bulk(console, "reject", ids, reason="Not contracted", confirm=True)
    assert {r.status for r in StateRegistration.select()} == {"rejected"}
    assert len(outbox) == 2 and all("Not contracted" in m.body for m in outbox)
    assert "Rejected 2 of 2 selected registrations. 2 rejection e-mails queued." in visible(console.get("/staff/"))


def test_a_failure_on_one_row_is_reported_on_that_row_and_the_rest_go_on(app, console, now, outbox, monkeypatch):
    make_account(app, states=("TX", "IL"), activate=False)
    with app.app_context():
        other = add_producer(7, states=("OK",))
    tx, il = state_registration("TX"), state_registration("IL")
    ok = StateRegistration.get(StateRegistration.account == other.id)
    with app.app_context():  # another clerk activated Illinois a moment ago
        StateRegistration.update(status="active").where(StateRegistration.id == il.id).execute()
    record = event_trail.record_event

    def refuse_texas(kind, account=None, client_address="", detail=""):
        if detail.startswith("TX"):
            raise OperationalError("disk I/O error")
        return record(kind, account, client_address, detail)
    monkeypatch.setattr("rpp.registration.activation.record_event", refuse_texas)
    bulk(console, "activate", [tx.id, il.id, ok.id], confirm=True)
    assert state_registration("TX").status == "pending"  # nothing half-done
    assert StateRegistration.get_by_id(ok.id).status == "active"
    assert [m.to for m in outbox] == [["producer7@example.com"]]  # Illinois was not this clerk's to announce
    seen = visible(console.get("/staff/"))
    assert "Activated 1 of 3 selected registrations." in seen and "2 not changed: see below." in seen
    assert "jessicacamp Texas 999999999 Not changed: it could not be saved just now." in seen
    assert "jessicacamp Illinois 111111111 Not changed: it was already active." in seen


def test_bulk_back_address_cannot_leave_the_queue(app, console, now):
    make_account(app, activate=False)
    response = bulk(console, "activate", [state_registration("TX").id], back="next=//evil.example/&state=TX",
                    confirm=True)
    assert response.headers["Location"] == "/staff/?state=TX"


def test_bulk_needs_the_csrf_token_and_a_staff_sign_in(app, console, portal, now):
    make_account(app, activate=False)
    tx = state_registration("TX")
    refused = console.post("/staff/registrations/bulk/apply", {"registration": [tx.id], "action": "activate"},
                           csrf=False)
    assert refused.status_code == 400
    outsider = portal.post("/staff/registrations/bulk/apply", {"registration": [tx.id], "action": "activate"})
    assert outsider.status_code == 303 and outsider.headers["Location"] == "/staff/login"
    assert state_registration("TX").status == "pending"


def test_cli_activate_sends_one_email_listing_every_state(app, runner, outbox):
    make_account(app, states=("TX", "IL"), activate=False)
    result = runner.invoke(args=["registrations", "activate", "jessicacamp"])
    assert result.exit_code == 0 and "Activated jessicacamp in IL" in result.output
    [message] = outbox
    assert "Illinois: (888) 313-5526" in message.body and "Texas: (888) 697-0679" in message.body
    assert OutboxMessage.select().count() == 1


# Download CSV.

def test_download_csv_of_the_current_filter_with_cells_safe_from_formulas(app, console, now):
    with app.app_context():
        add_producer(1, states=("TX",), submitted_at=MONDAY_9AM, first_name="=HYPERLINK(\"http://x\")", last_name="+1")
        add_producer(2, states=("IL",), first_name="@SUM(A1)", last_name="-2")
    body = console.get("/staff/?state=TX").get_data(as_text=True)
    assert 'href="/staff/registrations.csv?state=TX" download>Download CSV</a>' in body
    response = console.get("/staff/registrations.csv?state=TX")
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"] == 'attachment; filename="registrations-pending-2024-03-05.csv"'
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0][:5] == ["User Name", "First Name", "Last Name", "State", "Agent Unique ID"]
    assert len(rows) == 2
    assert rows[1][:5] == ["producer0001", "'=HYPERLINK(\"http://x\")", "'+1", "TX", "500000001"]
    assert rows[1][13:15] == ["Pending", "2024-03-04 15:00"]
    everything = list(csv.reader(io.StringIO(console.get("/staff/registrations.csv").get_data(as_text=True))))
    assert [row[1:3] for row in everything[1:]] == [["'=HYPERLINK(\"http://x\")", "'+1"], ["'@SUM(A1)", "'-2"]]


@pytest.mark.parametrize("value, safe", [("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@x", "'@x"),
                                         ("\tx", "'\tx"), ("plain", "plain"), (None, ""),
                                         ("Suite 1;=1+2;@SUM(A1)", "Suite 1;'=1+2;'@SUM(A1)"),
                                         ("a,+1\t-2", "a,'+1\t'-2"), ("a\t\t=1", "a\t'\t'=1"),
                                         ("Unit 5-B; 2nd floor", "Unit 5-B; 2nd floor")])
def test_safe_cell(value, safe):
    assert queue.safe_cell(value) == safe


FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


@pytest.mark.parametrize("separator", [",", ";", "\t"])
def test_no_cell_of_the_export_is_a_formula_whichever_separator_a_spreadsheet_splits_on(app, console, now,
                                                                                      separator):
    with app.app_context():
        producer = add_producer(1, states=("TX",), first_name="Ann;=1+2", last_name="Lee,@SUM(A1)")
        StateRegistration.update(address_1="Suite 1;=1+2;@SUM(A1)", address_2="x\t-3\t+4",
                                 company_name="=cmd|' /C calc'!A0", city="a;\t=5").where(
            StateRegistration.account == producer.id).execute()
    exported = console.get("/staff/registrations.csv").get_data(as_text=True)
    cells = [cell for row in csv.reader(io.StringIO(exported), delimiter=separator) for cell in row]
    assert cells and not [cell for cell in cells if cell.startswith(FORMULA_TRIGGERS)]
    [row] = list(csv.reader(io.StringIO(exported)))[1:]  # still readable, as a comma-separated file
    assert row[1:3] == ["Ann;'=1+2", "Lee,'@SUM(A1)"]
    assert row[5:8] == ["'=cmd|' /C calc'!A0", "Suite 1;'=1+2;'@SUM(A1)", "x\t'-3\t'+4"]


# A busy day: 5,000 pending.

def test_a_5000_pending_queue_renders_a_page_in_under_100_ms(app):
    from bench.console_queue import seed_queue, time_views
    seed_queue(app, pending=5000, activated=1000)
    figures = time_views(app, rounds=3)
    # CPU time of the whole request (SQLite runs in-process): wall time on a shared CI machine is noise.
    slow = {view: round(cpu, 1) for view, (_, _, cpu) in figures.items() if cpu >= 100}
    assert not slow, f"queue views over 100 ms of CPU: {slow} (all: {figures})"


# The producer's page: revoke an active registration; a rejected or revoked one frees the Agent ID.

def test_revoke_needs_a_reason_then_tells_the_producer_and_frees_the_agent_id(app, console, outbox):
    make_account(app, states=("TX",))
    tx = state_registration("TX")
    page = console.get(f"/staff/producers/{tx.account_id}").get_data(as_text=True)
    assert f'action="/staff/registrations/{tx.id}/revoke"' in page
    empty = console.post(f"/staff/registrations/{tx.id}/revoke", {f"registration-{tx.id}-reason": " "})
    assert empty.status_code == 200
    assert "Please enter the reason for revoking this registration." in visible(empty)
    assert state_registration("TX").status == "active"
    response = console.post(f"/staff/registrations/{tx.id}/revoke",
                            {f"registration-{tx.id}-reason": "Contract ended"})
    assert response.status_code == 303
    seen = visible(console.get(f"/staff/producers/{tx.account_id}"))
    assert ("Revoked jessicacamp in Texas; e-mail queued for testproducer@gmail.com. "
            "Agent ID 999999999 is free to register again.") in seen
    assert "Revoked" in seen and "Contract ended (Agent ID free)" in seen
    stored = state_registration("TX")
    assert stored.status == "revoked" and stored.rejection_reason == "Contract ended" and stored.revoked_at
    message = outbox[-1]
    assert message.subject == "Retail Producer Portal Registration Revoked"
    assert "Reason: Contract ended" in message.body and "(888) 697-0679" in message.body
    [event] = SecurityEvent.select().where(SecurityEvent.kind == "registration revoked")
    assert event.detail == "TX: Contract ended (by alice)"
    # The real producer registers with the freed Agent ID.
    make_account(app, user_name="realproducer", states=("TX",), activate=False)
    assert StateRegistration.select().where(StateRegistration.agent_id == "999999999").count() == 2


def test_only_an_active_registration_can_be_revoked(app, console, outbox):
    make_account(app, states=("TX",), activate=False)
    tx = state_registration("TX")
    response = console.post(f"/staff/registrations/{tx.id}/revoke", {f"registration-{tx.id}-reason": "x"})
    assert response.status_code == 303
    producer_page = console.get(f"/staff/producers/{tx.account_id}")
    assert "jessicacamp has no active registration in Texas." in visible(producer_page)
    assert state_registration("TX").status == "pending" and outbox == []


def test_a_rejected_registration_frees_the_agent_id(app, console, outbox):
    make_account(app, user_name="impostor", states=("TX",), activate=False)
    tx = state_registration("TX", user_name="impostor")
    console.post(f"/staff/registrations/{tx.id}/reject", {f"registration-{tx.id}-reason": "Not yours"})
    make_account(app, user_name="jessicacamp", states=("TX",))  # the real producer, activated
    assert state_registration("TX").status == "active"


def test_the_database_lets_only_one_pending_or_active_registration_hold_an_agent_id(app):
    from peewee import IntegrityError
    with app.app_context():
        add_producer(1, states=("TX",), status="rejected")
        first = StateRegistration.get()
        second = add_producer(2, states=("TX",))
        StateRegistration.update(agent_id=first.agent_id).where(StateRegistration.account == second.id).execute()
        third = add_producer(3, states=("TX",))
        with pytest.raises(IntegrityError):
            StateRegistration.update(agent_id=first.agent_id).where(
                StateRegistration.account == third.id).execute()
