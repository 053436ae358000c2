"""rpp/states.py is the one place that knows the BCBS states: every state has every number, templates
name none of them, and the rosters the demo and the tests use cover each one."""
import csv
import dataclasses
import io
import pathlib
import re

import pytest

from rpp.messages import number_word
from rpp.states import CONTACT_TABLE, STATES, BcbsState
from tests.helpers import AGENT_IDS, DEMO_ROSTER, visible

ROOT = pathlib.Path(__file__).resolve().parent.parent
PHONE = re.compile(r"^\(\d{3}\) \d{3}-\d{4}( (prior to|on or after) \w+ \d+, \d{4})?$")
NUMBERS = [field.name for field in dataclasses.fields(BcbsState) if field.name not in ("code", "name")]


@pytest.mark.parametrize("code", list(STATES))
def test_every_state_has_every_number(code):
    state = STATES[code]
    assert state.code == code and state.name and state.plan_name == f"BlueCross BlueShield of {state.name}"
    for number in NUMBERS:
        assert PHONE.match(getattr(state, number)), f"{code} {number}"


def test_the_contact_table_has_a_column_and_a_number_for_every_state():
    assert sorted(CONTACT_TABLE.columns) == sorted(STATES)
    for line, numbers in CONTACT_TABLE.rows:
        assert sorted(numbers) == sorted(STATES) and all(PHONE.match(number) for number in numbers.values()), line


def test_a_state_without_a_number_stops_the_portal_at_start_up():
    with pytest.raises(ValueError, match="'ZZ' has no medicare_supplement_legacy"):
        BcbsState("ZZ", "Nowhere", major_medical="(888) 000-0000", medicare_supplement_legacy="",
                  medicare_supplement_new_business="(888) 000-0000")
    with pytest.raises(TypeError):
        BcbsState("ZZ", "Nowhere", major_medical="(888) 000-0000")


def test_no_template_names_a_state_or_the_count_of_states():
    words = [state.name for state in STATES.values()] + [number_word(len(STATES))]
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, words)) + r")\b", re.IGNORECASE)
    found = [f"{path.relative_to(ROOT)}: {match}" for folder in ("templates", "partials")
             for path in sorted((ROOT / folder).rglob("*.*"))
             for match in pattern.findall(path.read_text(encoding="utf-8"))]
    assert found == []


def test_the_contact_us_page_shows_every_states_numbers(portal):
    page = visible(portal.get("/contact-us"))
    for state in STATES.values():
        for number in NUMBERS:
            assert getattr(state, number) in page


def test_the_header_and_footer_name_every_state_and_plan(portal):
    page = visible(portal.get("/"))
    assert " • ".join(state.name for state in STATES.values()) in page
    assert all(state.plan_name in page for state in STATES.values())


def test_the_demo_and_test_rosters_have_a_producer_in_every_state():
    demo = (ROOT / "rpp" / "data" / "demo_roster.csv").read_text(encoding="utf-8")
    for roster in (demo, DEMO_ROSTER):
        jessica = {row["state"] for row in csv.DictReader(io.StringIO(roster)) if row["last_name"] == "Camp"}
        assert jessica == set(STATES)
    assert sorted(AGENT_IDS) == sorted(STATES)


@pytest.mark.parametrize("path", ["/contact-us", "/forgot-user-name", "/reset-password"])
def test_every_producer_services_number_is_a_tel_link(portal, path):
    body = portal.get(path).get_data(as_text=True)
    numbers = {number for state in STATES.values() for field in NUMBERS
               for number in re.findall(r"\(\d{3}\) \d{3}-\d{4}", getattr(state, field))}
    numbers |= {number for _, number in CONTACT_TABLE.all_states}
    for number in numbers:
        digits = re.sub(r"\D", "", number)
        assert f'<a class="tel" href="tel:+1{digits}">{number}</a>' in body, number
    main = body.split("<main", 1)[1].split("</main>", 1)[0]
    assert len(re.findall(r"\(\d{3}\) \d{3}-\d{4}", main)) == len(re.findall(r'<a class="tel" ', main))


def test_contact_us_has_one_block_per_state(portal):
    body = portal.get("/contact-us").get_data(as_text=True)
    for state in STATES.values():
        block = re.search(rf'<h2[^>]*>{state.name}</h2>\s*<dl>(.*?)</dl>', body, re.S)
        assert block, state.name
        assert "Major Medical" in block.group(1) and state.major_medical.split(" prior")[0] in block.group(1)
