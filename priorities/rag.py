"""The quarterly RAG cycle's services: the delivery group proposes a priority's rating for a
reporting period, the executive group returns it with a question or decides it.

Each transition is one atomic call: the assessment's row is locked, its state and version
compared with what the person saw (``seen_version``), and the change saved with the version
bumped, so a second tab or a second person is refused with a clear message and nothing
changes. Who may do what is in priorities/rules.py ("priorities.propose_rag",
"priorities.decide_rag"); these services check the rules that are about the record itself
(its state, separation of duties, the period) so the API and the pages refuse alike.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from priorities.models import (
    Action,
    Priority,
    ProgressUpdate,
    Rag,
    RagAssessment,
    ReportingPeriod,
)
from priorities.services import check_can_change
from sab.models import User

State = RagAssessment.State
PROPOSAL_FIELDS = ("comments", "recommendations", "risks", "proposed_rating")
DECISION_FIELDS = ("executive_comments", "executive_risks", "decided_rating", "decision_reason")
# Who put an assessment in each state (a draft is the delivery group's work in progress).
MOVED_ON_BY = {
    State.PROPOSED: "proposed_by",
    State.RETURNED: "returned_by",
    State.DECIDED: "decided_by",
}


def _locked(assessment: RagAssessment, seen_version: int | None) -> RagAssessment:
    """The assessment's row, locked, refused if it moved on since ``seen_version``."""
    locked = RagAssessment.objects.select_for_update().get(pk=assessment.pk)
    if seen_version is not None and locked.version != seen_version:
        # Whoever made the state what it is now (a proposal made again after a question
        # still holds the returner's name: name the proposer).
        by_field = MOVED_ON_BY.get(locked.state)
        who = getattr(locked, by_field) if by_field else None
        raise ValidationError(
            f"This assessment has changed since you opened it (it is now "
            f"{locked.get_state_display().lower()}{f', by {who}' if who else ''}). "
            "Reload the page to see it."
        )
    check_can_change(locked)
    return locked


def _save(assessment: RagAssessment, by: User, **fields) -> RagAssessment:
    assessment._history_user = by  # the history says who, from a page, the API or a command
    for name, value in fields.items():
        setattr(assessment, name, value)
    assessment.version += 1
    assessment.full_clean()
    assessment.save()
    return assessment


def check_period_started(period: ReportingPeriod) -> None:
    if period.start > timezone.localdate():
        raise ValidationError(
            f"{period.label} has not started yet: its rating is proposed once it has."
        )


@transaction.atomic
def start_assessment(*, priority: Priority, period: ReportingPeriod, by: User) -> RagAssessment:
    """The priority's assessment for ``period``, created as a draft if there is none yet."""
    check_can_change(priority)
    if period.board_id != priority.board_id:
        raise ValidationError("That reporting period belongs to another board.")
    check_period_started(period)
    assessment = RagAssessment.objects.filter(priority=priority, period=period).first()
    if assessment is None:
        assessment = RagAssessment(priority=priority, period=period)
        assessment._history_user = by
        assessment.save()
    return assessment


@transaction.atomic
def save_draft(
    *, assessment: RagAssessment, by: User, seen_version: int | None = None, **proposal
) -> RagAssessment:
    """Keep the delivery group's work in progress (a draft, or a returned proposal)."""
    locked = _locked(assessment, seen_version)
    if locked.state not in {State.DRAFT, State.RETURNED}:
        raise ValidationError(
            f"The proposal is {locked.get_state_display().lower()}, so it can no longer be "
            "changed by the delivery group."
        )
    return _save(locked, by, **_only(proposal, PROPOSAL_FIELDS))


@transaction.atomic
def propose(
    *, assessment: RagAssessment, by: User, seen_version: int | None = None, **proposal
) -> RagAssessment:
    """The delivery group proposes the rating (first time, or again after a question)."""
    locked = _locked(assessment, seen_version)
    if locked.state not in {State.DRAFT, State.RETURNED}:
        raise ValidationError(
            f"This rating has already been {locked.get_state_display().lower()}: "
            "there is nothing to propose."
        )
    check_period_started(locked.period)
    fields = _only(proposal, PROPOSAL_FIELDS)
    if not fields.get("proposed_rating", locked.proposed_rating):
        raise ValidationError({"proposed_rating": "Select the rating you propose"})
    return _save(
        locked, by, **fields, state=State.PROPOSED, proposed_by=by, proposed_at=timezone.now()
    )


@transaction.atomic
def return_proposal(
    *, assessment: RagAssessment, by: User, question: str, seen_version: int | None = None
) -> RagAssessment:
    """The executive sends the proposal back to the delivery group with a question."""
    locked = _locked(assessment, seen_version)
    if locked.state != State.PROPOSED:
        raise ValidationError(
            f"Only a proposal waiting for a decision can be returned; this one is "
            f"{locked.get_state_display().lower()}."
        )
    check_not_own_proposal(locked, by, "return")
    if not (question or "").strip():
        raise ValidationError({"question": "Enter the question for the delivery group"})
    return _save(
        locked,
        by,
        state=State.RETURNED,
        question=question,
        returned_by=by,
        returned_at=timezone.now(),
    )


@transaction.atomic
def decide(
    *, assessment: RagAssessment, by: User, seen_version: int | None = None, **decision
) -> RagAssessment:
    """The executive decides the rating. A rating different from the proposal needs a
    reason. A decided assessment is then locked: see ``correct``."""
    locked = _locked(assessment, seen_version)
    if locked.state != State.PROPOSED:
        raise ValidationError(
            "This rating has already been decided."
            if locked.state == State.DECIDED
            else "Only a proposed rating can be decided: the delivery group has not proposed "
            "one yet."
        )
    check_not_own_proposal(locked, by, "decide")
    fields = _only(decision, DECISION_FIELDS)
    _check_decision(locked, fields)
    return _save(
        locked, by, **fields, state=State.DECIDED, decided_by=by, decided_at=timezone.now()
    )


@transaction.atomic
def correct(
    *,
    assessment: RagAssessment,
    by: User,
    decided_rating: str,
    decision_reason: str,
    seen_version: int | None = None,
) -> RagAssessment:
    """A new decision on a decided assessment: always with a reason. The history keeps the
    decision it replaces."""
    locked = _locked(assessment, seen_version)
    if locked.state != State.DECIDED:
        raise ValidationError("Only a decided rating can be corrected.")
    check_not_own_proposal(locked, by, "decide")
    if not (decision_reason or "").strip():
        raise ValidationError({"decision_reason": "Enter why the decision is being corrected"})
    if decided_rating not in Rag.values:
        raise ValidationError({"decided_rating": "Select the rating decided"})
    locked._change_reason = f"Decision corrected: {decision_reason.strip()}"
    return _save(
        locked,
        by,
        decided_rating=decided_rating,
        decision_reason=decision_reason,
        decided_by=by,
        decided_at=timezone.now(),
    )


def _only(values: dict, names: tuple[str, ...]) -> dict:
    unknown = set(values) - set(names)
    if unknown:
        raise TypeError(f"Unexpected fields: {', '.join(sorted(unknown))}")
    return values


def check_not_own_proposal(assessment: RagAssessment, by: User, verb: str) -> None:
    """Separation of duties: nobody decides (or returns) a rating they proposed. Public, so
    a page can say why before anyone posts, in the service's own words."""
    if assessment.proposed_by_id is not None and assessment.proposed_by_id == by.pk:
        raise ValidationError(
            f"You proposed this rating, so you cannot {verb} it: another member of the "
            "executive group decides."
        )


def _check_decision(assessment: RagAssessment, fields: dict) -> None:
    rating = fields.get("decided_rating") or ""
    if rating not in Rag.values:
        raise ValidationError({"decided_rating": "Select the rating decided"})
    if rating != assessment.proposed_rating and not (fields.get("decision_reason") or "").strip():
        proposed = Rag(assessment.proposed_rating).label
        raise ValidationError(
            {
                "decision_reason": f"Enter why the rating is {Rag(rating).label} when "
                f"{proposed} was proposed"
            }
        )


# --- Evidence and the suggested rating ------------------------------------------------------


@dataclass(frozen=True)
class Suggestion:
    rating: str | None  # a Rag value, or None when there is nothing to go on
    explanation: str


def suggested_rating(actions: list[Action]) -> Suggestion:
    """A rating suggested from the actions' latest ratings (``latest_rag`` annotations),
    never imposed: Complete if every action is finished and at least one is complete
    (cancelled ones set aside); otherwise, from the open actions only: Red if any is rated
    Red or is overdue; else Amber if any is rated Amber; else Green if any is rated Green."""
    if not actions:
        return Suggestion(None, "No actions in this priority, so there is nothing to suggest.")
    open_actions = [a for a in actions if not a.is_finished]
    if not open_actions:
        cancelled = sum(a.status == Action.Status.CANCELLED for a in actions)
        if cancelled == len(actions):
            return Suggestion(None, "Every action was cancelled, so there is nothing to suggest.")
        return Suggestion(
            Rag.COMPLETE,
            f"Every action is complete ({cancelled} cancelled)."
            if cancelled
            else "Every action is complete.",
        )
    # A finished action's last rating (a cancelled action's Red) says nothing about now.
    ratings = Counter(a.latest_rag or "none" for a in open_actions)
    overdue = [a for a in open_actions if a.is_overdue()]
    if ratings[Rag.RED] or overdue:
        reasons = []
        if ratings[Rag.RED]:
            reasons.append(f"{_actions(ratings[Rag.RED])} rated Red")
        if overdue:
            reasons.append(f"{_actions(len(overdue))} overdue")
        return Suggestion(Rag.RED, f"Red: {' and '.join(reasons)}.")
    if ratings[Rag.AMBER]:
        return Suggestion(
            Rag.AMBER, f"Amber: {_actions(ratings[Rag.AMBER])} rated Amber, none Red or overdue."
        )
    if ratings[Rag.GREEN]:
        return Suggestion(Rag.GREEN, "Green: no action is rated Red or Amber, and none is overdue.")
    return Suggestion(None, "No open action has a rating yet, so there is nothing to suggest.")


def _actions(count: int) -> str:
    return f"{count} action{'' if count == 1 else 's'}"


def evidence(*, priority: Priority, period: ReportingPeriod) -> dict:
    """What the proposal and decision forms show beside them: the period's action updates
    (text, rating, author), the priority's actions with their latest ratings (overdue ones
    marked), its measures with their latest values, last period's decision and the
    suggested rating. A fixed number of queries, however many actions and updates."""
    actions = list(Action.objects.filter(priority=priority).for_tracker())
    updates = list(
        ProgressUpdate.objects.filter(action__priority=priority, period=period)
        .select_related("action", "author")
        .order_by("action__order", "action_id", "-created_at")
    )
    measures = list(priority.measures.prefetch_related("values__period"))
    previous = (
        RagAssessment.objects.decided()
        .filter(priority=priority, period__start__lt=period.start)
        .select_related("period")
        .order_by("-period__start")
        .first()
    )
    return {
        "actions": actions,
        "overdue": [a for a in actions if a.is_overdue()],
        "updates": updates,
        "measures": measures,
        "previous": previous,
        "suggestion": suggested_rating(actions),
    }
