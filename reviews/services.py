"""Review services: saving a referral (its reference, the subject-label check), commissioning
and closing a review, and numbering findings and recommendations.

Each is one atomic call that validates the whole record (``full_clean``) and says who made
the change in the history, so the pages and the API refuse alike and nothing half-saves.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from reviews.models import (
    Finding,
    Recommendation,
    RecommendationAction,
    Referral,
    Review,
    looks_like_a_name,
)
from sab.models import User

LABEL_WARNING_CODE = "looks_like_a_name"
LABEL_WARNING = (
    '"{label}" looks like a real name. Review records use a pseudonym such as "Adult A" '
    "(SCIE quality marker 13). Change it, or confirm that the family agreed to this name."
)


def _save(record, by: User | None):
    record._history_user = by  # the history says who, from a page, the API or a command
    record.full_clean()
    record.save()
    return record


def next_reference(board, kind: str, year: int) -> str:
    """The next free reference for a board, kind and reporting year: SAR-2017-03."""
    prefix = f"{kind.upper()}-{year}-"
    taken = set(
        Referral.objects.filter(board=board, reference__startswith=prefix).values_list(
            "reference", flat=True
        )
    )
    number = len(taken) + 1
    while f"{prefix}{number:02d}" in taken:
        number += 1
    return f"{prefix}{number:02d}"


def check_subject_label(referral: Referral, *, confirmed: bool, by: User | None) -> None:
    """Warn (refuse, with a message) when the subject label looks like a real name, unless the
    person confirmed it; the warning and who confirmed it are kept on the referral."""
    if not looks_like_a_name(referral.subject_label):
        referral.subject_label_warning = ""
        referral.subject_label_confirmed_by = None
        referral.subject_label_confirmed_at = None
        return
    warning = LABEL_WARNING.format(label=referral.subject_label)
    already = (
        referral.subject_label_confirmed_at is not None
        and referral.subject_label_warning == warning
    )
    if already:
        return
    if not confirmed:
        # The code sits on the field's error (a dict's own code is dropped), so the API can
        # tell this warning from other label errors.
        raise ValidationError({"subject_label": ValidationError(warning, code=LABEL_WARNING_CODE)})
    referral.subject_label_warning = warning
    referral.subject_label_confirmed_by = by
    referral.subject_label_confirmed_at = timezone.now()


@transaction.atomic
def save_referral(referral: Referral, *, by: User | None, confirm_label: bool = False) -> Referral:
    """Create or update a referral: the label check (when the label is new or changed), a
    reference if it has none, the dates and the decision validated together."""
    stored = Referral.objects.filter(pk=referral.pk).values_list("subject_label", flat=True)
    if referral.pk is None or stored.first() != referral.subject_label:
        check_subject_label(referral, confirmed=confirm_label, by=by)
    check_fits_its_review(referral)
    if not referral.reference:
        referral.full_clean(exclude=["reference"])  # report field errors before numbering
        year = referral.board.financial_year_of(referral.referral_date)
        referral.reference = next_reference(referral.board, referral.kind, year)
    return _save(referral, by)


def check_fits_its_review(referral: Referral) -> None:
    """A referral that led to a review keeps a decision that leads to one, and its dates stay
    before the review was commissioned."""
    review = Review.objects.filter(referral_id=referral.pk).first() if referral.pk else None
    if review is None:
        return
    when = f"{review.commissioned_on:%-d %B %Y}"
    errors = {}
    if not referral.leads_to_review:
        errors["decision"] = (
            f"This referral's review was commissioned on {when}: its decision stays a SAR or "
            "another learning review."
        )
    if referral.referral_date and referral.referral_date > review.commissioned_on:
        errors["referral_date"] = (
            f"The date of referral must be on or before the review was commissioned ({when})."
        )
    if referral.decided_on and referral.decided_on > review.commissioned_on:
        errors["decided_on"] = (
            f"The date of decision must be on or before the review was commissioned ({when})."
        )
    if errors:
        raise ValidationError(errors)


def check_review_open(review: Review) -> None:
    """A closed review's findings, recommendations and action plan are the record of it."""
    if Review.objects.filter(pk=review.pk, status=Review.Status.CLOSED).exists():
        raise ValidationError(
            f"The review of {review.referral.reference} is closed. Reopen it (change its "
            "status) before changing its findings, recommendations or actions."
        )


@transaction.atomic
def save_review(review: Review, *, by: User | None) -> Review:
    """Commission or update a review. Closing it is refused while any action is open."""
    if review.pk is not None:
        Review.objects.select_for_update().filter(pk=review.pk).first()  # one close at a time
    if review.status == Review.Status.CLOSED:
        check_can_close(review)
        if not review.closed_on:
            review.closed_on = timezone.localdate()
    elif review.closed_on and review.status != Review.Status.CLOSED:
        review.closed_on = None
    if review.pk is None and not review.referral.leads_to_review:
        raise ValidationError(
            "Only a referral decided as a SAR or another learning review leads to a review: "
            "record the decision first."
        )
    return _save(review, by)


def check_can_close(review: Review) -> None:
    if review.pk is None:
        return
    open_actions = list(
        RecommendationAction.objects.filter(recommendation__review=review)
        .select_for_update()
        .open()
        .select_related("recommendation")
        .order_by("recommendation__number", "due", "id")
    )
    if open_actions:
        listed = "; ".join(
            f"recommendation {action.recommendation.number}: {action.owner_organisation}, "
            f"due {action.due:%-d %B %Y} ({action.get_status_display().lower()})"
            for action in open_actions
        )
        raise ValidationError(
            {
                "status": f"The review cannot close while {len(open_actions)} "
                f"action{'s are' if len(open_actions) != 1 else ' is'} open: {listed}."
            }
        )


def _next_number(queryset) -> int:
    return (queryset.aggregate(top=Max("number"))["top"] or 0) + 1


@transaction.atomic
def save_finding(finding: Finding, *, by: User | None) -> Finding:
    check_review_open(finding.review)
    if not finding.number:
        finding.number = _next_number(Finding.objects.filter(review_id=finding.review_id))
    return _save(finding, by)


@transaction.atomic
def save_recommendation(recommendation: Recommendation, *, by: User | None) -> Recommendation:
    check_review_open(recommendation.review)
    if not recommendation.number:
        recommendation.number = _next_number(
            Recommendation.objects.filter(review_id=recommendation.review_id)
        )
    return _save(recommendation, by)


@transaction.atomic
def save_action(action: RecommendationAction, *, by: User | None) -> RecommendationAction:
    """Save an action of a recommendation's plan (refused once the review is closed)."""
    review_id = action.recommendation.review_id
    Review.objects.select_for_update().filter(pk=review_id).first()  # not while it closes
    check_review_open(action.recommendation.review)
    return _save(action, by)
