"""The RAG assessments API (/api/rag-assessments/): the same rules and services as the pages,
a refusal a 400 with its reason, another board's assessment a 404."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from priorities import rag
from priorities.models import RagAssessment, RagDefinition
from tests.factories import (
    BusinessPlanFactory,
    PriorityFactory,
    ReportingPeriodFactory,
    RoleAssignmentFactory,
)
from tests.matrix import IN_BOARD, expected

URL = "/api/rag-assessments/"
State = RagAssessment.State


def post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def act(client, assessment, verb, **data):
    return post(client, f"{URL}{assessment.pk}/{verb}/", data)


@pytest.fixture
def assessment(priority, period):
    return RagAssessment.objects.create(priority=priority, period=period)


@pytest.fixture
def proposed(assessment, user_as):
    return rag.propose(assessment=assessment, by=user_as("chair"), proposed_rating="green")


# --- The workflow, one role at a time -------------------------------------------------------


def test_the_workflow_through_the_api(client, user_as, priority, period, board):
    RagDefinition.objects.create(board=board, rating="complete", word="Blue", definition="Done")
    chair, first, second = user_as("chair"), user_as("executive"), user_as("executive")

    client.force_login(chair)
    response = post(client, URL, {"priority": priority.pk, "period": period.pk})
    assert response.status_code == 201, response.json()
    started = response.json()
    assert (started["state"], started["version"], started["priority_ref"]) == ("draft", 1, "2b")
    pk = started["id"]
    response = post(
        client,
        f"{URL}{pk}/propose/",
        {"comments": "On track", "proposed_rating": "green", "seen_version": 1},
    )
    assert response.status_code == 200, response.json()
    shown = response.json()
    assert (shown["state"], shown["proposed_rating"], shown["proposed_rating_word"]) == (
        "proposed",
        "green",
        "Green",
    )
    assert shown["proposed_by"] == str(chair) and shown["proposed_at"]

    client.force_login(first)
    response = post(
        client, f"{URL}{pk}/return/", {"question": "What about the audit?", "seen_version": 2}
    )
    assert response.status_code == 200, response.json()
    assert response.json()["state"] == "returned"
    assert response.json()["returned_by"] == str(first)
    assert response.json()["state_display"] == "Returned with a question"

    client.force_login(chair)
    response = post(
        client, f"{URL}{pk}/propose/", {"comments": "Audit done", "proposed_rating": "amber"}
    )
    assert response.status_code == 200 and response.json()["state"] == "proposed"

    client.force_login(second)
    response = post(
        client,
        f"{URL}{pk}/decide/",
        {
            "decided_rating": "complete",
            "decision_reason": "Every action finished this week",
            "executive_comments": "Well done",
            "seen_version": 4,
        },
    )
    assert response.status_code == 200, response.json()
    shown = response.json()
    assert (shown["state"], shown["decided_rating"], shown["decided_rating_word"]) == (
        "decided",
        "complete",
        "Blue",
    )
    assert shown["is_overridden"] is True and shown["decided_by"] == str(second)
    assert shown["decision_reason"] == "Every action finished this week"

    response = post(
        client,
        f"{URL}{pk}/correct/",
        {"decided_rating": "amber", "decision_reason": "One action reopened"},
    )
    assert response.status_code == 200, response.json()
    assert response.json()["decided_rating"] == "amber"
    assert RagAssessment.objects.get(pk=pk).history.filter(state="decided").count() == 2


def test_an_override_without_a_reason_is_a_400(client, user_as, proposed):
    client.force_login(user_as("executive"))
    response = act(client, proposed, "decide", decided_rating="red")
    assert response.status_code == 400
    assert response.json() == {
        "decision_reason": ["Enter why the rating is Red when Green was proposed"]
    }
    assert RagAssessment.objects.get(pk=proposed.pk).state == State.PROPOSED


def test_a_rating_not_in_the_list_is_a_400(client, user_as, assessment):
    client.force_login(user_as("chair"))
    response = act(client, assessment, "propose", proposed_rating="purple")
    assert response.status_code == 400 and "proposed_rating" in response.json()


def test_the_proposer_on_the_executive_cannot_decide(client, make_user, board, group, assessment):
    proposer = make_user("subgroup_chair", board, group=group)
    RoleAssignmentFactory(user=proposer, board=board, role="executive_member")
    client.force_login(proposer)
    assert act(client, assessment, "propose", proposed_rating="green").status_code == 200
    response = act(client, assessment, "decide", decided_rating="green")
    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": [
            "You proposed this rating, so you cannot decide it: another member of the "
            "executive group decides."
        ]
    }
    assert RagAssessment.objects.get(pk=assessment.pk).state == State.PROPOSED


def test_a_stale_version_is_a_400_with_the_reason(client, user_as, proposed):
    first, second = user_as("executive"), user_as("executive")
    client.force_login(first)
    assert (
        act(client, proposed, "decide", decided_rating="green", seen_version=2).status_code == 200
    )
    client.force_login(second)
    response = act(client, proposed, "return", question="Why?", seen_version=2)
    assert response.status_code == 400
    [message] = response.json()["non_field_errors"]
    assert message.startswith("This assessment has changed since you opened it")
    assert f"decided, by {first}" in message
    assert RagAssessment.objects.get(pk=proposed.pk).decided_by == first


def test_deciding_twice_is_a_400(client, user_as, proposed):
    client.force_login(user_as("executive"))
    assert act(client, proposed, "decide", decided_rating="green").status_code == 200
    response = act(client, proposed, "decide", decided_rating="red", decision_reason="x")
    assert response.json() == {"non_field_errors": ["This rating has already been decided."]}


def test_a_period_not_started_is_a_400(client, user_as, priority, board):
    later = datetime.date.today() + datetime.timedelta(days=100)
    future = ReportingPeriodFactory(board=board, start=later, end=later + datetime.timedelta(90))
    client.force_login(user_as("chair"))
    response = post(client, URL, {"priority": priority.pk, "period": future.pk})
    assert response.status_code == 400
    assert "has not started yet" in response.json()["non_field_errors"][0]
    assert not RagAssessment.objects.exists()


# --- Another board's records ----------------------------------------------------------------


@pytest.fixture
def theirs(other_board):
    today = datetime.date.today()
    return RagAssessment.objects.create(
        priority=PriorityFactory(plan=BusinessPlanFactory(board=other_board)),
        period=ReportingPeriodFactory(
            board=other_board, start=today - datetime.timedelta(10), end=today
        ),
    )


def test_another_boards_assessment_is_a_404(client, user_as, theirs, assessment):
    client.force_login(user_as("manager"))
    assert [row["id"] for row in client.get(URL).json()["results"]] == [assessment.pk]
    assert client.get(f"{URL}{theirs.pk}/").status_code == 404
    for verb, data in [
        ("propose", {"proposed_rating": "green"}),
        ("return", {"question": "?"}),
        ("decide", {"decided_rating": "green"}),
        ("correct", {"decided_rating": "green", "decision_reason": "x"}),
    ]:
        assert act(client, theirs, verb, **data).status_code == 404
    response = post(client, URL, {"priority": theirs.priority_id, "period": theirs.period_id})
    assert response.status_code == 404
    assert RagAssessment.objects.get(pk=theirs.pk).state == State.DRAFT


def test_another_boards_period_is_a_404(client, user_as, priority, theirs):
    client.force_login(user_as("manager"))
    response = post(client, URL, {"priority": priority.pk, "period": theirs.period_id})
    assert response.status_code == 404


def test_a_period_of_my_other_board_is_a_400(client, make_user, board, priority, theirs):
    """Managing both boards, the manager sees the period: the service says why not."""
    manager = make_user("board_manager", board)
    RoleAssignmentFactory(user=manager, board=theirs.period.board, role="board_manager")
    client.force_login(manager)
    response = post(client, URL, {"priority": priority.pk, "period": theirs.period_id})
    assert response.status_code == 400
    assert response.json() == {
        "non_field_errors": ["That reporting period belongs to another board."]
    }


# --- Matrices: each change needs the same rule as the pages ----------------------------------


def test_who_starts_an_assessment(client, user_as, position, priority, period):
    client.force_login(user_as(position))
    response = post(client, URL, {"priority": priority.pk, "period": period.pk})
    assert response.status_code == expected(position, {"manager", "chair", "member"}, ok=201)
    assert RagAssessment.objects.exists() is (response.status_code == 201)


def test_who_proposes(client, user_as, position, assessment):
    client.force_login(user_as(position))
    response = act(client, assessment, "propose", proposed_rating="green")
    assert response.status_code == expected(position, {"manager", "chair", "member"})
    assert RagAssessment.objects.get(pk=assessment.pk).state == (
        State.PROPOSED if response.status_code == 200 else State.DRAFT
    )


def test_who_proposes_without_a_delivery_group(client, user_as, position, plan, period):
    ungrouped = RagAssessment.objects.create(
        priority=PriorityFactory(plan=plan, delivery_group=None), period=period
    )
    client.force_login(user_as(position))
    response = act(client, ungrouped, "propose", proposed_rating="green")
    assert response.status_code == expected(position, {"manager"})


@pytest.mark.parametrize(
    ("verb", "data"),
    [
        ("decide", {"decided_rating": "green"}),
        ("return", {"question": "What about the audit?"}),
    ],
)
def test_who_decides_or_returns(client, user_as, position, proposed, verb, data):
    client.force_login(user_as(position))
    response = act(client, proposed, verb, **data)
    assert response.status_code == expected(position, {"manager", "executive"})
    changed = RagAssessment.objects.get(pk=proposed.pk).state != State.PROPOSED
    assert changed is (response.status_code == 200)


def test_who_corrects(client, user_as, position, proposed):
    rag.decide(assessment=proposed, by=user_as("executive"), decided_rating="green")
    client.force_login(user_as(position))
    response = act(client, proposed, "correct", decided_rating="amber", decision_reason="Late")
    assert response.status_code == expected(position, {"manager", "executive"})


def test_everyone_in_the_board_reads(client, user_as, position, proposed):
    client.force_login(user_as(position))
    response = client.get(f"{URL}{proposed.pk}/")
    assert response.status_code == expected(position, IN_BOARD)
    if response.status_code == 200:
        assert response.json()["state"] == "proposed"


# --- Lists, filters and the schema ----------------------------------------------------------


def test_the_list_filters(client, user_as, plan, priority, period, board, assessment):
    last = ReportingPeriodFactory(
        board=board,
        start=period.start - datetime.timedelta(days=90),
        end=period.start - datetime.timedelta(days=1),
    )
    other = PriorityFactory(plan=plan, ref="2c")
    older = RagAssessment.objects.create(priority=priority, period=last)
    rag.propose(assessment=older, by=user_as("manager"), proposed_rating="red")
    elsewhere = RagAssessment.objects.create(
        priority=PriorityFactory(plan=BusinessPlanFactory(board=board)), period=period
    )
    RagAssessment.objects.create(priority=other, period=last)
    client.force_login(user_as("viewer"))

    def ids(query: str) -> set[int]:
        response = client.get(f"{URL}?{query}")
        assert response.status_code == 200, response.json()
        return {row["id"] for row in response.json()["results"]}

    assert len(ids("")) == 4
    assert ids(f"period={period.pk}") == {assessment.pk, elsewhere.pk}
    assert ids(f"plan={plan.pk}&period={period.pk}") == {assessment.pk}
    assert ids("state=proposed") == {older.pk}
    assert ids("state=proposed&state=draft") == ids("")
    assert ids("board=lsab") == ids("") and ids("board=esab") == set()
    assert ids(f"priority={priority.pk}") == {assessment.pk, older.pk}
    assert client.get(f"{URL}?state=lost").status_code == 400
    assert client.get(f"{URL}?plan=2b").status_code == 400
    assert client.get(f"{URL}?period={2**70}").status_code == 400


def test_an_id_out_of_range_is_a_400(client, user_as, period):
    client.force_login(user_as("chair"))
    response = post(client, URL, {"priority": 2**70, "period": period.pk})
    assert response.status_code == 400 and "priority" in response.json()


def test_the_list_has_a_fixed_number_of_queries(
    client, user_as, board, period, django_assert_max_num_queries
):
    RagDefinition.objects.create(board=board, rating="green", word="On track", definition="x")
    chair, executive = user_as("manager"), user_as("executive")

    def add(count: int) -> None:
        plan = BusinessPlanFactory(board=board)
        for _ in range(count):
            assessment = RagAssessment.objects.create(
                priority=PriorityFactory(plan=plan), period=period
            )
            rag.propose(assessment=assessment, by=chair, proposed_rating="green")
            rag.decide(assessment=assessment, by=executive, decided_rating="green")

    client.force_login(user_as("viewer"))
    add(1)
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL).status_code == 200
    # The session, the user, their roles, the count, the page and the boards' RAG keys.
    assert len(few) <= 9
    add(20)
    with django_assert_max_num_queries(len(few)):
        rows = client.get(URL).json()["results"]
    assert len(rows) == 21
    assert {row["decided_rating_word"] for row in rows} == {"On track"}
    assert {row["decided_by"] for row in rows} == {str(executive)}


def test_the_schema_has_the_rag_endpoints(client, manager):
    client.force_login(manager)
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    for path in [
        "/api/rag-assessments/",
        "/api/rag-assessments/{id}/",
        "/api/rag-assessments/{id}/propose/",
        "/api/rag-assessments/{id}/return/",
        "/api/rag-assessments/{id}/decide/",
        "/api/rag-assessments/{id}/correct/",
    ]:
        assert path.encode() in schema.content
    assert b"seen_version" in schema.content
