"""The quarterly RAG cycle's services (priorities/rag.py): every transition, every refusal,
the database's own constraints, the suggested rating and the evidence beside the forms."""

import datetime
import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from priorities import rag
from priorities.models import Action, Rag, RagAssessment
from sab.models import RoleAssignment
from subgroups.models import Group
from tests.factories import (
    ActionFactory,
    BusinessPlanFactory,
    GroupFactory,
    GroupMembershipFactory,
    PersonFactory,
    PriorityFactory,
    ProgressUpdateFactory,
    ReportingPeriodFactory,
    RoleAssignmentFactory,
    UserFactory,
)

Role = RoleAssignment.Role
State = RagAssessment.State
TODAY = datetime.date.today()
DAY = datetime.timedelta(days=1)


@pytest.fixture
def chair(user_as):
    return user_as("chair")


@pytest.fixture
def executive(user_as):
    return user_as("executive")


@pytest.fixture
def assessment(priority, period, chair):
    return rag.start_assessment(priority=priority, period=period, by=chair)


@pytest.fixture
def proposed(assessment, chair):
    return rag.propose(
        assessment=assessment, by=chair, comments="On track", proposed_rating=Rag.GREEN
    )


def messages(excinfo) -> list[str]:
    return excinfo.value.messages


def fresh(assessment) -> RagAssessment:
    return RagAssessment.objects.get(pk=assessment.pk)


# --- The transitions ------------------------------------------------------------------------


def test_draft_then_proposed_then_decided(priority, period, chair, executive):
    assessment = rag.start_assessment(priority=priority, period=period, by=chair)
    assert (assessment.state, assessment.version) == (State.DRAFT, 1)

    rag.save_draft(assessment=assessment, by=chair, comments="Half written", seen_version=1)
    assessment = fresh(assessment)
    assert (assessment.state, assessment.comments, assessment.version) == (
        State.DRAFT,
        "Half written",
        2,
    )

    rag.propose(
        assessment=assessment,
        by=chair,
        seen_version=2,
        recommendations="Keep going",
        risks="Staff turnover",
        proposed_rating=Rag.AMBER,
    )
    assessment = fresh(assessment)
    assert assessment.state == State.PROPOSED
    assert (assessment.proposed_by, assessment.proposed_rating) == (chair, Rag.AMBER)
    assert assessment.proposed_at is not None and assessment.comments == "Half written"

    rag.decide(
        assessment=assessment,
        by=executive,
        seen_version=3,
        executive_comments="Agreed",
        decided_rating=Rag.AMBER,
    )
    assessment = fresh(assessment)
    assert assessment.state == State.DECIDED and assessment.version == 4
    assert (assessment.decided_by, assessment.decided_rating) == (executive, Rag.AMBER)
    assert assessment.decided_at is not None and not assessment.is_overridden
    assert RagAssessment.objects.decided().get() == assessment


def test_proposed_then_returned_then_proposed_again_then_decided(proposed, chair, executive):
    rag.return_proposal(
        assessment=proposed, by=executive, question="What about the audit?", seen_version=2
    )
    assessment = fresh(proposed)
    assert assessment.state == State.RETURNED
    assert (assessment.returned_by, assessment.question) == (executive, "What about the audit?")
    assert assessment.returned_at is not None
    assert RagAssessment.objects.to_write().get() == assessment

    # The delivery group may keep working on a returned proposal, then propose it again.
    rag.save_draft(assessment=assessment, by=chair, risks="Audit late", seen_version=3)
    rag.propose(assessment=assessment, by=chair, proposed_rating=Rag.AMBER, seen_version=4)
    assessment = fresh(assessment)
    assert (assessment.state, assessment.proposed_rating) == (State.PROPOSED, Rag.AMBER)
    assert RagAssessment.objects.proposed().get() == assessment

    rag.decide(assessment=assessment, by=executive, decided_rating=Rag.AMBER, seen_version=5)
    assert fresh(assessment).state == State.DECIDED


def test_starting_twice_gives_the_same_assessment(assessment, priority, period, chair):
    again = rag.start_assessment(priority=priority, period=period, by=chair)
    assert again == assessment and RagAssessment.objects.count() == 1


def test_proposing_needs_a_rating(assessment, chair):
    with pytest.raises(ValidationError) as excinfo:
        rag.propose(assessment=assessment, by=chair, comments="No rating")
    assert excinfo.value.message_dict == {"proposed_rating": ["Select the rating you propose"]}
    with pytest.raises(ValidationError) as excinfo:
        rag.propose(assessment=assessment, by=chair, proposed_rating="")
    assert "proposed_rating" in excinfo.value.message_dict
    assert fresh(assessment).state == State.DRAFT


def test_proposing_again_keeps_the_rating_already_given(proposed, chair, executive):
    rag.return_proposal(assessment=proposed, by=executive, question="Why?")
    with pytest.raises(ValidationError) as excinfo:  # a rating cleared is no rating
        rag.propose(assessment=proposed, by=chair, proposed_rating="")
    assert excinfo.value.message_dict == {"proposed_rating": ["Select the rating you propose"]}
    rag.propose(assessment=proposed, by=chair, comments="Because")
    assert fresh(proposed).proposed_rating == Rag.GREEN


def test_returning_needs_a_question(proposed, executive):
    with pytest.raises(ValidationError) as excinfo:
        rag.return_proposal(assessment=proposed, by=executive, question="  ")
    assert "question" in excinfo.value.message_dict
    assert fresh(proposed).state == State.PROPOSED


def test_a_proposal_is_not_redrafted_by_the_delivery_group(proposed, chair):
    with pytest.raises(ValidationError) as excinfo:
        rag.save_draft(assessment=proposed, by=chair, comments="Second thoughts")
    assert "can no longer be changed" in messages(excinfo)[0]
    with pytest.raises(ValidationError) as excinfo:
        rag.propose(assessment=proposed, by=chair, proposed_rating=Rag.RED)
    assert "already been proposed" in messages(excinfo)[0]
    assert fresh(proposed).comments == "On track"


def test_only_a_proposal_is_decided_or_returned(assessment, executive):
    with pytest.raises(ValidationError) as excinfo:
        rag.decide(assessment=assessment, by=executive, decided_rating=Rag.GREEN)
    assert "has not proposed one yet" in messages(excinfo)[0]
    with pytest.raises(ValidationError) as excinfo:
        rag.return_proposal(assessment=assessment, by=executive, question="?")
    assert "this one is draft" in messages(excinfo)[0]


def test_deciding_twice_is_refused_and_nothing_changes(proposed, executive, user_as):
    rag.decide(assessment=proposed, by=executive, decided_rating=Rag.GREEN)
    before = fresh(proposed)
    with pytest.raises(ValidationError) as excinfo:
        rag.decide(
            assessment=proposed,
            by=user_as("executive"),
            decided_rating=Rag.RED,
            decision_reason="x",
        )
    assert messages(excinfo) == ["This rating has already been decided."]
    after = fresh(proposed)
    assert (after.decided_rating, after.decided_by, after.version) == (
        Rag.GREEN,
        executive,
        before.version,
    )
    assert proposed.history.count() == before.history.count()


def test_a_stale_version_is_refused_with_who_moved_it_on(proposed, executive, user_as):
    """Two executive members open the same proposal; the second to submit is told."""
    seen = proposed.version
    rag.decide(assessment=proposed, by=executive, decided_rating=Rag.GREEN, seen_version=seen)
    with pytest.raises(ValidationError) as excinfo:
        rag.return_proposal(
            assessment=proposed, by=user_as("executive"), question="Why?", seen_version=seen
        )
    assert messages(excinfo) == [
        f"This assessment has changed since you opened it (it is now decided, by {executive}). "
        "Reload the page to see it."
    ]
    assert fresh(proposed).state == State.DECIDED


def test_a_stale_version_names_the_proposer_of_a_proposal_made_again(
    proposed, chair, executive, user_as
):
    """Proposed again after a question: the message names who proposed, not who returned."""
    rag.return_proposal(assessment=proposed, by=executive, question="Why?")
    seen = fresh(proposed).version
    member = user_as("member")
    rag.propose(assessment=proposed, by=member, seen_version=seen)
    with pytest.raises(ValidationError) as excinfo:
        rag.save_draft(assessment=proposed, by=chair, comments="x", seen_version=seen)
    assert f"(it is now proposed, by {member})" in messages(excinfo)[0]


def test_a_stale_draft_is_refused(assessment, chair, user_as):
    rag.save_draft(assessment=assessment, by=chair, comments="First tab", seen_version=1)
    with pytest.raises(ValidationError) as excinfo:
        rag.save_draft(
            assessment=assessment, by=user_as("member"), comments="Second tab", seen_version=1
        )
    assert "(it is now draft)" in messages(excinfo)[0]
    assert fresh(assessment).comments == "First tab"


needs_row_locks = pytest.mark.skipif(
    not connection.features.has_select_for_update, reason="needs row locks (PostgreSQL)"
)


@needs_row_locks
def test_each_transition_locks_the_row(proposed, executive):
    with CaptureQueriesContext(connection) as queries:
        rag.decide(assessment=proposed, by=executive, decided_rating=Rag.GREEN)
    assert any("FOR UPDATE" in q["sql"] for q in queries.captured_queries)


@needs_row_locks
@pytest.mark.django_db(transaction=True)
def test_two_people_deciding_at_once_the_second_is_refused(proposed, executive, user_as):
    """The second waits for the first's lock, then finds the state moved on."""
    second_executive = user_as("executive")
    first_holds_the_lock, first_may_commit = threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def first():
        try:
            with transaction.atomic():
                rag.decide(assessment=proposed, by=executive, decided_rating=Rag.GREEN)
                first_holds_the_lock.set()
                first_may_commit.wait(10)
        finally:
            connection.close()

    def second():
        first_holds_the_lock.wait(10)
        try:
            rag.decide(
                assessment=proposed,
                by=second_executive,
                decided_rating=Rag.RED,
                decision_reason="Overdue",
                seen_version=proposed.version,
            )
            outcome["second"] = "decided"
        except ValidationError as error:
            outcome["second"] = error.messages
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    first_holds_the_lock.wait(10)
    time.sleep(0.3)  # the second is now waiting for the row
    assert "second" not in outcome
    first_may_commit.set()
    for thread in threads:
        thread.join(10)
    assert outcome["second"] == [
        f"This assessment has changed since you opened it (it is now decided, by {executive}). "
        "Reload the page to see it."
    ]
    decided = fresh(proposed)
    assert (decided.decided_by, decided.decided_rating) == (executive, Rag.GREEN)


def test_an_override_needs_a_reason(proposed, executive):
    with pytest.raises(ValidationError) as excinfo:
        rag.decide(assessment=proposed, by=executive, decided_rating=Rag.RED, decision_reason=" ")
    assert excinfo.value.message_dict == {
        "decision_reason": ["Enter why the rating is Red when Green was proposed"]
    }
    assert fresh(proposed).state == State.PROPOSED

    rag.decide(
        assessment=proposed,
        by=executive,
        decided_rating=Rag.RED,
        decision_reason="Two actions are overdue",
    )
    assessment = fresh(proposed)
    assert assessment.is_overridden and assessment.decision_reason == "Two actions are overdue"


def test_a_decision_needs_a_rating(proposed, executive):
    with pytest.raises(ValidationError) as excinfo:
        rag.decide(assessment=proposed, by=executive)
    assert excinfo.value.message_dict == {"decided_rating": ["Select the rating decided"]}


@pytest.mark.parametrize(
    ("changes", "constraint"),
    [
        ({"decided_rating": Rag.RED, "decision_reason": ""}, "ragassessment_override_has_a_reason"),
        ({"decided_rating": ""}, "ragassessment_decided_has_a_rating"),
    ],
)
def test_the_database_refuses_a_decision_the_services_would(proposed, changes, constraint):
    with pytest.raises(IntegrityError) as excinfo, transaction.atomic():
        RagAssessment.objects.filter(pk=proposed.pk).update(state=State.DECIDED, **changes)
    assert constraint in str(excinfo.value) or "CHECK constraint failed" in str(excinfo.value)
    assert fresh(proposed).state == State.PROPOSED


def test_the_database_refuses_a_proposal_without_a_rating(assessment):
    with pytest.raises(IntegrityError), transaction.atomic():
        RagAssessment.objects.filter(pk=assessment.pk).update(state=State.PROPOSED)


def test_a_correction_needs_a_reason_and_the_history_keeps_both(proposed, executive, user_as):
    rag.decide(assessment=proposed, by=executive, decided_rating=Rag.GREEN)
    corrector = user_as("executive")
    for reason in ["", "   "]:
        with pytest.raises(ValidationError) as excinfo:
            rag.correct(
                assessment=proposed, by=corrector, decided_rating=Rag.AMBER, decision_reason=reason
            )
        assert excinfo.value.message_dict == {
            "decision_reason": ["Enter why the decision is being corrected"]
        }
    with pytest.raises(ValidationError) as excinfo:
        rag.correct(
            assessment=proposed, by=corrector, decided_rating="purple", decision_reason="Typo"
        )
    assert "decided_rating" in excinfo.value.message_dict

    rag.correct(
        assessment=proposed,
        by=corrector,
        decided_rating=Rag.AMBER,
        decision_reason="The audit came in late",
    )
    assessment = fresh(proposed)
    assert (assessment.state, assessment.decided_rating, assessment.decided_by) == (
        State.DECIDED,
        Rag.AMBER,
        corrector,
    )
    decisions = [
        (h.decided_rating, h.decided_by_id, h.history_change_reason)
        for h in assessment.history.filter(state=State.DECIDED).order_by("history_date")
    ]
    assert decisions == [
        (Rag.GREEN, executive.pk, None),
        (Rag.AMBER, corrector.pk, "Decision corrected: The audit came in late"),
    ]


def test_only_a_decided_rating_is_corrected(proposed, executive):
    with pytest.raises(ValidationError) as excinfo:
        rag.correct(
            assessment=proposed, by=executive, decided_rating=Rag.RED, decision_reason="Why not"
        )
    assert messages(excinfo) == ["Only a decided rating can be corrected."]


# --- Separation of duties -------------------------------------------------------------------


@pytest.fixture
def chair_on_the_executive(make_user, board, group):
    """The delivery group's chair, also an executive group member."""
    user = make_user(Role.SUBGROUP_CHAIR, board, group=group)
    RoleAssignmentFactory(user=user, board=board, role=Role.EXECUTIVE_MEMBER)
    return user


def test_nobody_decides_or_returns_a_rating_they_proposed(
    assessment, chair_on_the_executive, executive
):
    proposer = chair_on_the_executive
    rag.propose(assessment=assessment, by=proposer, proposed_rating=Rag.GREEN)
    assert proposer.has_perm("priorities.decide_rag", assessment)  # the role allows it...
    with pytest.raises(ValidationError) as excinfo:  # ...the service says why not
        rag.decide(assessment=assessment, by=proposer, decided_rating=Rag.GREEN)
    assert messages(excinfo) == [
        "You proposed this rating, so you cannot decide it: another member of the executive "
        "group decides."
    ]
    with pytest.raises(ValidationError) as excinfo:
        rag.return_proposal(assessment=assessment, by=proposer, question="Sure?")
    assert "so you cannot return it" in messages(excinfo)[0]
    assert fresh(assessment).state == State.PROPOSED

    rag.decide(assessment=assessment, by=executive, decided_rating=Rag.GREEN)
    with pytest.raises(ValidationError) as excinfo:
        rag.correct(
            assessment=assessment, by=proposer, decided_rating=Rag.RED, decision_reason="Oops"
        )
    assert "so you cannot decide it" in messages(excinfo)[0]


# --- The period and the plan ----------------------------------------------------------------


@pytest.fixture
def next_period(board):
    return ReportingPeriodFactory(
        board=board, label="Next quarter", start=TODAY + 61 * DAY, end=TODAY + 150 * DAY
    )


def test_a_period_that_has_not_started_is_refused(priority, next_period, chair):
    with pytest.raises(ValidationError) as excinfo:
        rag.start_assessment(priority=priority, period=next_period, by=chair)
    assert messages(excinfo) == [
        "Next quarter has not started yet: its rating is proposed once it has."
    ]
    assert not RagAssessment.objects.exists()
    # Nor is one made some other way (the admin, say) proposed early.
    early = RagAssessment.objects.create(priority=priority, period=next_period)
    with pytest.raises(ValidationError) as excinfo:
        rag.propose(assessment=early, by=chair, proposed_rating=Rag.GREEN)
    assert "has not started yet" in messages(excinfo)[0]
    assert fresh(early).state == State.DRAFT


def test_a_period_that_starts_today_may_be_proposed(priority, board, chair):
    today = ReportingPeriodFactory(board=board, start=TODAY, end=TODAY + 90 * DAY)
    assessment = rag.start_assessment(priority=priority, period=today, by=chair)
    rag.propose(assessment=assessment, by=chair, proposed_rating=Rag.GREEN)


def test_another_boards_period_is_refused(priority, other_board, chair):
    theirs = ReportingPeriodFactory(board=other_board, start=TODAY - 30 * DAY, end=TODAY + DAY)
    with pytest.raises(ValidationError) as excinfo:
        rag.start_assessment(priority=priority, period=theirs, by=chair)
    assert messages(excinfo) == ["That reporting period belongs to another board."]
    assert not RagAssessment.objects.exists()


def test_an_archived_plan_is_refused(proposed, priority, period, chair, executive, user_as):
    archived_message = ["This plan is archived: it is the record of its year and cannot change."]
    plan = priority.plan
    plan.status = "archived"
    plan.save()
    manager = user_as("manager")
    assert not manager.has_perm("priorities.propose_rag", priority)
    assert not manager.has_perm("priorities.decide_rag", fresh(proposed))
    with pytest.raises(ValidationError) as excinfo:
        rag.decide(assessment=proposed, by=executive, decided_rating=Rag.GREEN)
    assert messages(excinfo) == archived_message
    with pytest.raises(ValidationError) as excinfo:
        rag.return_proposal(assessment=proposed, by=executive, question="?")
    assert messages(excinfo) == archived_message
    other = PriorityFactory(plan=plan)
    with pytest.raises(ValidationError) as excinfo:
        rag.start_assessment(priority=fresh_priority(other), period=period, by=chair)
    assert messages(excinfo) == archived_message
    assert fresh(proposed).state == State.PROPOSED


def fresh_priority(priority):
    return type(priority).objects.select_related("plan").get(pk=priority.pk)


# --- Who sits on the executive --------------------------------------------------------------


@pytest.fixture
def executive_group(board):
    return GroupFactory(name="Executive Group", kind=Group.Kind.EXECUTIVE, boards=[board])


def _sits_on(group, **term):
    user = UserFactory()
    person = PersonFactory(user=user)
    person.boards.add(*group.boards.all())
    GroupMembershipFactory(group=group, person=person, role="member", **term)
    return user


def test_a_member_of_the_executive_group_decides(proposed, executive_group):
    member = _sits_on(executive_group, start=TODAY - 100 * DAY)
    assert member.has_perm("priorities.decide_rag", proposed)
    assert not member.has_perm("priorities.propose_rag", proposed.priority)
    rag.decide(assessment=proposed, by=member, decided_rating=Rag.GREEN)
    assert fresh(proposed).decided_by == member


def test_a_joint_executive_group_serves_each_of_its_boards(proposed, board, other_board):
    joint = GroupFactory(kind=Group.Kind.JOINT_EXECUTIVE, boards=[other_board, board])
    assert _sits_on(joint).has_perm("priorities.decide_rag", proposed)


def test_a_past_member_of_the_executive_group_does_not(proposed, executive_group):
    former = _sits_on(executive_group, start=TODAY - 400 * DAY, end=TODAY - DAY)
    assert not former.has_perm("priorities.decide_rag", proposed)


def test_an_inactive_executive_group_gives_no_role(proposed, executive_group):
    member = _sits_on(executive_group)
    executive_group.active = False
    executive_group.save()
    assert not member.has_perm("priorities.decide_rag", proposed)


def test_sitting_on_an_ordinary_group_is_not_the_executive(proposed, other_group):
    assert not _sits_on(other_group).has_perm("priorities.decide_rag", proposed)


# --- The suggested rating -------------------------------------------------------------------


def _action(latest_rag=None, status=Action.Status.IN_PROGRESS, due_date=None) -> Action:
    action = Action(status=status, due_date=due_date)
    action.latest_rag = latest_rag
    return action


OVERDUE = TODAY - DAY
COMPLETE = Action.Status.COMPLETE
CANCELLED = Action.Status.CANCELLED


@pytest.mark.parametrize(
    ("actions", "rating", "explanation"),
    [
        ([], None, "No actions in this priority, so there is nothing to suggest."),
        (
            [_action(), _action()],
            None,
            "No open action has a rating yet, so there is nothing to suggest.",
        ),
        (
            [_action("green"), _action("amber"), _action("red"), _action("red")],
            Rag.RED,
            "Red: 2 actions rated Red.",
        ),
        (
            [_action("green", due_date=OVERDUE)],
            Rag.RED,
            "Red: 1 action overdue.",
        ),
        (
            [_action("red"), _action("amber", due_date=OVERDUE)],
            Rag.RED,
            "Red: 1 action rated Red and 1 action overdue.",
        ),
        (
            [_action("green"), _action("amber"), _action(None, due_date=TODAY + DAY)],
            Rag.AMBER,
            "Amber: 1 action rated Amber, none Red or overdue.",
        ),
        (
            [_action("green"), _action(None)],
            Rag.GREEN,
            "Green: no action is rated Red or Amber, and none is overdue.",
        ),
        (
            [_action("complete", COMPLETE, OVERDUE), _action("complete", COMPLETE)],
            Rag.COMPLETE,
            "Every action is complete.",
        ),
        # Finished actions count for nothing but "complete": a cancelled action's old Red, or
        # a completed action's last Amber, does not colour the open ones.
        (
            [_action("red", CANCELLED), _action("amber", COMPLETE), _action("green")],
            Rag.GREEN,
            "Green: no action is rated Red or Amber, and none is overdue.",
        ),
        (
            [_action("complete", COMPLETE), _action("red", CANCELLED)],
            Rag.COMPLETE,
            "Every action is complete (1 cancelled).",
        ),
        (
            [_action("red", CANCELLED)],
            None,
            "Every action was cancelled, so there is nothing to suggest.",
        ),
    ],
)
def test_suggested_rating(actions, rating, explanation):
    assert rag.suggested_rating(actions) == rag.Suggestion(rating, explanation)


# --- The evidence beside the forms -----------------------------------------------------------


def _fill(priority, period, *, actions: int, updates: int, previous_period, author) -> None:
    for _ in range(actions):
        action = ActionFactory(priority=priority, due_date=OVERDUE)
        for _ in range(updates):
            ProgressUpdateFactory(action=action, period=period, rag="amber", author=author)
    measure = priority.measures.create(name="Referrals", unit="")
    measure.values.create(period=period, value=3)
    measure.values.create(period=previous_period, value=5)


@pytest.fixture
def last_period(board):
    return ReportingPeriodFactory(
        board=board, label="Last quarter", start=TODAY - 120 * DAY, end=TODAY - 31 * DAY
    )


def test_evidence_has_a_fixed_number_of_queries(
    priority, period, last_period, chair, executive, django_assert_max_num_queries
):
    before = rag.start_assessment(priority=priority, period=last_period, by=chair)
    rag.propose(assessment=before, by=chair, proposed_rating=Rag.GREEN)
    rag.decide(assessment=before, by=executive, decided_rating=Rag.GREEN)
    _fill(priority, period, actions=1, updates=1, previous_period=last_period, author=chair)
    with CaptureQueriesContext(transaction.get_connection()) as few:
        rag.evidence(priority=priority, period=period)

    _fill(priority, period, actions=15, updates=3, previous_period=last_period, author=chair)
    assert len(few) <= 6  # actions, updates, measures, their values and periods, last decision
    with django_assert_max_num_queries(len(few)):
        shown = rag.evidence(priority=priority, period=period)
        assert len(shown["actions"]) == 16 and len(shown["overdue"]) == 16
        assert len(shown["updates"]) == 46
        assert all(u.author.email and u.action.ref for u in shown["updates"])
        assert sum(len(m.values.all()) for m in shown["measures"]) == 4
        assert all(v.period.label for m in shown["measures"] for v in m.values.all())
        assert shown["previous"] == before and shown["previous"].period == last_period
        assert shown["suggestion"].rating == Rag.RED


def test_evidence_of_the_first_period(priority, period):
    shown = rag.evidence(priority=priority, period=period)
    assert shown["previous"] is None and shown["updates"] == [] and shown["actions"] == []
    assert shown["suggestion"].rating is None


def test_evidence_reads_only_this_priority_and_period(priority, period, last_period, plan):
    ProgressUpdateFactory(action=ActionFactory(priority=priority), period=last_period)
    ProgressUpdateFactory(action=ActionFactory(priority=PriorityFactory(plan=plan)), period=period)
    shown = rag.evidence(priority=priority, period=period)
    assert len(shown["actions"]) == 1 and shown["updates"] == []


def test_another_boards_plan_is_not_this_boards(other_board, period, chair):
    """The same refusal for a priority of another board's plan (the API answers 404 first)."""
    theirs = PriorityFactory(plan=BusinessPlanFactory(board=other_board))
    with pytest.raises(ValidationError) as excinfo:
        rag.start_assessment(priority=theirs, period=period, by=chair)
    assert messages(excinfo) == ["That reporting period belongs to another board."]
