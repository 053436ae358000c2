"""Input tags the field macro writes itself (rpp/widgets.py) are the tags WTForms' widgets write."""
import inspect

import pytest
from flask_wtf import FlaskForm
from werkzeug.datastructures import MultiDict
from wtforms import Form

from rpp import account, auth, recovery, registration, staff, twostep
from rpp.widgets import input_tag

AREAS = (account.forms, auth.forms, recovery.forms, registration.forms, staff.forms, twostep.forms)
FORMS = sorted({form for area in AREAS for _, form in inspect.getmembers(area, inspect.isclass)
                if issubclass(form, Form) and form not in (Form, FlaskForm) and form.__module__ == area.__name__},
               key=lambda form: form.__qualname__)
MACRO_ATTRIBUTES = {"class_": "input", "autocomplete": "username", "aria-required": "true", "aria-invalid": False,
                    "aria-describedby": "f-help f-error", "hx-post": "/validate", "hx-trigger": "change"}


def build(form_class, typed):
    """The form as its route builds it: the arguments its __init__ asks for (a state, a user name), and
    the posted values (a FlaskForm reads them from the request)."""
    asked = [name for name, parameter in inspect.signature(form_class.__init__).parameters.items()
             if name != "self" and parameter.kind is parameter.POSITIONAL_OR_KEYWORD and parameter.default is parameter.empty]
    arguments = {name: "TX" for name in asked}
    if issubclass(form_class, FlaskForm):
        return form_class(**arguments)
    return form_class(formdata=MultiDict(typed), **arguments)


@pytest.mark.parametrize("form_class", FORMS, ids=lambda form: form.__qualname__)
@pytest.mark.parametrize("typed", [{}, {"user_name": 'a"<b>&', "email": "x@y.z", "password": "secret1"}])
def test_every_field_renders_as_its_wtforms_widget_renders_it(app, form_class, typed):
    with app.test_request_context(method="POST", data=typed):
        form = build(form_class, typed)
        for field in form:
            for attributes in ({}, MACRO_ATTRIBUTES):
                assert input_tag(field, **attributes) == field(**attributes), field.name


def test_the_sign_in_page_writes_the_fields_and_the_token_as_wtforms_would(client):
    page = client.get("/").get_data(as_text=True)
    assert '<input aria-describedby="user_name-error" autocomplete="username" class="input" id="user_name" ' \
           'name="user_name" required type="text" value="">' in page
    assert '<input aria-describedby="password-error" autocomplete="current-password" class="input" ' \
           'id="password" name="password" required type="password" value="">' in page
    assert '<input id="csrf_token" name="csrf_token" type="hidden" value="' in page
