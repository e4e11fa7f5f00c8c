"""The tracker page's rows and filter form, worked out in Python for its templates
(priorities/tracker.html, priorities/_tracker_filters.html): the tracker is the page people
open most, and an include per field and filters per cell cost more than the rest of the
request (docs/benchmarks.md). The views call ``TrackerPaginator``, ``rows`` and
``filter_fields``; what each shows is what the template filters it replaces would show.
"""

from __future__ import annotations

import functools

from django.core.paginator import Paginator
from django.template.defaultfilters import date as date_filter
from django.template.defaultfilters import stringformat, truncatewords
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html_join
from django.utils.translation import get_language

from sab.markdown import summary_text
from sab.templatetags.sab_tags import choices as field_choices
from sab.templatetags.sab_tags import rag_tag, selected_value, widget_kind

# What a tracker row reads (rows): the page's query fetches only these columns, and
# joins no more than it shows (for_tracker also brings the objective, for the plan pages).
ROW_RELATIONS = ("priority__plan", "lead_group", "lead_person")
ROW_FIELDS = (
    "ref", "description", "due_date", "timescale", "status", "lead_text",
    "priority__ref", "priority__plan__title", "lead_group__name", "lead_person__name",
)  # fmt: skip
_PK_STANDIN = 2**62  # a pk no action has, replaced in a reversed URL by each row's


class TrackerPaginator(Paginator):
    """Fetches a page in one query of two steps: the page's actions, sorting only their
    ids, then those actions with their latest updates. PostgreSQL works out the latest-update
    subqueries of every row an OFFSET skips, so without this a later page cost the
    subqueries of all the rows before it (page 40 of 2,000 rows: 14 ms of SQL, not 1.4)."""

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        shown = self.object_list.values("pk")[bottom:top]
        return self._get_page(self.object_list.filter(pk__in=shown), number, self)


@functools.lru_cache(maxsize=2048)
def _progress_summary(text: str) -> str:
    """An update's first 30 words as the tracker shows them (the ``summary`` filter). The
    Markdown rendering behind it is the dearest part of a row, and a text's summary never
    changes, so each process remembers the last 2,048 (a few MB at most)."""
    return summary_text(text, 30)


@functools.lru_cache(maxsize=1024)
def _due_text(day, language: str) -> str:
    """A due date as the tracker shows it (the ``date`` filter, "j M Y"), remembered per
    date and language: Django's date formatting is slow for what it does."""
    return date_filter(day, "j M Y")


def rows(actions) -> list[dict]:
    """What each row of the tracker shows, worked out once per row with the same filters
    and rules the template used to call cell by cell (date, truncatewords, rag_tag,
    summary, is_overdue): the same text, a fraction of the template time."""
    today = timezone.localdate()
    language = get_language()
    # One reverse() for the page: every action's address differs only by its pk.
    url = reverse("priorities:action-detail", kwargs={"pk": _PK_STANDIN})
    before, after = url.split(str(_PK_STANDIN))
    rows = []
    for action in actions:
        rows.append(
            {
                "url": f"{before}{action.pk}{after}",
                "ref": action.ref,
                "description": truncatewords(action.description, 25),
                "plan": action.priority.plan.title,
                "priority": action.priority.ref,
                "lead": action.lead_display,
                "lead_person": action.lead_person.name if action.lead_person else None,
                "due": (_due_text(action.due_date, language) if action.due_date else "")
                or action.timescale,
                "overdue": action.is_overdue(today),
                "status": action.get_status_display(),
                "rag": rag_tag(action.latest_rag),
                "second_look": action.needs_second_look(today),
                "progress": _progress_summary(action.latest_text) if action.latest_text else None,
            }
        )
    return rows


def filter_fields(form) -> list[dict]:
    """The filter form's visible fields as components/_field.html draws them, worked out in
    Python for priorities/_tracker_filters.html: one template instead of an include per
    field and a filter per option, the same markup (tests/priorities/test_tracker_cache.py
    compares the two). Only the kinds the tracker's form has."""
    fields = []
    for field in form.visible_fields():
        kind = widget_kind(field)
        errors = field.errors
        hint = f"{field.auto_id}-hint" if field.help_text else ""
        item = {
            "kind": kind,
            "id": field.auto_id,
            "name": field.html_name,
            "label": field.label,
            "help_text": field.help_text,
            "errors": errors,
            "optional": not field.field.required,
            "describedby": hint + (f" {field.auto_id}-error" if errors else ""),
        }
        if kind in {"radios", "checkboxes"}:
            item["input_type"] = "radio" if kind == "radios" else "checkbox"
            item["options"] = [
                {
                    "id": option.id_for_label,
                    "name": option.data["name"],
                    "value": stringformat(option.data["value"], "s"),
                    "checked": option.data["selected"],
                    "label": option.choice_label,
                }
                for option in field
            ]
        elif kind == "checkbox":
            item["checked"] = bool(field.value())
        elif kind == "select":
            # The options, which can run to hundreds (people), as one piece of HTML: a
            # template loop costs more per option than the rest of the field.
            current = selected_value(field)
            item["options"] = format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                (
                    (value, " selected" if stringformat(value, "s") == current else "", label)
                    for value, label in field_choices(field)
                ),
            )
        elif kind == "text":
            value = field.value()
            attrs = field.field.widget.attrs
            item["value"] = None if value is None else stringformat(value, "s")
            item["class"] = attrs.get("class", "")
            item["autocomplete"] = attrs.get("autocomplete", "")
        else:
            raise ValueError(f"_tracker_filters.html does not draw a {kind} field ({field.name})")
        fields.append(item)
    return fields
