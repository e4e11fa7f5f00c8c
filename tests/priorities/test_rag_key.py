"""The board's RAG key: parsing the RAG definitions text, the data migration, the key
component and the page where a board manager words it."""

import importlib

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.template.loader import render_to_string
from django.urls import reverse

from priorities.models import NOT_STARTED, RagDefinition
from sab.models import Board
from tests.factories import BoardFactory
from tests.matrix import expected

migration = importlib.import_module("priorities.migrations.0007_rag_key_from_definitions")

CUSTOM_TEXT = """\
How we rate progress:

- **Blue:** the action is finished and signed off.
- **Green:** on track.
* **Amber** - some slippage; the lead group has a plan.
- **Purple:** a colour nobody knows.
Red = at risk, needs the board.
- **Not started:** work has not begun.
- **Green:** a second green line.
"""


def _entries(board):
    return [
        (e.rating, e.word, e.definition)
        for e in RagDefinition.objects.for_board(board).in_key_order()
    ]


# --- Parsing ----------------------------------------------------------------------------------


def test_the_default_text_parses_to_the_default_key():
    parsed = RagDefinition.parse(Board.DEFAULT_RAG_DEFINITIONS)
    assert [(e.rating, e.word, e.definition) for e in parsed] == [
        (rating, word, definition) for rating, word, definition in RagDefinition.DEFAULTS
    ]
    assert [e.order for e in parsed] == [0, 1, 2, 3]


def test_parsing_places_each_word_and_leaves_out_what_it_cannot_place():
    parsed = RagDefinition.parse(CUSTOM_TEXT)
    assert [(e.rating, e.word, e.definition) for e in parsed] == [
        ("complete", "Blue", "The action is finished and signed off."),
        ("green", "Green", "On track."),
        ("amber", "Amber", "Some slippage; the lead group has a plan."),
        ("red", "Red", "At risk, needs the board."),
        (NOT_STARTED, "Not started", "Work has not begun."),
    ]


def test_the_frozen_parser_in_the_migration_agrees_with_the_model():
    for text in (Board.DEFAULT_RAG_DEFINITIONS, CUSTOM_TEXT, "", "Nothing here"):
        assert migration.parse(text) == [
            (e.rating, e.word, e.definition) for e in RagDefinition.parse(text)
        ]


def test_a_long_definition_is_cut_to_fit():
    (entry,) = RagDefinition.parse("- **Red:** " + "word " * 100)
    assert len(entry.definition) == 300 and entry.definition.endswith("\u2026")


# --- The data migration -----------------------------------------------------------------------


def _migration_apps():
    """The models as the migration sees them (no history signals: it writes its own)."""
    state = MigrationLoader(connection).project_state(("priorities", "0006_rag_cycle"))
    return state.apps


def _migrate_keys():
    migration.forwards(_migration_apps(), None)


@pytest.fixture
def run_migration(db):
    return _migrate_keys


def test_migration_reads_each_boards_text_and_keeps_the_text(run_migration):
    default = BoardFactory(rag_definitions=Board.DEFAULT_RAG_DEFINITIONS)
    custom = BoardFactory(rag_definitions=CUSTOM_TEXT)
    partial = BoardFactory(rag_definitions="- **Red:** off track.\n- **Green:** on track.")
    empty = BoardFactory(rag_definitions="")
    unknown = BoardFactory(rag_definitions="We use traffic lights.")
    run_migration()

    defaults = [(r, w, d) for r, w, d in RagDefinition.DEFAULTS]
    assert _entries(default) == defaults
    assert _entries(custom)[0] == ("complete", "Blue", "The action is finished and signed off.")
    assert [e[0] for e in _entries(custom)] == ["complete", "green", "amber", "red", NOT_STARTED]
    # The ratings a text does not word get the default entries: every key has all four.
    assert _entries(partial) == [
        ("red", "Red", "Off track."),
        ("green", "Green", "On track."),
        defaults[0],
        defaults[2],
    ]
    assert _entries(empty) == defaults
    assert _entries(unknown) == defaults
    custom.refresh_from_db()
    assert custom.rag_definitions == CUSTOM_TEXT  # nothing is lost
    # The history says where the entries came from.
    history = RagDefinition.history.filter(board=custom)
    assert history.count() == 5
    assert {h.history_change_reason for h in history} == {migration.CHANGE_REASON}


def test_migration_leaves_a_board_with_a_key_alone_and_reverses(run_migration):
    board = BoardFactory(rag_definitions=CUSTOM_TEXT)
    RagDefinition.objects.create(board=board, rating="red", word="Red", definition="Ours.")
    other = BoardFactory()
    run_migration()
    assert _entries(board) == [("red", "Red", "Ours.")]
    assert len(_entries(other)) == 4
    migration.backwards(_migration_apps(), None)
    assert _entries(board) == [("red", "Red", "Ours.")]
    assert _entries(other) == []


# --- key_for and the component ------------------------------------------------------------------


def test_key_for_gives_the_boards_entries_or_what_its_text_words(board):
    board.rag_definitions = "- **Blue:** done."
    board.save()
    key = RagDefinition.key_for(board)
    assert [(e.rating, e.word) for e in key] == [
        ("complete", "Blue"),
        ("green", "Green"),
        ("amber", "Amber"),
        ("red", "Red"),
    ]
    assert all(e.pk is None for e in key)
    RagDefinition.objects.create(board=board, rating="red", word="Red", definition="Late.", order=1)
    RagDefinition.objects.create(board=board, rating="green", word="Go", definition="Fine.")
    assert [e.word for e in RagDefinition.key_for(board)] == ["Go", "Red"]


def test_the_key_component_shows_each_rating_with_its_word(board):
    key = RagDefinition.completed(
        [
            RagDefinition(rating="complete", word="Blue", definition="Delivered."),
            RagDefinition(rating=NOT_STARTED, word="Not started", definition="Not begun."),
        ]
    )
    html = render_to_string("priorities/_rag_key.html", {"key": key})
    assert '<strong class="govuk-tag app-rag--complete">Complete</strong>' in html
    assert "called Blue" in html and "Delivered." in html
    assert '<strong class="govuk-tag govuk-tag--grey">Not started</strong>' in html
    assert "called Not started" not in html
    for word in ("Green", "Amber", "Red"):
        assert f">{word}</strong>" in html
    assert "<caption" in html and 'scope="row"' in html


# --- The page ---------------------------------------------------------------------------------


def _url(board):
    return reverse("priorities:rag-key", kwargs={"slug": board.slug})


def _post_data(client, board, **changes):
    """The page's form as a browser would send it, with ``changes`` (name: value)."""
    response = client.get(_url(board))
    formset = response.context["formset"]
    data = {}
    for form in [formset.management_form, *formset.forms]:
        for field in form:
            value = field.value()
            if value is None or value is False:
                continue
            data[field.html_name] = "on" if value is True else value
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def _form_prefix(client, board, rating):
    formset = client.get(_url(board)).context["formset"]
    return next(f.prefix for f in formset.forms if f.instance.rating == rating)


def test_rag_key_page_permissions(client, board, user_as, position):
    client.force_login(user_as(position))
    assert client.get(_url(board)).status_code == expected(position, {"manager"})
    assert client.post(_url(board), {}).status_code == expected(position, {"manager"}, ok=200)


def test_a_board_without_entries_sees_its_key_and_saves_it(client, board, manager):
    client.force_login(manager)
    response = client.get(_url(board))
    assert response.status_code == 200
    html = response.content.decode()
    assert "The key now" in html and "Save the key" in html
    assert "Leave both boxes empty" in html  # "not started" offered, empty
    response = client.post(_url(board), _post_data(client, board))
    assert response.status_code == 302
    assert _entries(board) == [(r, w, d) for r, w, d in RagDefinition.DEFAULTS]
    entry = RagDefinition.objects.get(board=board, rating="red")
    assert entry.history.first().history_user == manager


def test_manager_rewords_an_entry_and_adds_then_removes_not_started(client, board, manager):
    _migrate_keys()
    client.force_login(manager)
    complete = _form_prefix(client, board, "complete")
    new = _form_prefix(client, board, NOT_STARTED)
    data = _post_data(
        client,
        board,
        **{
            f"{complete}-word": "Blue",
            f"{complete}-definition": "Delivered and signed off.",
            f"{new}-word": "Grey",
            f"{new}-definition": "Not begun yet.",
        },
    )
    assert client.post(_url(board), data).status_code == 302
    entries = _entries(board)
    assert entries[0] == ("complete", "Blue", "Delivered and signed off.")
    assert entries[-1] == (NOT_STARTED, "Grey", "Not begun yet.")
    assert len(entries) == 5

    html = client.get(_url(board)).content.decode()
    assert "Remove Not started from the key" in html
    existing = _form_prefix(client, board, NOT_STARTED)
    data = _post_data(client, board, **{f"{existing}-DELETE": "on"})
    assert client.post(_url(board), data).status_code == 302
    assert [e[0] for e in _entries(board)] == ["complete", "green", "amber", "red"]
    assert RagDefinition.history.filter(rating=NOT_STARTED, history_type="-").exists()


def test_not_started_left_empty_is_not_added(client, board, manager):
    _migrate_keys()
    client.force_login(manager)
    assert client.post(_url(board), _post_data(client, board)).status_code == 302
    assert NOT_STARTED not in {e[0] for e in _entries(board)}


def test_a_required_rating_cannot_be_emptied_or_removed(client, board, manager):
    _migrate_keys()
    client.force_login(manager)
    red = _form_prefix(client, board, "red")
    data = _post_data(client, board, **{f"{red}-word": "", f"{red}-DELETE": "on"})
    response = client.post(_url(board), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "There is a problem" in html
    assert f'href="#id_{red}-word"' in html
    assert "Enter the board&#x27;s word for Red" in html
    assert ("red", "Red", "Off track or at risk; needs the board's attention.") in _entries(board)


def test_not_started_needs_both_its_word_and_definition(client, board, manager):
    _migrate_keys()
    client.force_login(manager)
    new = _form_prefix(client, board, NOT_STARTED)
    data = _post_data(client, board, **{f"{new}-word": "Grey"})
    response = client.post(_url(board), data)
    assert response.status_code == 200
    assert "Enter what Not started means" in response.content.decode()
    assert NOT_STARTED not in {e[0] for e in _entries(board)}


def test_another_boards_entries_cannot_be_changed_through_the_page(
    client, board, other_board, manager
):
    _migrate_keys()
    theirs = RagDefinition.objects.get(board=other_board, rating="red")
    client.force_login(manager)
    red = _form_prefix(client, board, "red")
    data = _post_data(client, board, **{f"{red}-id": str(theirs.pk), f"{red}-word": "Mine"})
    assert client.post(_url(board), data).status_code == 400
    theirs.refresh_from_db()
    assert theirs.word == "Red"
