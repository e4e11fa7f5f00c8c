"""Reminders (priorities/reminders.py): one digest per person per run, the right people, the
right content, nothing sent twice, nobody outside the board. The clock is the ``today``
argument (the command's --today), so nothing depends on the day the tests run."""

import datetime
from unittest import mock

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from priorities.models import RagAssessment, ReminderSent
from priorities.reminders import collect, send_reminders, send_reminders_task
from sab.models import RoleAssignment
from tests.factories import (
    ActionFactory,
    GroupFactory,
    GroupMembershipFactory,
    PersonFactory,
    PriorityFactory,
    ProgressUpdateFactory,
    ReportingPeriodFactory,
    UserFactory,
)

Role = RoleAssignment.Role
SITE = "https://sab.example.org"

START, END = datetime.date(2026, 7, 1), datetime.date(2026, 9, 30)
DEADLINE = datetime.date(2026, 9, 16)
MEETING = datetime.date(2026, 10, 21)
NEAR_DEADLINE = DEADLINE - datetime.timedelta(days=7)  # 9 September
BEFORE_MEETING = MEETING - datetime.timedelta(days=7)  # 14 October


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def quarter(board):
    return ReportingPeriodFactory(
        board=board,
        label="Q2 2026/27",
        start=START,
        end=END,
        update_deadline=DEADLINE,
        exec_meeting_date=MEETING,
    )


@pytest.fixture
def chair(make_user, board, group):
    return make_user(Role.SUBGROUP_CHAIR, board, group=group)


@pytest.fixture
def member(make_user, board, group, chair):
    return make_user(Role.SUBGROUP_MEMBER, board, group=group)


@pytest.fixture
def actions(priority, group, quarter):
    """2b.1 needs an update; 2b.2 has one this quarter; 2b.3 is complete."""
    needs = ActionFactory(
        priority=priority, ref="2b.1", lead_group=group, description="Review meetings"
    )
    updated = ActionFactory(priority=priority, ref="2b.2", lead_group=group)
    ProgressUpdateFactory(action=updated, period=quarter)
    done = ActionFactory(priority=priority, ref="2b.3", lead_group=group, status="complete")
    return needs, updated, done


def _to(user):
    return [m for m in mail.outbox if m.to == [user.email]]


def _html(message) -> str:
    ((html, kind),) = message.alternatives
    assert kind == "text/html"
    return html


# --- Updates due --------------------------------------------------------------------------------


def test_the_chair_hears_of_actions_without_an_update_before_the_deadline(
    chair, member, actions, group
):
    needs, _updated, _done = actions
    assert send_reminders(today=NEAR_DEADLINE) == 1
    (message,) = mail.outbox
    assert message.to == [chair.email]
    assert "updates due" in message.subject
    text, html = message.body, _html(message)
    for part in (text, html):
        assert "Performance Sub-Group (LSAB): updates due by 16 September 2026" in part
        assert "2b.1 Review meetings" in part
        assert "2b.2" not in part and "2b.3" not in part
        assert f"{SITE}/boards/lsab/my-actions/" in part
        assert f"{SITE}/actions/{needs.pk}/" in part
        assert f"{SITE}/groups/{group.pk}/quarterly-return/" in part
    assert f'<a href="{SITE}/actions/{needs.pk}/">2b.1 Review meetings</a>' in html
    assert "&lt;" not in text and "&#x27;" not in text  # plain text is not HTML-escaped
    assert _to(member) == []


@pytest.mark.parametrize(
    "today",
    [DEADLINE - datetime.timedelta(days=8), DEADLINE + datetime.timedelta(days=1)],
    ids=["too early", "after the deadline"],
)
def test_no_updates_reminder_outside_the_days_before_the_deadline(chair, actions, today):
    send_reminders(today=today)
    assert _to(chair) == []


def test_the_number_of_days_before_the_deadline_is_an_option(chair, actions):
    send_reminders(today=DEADLINE - datetime.timedelta(days=10), days_before_deadline=10)
    assert len(_to(chair)) == 1


def test_a_rerun_sends_nothing_twice(chair, actions, quarter, group):
    assert send_reminders(today=NEAR_DEADLINE) == 1
    assert send_reminders(today=NEAR_DEADLINE) == 0
    assert send_reminders(today=NEAR_DEADLINE + datetime.timedelta(days=1)) == 0
    assert len(mail.outbox) == 1
    (sent,) = ReminderSent.objects.all()
    assert (sent.user, sent.kind, sent.key, sent.sent_on) == (
        chair,
        ReminderSent.Kind.UPDATES_DUE,
        f"period:{quarter.pk}:group:{group.pk}",
        NEAR_DEADLINE,
    )


def test_a_failed_email_records_nothing_and_is_sent_on_the_next_run(chair, actions):
    with mock.patch(
        "django.core.mail.EmailMultiAlternatives.send", side_effect=OSError("SMTP down")
    ):
        assert send_reminders(today=NEAR_DEADLINE) == 0
    assert not ReminderSent.objects.exists()
    assert send_reminders(today=NEAR_DEADLINE) == 1


# --- Overdue actions ----------------------------------------------------------------------------


def test_an_overdue_action_goes_to_its_lead_group_chair(chair, member, priority, group, quarter):
    late = ActionFactory(
        priority=priority, ref="2b.4", lead_group=group, due_date=datetime.date(2026, 8, 31)
    )
    ProgressUpdateFactory(action=late, period=quarter)  # updated, but still late
    today = datetime.date(2026, 9, 1)
    send_reminders(today=today)
    (message,) = _to(chair)
    assert "1 overdue action" in message.subject
    assert "LSAB: overdue actions" in message.body
    assert "2b.4" in message.body and "due 31 August 2026" in message.body
    assert f"{SITE}/actions/{late.pk}/" in _html(message)
    assert _to(member) == []
    # Once a reporting period, not every day.
    assert send_reminders(today=today + datetime.timedelta(days=1)) == 0


def test_an_overdue_action_goes_to_the_lead_persons_login_instead(
    chair, make_user, board, priority, group, quarter
):
    lead_user = make_user(Role.VIEWER, board)
    lead = PersonFactory(user=lead_user, email=lead_user.email)
    ActionFactory(priority=priority, ref="2b.5", lead_group=group, lead_person=lead, due_date=START)
    send_reminders(today=datetime.date(2026, 9, 1))
    assert "2b.5" in _to(lead_user)[0].body
    assert _to(chair) == []


def test_a_lead_person_outside_the_board_is_not_told_but_the_chair_is(
    chair, other_board, make_user, priority, group, quarter
):
    outsider = make_user(Role.BOARD_MANAGER, other_board)
    lead = PersonFactory(user=outsider, email=outsider.email)
    ActionFactory(priority=priority, ref="2b.6", lead_group=group, lead_person=lead, due_date=START)
    send_reminders(today=datetime.date(2026, 9, 1))
    assert _to(outsider) == []
    assert "2b.6" in _to(chair)[0].body


def test_finished_and_archived_actions_are_not_overdue(chair, priority, group, quarter):
    ActionFactory(priority=priority, lead_group=group, due_date=START, status="complete")
    ActionFactory(priority=priority, lead_group=group, due_date=START, status="cancelled")
    old_plan_action = ActionFactory(lead_group=group, due_date=START)
    old_plan_action.priority.plan.board = priority.plan.board
    old_plan_action.priority.plan.status = "archived"
    old_plan_action.priority.plan.save()
    send_reminders(today=datetime.date(2026, 9, 1))
    assert _to(chair) == []


# --- Ratings to decide --------------------------------------------------------------------------


@pytest.fixture
def proposals(priority, plan, quarter, chair):
    """Two proposals waiting for the executive (one proposed by the executive ``proposer``),
    one already decided."""
    waiting = RagAssessment.objects.create(
        priority=priority, period=quarter, state="proposed", proposed_rating="amber",
        proposed_by=chair,
    )  # fmt: skip
    other = PriorityFactory(plan=plan, ref="3", title="Learning from reviews")
    decided = PriorityFactory(plan=plan, ref="4", title="Decided already")
    RagAssessment.objects.create(
        priority=decided, period=quarter, state="decided", proposed_rating="green",
        decided_rating="green",
    )  # fmt: skip
    return waiting, other


def test_executive_members_hear_of_ratings_to_decide_before_the_meeting(
    make_user, board, other_board, proposals, quarter
):
    waiting, other = proposals
    assigned = make_user(Role.EXECUTIVE_MEMBER, board)
    executive_group = GroupFactory(name="Executive Group", kind="executive", boards=[board])
    sitting = UserFactory()
    person = PersonFactory(user=sitting, email=sitting.email)
    person.boards.add(board)
    GroupMembershipFactory(group=executive_group, person=person, role="member")
    proposer = make_user(Role.EXECUTIVE_MEMBER, board)
    theirs = RagAssessment.objects.create(
        priority=other, period=quarter, state="proposed", proposed_rating="red",
        proposed_by=proposer,
    )  # fmt: skip
    elsewhere = make_user(Role.EXECUTIVE_MEMBER, other_board)
    viewer = make_user(Role.VIEWER, board)

    send_reminders(today=BEFORE_MEETING)

    for user in (assigned, sitting):
        (message,) = _to(user)
        assert "2 ratings to decide" in message.subject
        html = _html(message)
        for part in (message.body, html):
            assert "ratings to decide before the executive meeting on 21 October 2026" in part
            assert "Effective multi-agency meetings" in part and "proposed Amber" in part
            assert "3 Learning from reviews" in part and "proposed Red" in part
            assert "Decided already" not in part
            assert f"{SITE}/boards/lsab/rag/decisions/" in part
    # The proposer is not asked to decide their own proposal.
    (message,) = _to(proposer)
    assert "1 rating to decide" in message.subject and "Learning from reviews" not in message.body
    assert _to(elsewhere) == [] and _to(viewer) == []
    assert theirs.pk and waiting.pk


def test_no_decision_reminder_far_from_the_meeting(make_user, board, proposals):
    executive = make_user(Role.EXECUTIVE_MEMBER, board)
    send_reminders(today=MEETING - datetime.timedelta(days=8))
    assert _to(executive) == []
    send_reminders(today=MEETING - datetime.timedelta(days=8), days_before_meeting=8)
    assert len(_to(executive)) == 1


def test_the_board_uses_its_own_word_for_the_proposed_rating(make_user, board, proposals):
    board.rag_key.create(rating="amber", word="Yellow", definition="Some risk.")
    executive = make_user(Role.EXECUTIVE_MEMBER, board)
    send_reminders(today=BEFORE_MEETING)
    assert "proposed Yellow" in _to(executive)[0].body


# --- One digest, one board ----------------------------------------------------------------------


def test_one_digest_per_person_with_every_section(chair, board, actions, proposals, group, quarter):
    RoleAssignment.objects.create(user=chair, board=board, role=Role.EXECUTIVE_MEMBER)
    RagAssessment.objects.create(
        priority=proposals[1], period=quarter, state="proposed", proposed_rating="green"
    )
    ActionFactory(priority=actions[0].priority, ref="2b.9", lead_group=group, due_date=START)
    # The deadline and the meeting are both close on this (made-up) day.
    quarter.exec_meeting_date = NEAR_DEADLINE + datetime.timedelta(days=2)
    quarter.save()
    assert send_reminders(today=NEAR_DEADLINE) == 1
    (message,) = mail.outbox
    assert message.subject == (
        "SAB Manager reminder: updates due, 1 overdue action, 1 rating to decide"
    )
    assert "updates due by" in message.body and "overdue actions" in message.body
    assert "Learning from reviews" in message.body  # proposed by someone else
    assert "Effective multi-agency meetings" not in message.body.split("ratings to decide")[1]


def test_nobody_hears_of_another_boards_records(make_user, other_board, chair, actions):
    other_group = GroupFactory(boards=[other_board])
    other_chair = make_user(Role.SUBGROUP_CHAIR, other_board, group=other_group)
    manager = make_user(Role.BOARD_MANAGER, other_board)
    send_reminders(today=NEAR_DEADLINE)
    assert _to(other_chair) == [] and _to(manager) == []
    assert [m.to for m in mail.outbox] == [[chair.email]]


def test_collect_without_sending(chair, actions):
    (digest,) = collect(today=NEAR_DEADLINE)
    assert digest.user == chair
    assert [item.text for item in digest.items] == ["2b.1 Review meetings"]
    assert mail.outbox == [] and not ReminderSent.objects.exists()


# --- The command and the task -------------------------------------------------------------------


def test_the_command_sends_for_the_day_given(chair, actions, capsys):
    call_command("send_reminders", "--today", NEAR_DEADLINE.isoformat())
    assert "Sent 1 reminder e-mail." in capsys.readouterr().out
    call_command("send_reminders", "--today", NEAR_DEADLINE.isoformat())
    assert "Sent 0 reminder e-mails." in capsys.readouterr().out
    assert len(mail.outbox) == 1


def test_the_command_uses_todays_date_by_default(chair, actions):
    with mock.patch("django.utils.timezone.localdate", return_value=NEAR_DEADLINE):
        call_command("send_reminders")
    assert len(_to(chair)) == 1


def test_the_command_refuses_a_bad_date(db):
    with pytest.raises(CommandError, match="--today must be a date"):
        call_command("send_reminders", "--today", "next Tuesday")


def test_the_task_does_the_same_work(chair, actions):
    result = send_reminders_task.enqueue(today=NEAR_DEADLINE.isoformat())
    assert result.return_value == 1
    assert len(_to(chair)) == 1
