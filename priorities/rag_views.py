"""The quarterly RAG cycle's pages (priorities/rag.py does the work). Included in the
"priorities" namespace through ``urlpatterns``.

- an assessment's page: the evidence beside the form the reader may use (propose, decide,
  return with a question, correct a decision), each form posting to its own URL;
- "proposals to write" (the delivery groups), "decisions due" (the executive group, in the
  order of its meeting, walked from one proposal to the next after each decision);
- a priority's RAG timeline, and the board's heatmap (with its CSV and a print layout).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass

import rules
from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from priorities import rag
from priorities.exports import safe_cell
from priorities.models import (
    BusinessPlan,
    Priority,
    Rag,
    RagAssessment,
    RagDefinition,
    ReportingPeriod,
)
from priorities.rules import executive_member
from sab.forms import add_service_errors
from sab.history import entries_from
from sab.history import timeline as merge_entries
from sab.models import Board
from sab.permissions import get_visible_or_404, is_superuser, manages_board, roles_in_board
from sab.roles import GROUP_ROLES
from subgroups.models import Group

State = RagAssessment.State


# --- Who reads the board-wide lists -----------------------------------------------------------


@rules.predicate
def sits_on_a_group(user, board) -> bool:
    """Chairs or sits on a group in the board (a delivery group proposes its priorities')."""
    return bool(roles_in_board(user, board) & GROUP_ROLES)


# The board-level twins of "priorities.propose_rag" and "priorities.decide_rag": who has
# proposals to write, and who decides them (each item is still checked with the object rule).
writes_proposals = is_superuser | manages_board | sits_on_a_group
decides_ratings = is_superuser | manages_board | executive_member


# --- Forms: each carries the version the reader saw (the service refuses a stale one) -------


def _narrative(name: str, label: str, **kwargs) -> forms.Field:
    """A Markdown field of the assessment as a textarea, with the formatting hint."""
    return RagAssessment._meta.get_field(name).formfield(
        label=label, widget=forms.Textarea(attrs={"rows": 4}), **kwargs
    )


def _rating(label: str, help_text: str = "") -> forms.ChoiceField:
    """A rating as radios; the service says when one is needed."""
    return forms.ChoiceField(
        label=label,
        choices=Rag.choices,
        widget=forms.RadioSelect,
        required=False,
        help_text=help_text,
    )


class AssessmentForm(forms.Form):
    """A form about one assessment, under its own prefix (several share the page)."""

    form_prefix = ""
    seen_version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, data=None, *, assessment: RagAssessment, initial=None):
        super().__init__(
            data,
            prefix=self.form_prefix,
            initial={"seen_version": assessment.version, **(initial or {})},
        )


class ProposalForm(AssessmentForm):
    form_prefix = "propose"
    comments = _narrative("comments", "Comments from the delivery group")
    recommendations = _narrative("recommendations", "Recommendations")
    risks = _narrative("risks", "Identified risks and mitigation")
    proposed_rating = _rating(
        "Proposed rating",
        "The suggested rating beside this form is worked out from the actions' ratings: "
        "it is a suggestion, not a rule.",
    )

    def __init__(self, data=None, *, assessment: RagAssessment):
        super().__init__(
            data,
            assessment=assessment,
            initial={name: getattr(assessment, name) for name in rag.PROPOSAL_FIELDS},
        )

    def proposal(self) -> dict:
        """The service's fields. A rating left unchosen keeps the one already saved."""
        fields = {name: self.cleaned_data[name] for name in rag.PROPOSAL_FIELDS}
        if not fields["proposed_rating"]:
            del fields["proposed_rating"]
        return fields


class DecisionForm(AssessmentForm):
    form_prefix = "decide"
    executive_comments = _narrative("executive_comments", "Comments by the executive group")
    executive_risks = _narrative(
        "executive_risks", "Risks and mitigation identified by the executive group"
    )
    decided_rating = _rating("Decided rating", "The delivery group's proposal is chosen to start.")
    decision_reason = _narrative(
        "decision_reason",
        "Reason for the decision",
        help_text="Needed when the rating you decide differs from the proposal.",
    )

    def __init__(self, data=None, *, assessment: RagAssessment):
        super().__init__(
            data,
            assessment=assessment,
            initial={
                "executive_comments": assessment.executive_comments,
                "executive_risks": assessment.executive_risks,
                "decided_rating": assessment.proposed_rating,
            },
        )

    def decision(self) -> dict:
        return {name: self.cleaned_data[name] for name in rag.DECISION_FIELDS}


class ReturnForm(AssessmentForm):
    form_prefix = "return"
    question = _narrative("question", "Your question for the delivery group", required=True)


class CorrectionForm(AssessmentForm):
    form_prefix = "correct"
    decided_rating = _rating("Corrected rating")
    decision_reason = _narrative(
        "decision_reason",
        "Why the decision is being corrected",
        help_text="The history keeps the decision this one replaces.",
        required=True,
    )

    def __init__(self, data=None, *, assessment: RagAssessment):
        super().__init__(
            data, assessment=assessment, initial={"decided_rating": assessment.decided_rating}
        )


# --- The assessment page ----------------------------------------------------------------------

# Not shown as changes: who and when are the history's own columns; the rest never change.
HIDDEN_IN_HISTORY = (
    "priority", "period", "version", "proposed_by", "proposed_at", "returned_by",
    "returned_at", "decided_by", "decided_at",
)  # fmt: skip


def _history(assessment: RagAssessment) -> list:
    """The assessment's saved versions, newest first, each about its period (one query
    however many versions)."""
    return entries_from(
        RagAssessment.history.filter(id=assessment.pk),
        RagAssessment,
        hide=HIDDEN_IN_HISTORY,
        subject=assessment.period.label,
    )


def _assessment(request, pk: int, perm: str | None = None) -> RagAssessment:
    return get_visible_or_404(
        request.user,
        RagAssessment.objects.select_related(
            "priority__plan__board",
            "priority__delivery_group",
            "period",
            "proposed_by",
            "returned_by",
            "decided_by",
        ),
        perm,
        pk=pk,
    )


def _why_not_decide(assessment: RagAssessment, user) -> str:
    """The service's own words when the reader proposed this rating (separation of duties),
    else ""."""
    try:
        rag.check_not_own_proposal(assessment, user, "decide or return")
    except ValidationError as error:
        return " ".join(error.messages)
    return ""


def _latest_values(measures, period: ReportingPeriod) -> None:
    """Each measure's latest value up to ``period`` (``latest_value``), from the prefetch."""
    for measure in measures:
        values = [v for v in measure.values.all() if v.period.start <= period.start]
        measure.latest_value = values[-1] if values else None


def _assessment_page(request, assessment: RagAssessment, bound: AssessmentForm | None = None):
    """The page: the record, the evidence, and the forms the reader may use now. ``bound`` is
    a submitted form the service refused, shown with its errors in place of a blank one."""
    user, state = request.user, assessment.state
    may_propose = user.has_perm("priorities.propose_rag", assessment)
    may_decide = user.has_perm("priorities.decide_rag", assessment)
    why_not = _why_not_decide(assessment, user) if may_decide else ""
    shown = []
    if may_propose and state in {State.DRAFT, State.RETURNED}:
        shown.append(ProposalForm)
    if may_decide and not why_not and state == State.PROPOSED:
        shown += [DecisionForm, ReturnForm]
    if may_decide and not why_not and state == State.DECIDED:
        shown.append(CorrectionForm)
    forms_by_prefix = {
        kind.form_prefix: (
            bound if bound is not None and isinstance(bound, kind) else kind(assessment=assessment)
        )
        for kind in shown
    }
    evidence = rag.evidence(priority=assessment.priority, period=assessment.period)
    _latest_values(evidence["measures"], assessment.period)
    return render(
        request,
        "priorities/rag_assessment.html",
        {
            "assessment": assessment,
            "priority": assessment.priority,
            "plan": assessment.priority.plan,
            "board": assessment.priority.plan.board,
            "evidence": evidence,
            "forms": forms_by_prefix,
            "error_form": bound,
            "error_form_shown": bound is not None and bound.form_prefix in forms_by_prefix,
            "why_not_decide": why_not if state in {State.PROPOSED, State.DECIDED} else "",
            "history": _history(assessment),
        },
    )


@require_GET
def assessment_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _assessment_page(request, _assessment(request, pk))


def _refused(request, assessment, form, error: ValidationError):
    """Show a refusal on the page as it now is (another tab may have moved it on)."""
    add_service_errors(form, error)
    assessment.refresh_from_db()
    return _assessment_page(request, assessment, form)


def _title(assessment: RagAssessment) -> str:
    return f"{assessment.priority.ref} ({assessment.period.label})"


def _post(request, pk, *, perm, form_class, service, fields, walk=False):
    """A transition posted from the assessment page: the form, then the service. Returns
    (the page again, as it now is, with the errors; or None), what the service saved, and
    for ``walk`` the decisions due as they were before (for ``_walk_on``)."""
    assessment = _assessment(request, pk, perm)
    form = form_class(request.POST, assessment=assessment)
    if not form.is_valid():
        return _assessment_page(request, assessment, form), None, None
    waiting = _waiting(request, assessment) if walk else None
    try:
        saved = service(
            assessment=assessment,
            by=request.user,
            seen_version=form.cleaned_data["seen_version"],
            **fields(form),
        )
    except ValidationError as error:
        return _refused(request, assessment, form, error), None, None
    return None, saved, waiting


@require_POST
def assessment_propose(request: HttpRequest, pk: int) -> HttpResponse:
    """Save the delivery group's draft, or propose the rating ("intent": draft or propose)."""
    proposing = request.POST.get("intent") == "propose"
    page, saved, _ = _post(
        request,
        pk,
        perm="priorities.propose_rag",
        form_class=ProposalForm,
        service=rag.propose if proposing else rag.save_draft,
        fields=ProposalForm.proposal,
    )
    if page:
        return page
    if proposing:
        rating = Rag(saved.proposed_rating).label
        messages.success(
            request,
            f"You proposed {rating} for {_title(saved)}: it now waits for the executive "
            "group's decision.",
        )
    else:
        messages.success(request, f"Your draft for {_title(saved)} has been saved.")
    return redirect(saved)


def _decisions_due(user, board: Board):
    """Proposals waiting for a decision in the board's plans in use, in the order of the
    executive meeting: its date (periods without one last), then the plan's priority order."""
    return (
        RagAssessment.objects.visible_to(user)
        .for_board(board)
        .proposed()
        .in_current_plans()
        .order_by(
            F("period__exec_meeting_date").asc(nulls_last=True),
            "period__start",
            "priority__plan_id",
            "priority__order",
            "priority_id",
            "id",
        )
    )


def _walk_on(request, assessment: RagAssessment, waiting: list[tuple[int, int | None]], done):
    """Redirect to the next proposal the reader may decide after ``assessment`` in the
    decisions-due order (``waiting``: (id, proposer id) read before the change), or back to
    decisions due when none is left."""
    ids = [pk for pk, _ in waiting]
    at = ids.index(assessment.pk) if assessment.pk in ids else len(ids)
    # Those after this one, then those before it (skipped earlier); not the reader's own.
    candidates = [
        pk for pk, proposer in waiting[at + 1 :] + waiting[:at] if proposer != request.user.pk
    ]
    if not candidates:
        messages.success(request, f"{done} No other proposal is waiting for a decision.")
        return redirect("priorities:rag-decisions", slug=assessment.priority.plan.board.slug)
    messages.success(
        request,
        f"{done} Here is the next proposal waiting for a decision "
        f"({len(candidates)} still waiting).",
    )
    next_pk = candidates[0]
    return redirect("priorities:rag-assessment", pk=next_pk)


def _waiting(request, assessment) -> list[tuple[int, int | None]]:
    board = assessment.priority.plan.board
    return list(_decisions_due(request.user, board).values_list("pk", "proposed_by_id"))


@require_POST
def assessment_decide(request: HttpRequest, pk: int) -> HttpResponse:
    page, decided, waiting = _post(
        request,
        pk,
        perm="priorities.decide_rag",
        form_class=DecisionForm,
        service=rag.decide,
        fields=DecisionForm.decision,
        walk=True,
    )
    if page:
        return page
    done = f"{Rag(decided.decided_rating).label} is decided for {_title(decided)}."
    return _walk_on(request, decided, waiting, done)


@require_POST
def assessment_return(request: HttpRequest, pk: int) -> HttpResponse:
    page, returned, waiting = _post(
        request,
        pk,
        perm="priorities.decide_rag",
        form_class=ReturnForm,
        service=rag.return_proposal,
        fields=lambda form: {"question": form.cleaned_data["question"]},
        walk=True,
    )
    if page:
        return page
    done = f"The proposal for {_title(returned)} has gone back to the delivery group."
    return _walk_on(request, returned, waiting, done)


@require_POST
def assessment_correct(request: HttpRequest, pk: int) -> HttpResponse:
    page, corrected, _ = _post(
        request,
        pk,
        perm="priorities.decide_rag",
        form_class=CorrectionForm,
        service=rag.correct,
        fields=lambda form: {
            "decided_rating": form.cleaned_data["decided_rating"],
            "decision_reason": form.cleaned_data["decision_reason"],
        },
    )
    if page:
        return page
    rating = Rag(corrected.decided_rating).label
    messages.success(request, f"The decision for {_title(corrected)} is corrected to {rating}.")
    return redirect(corrected)


@require_POST
def assessment_start(request: HttpRequest, pk: int, period_pk: int) -> HttpResponse:
    """Start (or open) the priority's assessment for a period, then go to it."""
    priority = get_visible_or_404(
        request.user, Priority.objects.select_related("plan"), "priorities.propose_rag", pk=pk
    )
    period = get_visible_or_404(request.user, ReportingPeriod.objects, pk=period_pk)
    try:
        assessment = rag.start_assessment(priority=priority, period=period, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("priorities:rag-timeline", pk=priority.pk)
    return redirect(assessment)


# --- Proposals to write, decisions due ----------------------------------------------------------


def _board(request, slug: str, rule=None) -> Board:
    board = get_visible_or_404(request.user, Board.objects, slug=slug)
    if rule is not None and not rule.test(request.user, board):
        raise PermissionDenied
    return board


@dataclass(frozen=True)
class ProposalRow:
    priority: Priority
    assessment: RagAssessment | None

    @property
    def state_label(self) -> str:
        return self.assessment.get_state_display() if self.assessment else "Not started"

    @property
    def to_write(self) -> bool:
        return self.assessment is None or self.assessment.state in {State.DRAFT, State.RETURNED}


@require_GET
def proposals(request: HttpRequest, slug: str) -> HttpResponse:
    """This period's proposals for the reader to write: every priority in the plans in use
    they may propose (their delivery groups'; all for a board manager), with its state."""
    board = _board(request, slug, writes_proposals)
    period = ReportingPeriod.current_for(board)
    priorities = [
        priority
        for priority in Priority.objects.visible_to(request.user)
        .for_board(board)
        .in_current_plans()
        .select_related("plan", "delivery_group")
        .order_by("plan__title", "plan_id", "order", "id")
        if request.user.has_perm("priorities.propose_rag", priority)
    ]
    current = {}
    if period is not None:
        current = {
            a.priority_id: a
            for a in RagAssessment.objects.filter(period=period, priority__in=priorities)
        }
    rows = [ProposalRow(p, current.get(p.pk)) for p in priorities]
    return render(
        request,
        "priorities/rag_proposals.html",
        {
            "board": board,
            "period": period,
            "rows": rows,
            "to_write": sum(1 for row in rows if row.to_write),
            "can_manage": request.user.has_perm("sab.manage_board", board),
        },
    )


@require_GET
def decisions(request: HttpRequest, slug: str) -> HttpResponse:
    """Proposals waiting for the executive group, in its meeting's order."""
    board = _board(request, slug, decides_ratings)
    waiting = list(
        _decisions_due(request.user, board).select_related(
            "priority__plan", "priority__delivery_group", "period", "proposed_by"
        )
    )
    return render(
        request,
        "priorities/rag_decisions.html",
        {"board": board, "waiting": waiting, "me": request.user.pk},
    )


# --- A priority's timeline ----------------------------------------------------------------------


@require_GET
def timeline(request: HttpRequest, pk: int) -> HttpResponse:
    """The priority's assessments over the periods, newest first, each with its history."""
    priority = get_visible_or_404(
        request.user, Priority.objects.select_related("plan__board", "delivery_group"), pk=pk
    )
    board = priority.plan.board
    assessments = list(
        priority.rag_assessments.select_related(
            "period", "proposed_by", "returned_by", "decided_by"
        ).order_by("-period__start", "-id")
    )
    # One query per assessment (a priority has a few a year), each entry naming its period.
    history = merge_entries(*(_history(a) for a in assessments))
    period = ReportingPeriod.current_for(board)
    can_start = (
        period is not None
        and period.pk not in {a.period_id for a in assessments}
        and request.user.has_perm("priorities.propose_rag", priority)
    )
    return render(
        request,
        "priorities/rag_timeline.html",
        {
            "priority": priority,
            "plan": priority.plan,
            "board": board,
            "assessments": assessments,
            "history": history,
            "period": period,
            "can_start": can_start,
        },
    )


# --- The heatmap --------------------------------------------------------------------------------


class HeatmapFilterForm(forms.Form):
    plan = forms.ModelMultipleChoiceField(
        label="Plans",
        queryset=BusinessPlan.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="The plans in use unless you choose others.",
    )
    group = forms.ModelChoiceField(
        label="Delivery group",
        queryset=Group.objects.none(),
        required=False,
        empty_label="All delivery groups",
    )

    def __init__(self, data, *, board: Board, plans: list[BusinessPlan]):
        super().__init__(data, initial={"plan": [p.pk for p in plans if p.is_current]})
        self.fields["plan"].queryset = BusinessPlan.objects.for_board(board)
        self.fields["group"].queryset = (
            Group.objects.filter(priorities_delivered__plan__board=board)
            .distinct()
            .order_by("name")
        )


def cell_text(assessment: RagAssessment | None) -> str:
    """A heatmap cell in words (the page and its CSV say the same)."""
    if assessment is None:
        return "No assessment"
    if assessment.state == State.DECIDED:
        return Rag(assessment.decided_rating).label
    if assessment.state == State.PROPOSED:
        return f"Proposed: {Rag(assessment.proposed_rating).label} (awaiting decision)"
    return "Returned" if assessment.state == State.RETURNED else "Draft"


@dataclass(frozen=True)
class HeatmapRow:
    priority: Priority
    cells: list[tuple[ReportingPeriod, RagAssessment | None]]


def _heatmap(request, board: Board) -> dict:
    """The chosen plans' priorities (rows) by the board's periods (columns), from a fixed
    number of queries however many of either: the plans, the priorities, their assessments
    and the periods (those with an assessment, and the current one)."""
    plans = list(BusinessPlan.objects.for_board(board))
    form = HeatmapFilterForm(request.GET or None, board=board, plans=plans)
    chosen, group = [p for p in plans if p.is_current], None
    if form.is_bound and form.is_valid():
        chosen = list(form.cleaned_data["plan"]) or chosen
        group = form.cleaned_data["group"]
    priorities = Priority.objects.filter(plan__in=chosen).select_related("plan", "delivery_group")
    if group is not None:
        priorities = priorities.filter(delivery_group=group)
    priorities = list(priorities.order_by("plan__title", "plan_id", "order", "id"))
    assessments = {
        (a.priority_id, a.period_id): a
        for a in RagAssessment.objects.filter(priority__in=priorities)
    }
    today = timezone.localdate()
    periods = list(
        ReportingPeriod.objects.for_board(board)
        .filter(
            Q(pk__in={period_id for _, period_id in assessments})
            | Q(start__lte=today, end__gte=today)
        )
        .order_by("start", "id")
    )
    rows = [
        HeatmapRow(p, [(period, assessments.get((p.pk, period.pk))) for period in periods])
        for p in priorities
    ]
    return {
        "board": board,
        "form": form,
        "plans": chosen,
        "group": group,
        "periods": periods,
        "rows": rows,
    }


@require_GET
def heatmap(request: HttpRequest, slug: str) -> HttpResponse:
    board = _board(request, slug)
    context = _heatmap(request, board)
    context["query"] = request.GET.urlencode()
    context["key"] = RagDefinition.key_for(board)
    return render(request, "priorities/rag_heatmap.html", context)


@require_GET
def heatmap_csv(request: HttpRequest, slug: str) -> HttpResponse:
    """The heatmap's table as CSV: the same rows, columns and words."""
    board = _board(request, slug)
    context = _heatmap(request, board)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"{board.slug}-rag-heatmap-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    writer = csv.writer(response)
    writer.writerow(
        ["Plan", "Priority", "Title", "Delivery group", *(p.label for p in context["periods"])]
    )
    for row in context["rows"]:
        priority = row.priority
        group = priority.delivery_group.name if priority.delivery_group else ""
        cells = [
            priority.plan.title,
            priority.ref,
            priority.title,
            group or priority.delivery_group_text,
            *(cell_text(assessment) for _, assessment in row.cells),
        ]
        writer.writerow([safe_cell(cell) for cell in cells])  # text, never a formula
    return response


urlpatterns = [
    path("priorities/<int:pk>/rag/<int:period_pk>/", assessment_start, name="rag-start"),
    path("priorities/<int:pk>/rag/", timeline, name="rag-timeline"),
    path("rag/<int:pk>/", assessment_detail, name="rag-assessment"),
    path("rag/<int:pk>/propose/", assessment_propose, name="rag-propose"),
    path("rag/<int:pk>/return/", assessment_return, name="rag-return"),
    path("rag/<int:pk>/decide/", assessment_decide, name="rag-decide"),
    path("rag/<int:pk>/correct/", assessment_correct, name="rag-correct"),
    path("boards/<slug:slug>/rag/proposals/", proposals, name="rag-proposals"),
    path("boards/<slug:slug>/rag/decisions/", decisions, name="rag-decisions"),
    path("boards/<slug:slug>/rag/heatmap/", heatmap, name="rag-heatmap"),
    path("boards/<slug:slug>/rag/heatmap.csv", heatmap_csv, name="rag-heatmap-csv"),
]
