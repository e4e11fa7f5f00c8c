"""Readable change history for any model with django-simple-history."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models


@dataclass
class Change:
    label: str
    before: str
    after: str


@dataclass
class HistoryEntry:
    when: object
    who: object
    kind: str  # "Created", "Changed" or "Deleted"
    changes: list[Change] = field(default_factory=list)
    subject: str = ""  # what the entry is about, in a timeline of several records
    summary: str = ""  # a created record in brief (a timeline's progress update)
    reason: str = ""  # the change reason given, if any


KINDS = {"+": "Created", "~": "Changed", "-": "Deleted"}


def history_entries(
    instance, *, hide: tuple[str, ...] = ("version", "order")
) -> list[HistoryEntry]:
    """Every saved version of ``instance``, newest first, with what changed (before -> after).

    Each version is compared with the one before it by django-simple-history's
    ``diff_against``. Choices show their labels; foreign keys show the related record's name,
    looked up with one query per related model whatever the number of versions.
    """
    return entries_from(instance.history.all(), type(instance), hide=hide)


def entries_from(
    history,
    model: type[models.Model],
    *,
    hide: tuple[str, ...] = (),
    subject: str = "",
    summarise=None,
    kinds: dict[str, str] | None = None,
) -> list[HistoryEntry]:
    """History entries, newest first, from a model's historical records (one record's or
    several's, e.g. every progress update of an action, withdrawn ones included). Each version
    is compared with the one before it of the same record; ``summarise(record)`` describes a
    created record; ``kinds`` words the entries ("+", "~", "-") in place of KINDS."""
    records = list(history.select_related("history_user").order_by("history_date", "history_id"))
    fields = shown_fields(model, hide=hide)
    names = _related_names(records, fields)
    pk_name = model._meta.pk.attname
    entries = []
    previous_of: dict[object, object] = {}
    for record in records:
        kind = KINDS[record.history_type]
        entry = HistoryEntry(
            when=record.history_date,
            who=record.history_user,
            kind=(kinds or KINDS)[record.history_type],
            subject=subject,
            reason=record.history_change_reason or "",
        )
        previous = previous_of.get(getattr(record, pk_name))
        if previous is not None and kind == "Changed":
            entry.changes = [
                Change(label(f), _show(f, before, names), _show(f, after, names))
                for f, before, after in changes_between(previous, record, fields)
            ]
            if not entry.changes:
                previous_of[getattr(record, pk_name)] = record
                continue  # a save that changed only hidden fields (order, version)
        elif summarise is not None:
            entry.summary = summarise(record)
        entries.append(entry)
        previous_of[getattr(record, pk_name)] = record
    entries.reverse()
    return entries


def timeline(*entry_lists: list[HistoryEntry]) -> list[HistoryEntry]:
    """Several records' entries as one history, newest first."""
    merged = [entry for entries in entry_lists for entry in entries]
    return sorted(merged, key=lambda entry: entry.when, reverse=True)


def shown_fields(instance, *, hide: tuple[str, ...] = ()) -> list[models.Field]:
    """The record's (or model's) own fields a person would recognise, in the model's order."""
    return [
        f
        for f in instance._meta.concrete_fields
        if f.name not in hide and f.name != instance._meta.pk.name
    ]


def changes_between(
    older, newer, fields: list[models.Field]
) -> list[tuple[models.Field, object, object]]:
    """(field, value before, value after) for each of ``fields`` that differs between two
    history records of one object, in the order of ``fields`` (foreign keys as ids)."""
    by_name = {f.name: f for f in fields if f.editable}
    delta = newer.diff_against(older, included_fields=list(by_name))
    changed = {change.field: change for change in delta.changes}
    return [(f, changed[f.name].old, changed[f.name].new) for f in fields if f.name in changed]


def label(f: models.Field) -> str:
    return str(f.verbose_name).capitalize()


def _related_names(records, fields) -> dict:
    names: dict = {}
    for f in fields:
        if isinstance(f, models.ForeignKey):
            ids = {getattr(r, f.attname) for r in records} - {None}
            if ids:
                model = f.related_model
                names[f.name] = {obj.pk: str(obj) for obj in model._base_manager.filter(pk__in=ids)}
    return names


def _show(f, value, names) -> str:
    if value is None or value == "":
        return "(blank)"
    if isinstance(f, models.ForeignKey):
        return names.get(f.name, {}).get(value, "(deleted)")
    if f.choices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(f, models.DateField) and hasattr(value, "strftime"):
        return f"{value.day} {value:%B %Y}"
    if isinstance(f, models.BooleanField):
        return "Yes" if value else "No"
    return str(value)
