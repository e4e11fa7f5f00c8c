"""Reminders: one digest e-mail per person per run, of what needs them soon.

Run daily (``python manage.py send_reminders`` from cron or the compose ``reminders``
service), or enqueue ``send_reminders_task``. Each board's records are read in turn:

* **Updates due.** Within ``days_before_deadline`` days of a reporting period's update
  deadline (the deadline day included), each group's chair hears of the open actions in the
  plans in use that the group leads and that have no update for that period
  (``Action.needs_update_in``), with links to their actions page and each action.
* **Overdue actions.** Every open action past its due date (``Action.objects.overdue``) goes
  to its lead person's login, if the lead person has one in the board, else to the chair of
  its lead group; once in each reporting period (once per due date when no period covers the
  day).
* **Ratings to decide.** Within ``days_before_meeting`` days of a period's executive meeting,
  each executive member of the board (assigned the role, or sitting on an executive group)
  hears of the priorities' proposed ratings waiting for a decision, except those they proposed
  themselves (they may not decide them), with a link to the decisions page.
* **What a higher app adds.** An app above priorities registers a collector with
  ``add_collector`` (reports/statement_reminders.py: partner statements due), called for each
  board after the built-in ones, so this module imports no app above it.

Nobody hears of a board they hold no role in. What was sent is recorded
(``ReminderSent``: the person, the kind and the key of what it was about), so a second run,
the same day or later, never sends the same reminder again; a person with nothing new gets no
e-mail. A failed e-mail records nothing and is tried again on the next run.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_tasks import task

from priorities.models import (
    Action,
    PlanStatus,
    RagAssessment,
    RagDefinition,
    ReminderSent,
    ReportingPeriod,
)
from sab import permissions
from sab.models import Board, RoleAssignment, User
from subgroups.models import Group, GroupMembership

logger = logging.getLogger(__name__)

Kind = ReminderSent.Kind
DEFAULT_DAYS_BEFORE = 7
EXECUTIVE_KINDS = (Group.Kind.EXECUTIVE, Group.Kind.JOINT_EXECUTIVE)


@dataclass
class Item:
    """One thing a person is reminded of: its line, its link and what records it as sent."""

    kind: str
    key: str
    text: str
    url: str
    detail: str = ""


@dataclass
class Section:
    """A heading of the digest with its items and a link to the page where they are done."""

    kind: str
    title: str
    intro: str
    link_text: str
    url: str
    items: list[Item] = field(default_factory=list)
    # A second way in: a group's quarterly return, to update all its actions on one page.
    extra_link_text: str = ""
    extra_url: str = ""


@dataclass
class Digest:
    user: User
    sections: list[Section] = field(default_factory=list)

    @property
    def items(self) -> list[Item]:
        return [item for section in self.sections for item in section.items]

    def add(self, section: Section, item: Item) -> None:
        found = next(
            (s for s in self.sections if (s.kind, s.title) == (section.kind, section.title)), None
        )
        if found is None:
            found = section
            self.sections.append(found)
        if all((i.key, i.url) != (item.key, item.url) for i in found.items):
            found.items.append(item)


def digest_for(digests: dict[int, Digest], user: User) -> Digest:
    """The person's digest in this run (a collector adds its items to it)."""
    if user.pk not in digests:
        digests[user.pk] = Digest(user=user)
    return digests[user.pk]


def site_link(path: str) -> str:
    """The absolute URL of a path on the site, for an e-mail."""
    return settings.SITE_URL + path


def long_date(day: datetime.date) -> str:
    """A date as the e-mails say it: "5 June 2026"."""
    return f"{day.day} {day:%B %Y}"


def _short(text: str, words: int = 14) -> str:
    parts = " ".join((text or "").split()).split(" ")
    return " ".join(parts[:words]) + (" ..." if len(parts) > words else "")


class Recipients:
    """Users read once per run, with their roles (sab.permissions.role_rows caches them on
    the user object), so "is this person in the board" costs one query per person."""

    def __init__(self) -> None:
        self.users: dict[int, User] = {}

    def get(self, user: User | None, board: Board) -> User | None:
        if user is None or not user.is_active or not user.email:
            return None
        user = self.users.setdefault(user.pk, user)
        return user if board.pk in permissions.board_ids(user) else None


def _chairs(group_ids: set[int], today: datetime.date) -> dict[int, list[User]]:
    """Each group's current chairs with a login, by group id."""
    chairs: dict[int, list[User]] = defaultdict(list)
    memberships = (
        GroupMembership.objects.current(today)
        .filter(
            group__in=group_ids,
            group__active=True,
            role=GroupMembership.Role.CHAIR,
            person__user__isnull=False,
        )
        .select_related("person__user")
        .order_by("group_id", "pk")
    )
    for membership in memberships:
        chairs[membership.group_id].append(membership.person.user)
    return chairs


def _updates_due(board, today, days, recipients, digests) -> None:
    periods = ReportingPeriod.objects.for_board(board).filter(
        update_deadline__gte=today, update_deadline__lte=today + datetime.timedelta(days=days)
    )
    my_actions = site_link(reverse("priorities:my-actions", kwargs={"slug": board.slug}))
    for period in periods.order_by("update_deadline", "pk"):
        actions = [
            action
            for action in Action.objects.for_board(board)
            .in_current_plans()
            .open()
            .filter(lead_group__isnull=False)
            .for_tracker()
            if action.needs_update_in(period)
        ]
        by_group: dict[int, list[Action]] = defaultdict(list)
        for action in actions:
            by_group[action.lead_group_id].append(action)
        chairs = _chairs(set(by_group), today)
        for group_id, group_actions in by_group.items():
            group = group_actions[0].lead_group
            for chair in chairs.get(group_id, []):
                user = recipients.get(chair, board)
                if user is None:
                    continue
                section = Section(
                    kind=Kind.UPDATES_DUE,
                    title=f"{group.name} ({board.short_name}): updates due by "
                    f"{long_date(period.update_deadline)}",
                    intro=f"These actions have no update for {period.label} yet.",
                    link_text=f"Your actions in {board.short_name}",
                    url=my_actions,
                    extra_link_text=f"Update them all in {group.name}'s quarterly return",
                    extra_url=site_link(
                        reverse("priorities:quarterly-return", kwargs={"pk": group_id})
                    ),
                )
                for action in group_actions:
                    digest_for(digests, user).add(
                        section,
                        Item(
                            kind=Kind.UPDATES_DUE,
                            key=f"period:{period.pk}:group:{group_id}",
                            text=f"{action.ref} {_short(action.description)}",
                            url=site_link(action.get_absolute_url()),
                        ),
                    )


def _overdue(board, today, recipients, digests) -> None:
    period = ReportingPeriod.objects.for_board(board).covering(today).first()
    actions = (
        Action.objects.for_board(board)
        .in_current_plans()
        .overdue(today)
        .select_related("lead_person__user", "lead_group")
        .order_by("due_date", "priority__order", "order", "pk")
    )
    actions = list(actions)
    chairs = _chairs({a.lead_group_id for a in actions if a.lead_group_id}, today)
    for action in actions:
        lead = action.lead_person
        person_login = recipients.get(lead.user if lead else None, board)
        users = [person_login] if person_login else chairs.get(action.lead_group_id, [])
        when = f"period:{period.pk}" if period else f"due:{action.due_date.isoformat()}"
        for candidate in users:
            user = recipients.get(candidate, board)
            if user is None:
                continue
            digest_for(digests, user).add(
                Section(
                    kind=Kind.OVERDUE,
                    title=f"{board.short_name}: overdue actions",
                    intro="These actions are past their due date and still open. Record an "
                    "update, or agree a new date with the board manager.",
                    link_text=f"Your actions in {board.short_name}",
                    url=site_link(reverse("priorities:my-actions", kwargs={"slug": board.slug})),
                ),
                Item(
                    kind=Kind.OVERDUE,
                    key=f"action:{action.pk}:{when}",
                    text=f"{action.ref} {_short(action.description)}",
                    detail=f"due {long_date(action.due_date)}",
                    url=site_link(action.get_absolute_url()),
                ),
            )


def _executives(board: Board, today: datetime.date) -> list[User]:
    """The board's executive members: assigned the role, or sitting on an executive group."""
    assigned = RoleAssignment.objects.filter(
        board=board, role=RoleAssignment.Role.EXECUTIVE_MEMBER
    ).values("user")
    sitting = (
        GroupMembership.objects.current(today)
        .filter(group__boards=board, group__kind__in=EXECUTIVE_KINDS, group__active=True)
        .values("person__user")
    )
    return list(User.objects.filter(pk__in=assigned) | User.objects.filter(pk__in=sitting))


def _decisions(board, today, days, recipients, digests) -> None:
    meeting = (
        ReportingPeriod.objects.for_board(board)
        .filter(
            exec_meeting_date__gte=today,
            exec_meeting_date__lte=today + datetime.timedelta(days=days),
        )
        .order_by("exec_meeting_date")
        .values_list("exec_meeting_date", flat=True)
        .first()
    )
    if meeting is None:
        return
    waiting = list(
        RagAssessment.objects.for_board(board)
        .proposed()
        .exclude(priority__plan__status=PlanStatus.ARCHIVED)
        .select_related("priority", "period")
        .order_by("period__start", "priority__order", "pk")
    )
    if not waiting:
        return
    words = {entry.rating: entry.word for entry in RagDefinition.key_for(board)}
    url = site_link(reverse("priorities:rag-decisions", kwargs={"slug": board.slug}))
    for candidate in _executives(board, today):
        user = recipients.get(candidate, board)
        if user is None:
            continue
        for assessment in waiting:
            if assessment.proposed_by_id == user.pk:
                continue  # separation of duties: another executive member decides it
            priority = assessment.priority
            digest_for(digests, user).add(
                Section(
                    kind=Kind.DECISION,
                    title=f"{board.short_name}: ratings to decide before the executive "
                    f"meeting on {long_date(meeting)}",
                    intro="The delivery groups have proposed these ratings.",
                    link_text=f"Decide the ratings for {board.short_name}",
                    url=url,
                ),
                Item(
                    kind=Kind.DECISION,
                    key=f"assessment:{assessment.pk}:meeting:{meeting.isoformat()}",
                    text=f"{priority.ref} {_short(priority.title)}",
                    detail=f"{assessment.period.label}, proposed "
                    f"{words.get(assessment.proposed_rating, assessment.proposed_rating)}",
                    url=url,
                ),
            )


# Apps above priorities add collectors here (reports/statement_reminders.py: partner
# statements due), so their records are in the digest without this module importing them.
Collector = Callable[..., None]
_COLLECTORS: list[Collector] = []


def add_collector(collector: Collector) -> Collector:
    """Register ``collector(*, board, today, recipients, digests)``, called for each board
    after the built-in reminders: it adds its items to people's digests
    (``digest_for(digests, user).add(section, item)``), keyed by a ``ReminderSent.Kind`` and
    a key, and collect() leaves out what was sent before. Usable as a decorator."""
    if collector not in _COLLECTORS:
        _COLLECTORS.append(collector)
    return collector


def collect(
    *,
    today: datetime.date,
    days_before_deadline: int = DEFAULT_DAYS_BEFORE,
    days_before_meeting: int = DEFAULT_DAYS_BEFORE,
) -> list[Digest]:
    """Each person's digest of what is due, without what they have already been sent."""
    recipients = Recipients()
    digests: dict[int, Digest] = {}
    for board in Board.objects.order_by("name", "pk"):
        _updates_due(board, today, days_before_deadline, recipients, digests)
        _overdue(board, today, recipients, digests)
        _decisions(board, today, days_before_meeting, recipients, digests)
        for collector in _COLLECTORS:
            collector(board=board, today=today, recipients=recipients, digests=digests)

    if not digests:
        return []
    sent = set(
        ReminderSent.objects.filter(
            user__in=list(digests),
            key__in={item.key for digest in digests.values() for item in digest.items},
        ).values_list("user_id", "kind", "key")
    )
    result = []
    for user_id, digest in digests.items():
        for section in digest.sections:
            section.items = [i for i in section.items if (user_id, i.kind, i.key) not in sent]
        digest.sections = [section for section in digest.sections if section.items]
        if digest.sections:
            result.append(digest)
    return sorted(result, key=lambda d: d.user.email)


def _subject(digest: Digest) -> str:
    counts: dict[str, int] = defaultdict(int)
    for section in digest.sections:
        counts[section.kind] += len(section.items)
    parts = []
    if counts[Kind.UPDATES_DUE]:
        parts.append("updates due")
    if counts[Kind.OVERDUE]:
        n = counts[Kind.OVERDUE]
        parts.append(f"{n} overdue action{'' if n == 1 else 's'}")
    if counts[Kind.DECISION]:
        n = counts[Kind.DECISION]
        parts.append(f"{n} rating{'' if n == 1 else 's'} to decide")
    if counts[Kind.STATEMENT_DUE]:
        n = counts[Kind.STATEMENT_DUE]
        parts.append(f"{n} partner statement{'' if n == 1 else 's'} due")
    return "SAB Manager reminder: " + ", ".join(parts)


def _send(digest: Digest, today: datetime.date) -> None:
    context = {
        "name": digest.user.first_name or digest.user.email,
        "sections": digest.sections,
        "today": today,
        "site_url": settings.SITE_URL,
    }
    message = EmailMultiAlternatives(
        subject=_subject(digest),
        body=render_to_string("priorities/email/reminder_digest.txt", context),
        to=[digest.user.email],
    )
    message.attach_alternative(
        render_to_string("priorities/email/reminder_digest.html", context), "text/html"
    )
    message.send()


def send_reminders(
    *,
    today: datetime.date | None = None,
    days_before_deadline: int = DEFAULT_DAYS_BEFORE,
    days_before_meeting: int = DEFAULT_DAYS_BEFORE,
) -> int:
    """Send each person their digest of new reminders; returns how many e-mails were sent."""
    today = today or timezone.localdate()
    sent = 0
    digests = collect(
        today=today,
        days_before_deadline=days_before_deadline,
        days_before_meeting=days_before_meeting,
    )
    for digest in digests:
        rows = {(item.kind, item.key) for item in digest.items}
        try:
            with transaction.atomic():
                # Recorded first, in the same transaction: a run at the same moment stops at
                # the unique constraint, and a failed e-mail records nothing.
                ReminderSent.objects.bulk_create(
                    ReminderSent(user=digest.user, kind=kind, key=key, sent_on=today)
                    for kind, key in sorted(rows)
                )
                _send(digest, today)
        except IntegrityError:
            logger.info("Reminders for %s were sent by another run.", digest.user.email)
            continue
        except Exception:
            logger.exception("Could not send reminders to %s.", digest.user.email)
            continue
        sent += 1
    return sent


@task()
def send_reminders_task(
    today: str | None = None,
    days_before_deadline: int = DEFAULT_DAYS_BEFORE,
    days_before_meeting: int = DEFAULT_DAYS_BEFORE,
) -> int:
    """send_reminders as a background task (arguments JSON: ``today`` as YYYY-MM-DD)."""
    return send_reminders(
        today=datetime.date.fromisoformat(today) if today else None,
        days_before_deadline=days_before_deadline,
        days_before_meeting=days_before_meeting,
    )
