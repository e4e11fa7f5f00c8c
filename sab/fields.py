"""Form fields shared by every app, in the shapes board staff type them."""

from django import forms

DATE_HINT = "For example, 31/3/2025"


class UKDateField(forms.DateField):
    """A date typed as one text field in UK order (31/3/2025, 31 March 2025 or 2025-03-31)."""

    default_error_messages = {
        "invalid": "Enter a real date, for example 31/3/2025",
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("help_text", DATE_HINT)
        kwargs.setdefault("widget", forms.TextInput(attrs={"class": "govuk-input--width-10"}))
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if hasattr(value, "strftime"):
            return f"{value.day}/{value.month}/{value.year}"
        return value


class YesNoUnknownField(forms.TypedChoiceField):
    """A yes / no / not recorded answer stored as True, False or None."""

    def __init__(self, **kwargs):
        kwargs.setdefault("choices", [("yes", "Yes"), ("no", "No"), ("", "Not recorded")])
        kwargs.setdefault("widget", forms.RadioSelect)
        kwargs.setdefault("required", False)
        kwargs.setdefault("empty_value", None)
        kwargs["coerce"] = lambda value: {"yes": True, "no": False}.get(value)
        super().__init__(**kwargs)

    def prepare_value(self, value):
        return {True: "yes", False: "no", None: ""}.get(value, value)
