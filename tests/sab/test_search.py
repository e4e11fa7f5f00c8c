"""Search (sab/search.py and the sources in subgroups/search.py and priorities/search.py):
what each kind finds and links to, scoping to the reader's boards, people only as a page
already shows them, safe highlighting, and both paths (PostgreSQL full text and the plain
fallback)."""

import datetime

import pytest
from django.db import connection
from django.urls import reverse

from priorities.models import StrategicPlan
from sab.models import RoleAssignment
from sab.search import START, STOP, highlight, plain_snippet, results_for
from tests.factories import (
    ActionFactory,
    BusinessPlanFactory,
    GroupFactory,
    GroupMembershipFactory,
    PersonFactory,
    PriorityFactory,
    ProgressUpdateFactory,
)

Role = RoleAssignment.Role
URL = reverse("sab:search")

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="PostgreSQL full-text search (CI runs the suite on PostgreSQL too)",
)
plain_only = pytest.mark.skipif(
    connection.vendor == "postgresql",
    reason="the plain fallback runs on SQLite; PostgreSQL uses full-text search",
)


def _records(board, word: str) -> dict:
    """One record of each kind in ``board``, each with ``word`` in its text."""
    strategic = StrategicPlan.objects.create(
        board=board,
        title=f"{board.short_name} strategy",
        first_year=2024,
        last_year=2026,
        vision=f"Adults live free from {word} abuse.",
        status="approved",
    )
    plan = BusinessPlanFactory(
        board=board, title=f"{board.short_name} plan 2026/27", introduction=f"The {word} plan."
    )
    priority = PriorityFactory(
        plan=plan, ref="1", title="Making safeguarding personal", statement=f"Hear {word} voices."
    )
    action = ActionFactory(priority=priority, ref="1.1", description=f"Publish the {word} briefing")
    update = ProgressUpdateFactory(action=action, text=f"The {word} briefing is drafted.")
    group = GroupFactory(name=f"{word.title()} Forum", boards=[board], remit="Meets monthly.")
    member = GroupMembershipFactory(
        group=group, role="chair", person=PersonFactory(name=f"Robin {word.title()}")
    )
    person = PersonFactory(name=f"Alex {word.title()}", job_title="Board officer")
    person.boards.add(board)
    return {
        "strategic": strategic,
        "plan": plan,
        "priority": priority,
        "action": action,
        "update": update,
        "group": group,
        "member": member,
        "person": person,
    }


def _by_label(kinds) -> dict:
    return {kind.label: kind for kind in kinds}


def _urls(kinds) -> set[str]:
    return {hit.url for kind in kinds for hit in kind.hits}


def test_each_kind_is_found_and_links_to_its_page(board, make_user):
    records = _records(board, "kestrel")
    manager = make_user(Role.BOARD_MANAGER, board)

    kinds = _by_label(results_for(manager, "kestrel"))

    assert list(kinds) == [
        "Strategic plans",
        "Business plans",
        "Priorities",
        "Actions",
        "Progress updates",
        "Groups",
        "Group members",
        "People",
    ]
    person, group, action = records["person"], records["group"], records["action"]
    assert kinds["Strategic plans"].hits[0].url == records["strategic"].get_absolute_url()
    assert kinds["Business plans"].hits[0].url == records["plan"].get_absolute_url()
    assert kinds["Priorities"].hits[0].url == records["priority"].get_absolute_url()
    assert kinds["Actions"].hits[0].url == action.get_absolute_url()
    assert kinds["Actions"].hits[0].title == "1.1 Publish the kestrel briefing"
    assert kinds["Progress updates"].hits[0].url == f"{action.get_absolute_url()}#progress"
    assert kinds["Groups"].hits[0].url == group.get_absolute_url()
    assert [hit.title for hit in kinds["Group members"].hits] == ["Robin Kestrel"]
    assert kinds["Group members"].hits[0].url == group.get_absolute_url()
    assert kinds["Group members"].hits[0].description == "Chair, Kestrel Forum"
    # The manager's people list names everyone; the chair is one of the board's people too.
    people = {hit.title: hit.url for hit in kinds["People"].hits}
    assert people["Alex Kestrel"] == reverse(
        "sab:person-edit", kwargs={"slug": board.slug, "pk": person.pk}
    )
    assert {hit.boards for kind in kinds.values() for hit in kind.hits} == {"LSAB"}
    assert all(kind.total == len(kind.hits) for kind in kinds.values())


def test_the_page_lists_each_kind_with_its_count_and_board(client, board, make_user):
    _records(board, "kestrel")
    client.force_login(make_user(Role.VIEWER, board))

    page = client.get(URL, {"q": "kestrel"}).content.decode()

    assert "7 results for \u2018kestrel\u2019" in page  # a viewer has no people list
    assert '<a class="govuk-link" href="#results-actions">Actions (1)</a>' in page
    assert 'id="results-group-members-title">Group members (1)</h2>' in page
    assert '<strong class="govuk-tag govuk-tag--grey">LSAB</strong>' in page
    assert "<mark>" in page.lower()
    assert 'id="header-search"' not in page  # the page's own form replaces the header's


def test_another_boards_records_never_appear(client, board, other_board, make_user):
    mine = _records(board, "kestrel")
    theirs = _records(other_board, "kestrel")
    # A joint group serving both boards is found, naming only the reader's board.
    joint = GroupFactory(name="Joint kestrel group", boards=[other_board, board])

    for user in (make_user(Role.VIEWER, board), make_user(Role.BOARD_MANAGER, board)):
        kinds = results_for(user, "kestrel")
        urls = _urls(kinds)
        assert mine["action"].get_absolute_url() in urls
        assert joint.get_absolute_url() in urls
        # Their plans, priorities, actions, updates, groups and group members (who link to
        # their group), and their people (whose links name their board).
        their_pages = [theirs[name].get_absolute_url() for name in ("strategic", "plan")]
        their_pages += [theirs[name].get_absolute_url() for name in ("priority", "group")]
        their_pages += [
            theirs["action"].get_absolute_url() + suffix for suffix in ("", "#progress")
        ]
        assert not urls & set(their_pages)
        assert not [url for url in urls if f"/boards/{other_board.slug}/" in url]
        assert {hit.boards for kind in kinds for hit in kind.hits} == {"LSAB"}

    outsider = make_user(Role.BOARD_MANAGER, other_board)
    assert mine["action"].get_absolute_url() not in _urls(results_for(outsider, "kestrel"))
    client.force_login(make_user(Role.VIEWER, board))
    page = client.get(URL, {"q": "kestrel"}).content.decode()
    assert "ESAB" not in page and "esab" not in page


def test_people_show_only_as_a_page_already_shows_them(board, other_board, make_user):
    """A reader finds a person as a current member of a group they can see (its page lists
    them); only a board manager finds the board's other people (the people list)."""
    group = GroupFactory(name="Quality Sub-Group", boards=[board])
    GroupMembershipFactory(group=group, person=PersonFactory(name="Sam Plover"))
    GroupMembershipFactory(
        group=group,
        person=PersonFactory(name="Former Plover"),
        start=datetime.date(2020, 1, 1),
        end=datetime.date(2021, 1, 1),
    )
    elsewhere = GroupFactory(name="Elsewhere group", boards=[other_board])
    GroupMembershipFactory(group=elsewhere, person=PersonFactory(name="Kim Plover"))
    listed = PersonFactory(name="Jo Plover", email="jo.plover@example.org")
    listed.boards.add(board)
    listed_elsewhere = PersonFactory(name="Lee Plover")
    listed_elsewhere.boards.add(other_board)

    viewer = _by_label(results_for(make_user(Role.VIEWER, board), "plover"))
    assert list(viewer) == ["Group members"]
    assert [hit.title for hit in viewer["Group members"].hits] == ["Sam Plover"]

    manager = _by_label(results_for(make_user(Role.BOARD_MANAGER, board), "plover"))
    assert [hit.title for hit in manager["Group members"].hits] == ["Sam Plover"]
    assert [hit.title for hit in manager["People"].hits] == ["Jo Plover"]
    assert [hit.url for hit in manager["People"].hits] == [
        reverse("sab:person-edit", kwargs={"slug": board.slug, "pk": listed.pk})
    ]
    # A group page does not show e-mail addresses, so they are not searched for readers.
    assert results_for(make_user(Role.VIEWER, board), "example") == []


def test_highlighted_text_is_escaped(client, board, make_user):
    priority = PriorityFactory(plan=BusinessPlanFactory(board=board))
    ActionFactory(
        priority=priority,
        ref="9.1",
        description="<script>alert('kestrel')</script> Kestrel <b>review</b>",
    )
    client.force_login(make_user(Role.VIEWER, board))

    page = client.get(URL, {"q": "kestrel"}).content.decode()

    assert "<script>alert" not in page and "<b>review" not in page
    assert "9.1 &lt;script&gt;alert(&#x27;kestrel&#x27;)&lt;/script&gt;" in page  # the title
    assert "&lt;b&gt;review&lt;/b&gt;" in page  # the snippet
    assert "<mark>Kestrel</mark>" in page


def test_highlight_escapes_everything_but_its_own_marks():
    marked = f"a <i>{START}b&c{STOP}</i> {STOP}stray{START} {START}d{STOP}"
    assert highlight(marked) == "a &lt;i&gt;<mark>b&amp;c</mark>&lt;/i&gt; stray <mark>d</mark>"
    assert highlight("plain <text>") == "plain &lt;text&gt;"


def test_the_plain_snippet_is_cut_around_the_first_match():
    text = "Nothing here. " * 40 + "The KESTREL briefing\n\nis drafted." + " More words." * 40
    snippet = plain_snippet(text, ["kestrel", "brief"])
    assert snippet.startswith("… ") and snippet.endswith(" …")
    assert f"{START}KESTREL{STOP} {START}brief{STOP}ing · is drafted." in snippet
    assert len(snippet) < 260
    # Markers typed into the text itself are dropped, not turned into marks.
    assert plain_snippet(f"x{START}y{STOP} kestrel", ["kestrel"]) == (f"xy {START}kestrel{STOP}")


def test_an_empty_query_shows_just_the_form(client, board, make_user):
    client.force_login(make_user(Role.VIEWER, board))
    for params in ({}, {"q": "   "}):
        response = client.get(URL, params)
        page = response.content.decode()
        assert response.status_code == 200
        assert '<label class="govuk-label govuk-label--s" for="q">' in page
        assert "result" not in page
        assert response.context["kinds"] == []


def test_a_query_with_no_hits_says_so(client, board, make_user):
    _records(board, "kestrel")
    client.force_login(make_user(Role.VIEWER, board))
    for query in ("heron", "!!!"):
        page = client.get(URL, {"q": query}).content.decode()
        assert f"There are no results for \u2018{query}\u2019" in page


def test_the_query_is_shown_escaped_and_kept_in_the_form(client, board, make_user):
    client.force_login(make_user(Role.VIEWER, board))
    page = client.get(URL, {"q": '"><script>x</script>'}).content.decode()
    assert "<script>x" not in page
    assert 'value="&quot;&gt;&lt;script&gt;x&lt;/script&gt;"' in page


def test_the_search_page_needs_signing_in(client, db):
    response = client.get(URL, {"q": "kestrel"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("n", [3, 200])
def test_queries_do_not_grow_with_hits(client, board, make_user, n, django_assert_max_num_queries):
    """Fixed 3 (tests/sab/test_queries.py), then one query per kind (its best hits and the
    total, with the board each names), plus a prefetch of the boards for groups, group
    members and people: nothing per hit. Each kind shows its best 20 with the total."""
    records = _records(board, "kestrel")
    priority = records["priority"]
    for i in range(n):
        action = ActionFactory(priority=priority, ref=f"1.{i + 2}", description=f"Kestrel {i}")
        ProgressUpdateFactory(action=action, text=f"Kestrel work {i} continues.")
    client.force_login(make_user(Role.BOARD_MANAGER, board))
    client.get(URL)  # warm-up: the first request after sign-in writes the session

    with django_assert_max_num_queries(3 + 8 + 3):
        response = client.get(URL, {"q": "kestrel"})

    kinds = _by_label(response.context["kinds"])
    assert kinds["Actions"].total == n + 1 and len(kinds["Actions"].hits) == min(n + 1, 20)
    assert kinds["Progress updates"].total == n + 1
    assert ("best matches of" in response.content.decode()) is (n + 1 > 20)


# --- The plain fallback (SQLite) ----------------------------------------------------------


@plain_only
def test_plain_search_needs_every_word_and_puts_title_matches_first(board, make_user):
    priority = PriorityFactory(plan=BusinessPlanFactory(board=board))
    in_measure = ActionFactory(
        priority=priority, ref="1", description="Audit", outcome_measure="A kestrel audit"
    )
    in_description = ActionFactory(
        priority=priority, ref="2", description="Kestrel audit", outcome_measure="Done"
    )
    ActionFactory(priority=priority, ref="3", description="Kestrel", outcome_measure="Done")
    user = make_user(Role.VIEWER, board)

    actions = _by_label(results_for(user, "kestrel audit"))["Actions"]

    assert [hit.url for hit in actions.hits] == [
        in_description.get_absolute_url(),
        in_measure.get_absolute_url(),
    ]
    assert str(actions.hits[0].snippet) == "<mark>Kestrel</mark> <mark>audit</mark> · Done"


# --- PostgreSQL full-text search ----------------------------------------------------------


@postgres_only
def test_full_text_search_ranks_weighted_fields_and_stems_words(board, make_user):
    priority = PriorityFactory(plan=BusinessPlanFactory(board=board))
    in_timescale = ActionFactory(
        priority=priority, ref="1", description="Audit", timescale="After the reviews"
    )
    in_description = ActionFactory(
        priority=priority, ref="2", description="Publish the review briefing"
    )
    in_measure = ActionFactory(
        priority=priority, ref="3", description="Audit", outcome_measure="Reviewed twice"
    )
    user = make_user(Role.VIEWER, board)

    actions = _by_label(results_for(user, "reviewing"))["Actions"]

    assert [hit.url for hit in actions.hits] == [
        in_description.get_absolute_url(),
        in_measure.get_absolute_url(),
        in_timescale.get_absolute_url(),
    ]
    assert "Publish the <mark>review</mark> briefing" in actions.hits[0].snippet


@postgres_only
def test_full_text_search_understands_web_search_syntax(board, make_user):
    priority = PriorityFactory(plan=BusinessPlanFactory(board=board))
    ActionFactory(priority=priority, ref="1", description="Train care home staff")
    ActionFactory(priority=priority, ref="2", description="Train hospital staff")
    user = make_user(Role.VIEWER, board)

    hits = _by_label(results_for(user, "train -hospital"))["Actions"].hits
    assert [hit.title for hit in hits] == ["1 Train care home staff"]
    hits = _by_label(results_for(user, '"care home"'))["Actions"].hits
    assert [hit.title for hit in hits] == ["1 Train care home staff"]
    assert results_for(user, "the and of") == []  # stop words alone find nothing


@postgres_only
def test_full_text_headline_is_escaped(board, make_user):
    priority = PriorityFactory(plan=BusinessPlanFactory(board=board))
    ActionFactory(priority=priority, ref="1", description="<img src=x onerror=alert(1)> kestrel")
    user = make_user(Role.VIEWER, board)

    snippet = _by_label(results_for(user, "kestrel"))["Actions"].hits[0].snippet

    assert "<img" not in snippet
    assert "onerror=alert(1)&gt; <mark>kestrel</mark>" in snippet
