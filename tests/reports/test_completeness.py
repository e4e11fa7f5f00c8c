"""The annual report's completeness check (Care Act Schedule 2 paragraph 4) and its workflow:
a statutory item missing blocks approval, naming it; approval settles the report; copies
are recorded once it is published."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from reports import annual_services, completeness
from reports.models import AnnualReport, DistributionRecord, PartnerStatement
from reports.rendering import Rendered
from reports.services import store_publication
from reviews.models import Recommendation
from tests.factories import PartnerStatementFactory
from tests.reports.test_annual_report import build_year
from tests.reviews.conftest import RecommendationFactory

D = datetime.date


def complete_year(board) -> AnnualReport:
    """build_year's records with every statutory item met: the council's statement too, and
    a recommendation not accepted, with its reasons."""
    report = build_year(board)
    council = board.memberships.get(statutory=True).organisation
    PartnerStatementFactory(
        report=report, organisation=council, status=PartnerStatement.Status.ACCEPTED,
        text="What the council did.",
    )  # fmt: skip
    review = report.board.referrals.get(subject_label="Adult Z").review
    RecommendationFactory(
        review=review,
        number=1,
        response=Recommendation.Response.NOT_ACCEPTED,
        reason_not_accepted="The VARM process already does this.",
        decided_on=D(2018, 3, 1),
    )
    return report


def _item(report, ref: str) -> completeness.Item:
    return next(item for item in completeness.check(report).items if item.ref == ref)


def test_a_complete_year_meets_every_statutory_item(board):
    report = complete_year(board)

    result = completeness.check(report)

    assert [i.ref for i in result.statutory_missing] == []
    assert result.can_be_approved
    assert (
        _item(report, "4(1)(g)").detail == "1 recommendation not accepted, each with its reasons."
    )


def test_a_missing_partner_statement_fails_its_item_and_blocks_approval(board, manager):
    report = complete_year(board)
    report.statements.get(organisation__name="Partner 01 of LSAB").delete()

    item = _item(report, "4(1)(c)")

    assert not item.met and item.missing == ["Partner 01 of LSAB"]
    assert item.fix_url == reverse("reports:statement-list", kwargs={"pk": report.pk})
    with pytest.raises(ValidationError) as refused:
        annual_services.approve(report=report, by=manager)
    assert (
        "4(1)(c)" in refused.value.messages[0] and "Partner 01 of LSAB" in refused.value.messages[0]
    )
    report.refresh_from_db()
    assert report.status == AnnualReport.Status.DRAFT


def test_missing_reasons_for_a_recommendation_not_accepted_block_approval(board, manager, client):
    report = complete_year(board)
    Recommendation.objects.filter(response="not_accepted").update(reason_not_accepted="")
    client.force_login(manager)

    response = client.post(
        reverse("reports:annual-report-approve", kwargs={"pk": report.pk}), follow=True
    )

    page = response.content.decode()
    assert "4(1)(g)" in page and "No reasons are recorded for: Adult Z recommendation 1" in page
    assert "cannot be approved" in page
    report.refresh_from_db()
    assert report.status == AnnualReport.Status.DRAFT


def test_an_unrated_priority_and_a_review_without_findings_are_named(board):
    report = complete_year(board)
    report.board.business_plans.get().priorities.get(ref="2").rag_assessments.all().delete()
    report.board.referrals.get(subject_label="Adult Z").review.findings.all().delete()

    result = completeness.check(report)

    assert {i.ref for i in result.statutory_missing} == {"4(1)(b)", "4(1)(d)"}
    assert _item(report, "4(1)(b)").missing == ["Priority 2: Priority title 01"]
    assert _item(report, "4(1)(d)").missing == ["Adult Z"]


def test_the_manager_approves_then_publishes_then_records_the_copies(board, manager, client):
    report = complete_year(board)
    client.force_login(manager)
    check = reverse("reports:annual-report-check", kwargs={"pk": report.pk})
    assert "Approve the report" in client.get(check).content.decode()

    client.post(reverse("reports:annual-report-send-for-review", kwargs={"pk": report.pk}))
    client.post(reverse("reports:annual-report-approve", kwargs={"pk": report.pk}))

    report.refresh_from_db()
    assert report.status == AnnualReport.Status.APPROVED and report.approved_by == manager
    # A statement submitted now waits for next year: the approved report does not change.
    assert "Publish the report" in client.get(check).content.decode()
    publication = store_publication(
        source=report,
        rendered=Rendered("Annual Report 2017/18", "2017/18", 2017, "<html></html>", b"%PDF", 1),
        by=manager,
    )
    report.refresh_from_db()
    assert report.status == AnnualReport.Status.PUBLISHED and publication.annual_report == report
    assert not _item(report, "4(2)").met
    add = reverse("reports:distribution-create", kwargs={"pk": report.pk})
    for recipient in DistributionRecord.REQUIRED:
        response = client.post(
            add,
            {"recipient": recipient, "name": "Someone", "sent_on": "1/7/2018", "method": "email"},
        )
        assert response.status_code == 302
    result = completeness.check(report)
    assert _item(report, "4(2)").met and _item(report, "Publication").met
    assert result.can_be_approved


def test_a_copy_is_recorded_only_for_a_published_report_and_not_in_the_future(board, manager):
    report = complete_year(board)
    with pytest.raises(ValidationError, match="Publish the report first"):
        annual_services.record_distribution(
            report=report, recipient="healthwatch", name="Healthwatch Leicester",
            sent_on=D(2018, 7, 1), method="email", by=manager,
        )  # fmt: skip
    assert not report.distributions.exists()


def test_wrong_transitions_are_refused_and_change_nothing(board, manager):
    report = complete_year(board)
    with pytest.raises(ValidationError, match="cannot be returned to draft"):
        annual_services.return_to_draft(report=report, by=manager)
    annual_services.approve(report=report, by=manager)
    with pytest.raises(ValidationError, match="is approved: it cannot be sent for review"):
        annual_services.send_for_review(report=report, by=manager)
    report.refresh_from_db()
    assert report.status == AnnualReport.Status.APPROVED


def test_only_the_manager_approves(board, make_user, client):
    report = complete_year(board)
    client.force_login(make_user("viewer", board))
    assert (
        client.get(reverse("reports:annual-report-check", kwargs={"pk": report.pk})).status_code
        == 200
    )
    response = client.post(reverse("reports:annual-report-approve", kwargs={"pk": report.pk}))
    assert response.status_code == 403
    report.refresh_from_db()
    assert report.status == AnnualReport.Status.DRAFT


def test_the_check_page_reads_the_same_queries_for_a_bigger_year(
    board, other_board, make_user, client, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    small = build_year(board, groups=1, priorities=1, referrals=1, statements=1)
    big = build_year(other_board, groups=8, priorities=9, referrals=12, statements=15)
    client.force_login(make_user("board_manager", board))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("reports:annual-report-check", kwargs={"pk": small.pk}))
    client.force_login(make_user("board_manager", other_board))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("reports:annual-report-check", kwargs={"pk": big.pk}))
    assert response.status_code == 200


def test_a_statement_that_arrived_after_approval_is_carried_into_next_years_report(board, manager):
    report = complete_year(board)
    annual_services.approve(report=report, by=manager)
    late = report.statements.get(late=True)

    following = annual_services.start_report(board=board, year=2018, by=manager)

    carried = following.statements.get()
    assert (carried.organisation, carried.text, carried.status) == (
        late.organisation, late.text, PartnerStatement.Status.SUBMITTED,
    )  # fmt: skip
    assert not carried.late
    # The approved report is as it was.
    assert report.statements.filter(late=True).count() == 1
