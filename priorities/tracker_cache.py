"""The tracker's filter choices (plans, priorities, groups, people), cached per board.

What is cached: four lists of ``(pk, label)`` pairs for one board, under a key made of the
board's pk and a *fingerprint* of everything the lists are made from. The value is never
invalidated in place; a change makes a new fingerprint, so the next request misses the old
entry and builds the lists afresh (old entries fall out by ``TIMEOUT`` or the cache's culling).

How a change is seen. The fingerprint is read from the database on every request, in one
query run before the lists are read (so a list is never older than its key):

- for each model a label is made from (BusinessPlan: title and status; Priority: ref, title
  and plan; Group: name; Person: name and organisation; Organisation: name), the newest
  row of its django-simple-history table, by id and date. Every save and delete writes one,
  and so do ``bulk_create_with_history`` and ``bulk_update_with_history`` (the plan import
  and roll forward) and changes to a group's boards (``m2m_fields``). A change to any board's
  records therefore invalidates every board's lists: rare writes, simple rule. The date
  guards against ids reused after a rolled-back transaction (SQLite);
- the number and the highest id of the board's links in ``Person.boards`` and
  ``Group.boards``, which have no history of their own: adding a link raises the highest id
  (ids are never reused), removing one lowers the count.

So every process (and every server) sees a change at once, whatever cache backend holds the
lists: the default per-process LocMemCache is enough and no CACHES setting is needed.

What it cannot see: a write that skips the ORM's save, delete and history (``QuerySet.update``
or raw SQL on those tables). The app makes none; a data migration that does must be followed
by a restart (with LocMemCache) or a cache clear. If a label starts reading another model,
add that model to ``LABEL_SOURCES``.
"""

from __future__ import annotations

import functools
import hashlib
from typing import NamedTuple

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Max, OuterRef, Subquery

from priorities.models import BusinessPlan, Priority
from sab.models import Board, Organisation, Person
from subgroups.models import Group

TIMEOUT = 60 * 60  # seconds; entries are replaced by a new key on any change, not expired
LABEL_SOURCES = (BusinessPlan, Priority, Group, Person, Organisation)
BOARD_LINKS = (Person.boards.through, Group.boards.through)


class FilterChoices(NamedTuple):
    plans: list[tuple[int, str]]
    priorities: list[tuple[int, str]]
    groups: list[tuple[int, str]]
    people: list[tuple[int, str]]


def build_choices(priorities, groups, people) -> FilterChoices:
    """The lists from the given querysets (a board's, or all the reader sees): plans in use
    first, then drafts, then archived ones; archived plans' priorities are not listed
    (choose the plan instead). Labels are the records' own ``str``."""
    found = list(priorities.select_related("plan"))
    plans = {p.plan_id: p.plan for p in found}
    ordered = sorted(plans.values(), key=lambda p: (p.is_read_only, not p.is_current, p.pk))
    return FilterChoices(
        plans=[(p.pk, f"{p.title} ({p.get_status_display().lower()})") for p in ordered],
        priorities=[
            (p.pk, f"{p.ref} {p.title} ({p.plan})") for p in found if not p.plan.is_read_only
        ],
        groups=[(g.pk, str(g)) for g in groups.order_by("name")],
        people=[(p.pk, str(p)) for p in people.select_related("organisation").order_by("name")],
    )


@functools.cache
def _fingerprint_sql() -> str:
    """The fingerprint query's SQL, built once (the ORM takes longer to compile it than the
    database to run it); its one parameter is the board's pk."""
    columns = {}
    for i, model in enumerate(LABEL_SOURCES):
        newest = model.history.model.objects.order_by("-pk")
        columns[f"h{i}_id"] = Subquery(newest.values("pk")[:1])
        columns[f"h{i}_at"] = Subquery(newest.values("history_date")[:1])
    for i, through in enumerate(BOARD_LINKS):
        links = through.objects.filter(board=OuterRef("pk")).order_by().values("board")
        columns[f"l{i}_n"] = Subquery(links.annotate(n=Count("pk")).values("n"))
        columns[f"l{i}_max"] = Subquery(links.annotate(m=Max("pk")).values("m"))
    query = Board.objects.filter(pk=0).order_by().annotate(**columns).values_list(*columns)
    sql, params = query.query.sql_with_params()
    assert params == (0,), params  # the board's pk is the only parameter
    return sql


def fingerprint(board: Board) -> str:
    """A short string that changes whenever any of the board's choice lists may have changed
    (a digest of the fingerprint query's row)."""
    with connection.cursor() as cursor:
        cursor.execute(_fingerprint_sql(), [board.pk])
        row = cursor.fetchone()
    text = "|".join("" if value is None else str(value) for value in row or ())
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def filter_choices(board: Board) -> FilterChoices:
    """The board's lists: from the cache when nothing they show has changed, else built
    (three queries) and cached under the new fingerprint."""
    key = f"priorities.tracker-choices:{board.pk}:{fingerprint(board)}"
    found = cache.get(key)
    if found is None:
        found = build_choices(
            Priority.objects.for_board(board), Group.objects.for_board(board), board.people.all()
        )
        cache.set(key, found, TIMEOUT)
    return found
