from decimal import Decimal

from django import forms, template
from django.urls import reverse
from django.utils.html import format_html

from sab.markdown import render_markdown, summary_text

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str):
    """Render a narrative (Markdown) field as sanitised HTML."""
    return render_markdown(text)


@register.filter(name="summary")
def summary(text: str, words: int = 30) -> str:
    """A narrative (Markdown) field's first ``words`` words as plain text, with an ellipsis
    when cut: for tables that link to the whole text."""
    return summary_text(text, words)


RAG_TAGS = {
    "red": ("app-rag--red", "Red"),
    "amber": ("app-rag--amber", "Amber"),
    "green": ("app-rag--green", "Green"),
    "complete": ("app-rag--complete", "Complete"),
}


@register.filter(name="rag_tag")
def rag_tag(rag: str | None):
    """A RAG rating as a GOV.UK tag with its word, never colour alone."""
    css, label = RAG_TAGS.get(rag or "", ("app-rag--none", "Not rated"))
    return format_html('<strong class="govuk-tag {}">{}</strong>', css, label)


BLANK_LABEL = "---------"  # django.db.models.fields.BLANK_CHOICE_DASH's label
NOT_SET = "Not set"


@register.filter(name="choices")
def choices(bound_field) -> list:
    """A field's choices as a list: one query for a model choice field (a template loop
    over the lazy iterator would first run a COUNT for its length)."""
    # iter(): list() would ask len() first. Django's blank choice "---------" reads as words.
    return [
        (value, NOT_SET if label == BLANK_LABEL else label)
        for value, label in iter(bound_field.field.choices)
    ]


@register.filter(name="error_target")
def error_target(bound_field) -> str:
    """The id an error summary links to for a field: its first option for radios and
    checkbox lists (the group itself has no id), else the field's input."""
    if widget_kind(bound_field) in {"radios", "checkboxes"}:
        return f"{bound_field.auto_id}_0"
    return bound_field.auto_id


REQUIRED = str(forms.Field.default_error_messages["required"])  # "This field is required."


@register.filter(name="govuk_error")
def govuk_error(bound_field, error) -> str:
    """An error as GOV.UK words it, naming the field: Django's "This field is required."
    becomes "Enter what we will do" (or "Select ..." for a choice). A form's own messages
    are shown as written."""
    if str(error) != REQUIRED:
        return error
    label = str(bound_field.label or bound_field.name).rstrip("?:. ")
    if not label[:2].isupper():  # "RAG rating" keeps its capitals; "Title" becomes "title"
        label = label[:1].lower() + label[1:]
    choice = widget_kind(bound_field) in {"radios", "checkboxes", "checkbox", "select"}
    verb = "Select" if choice else "Enter"
    return f"{verb} {label}"


@register.filter(name="selected_value")
def selected_value(bound_field) -> str:
    """The value a select shows as chosen, as text: the first of a list (an ordering
    filter's value is a list of one)."""
    value = bound_field.value()
    if isinstance(value, list | tuple):
        value = value[0] if value else ""
    return "" if value is None else str(value)


@register.filter(name="number")
def number(value) -> str:
    """A decimal without trailing zeros: 42.50 -> 42.5, 40.00 -> 40."""
    if value is None or value == "":
        return ""
    return f"{Decimal(value).normalize():f}"


@register.filter(name="widget_kind")
def widget_kind(bound_field) -> str:
    """How components/_field.html draws a field: "radios", "checkboxes" (a list of choices),
    "checkbox" (a single yes/no box), "textarea", "select", or an input's type ("text",
    "email", "password", "number"...)."""
    widget = bound_field.field.widget
    # CheckboxSelectMultiple is a RadioSelect in Django: ask for it first.
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.Select):
        return "select"
    return widget.input_type


@register.inclusion_tag("components/_breadcrumbs.html")
def breadcrumbs(*labels_and_urls):
    """GOV.UK breadcrumbs starting from Home, then each label and link in turn:
    ``{% breadcrumbs board.short_name board.get_absolute_url "Plans" plans_url %}``."""
    if len(labels_and_urls) % 2:
        raise template.TemplateSyntaxError("breadcrumbs takes label and URL pairs")
    pairs = zip(labels_and_urls[::2], labels_and_urls[1::2], strict=True)
    return {"crumbs": [("Home", reverse("home")), *pairs]}
