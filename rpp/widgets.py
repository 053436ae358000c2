"""The `<input>` tag of a text-like field, written the way WTForms writes it but without its slow part.

WTForms' widgets write each attribute through `Markup.format` (the pure-Python `string.Formatter`):
the largest single cost of rendering a form page (docs/PERFORMANCE.md). `input_tag` gives the same
tag — same attributes, same order, same escaping — for the plain input widgets every form uses;
any other widget (select, radio, textarea, checkbox) renders as WTForms renders it.
"""
from markupsafe import Markup, escape
from wtforms import widgets
from wtforms.widgets.core import clean_key

PLAIN_INPUTS = (widgets.TextInput, widgets.PasswordInput, widgets.EmailInput, widgets.TelInput,
                widgets.HiddenInput, widgets.SearchInput, widgets.URLInput, widgets.NumberInput,
                widgets.DateInput)


def html_attributes(attributes):
    """`name="value"` pairs sorted by name, True as a bare name, False left out (WTForms' html_params)."""
    written = []
    for name, value in sorted(attributes.items()):
        if value is True:
            written.append(name)
        elif value is not False:
            written.append(f'{name}="{str(escape(value)).replace(chr(34), "&quot;")}"')
    return " ".join(written)


def attribute_names(attributes):
    """`class_` as `class`, `aria_label` as `aria-label` (WTForms' clean_key), other names as they are."""
    return {clean_key(name) if "_" in name else name: value for name, value in attributes.items()}


def input_tag(field, **attributes):
    """The field's `<input>` as its WTForms widget writes it (same markup), or the widget's own output."""
    widget = field.widget
    if type(widget) not in PLAIN_INPUTS or getattr(field, "_datalist", None) is not None:
        return field(**attributes)
    attributes = attribute_names(attributes)
    if field.render_kw:
        attributes = {**attribute_names(field.render_kw), **attributes}
    attributes.setdefault("id", field.id)
    attributes.setdefault("type", widget.input_type)
    if getattr(widget, "hide_value", False):
        attributes["value"] = ""
    elif "value" not in attributes:
        attributes["value"] = field._value()
    flags = vars(field.flags)  # the flags the field's validators set
    for flag in widget.validation_attrs:
        if flag in flags and flag not in attributes:
            attributes[flag] = flags[flag]() if callable(flags[flag]) else flags[flag]
    attributes["name"] = field.name
    return Markup(f"<input {html_attributes(attributes)}>")
