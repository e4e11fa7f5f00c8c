"""The annual report's workflow: draft -> in review -> approved -> published (publishing is
reports.services.request_publication, as for plans), and the copies sent once published.

Each transition locks the report's row and is refused with a clear message from the wrong
state. Approval is refused while a statutory item of Schedule 2 paragraph 4(1) is missing
(reports/completeness.py), listing each.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from reports import completeness
from reports.models import AnnualReport, DistributionRecord, PartnerStatement
from sab.models import User

Status = AnnualReport.Status


@transaction.atomic
def start_report(*, board, year: int, by: User) -> AnnualReport:
    """Start ``board``'s report for ``year``. A statement that arrived after the previous
    year's report was approved (``late``) is carried into it, submitted, for the manager to
    accept: it was kept for this report."""
    report = AnnualReport(board=board, year=year)
    report.full_clean()
    report.save()
    late = PartnerStatement.objects.filter(
        report__board=board, report__year=year - 1, late=True
    ).select_related("organisation")
    for statement in late:
        PartnerStatement.objects.create(
            report=report,
            organisation=statement.organisation,
            status=PartnerStatement.Status.SUBMITTED,
            due=statement.due,
            text=statement.text,
            submitted_at=statement.submitted_at,
            submitted_by=statement.submitted_by,
        )
    return report


def _locked(report: AnnualReport) -> AnnualReport:
    return AnnualReport.objects.select_for_update().select_related("board").get(pk=report.pk)


def _move(report: AnnualReport, *, allowed: set[str], to: str, doing: str) -> AnnualReport:
    report = _locked(report)
    if report.status not in allowed:
        raise ValidationError(
            f"The {report.title} is {report.get_status_display().lower()}: it cannot be {doing}."
        )
    report.status = to
    return report


@transaction.atomic
def send_for_review(*, report: AnnualReport, by: User) -> AnnualReport:
    """The board office has finished a draft: the board reads it before approving it."""
    report = _move(report, allowed={Status.DRAFT}, to=Status.IN_REVIEW, doing="sent for review")
    report.save(update_fields=["status"])
    return report


@transaction.atomic
def return_to_draft(*, report: AnnualReport, by: User) -> AnnualReport:
    report = _move(report, allowed={Status.IN_REVIEW}, to=Status.DRAFT, doing="returned to draft")
    report.save(update_fields=["status"])
    return report


@transaction.atomic
def approve(*, report: AnnualReport, by: User) -> AnnualReport:
    """The board approves the report: refused, naming each, while a statutory item is
    missing. Its content is then settled; a statement arriving later waits for next year."""
    report = _move(
        report, allowed={Status.DRAFT, Status.IN_REVIEW}, to=Status.APPROVED, doing="approved"
    )
    missing = completeness.check(report).statutory_missing
    if missing:
        raise ValidationError(
            [f"{item.ref}: {item.label}. {item.detail}" for item in missing],
            code="incomplete",
        )
    report.approved_at = timezone.now()
    report.approved_by = by
    report.save(update_fields=["status", "approved_at", "approved_by"])
    return report


@transaction.atomic
def record_distribution(
    *,
    report: AnnualReport,
    recipient: str,
    name: str,
    sent_on: datetime.date,
    method: str,
    by: User,
) -> DistributionRecord:
    """Record a copy of the published report sent (Schedule 2 paragraph 4(2))."""
    report = _locked(report)
    if report.status != Status.PUBLISHED:
        raise ValidationError("Publish the report first: copies are sent of what was published.")
    if sent_on > timezone.localdate():
        raise ValidationError({"sent_on": "The date it was sent must not be in the future"})
    record = DistributionRecord(
        report=report, recipient=recipient, name=name, sent_on=sent_on, method=method
    )
    record.full_clean()
    record.save()
    return record
