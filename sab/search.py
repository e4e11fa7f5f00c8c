"""Search across every board the reader can see: the header's search box and its page.

Each app says what of its own it offers to search by registering a source (an extension
point like ``sab.permissions.add_role_source``, so sab never imports the apps above it):

    add_search_source(ActionSource())      # priorities/search.py, loaded by PrioritiesConfig

A source names its model, the fields searched with their weights (A counts most, D least)
and how a hit is titled, linked and described. The search itself starts every source from
``source.model.objects.visible_to(user)`` and the source only narrows that (``refine``), so
no source can widen the scope: a reader never sees another board's records.

On PostgreSQL the fields are a weighted SearchVector, the words a websearch SearchQuery
(stemmed English: "reviews" finds "review"), hits come in SearchRank order, and
SearchHeadline says which words of the text matched; the snippet around them is cut from
the text as written (the headline itself would drop anything that looks like a tag).
Elsewhere (SQLite in development) every word must appear in one of the fields (icontains),
hits are ordered by the weights of the fields the words appear in, and the snippet is cut
around the first match. Either way the matches come back between two private marker
characters, which ``highlight`` alone turns into ``<mark>`` after escaping everything else:
user text is never marked safe.
"""

from __future__ import annotations

import functools
import operator
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import (
    Case,
    Count,
    F,
    FloatField,
    Model,
    Prefetch,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, Concat
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.views.decorators.http import require_GET

from sab.models import Board, Person

CONFIG = "english"
HITS_PER_KIND = 20
MAX_QUERY_LENGTH = 200
MAX_WORDS = 10  # the plain search's words (each one more condition)
SNIPPET_LENGTH = 220  # characters around the first match (plain search)

# Matches come back between these (Unicode private-use characters, which no one types).
START, STOP = "\ue000", "\ue001"
_MARKED = re.compile(f"{START}([^{START}{STOP}]*){STOP}")
_MARKERS = re.compile(f"[{START}{STOP}]")
# Between one field and the next in the text a snippet is cut from.
_FIELD_BREAK = "\n"
# PostgreSQL's default ts_rank weights, for the plain search's ordering.
_WEIGHTS = {"A": 1.0, "B": 0.4, "C": 0.2, "D": 0.1}


class SearchSource:
    """What one kind of record offers to search. Subclass it in the app that owns the model
    and register an instance with ``add_search_source``.

    ``fields`` maps a field (or a path through foreign keys, "person__name") to its weight,
    "A" to "D". Search only what the page a hit links to shows the reader. The snippet is
    cut from ``snippet_fields`` (all of ``fields`` unless given: leave out what the title
    already shows).
    """

    model: type[Model]
    label: str  # the kind, in the plural: "Actions"
    fields: Mapping[str, str]
    snippet_fields: tuple[str, ...] = ()
    order: int = 100  # where the kind comes on the results page

    def refine(self, queryset: QuerySet, user) -> QuerySet:
        """Narrow ``queryset`` (already ``model.objects.visible_to(user)``) and add the
        select_related/prefetch_related the hits need. Never widen it."""
        return queryset

    def title(self, obj) -> str:
        return str(obj)

    def url(self, obj) -> str:
        return obj.get_absolute_url()

    def boards(self, obj) -> Iterable[Board]:
        """The boards to name beside the hit (the reader's, for a record shared by several)."""
        return [obj.board]

    def describe(self, obj) -> str:
        """A line of context under the title: where the record sits."""
        return ""


_SOURCES: dict[str, SearchSource] = {}


def add_search_source(source: SearchSource) -> None:
    """Register ``source`` (once per label: registering a label again replaces it)."""
    _SOURCES[source.label] = source


def search_sources() -> list[SearchSource]:
    return sorted(_SOURCES.values(), key=lambda source: (source.order, source.label))


# --- Running a search -----------------------------------------------------------------------


@dataclass(frozen=True)
class Hit:
    title: str
    url: str
    boards: str  # the board short names, "LSAB, LRSAB"
    description: str
    snippet: SafeString


@dataclass(frozen=True)
class Kind:
    label: str
    anchor: str
    hits: list[Hit]
    total: int

    @property
    def is_cut_short(self) -> bool:
        return self.total > len(self.hits)


def results_for(user, text: str) -> list[Kind]:
    """Each kind with hits: its best ``HITS_PER_KIND`` hits and how many there are in all.
    One query per source (hits and total together), plus the prefetches a source asks for
    when it has hits: nothing per hit."""
    text = text.strip()[:MAX_QUERY_LENGTH]
    if not text:
        return []
    kinds = []
    for source in search_sources():
        queryset = source.refine(source.model.objects.visible_to(user), user)
        snippet_fields = source.snippet_fields or tuple(source.fields)
        if connection.vendor == "postgresql":
            queryset = _ranked(queryset, source.fields, snippet_fields, text)
        else:
            queryset = _plain(queryset, source.fields, snippet_fields, text)
        rows = list(queryset.annotate(search_total=Window(Count("pk")))[:HITS_PER_KIND])
        if rows:
            hits = [_hit(source, row, text) for row in rows]
            anchor = "results-" + re.sub(r"\W+", "-", source.label.lower())
            kinds.append(Kind(source.label, anchor, hits, rows[0].search_total))
    return kinds


def _document(fields: Iterable[str]):
    """The fields' text, one after another: what a snippet is cut from."""
    parts = []
    for name in fields:
        parts += [Value(_FIELD_BREAK), Coalesce(F(name), Value(""), output_field=TextField())]
    return Concat(*parts[1:], output_field=TextField()) if len(parts) > 2 else parts[1]


def _ranked(
    queryset: QuerySet, fields: Mapping[str, str], snippet_fields: Iterable[str], text: str
) -> QuerySet:
    """PostgreSQL full-text search: weighted vector, websearch query, rank and headline."""
    vector = functools.reduce(
        operator.add,
        (SearchVector(name, weight=weight, config=CONFIG) for name, weight in fields.items()),
    )
    query = SearchQuery(text, search_type="websearch", config=CONFIG)
    return (
        queryset.alias(search_vector=vector)
        .filter(search_vector=query)
        .annotate(
            search_rank=SearchRank(F("search_vector"), query),
            # The headline says which words of the text matched (stemmed: "reviews" for
            # "review"); the snippet itself is cut from the text as written (``_hit``), since
            # PostgreSQL's parser reads "<b>" in a person's words as a tag and drops it.
            search_text=_document(snippet_fields),
            search_snippet=SearchHeadline(
                _document(snippet_fields),
                query,
                config=CONFIG,
                start_sel=START,
                stop_sel=STOP,
                max_words=35,
                min_words=15,
                max_fragments=2,
                fragment_delimiter=" … ",
            ),
        )
        .order_by("-search_rank", "pk")
    )


def words_of(text: str) -> list[str]:
    """The words of a query for the plain search (operators and punctuation dropped)."""
    return list(dict.fromkeys(re.findall(r"\w+", text.lower())))[:MAX_WORDS]


def _plain(
    queryset: QuerySet, fields: Mapping[str, str], snippet_fields: Iterable[str], text: str
) -> QuerySet:
    """The fallback: every word in some field; ordered by the weights of the fields the
    words are found in, best first."""
    words = words_of(text)
    if not words:
        return queryset.none()
    for word in words:
        queryset = queryset.filter(
            functools.reduce(operator.or_, (Q(**{f"{name}__icontains": word}) for name in fields))
        )
    score = functools.reduce(
        operator.add,
        (
            Case(
                When(Q(**{f"{name}__icontains": word}), then=Value(_WEIGHTS[weight])),
                default=Value(0.0),
                output_field=FloatField(),
            )
            for word in words
            for name, weight in fields.items()
        ),
    )
    return queryset.annotate(search_rank=score, search_snippet=_document(snippet_fields)).order_by(
        "-search_rank", "pk"
    )


def _hit(source: SearchSource, obj, text: str) -> Hit:
    if connection.vendor == "postgresql":
        matched = [word for word in _MARKED.findall(obj.search_snippet) if word.strip()]
        marked = plain_snippet(obj.search_text, matched or words_of(text))
    else:
        marked = plain_snippet(obj.search_snippet, words_of(text))
    return Hit(
        title=source.title(obj),
        url=source.url(obj),
        boards=", ".join(board.short_name for board in source.boards(obj)),
        description=source.describe(obj),
        snippet=highlight(marked),
    )


def _tidy(text: str) -> str:
    """One line: fields and paragraphs run together with a dot between them."""
    lines = (" ".join(line.split()) for line in text.splitlines())
    return " · ".join(line for line in lines if line)


def plain_snippet(text: str, words: list[str], length: int = SNIPPET_LENGTH) -> str:
    """About ``length`` characters of ``text`` around the first of ``words``, with every
    word found marked (START/STOP) for ``highlight``."""
    text = _tidy(_MARKERS.sub("", text))
    if not words:
        return Truncator(text).chars(length)
    pattern = re.compile("|".join(re.escape(word) for word in sorted(words, key=len)[::-1]), re.I)
    found = pattern.search(text)
    start = max(0, found.start() - length // 4) if found else 0
    if start:
        space = text.find(" ", start)
        start = space + 1 if 0 <= space < found.start() else start
    end = min(len(text), start + length)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > (found.end() if found else start) else end
    window = ("… " if start else "") + text[start:end] + (" …" if end < len(text) else "")
    return pattern.sub(lambda match: f"{START}{match.group(0)}{STOP}", window)


def highlight(marked: str) -> SafeString:
    """``marked`` as HTML: every character escaped, the marked matches in ``<mark>``.
    Stray markers (an unmatched one, or one in the stored text) are dropped."""
    html = SafeString()
    done = 0
    for match in _MARKED.finditer(marked):
        html += escape(_MARKERS.sub("", marked[done : match.start()]))
        html += format_html("<mark>{}</mark>", match.group(1))
        done = match.end()
    return html + escape(_MARKERS.sub("", marked[done:]))


# --- The page -------------------------------------------------------------------------------


@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """The search page: the form; with a query, the hits of each kind from every board the
    reader can see."""
    query = request.GET.get("q", "").strip()[:MAX_QUERY_LENGTH]
    kinds = results_for(request.user, query)
    return render(
        request,
        "sab/search.html",
        {"query": query, "kinds": kinds, "total": sum(kind.total for kind in kinds)},
    )


# Included by sab/urls.py ("sab:search").
urlpatterns = [path("", search, name="search")]


# --- sab's own source: people, for the boards the reader manages ------------------------------


class PersonSource(SearchSource):
    """A board manager's people list (sab:person-list) shows everyone the board names, with
    job title, organisation and login; no one else sees that list. (People a reader sees
    on a group's page are subgroups' "Group members".)"""

    model = Person
    label = "People"
    fields = {
        "name": "A",
        "job_title": "B",
        "organisation__name": "C",
        "email": "C",
        "user__email": "C",
    }
    snippet_fields = ("job_title", "organisation__name", "email", "user__email")
    order = 80

    def refine(self, queryset: QuerySet, user) -> QuerySet:
        managed = Board.objects.managed_by(user).order_by("short_name", "pk")
        return (
            queryset.in_boards(managed.values("pk"))  # a site administrator's too: with a board
            .select_related("organisation")
            .prefetch_related(Prefetch("boards", queryset=managed, to_attr="managed_boards"))
        )

    def title(self, person: Person) -> str:
        return person.name

    def url(self, person: Person) -> str:
        board = person.managed_boards[0]
        return reverse("sab:person-edit", kwargs={"slug": board.slug, "pk": person.pk})

    def boards(self, person: Person) -> list[Board]:
        return person.managed_boards


add_search_source(PersonSource())
