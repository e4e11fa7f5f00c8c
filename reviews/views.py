"""The review pages: the referrals register, a referral and its decision, the review with its
findings, recommendations and action plan, and the year summary for the annual report.

Every view is ``restricted`` (reviews/access.py): 404 for anyone who is not a review member
or board manager somewhere, then the second factor. Records come from
``Model.objects.visible_to(user)`` (another board's are a 404), and a change needs
"reviews.keep_reviews" on the record.
"""

from __future__ import annotations

import csv

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.views.decorators.http import require_GET, require_http_methods

from priorities.exports import csv_cell
from reviews import services
from reviews.access import restricted, review_boards
from reviews.filters import ReferralFilter
from reviews.forms import (
    S44_FIELDS,
    DecisionForm,
    FindingForm,
    InformationRequestForm,
    RecommendationActionForm,
    RecommendationForm,
    ReferralForm,
    ReviewForm,
    pointer_from,
)
from reviews.models import (
    Finding,
    InformationRequest,
    Recommendation,
    RecommendationAction,
    Referral,
    Review,
)
from reviews.summary import decision_made, is_reportable_year, year_summary
from sab.forms import add_service_errors, form_page, submitted
from sab.history import entries_from, history_entries, timeline
from sab.markdown import plain_text, summary_text
from sab.models import Board
from sab.permissions import get_visible_or_404, require_perm

PAGE_SIZE = 50
KEEP = "reviews.keep_reviews"


def _board(request: HttpRequest, slug: str) -> Board:
    """A board whose review records the user may see (else 404)."""
    return get_visible_or_404(request.user, review_boards(request.user), slug=slug)


def _kept(request: HttpRequest, record) -> None:
    """A change needs "reviews.keep_reviews" on the record (its board)."""
    if request.method == "POST":
        require_perm(request.user, KEEP, record)


def s44_answers(referral: Referral) -> list[tuple[str, str]]:
    """Each section 44 question (the model's wording) with the referral's answer."""
    return [
        (
            capfirst(Referral._meta.get_field(name).verbose_name),
            getattr(referral, f"get_{name}_display")(),
        )
        for name in S44_FIELDS
    ]


def review_of(referral: Referral) -> Review | None:
    try:
        return referral.review
    except ObjectDoesNotExist:
        return None


@restricted
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The boards whose reviews the user may see; straight to the register if only one."""
    boards = list(review_boards(request.user).order_by("name", "pk"))
    if len(boards) == 1:
        return redirect("reviews:referral-list", slug=boards[0].slug)
    return render(request, "reviews/home.html", {"boards": boards})


# --- The register ------------------------------------------------------------------------------


def _register(request: HttpRequest, board: Board) -> tuple[ReferralFilter, object]:
    """The register's filter and its rows (each referral with its review, in one query)."""
    referrals = Referral.objects.visible_to(request.user).for_board(board).select_related("review")
    register = ReferralFilter(request.GET or None, queryset=referrals, board=board)
    valid = register.is_bound and register.is_valid()
    return register, register.qs if valid else register.queryset


def register_rows(referrals) -> list[dict]:
    """What each row of the register (and its CSV) shows."""
    today = timezone.localdate()
    rows = []
    for referral in referrals:
        review = review_of(referral)
        days = referral.days_to_decision
        rows.append(
            {
                "referral": referral,
                "review": review,
                "days": (
                    f"{days} day{'s' if days != 1 else ''}"
                    if days is not None
                    else f"Waiting {referral.days_waiting(today)} days"
                ),
            }
        )
    return rows


@restricted
@require_GET
def referral_list(request: HttpRequest, slug: str) -> HttpResponse:
    board = _board(request, slug)
    register, referrals = _register(request, board)
    page = Paginator(referrals, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "reviews/referral_list.html",
        {
            "board": board,
            "form": register.form,
            "page": page,
            "rows": register_rows(page.object_list),
            "query": query.urlencode(),
            "can_keep": request.user.has_perm(KEEP, board),
        },
    )


EXPORT_HEADERS = [
    "Reference", "Kind", "Subject", "Referred by", "Type of referrer", "Date of referral",
    "Date first considered", "Decision", "Date of decision", "Days to decision",
    "Decision maker", "Review status", "Outcome",
]  # fmt: skip


@restricted
@require_GET
def referral_export(request: HttpRequest, slug: str) -> HttpResponse:
    """Exactly the register's filtered rows, as CSV (cells that a spreadsheet would run as a
    formula are made text: priorities.exports.csv_cell)."""
    board = _board(request, slug)
    _, referrals = _register(request, board)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response.write("\ufeff")  # Excel reads it as UTF-8
    writer = csv.writer(response)
    writer.writerow(EXPORT_HEADERS)
    for row in register_rows(referrals):
        referral, review = row["referral"], row["review"]
        values = [
            referral.reference,
            referral.get_kind_display(),
            referral.subject_label,
            referral.referring_organisation,
            referral.get_referrer_type_display(),
            referral.referral_date,
            referral.first_considered_on,
            referral.get_decision_display(),
            referral.decided_on,
            referral.days_to_decision,
            referral.decided_by,
            review.get_status_display() if review else "No review",
            plain_text(referral.outcome),
        ]
        writer.writerow([csv_cell(value) for value in values])
    filename = f"{board.slug}-referrals-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- Referrals ---------------------------------------------------------------------------------


def _referral(request: HttpRequest, pk: int) -> Referral:
    return get_visible_or_404(
        request.user,
        Referral.objects.select_related("board", "review", "subject_label_confirmed_by"),
        pk=pk,
    )


def _referral_timeline(referral: Referral) -> list:
    """The referral's changes and its information requests' as one history."""
    return timeline(
        history_entries(referral, hide=("board",)),
        entries_from(
            InformationRequest.history.filter(referral_id=referral.pk),
            InformationRequest,
            hide=("referral",),
            subject="Information request",
            summarise=lambda record: f"{record.agency}, due {record.due_on:%-d %B %Y}",
        ),
    )


@restricted
@require_GET
def referral_detail(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _referral(request, pk)
    today = timezone.localdate()
    requests = list(referral.information_requests.all())
    for information_request in requests:
        information_request.overdue = information_request.is_overdue(today)
    return render(
        request,
        "reviews/referral_detail.html",
        {
            "referral": referral,
            "board": referral.board,
            "review": review_of(referral),
            "answers": s44_answers(referral),
            "pointer": referral.pointer(),
            "information_requests": requests,
            "days_waiting": referral.days_waiting(today),
            "history": _referral_timeline(referral),
            "can_keep": request.user.has_perm(KEEP, referral),
        },
    )


def _referral_form(request, form: ReferralForm, *, title: str, back: str, board: Board):
    """Save a new or changed referral (services.save_referral), or show the form again with
    what was typed; with htmx, a GET answers with the pointer for the answers sent."""
    if request.htmx and request.method == "GET":
        return render(
            request, "reviews/referral_form.html#pointer", {"pointer": pointer_from(request.GET)}
        )
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.save_referral(
                form.instance, by=request.user, confirm_label=form.cleaned_data["confirm_label"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Referral {referral.reference} has been saved.")
            return redirect(referral)
    return render(
        request,
        "reviews/referral_form.html",
        {"form": form, "title": title, "back": back, "board": board, "pointer": form.pointer()},
    )


@restricted
@require_http_methods(["GET", "POST"])
def referral_create(request: HttpRequest, slug: str) -> HttpResponse:
    board = _board(request, slug)
    _kept(request, board)
    form = ReferralForm(submitted(request), instance=Referral(board=board), board=board)
    return _referral_form(
        request,
        form,
        title="Record a referral",
        back=reverse("reviews:referral-list", kwargs={"slug": board.slug}),
        board=board,
    )


@restricted
@require_http_methods(["GET", "POST"])
def referral_edit(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _referral(request, pk)
    _kept(request, referral)
    form = ReferralForm(submitted(request), instance=referral, board=referral.board)
    return _referral_form(
        request,
        form,
        title=f"Change referral {referral.reference}",
        back=referral.get_absolute_url(),
        board=referral.board,
    )


@restricted
@require_http_methods(["GET", "POST"])
def referral_decision(request: HttpRequest, pk: int) -> HttpResponse:
    """Record the decision, beside where the section 44 answers point."""
    referral = _referral(request, pk)
    _kept(request, referral)
    form = DecisionForm(submitted(request), instance=referral)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_referral(referral, by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"The decision on {referral.reference} has been saved.")
            return redirect(referral)
    return render(
        request,
        "reviews/referral_decision.html",
        {
            "form": form,
            "referral": referral,
            "board": referral.board,
            "answers": s44_answers(referral),
            "pointer": referral.pointer(),
            "title": f"Decision on referral {referral.reference}",
        },
    )


def _information_request_form(request, form, *, title: str, referral: Referral):
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"The information request to {form.instance.agency} is saved.")
        return redirect(f"{referral.get_absolute_url()}#information-requests")
    return form_page(request, form, title=title, back=referral.get_absolute_url())


@restricted
@require_http_methods(["GET", "POST"])
def information_request_create(request: HttpRequest, pk: int) -> HttpResponse:
    referral = _referral(request, pk)
    _kept(request, referral)
    form = InformationRequestForm(submitted(request), referral=referral)
    title = f"Request information about {referral.reference}"
    return _information_request_form(request, form, title=title, referral=referral)


@restricted
@require_http_methods(["GET", "POST"])
def information_request_edit(request: HttpRequest, pk: int) -> HttpResponse:
    information_request = get_visible_or_404(
        request.user, InformationRequest.objects.select_related("referral__board"), pk=pk
    )
    _kept(request, information_request)
    referral = information_request.referral
    form = InformationRequestForm(
        submitted(request), instance=information_request, referral=referral
    )
    title = f"Change the information request to {information_request.agency}"
    return _information_request_form(request, form, title=title, referral=referral)


# --- Reviews -----------------------------------------------------------------------------------


@restricted
@require_http_methods(["GET", "POST"])
def review_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Commission the review a decided referral leads to."""
    referral = _referral(request, pk)
    _kept(request, referral)
    existing = review_of(referral)
    if existing is not None:
        return redirect(existing)
    if not referral.leads_to_review:
        messages.error(
            request,
            "Only a referral decided as a SAR or another learning review leads to a review: "
            "record the decision first.",
        )
        return redirect(referral)
    form = ReviewForm(submitted(request), referral=referral, commission=True)
    if request.method == "POST" and form.is_valid():
        try:
            review = services.save_review(form.instance, by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"The review of {referral.reference} is commissioned.")
            return redirect(review)
    return form_page(
        request,
        form,
        title=f"Commission the review of {referral.reference}",
        back=referral.get_absolute_url(),
        submit="Commission the review",
        intro=f"{referral.get_decision_display()}, decided by {referral.decided_by} on "
        f"{referral.decided_on:%-d %B %Y}.",
    )


def _review(request: HttpRequest, pk: int, queryset=None) -> Review:
    if queryset is None:
        queryset = Review.objects.select_related("referral__board")
    return get_visible_or_404(request.user, queryset, pk=pk)


def _review_page_queryset():
    """A review with everything its page shows: findings, recommendations (with the finding
    each answers) and their actions (with the business-plan action each feeds)."""
    actions = RecommendationAction.objects.select_related("plan_action").order_by("due", "id")
    return Review.objects.select_related("referral__board").prefetch_related(
        Prefetch("findings", queryset=Finding.objects.order_by("number", "id")),
        Prefetch(
            "recommendations",
            queryset=Recommendation.objects.select_related("finding")
            .prefetch_related(Prefetch("actions", queryset=actions))
            .order_by("number", "id"),
        ),
    )


def _review_timeline(review: Review, recommendations: list[Recommendation]) -> list:
    """The review's changes with its findings', recommendations' and actions'."""
    return timeline(
        history_entries(review, hide=("referral",)),
        entries_from(
            Finding.history.filter(review_id=review.pk),
            Finding,
            hide=("review",),
            subject="Finding",
            summarise=lambda record: f"Finding {record.number}: {summary_text(record.text, 15)}",
        ),
        entries_from(
            Recommendation.history.filter(review_id=review.pk),
            Recommendation,
            hide=("review",),
            subject="Recommendation",
            summarise=lambda record: (
                f"Recommendation {record.number}: {summary_text(record.text, 15)}"
            ),
        ),
        entries_from(
            RecommendationAction.history.filter(
                recommendation_id__in=[r.pk for r in recommendations]
            ),
            RecommendationAction,
            hide=("recommendation",),
            subject="Action",
            summarise=lambda record: (
                f"{record.owner_organisation}, due {record.due:%-d %B %Y}: "
                f"{summary_text(record.description, 15)}"
            ),
        ),
    )


@restricted
@require_GET
def review_detail(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review(request, pk, _review_page_queryset())
    today = timezone.localdate()
    recommendations = list(review.recommendations.all())
    for recommendation in recommendations:
        for action in recommendation.actions.all():
            action.overdue = action.is_overdue(today)
    return render(
        request,
        "reviews/review_detail.html",
        {
            "review": review,
            "referral": review.referral,
            "board": review.referral.board,
            "findings": review.findings.all(),
            "recommendations": recommendations,
            "days_taken": review.days_taken(today),
            "history": _review_timeline(review, recommendations),
            "can_keep": request.user.has_perm(KEEP, review),
        },
    )


@restricted
@require_http_methods(["GET", "POST"])
def review_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Change a review, its status and dates. Closing it is refused while actions are open
    (services.check_can_close lists them)."""
    review = _review(request, pk)
    _kept(request, review)
    form = ReviewForm(submitted(request), instance=review, referral=review.referral)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_review(review, by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"The review of {review.referral.reference} is saved.")
            return redirect(review)
    return form_page(
        request,
        form,
        title=f"Change the review of {review.referral.reference}",
        back=review.get_absolute_url(),
    )


# --- Findings, recommendations and actions -----------------------------------------------------


def _part_form(request, form, save, *, title: str, back: str, saved: str):
    """Save a finding, recommendation or action through its service, or show the form again."""
    if request.method == "POST" and form.is_valid():
        try:
            save(form.instance, by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, saved.format(record=form.instance))
            return redirect(back)
    return form_page(request, form, title=title, back=back)


@restricted
@require_http_methods(["GET", "POST"])
def finding_create(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review(request, pk)
    _kept(request, review)
    form = FindingForm(submitted(request), review=review)
    return _part_form(
        request,
        form,
        services.save_finding,
        title=f"Add a finding to the review of {review.referral.reference}",
        back=f"{review.get_absolute_url()}#findings",
        saved="Finding {record.number} has been added.",
    )


@restricted
@require_http_methods(["GET", "POST"])
def finding_edit(request: HttpRequest, pk: int) -> HttpResponse:
    finding = get_visible_or_404(
        request.user, Finding.objects.select_related("review__referral__board"), pk=pk
    )
    _kept(request, finding)
    form = FindingForm(submitted(request), instance=finding, review=finding.review)
    return _part_form(
        request,
        form,
        services.save_finding,
        title=f"Change finding {finding.number}",
        back=f"{finding.review.get_absolute_url()}#findings",
        saved="Finding {record.number} has been saved.",
    )


@restricted
@require_http_methods(["GET", "POST"])
def recommendation_create(request: HttpRequest, pk: int) -> HttpResponse:
    review = _review(request, pk)
    _kept(request, review)
    form = RecommendationForm(submitted(request), review=review)
    return _part_form(
        request,
        form,
        services.save_recommendation,
        title=f"Add a recommendation to the review of {review.referral.reference}",
        back=f"{review.get_absolute_url()}#recommendations",
        saved="Recommendation {record.number} has been added.",
    )


@restricted
@require_http_methods(["GET", "POST"])
def recommendation_edit(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = get_visible_or_404(
        request.user,
        Recommendation.objects.select_related("review__referral__board", "finding"),
        pk=pk,
    )
    _kept(request, recommendation)
    review = recommendation.review
    form = RecommendationForm(submitted(request), instance=recommendation, review=review)
    return _part_form(
        request,
        form,
        services.save_recommendation,
        title=f"Change recommendation {recommendation.number}",
        back=f"{review.get_absolute_url()}#recommendation-{recommendation.number}",
        saved="Recommendation {record.number} has been saved.",
    )


def _action_form(request, form, *, title: str, recommendation: Recommendation, saved: str):
    back = f"{recommendation.review.get_absolute_url()}#recommendation-{recommendation.number}"
    return _part_form(request, form, services.save_action, title=title, back=back, saved=saved)


@restricted
@require_http_methods(["GET", "POST"])
def action_create(request: HttpRequest, pk: int) -> HttpResponse:
    recommendation = get_visible_or_404(
        request.user, Recommendation.objects.select_related("review__referral__board"), pk=pk
    )
    _kept(request, recommendation)
    form = RecommendationActionForm(
        submitted(request),
        recommendation=recommendation,
        board=recommendation.review.referral.board,
    )
    return _action_form(
        request,
        form,
        title=f"Add an action to recommendation {recommendation.number}",
        recommendation=recommendation,
        saved="The action for {record.owner_organisation} has been added.",
    )


@restricted
@require_http_methods(["GET", "POST"])
def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    action = get_visible_or_404(
        request.user,
        RecommendationAction.objects.select_related(
            "recommendation__review__referral__board", "plan_action"
        ),
        pk=pk,
    )
    _kept(request, action)
    recommendation = action.recommendation
    form = RecommendationActionForm(
        submitted(request),
        instance=action,
        recommendation=recommendation,
        board=recommendation.review.referral.board,
    )
    return _action_form(
        request,
        form,
        title=f"Change the action for {action.owner_organisation}",
        recommendation=recommendation,
        saved="The action for {record.owner_organisation} has been saved.",
    )


# --- The year summary --------------------------------------------------------------------------


@restricted
@require_GET
def year_summary_current(request: HttpRequest, slug: str) -> HttpResponse:
    board = _board(request, slug)
    return redirect("reviews:year-summary", slug=board.slug, year=board.current_financial_year())


@restricted
@require_GET
def year_summary_page(request: HttpRequest, slug: str, year: int) -> HttpResponse:
    """What the annual report says about reviews in the board's reporting year ``year``."""
    board = _board(request, slug)
    if not is_reportable_year(year):
        raise Http404("No such reporting year.")
    summary = year_summary(board, year)
    this_year = board.current_financial_year()
    return render(
        request,
        "reviews/year_summary.html",
        {
            "board": board,
            "summary": summary,
            "rows": [(referral, decision_made(referral)) for referral in summary.referrals],
            "previous": (year - 1, board.financial_year_label(year - 1)),
            "next": (year + 1, board.financial_year_label(year + 1)) if year < this_year else None,
        },
    )
