"""Publishing a plan: the board manager asks, a task renders it (the immediate backend in
tests), version N+1 is stored with its hashes; a failed render publishes nothing and says
why; a published version never changes and is never deleted."""

import datetime
import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from priorities.models import PlanStatus
from reports import services
from reports.models import Publication, PublishingJob
from reports.rendering import Rendered
from sab.models import RoleAssignment
from tests.factories import (
    ActionFactory,
    BusinessPlanFactory,
    PriorityFactory,
    ProgressUpdateFactory,
    StrategicPlanFactory,
)

Role = RoleAssignment.Role


@pytest.fixture
def plan(board):
    plan = BusinessPlanFactory(board=board, title="Business Plan 2024/25", status="approved")
    priority = PriorityFactory(plan=plan, ref="1", title="Making Safeguarding Personal")
    action = ActionFactory(priority=priority, ref="1.1", description="Audit MSP outcomes")
    ProgressUpdateFactory(action=action, text="Audit done in June", rag="green")
    return plan


def _stored(file) -> bytes:
    with file.open("rb") as handle:
        return handle.read()


def test_publishing_stores_version_1_with_its_hashes(plan, manager):
    job = services.request_publication(source=plan, by=manager)
    job.refresh_from_db()
    assert job.state == PublishingJob.State.PUBLISHED, job.error
    publication = job.publication
    assert publication.version == 1 and publication.is_current
    pdf, html = _stored(publication.pdf), _stored(publication.html)
    assert pdf.startswith(b"%PDF-") and publication.pdf_size == len(pdf)
    assert hashlib.sha256(pdf).hexdigest() == publication.pdf_sha256
    assert hashlib.sha256(html).hexdigest() == publication.html_sha256
    assert b"Audit MSP outcomes" in html
    assert publication.page_count >= 1 and publication.published_by == manager
    plan.refresh_from_db()
    assert plan.status == PlanStatus.PUBLISHED


def test_publishing_again_makes_version_2_and_version_1_stays(plan, manager):
    first = services.request_publication(source=plan, by=manager)
    second = services.request_publication(source=plan, by=manager)
    first.refresh_from_db()
    second.refresh_from_db()
    v1, v2 = first.publication, second.publication
    assert (v1.version, v2.version) == (1, 2)
    v1.refresh_from_db()
    assert v1.superseded_by == v2 and not v1.is_current and v2.is_current
    assert _stored(v1.pdf).startswith(b"%PDF-")  # still downloadable
    assert list(Publication.objects.of(plan).current()) == [v2]


def test_a_draft_plan_cannot_be_published(board, manager):
    draft = BusinessPlanFactory(board=board, status="draft")
    with pytest.raises(ValidationError, match="only an approved plan can be published"):
        services.request_publication(source=draft, by=manager)
    assert not PublishingJob.objects.exists() and not Publication.objects.exists()


def test_a_failed_render_publishes_nothing_and_says_why(plan, manager, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    broken = tmp_path / "reports" / "documents"
    broken.mkdir(parents=True)
    (broken / "business_plan.html").write_text("<html>{% if %}</html>")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    job = services.request_publication(source=plan, by=manager)
    job.refresh_from_db()
    assert job.state == PublishingJob.State.FAILED
    assert job.error.startswith("Nothing was published.") and "TemplateSyntaxError" in job.error
    assert not Publication.objects.exists()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED
    assert not any(settings.MEDIA_ROOT.glob("publications/**/*.*"))


def test_a_failure_after_the_files_are_written_removes_them(plan, manager, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    too_long = Rendered(
        title="x" * 400, period="2024/25", year=2024, html="<p>x</p>", pdf=b"%PDF-1.7", page_count=1
    )
    with pytest.raises(ValidationError):
        services.store_publication(source=plan, rendered=too_long, by=manager)
    assert not Publication.objects.exists()
    assert not any(settings.MEDIA_ROOT.glob("publications/**/*.*"))


def test_a_published_version_never_changes_and_is_never_deleted(plan, manager):
    job = services.request_publication(source=plan, by=manager)
    job.refresh_from_db()
    publication = job.publication
    publication.title = "Something else"
    with pytest.raises(ValidationError, match="never changes"):
        publication.save()
    with pytest.raises(ValidationError, match="never deleted"):
        publication.delete()


def test_withdrawing_needs_a_reason_and_keeps_the_record(plan, manager):
    job = services.request_publication(source=plan, by=manager)
    job.refresh_from_db()
    with pytest.raises(ValidationError):
        services.withdraw(publication=job.publication, by=manager, reason="  ")
    withdrawn = services.withdraw(
        publication=job.publication, by=manager, reason="It named a person by mistake."
    )
    assert withdrawn.is_withdrawn and withdrawn.withdrawal_reason.startswith("It named")
    assert Publication.objects.filter(pk=withdrawn.pk).exists()
    with pytest.raises(ValidationError, match="already been withdrawn"):
        services.withdraw(publication=withdrawn, by=manager, reason="Again")


def test_a_strategic_plan_is_published_the_same_way(board, manager):
    strategic = StrategicPlanFactory(board=board, status="approved")
    job = services.request_publication(source=strategic, by=manager)
    job.refresh_from_db()
    assert job.state == PublishingJob.State.PUBLISHED, job.error
    assert job.publication.strategic_plan == strategic and job.publication.kind == "strategic_plan"


# --- The board office's pages --------------------------------------------------------------


def test_the_manager_publishes_from_the_plan_page(client, plan, manager):
    client.force_login(manager)
    page = client.get(plan.get_absolute_url())
    publish_url = reverse("reports:business-plan-publish", kwargs={"pk": plan.pk})
    assert publish_url in page.content.decode() and b"Not published yet" in page.content
    confirm = client.get(publish_url)
    assert b"Publish version 1" in confirm.content
    response = client.post(publish_url)
    job = PublishingJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    status = client.get(job.get_absolute_url())
    assert b"Published" in status.content and b"Version 1" in status.content
    partial = client.get(job.get_absolute_url(), headers={"HX-Request": "true"})
    assert b"<html" not in partial.content and b"Version 1" in partial.content
    page = client.get(plan.get_absolute_url())
    assert b"Publish a new version" in page.content and b"Current" in page.content


def test_a_draft_plan_page_says_it_must_be_approved_first(client, board, manager):
    draft = BusinessPlanFactory(board=board, status="draft")
    client.force_login(manager)
    page = client.get(draft.get_absolute_url())
    assert b"Only an approved plan can be published" in page.content
    response = client.post(reverse("reports:business-plan-publish", kwargs={"pk": draft.pk}))
    assert response.status_code == 302 and response["Location"] == draft.get_absolute_url()
    assert not PublishingJob.objects.exists()


def test_the_job_page_shows_why_a_render_failed(client, plan, manager, settings, tmp_path):
    (tmp_path / "reports" / "documents").mkdir(parents=True)
    (tmp_path / "reports" / "documents" / "business_plan.html").write_text("{% url 'nope' %}")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    client.force_login(manager)
    client.post(reverse("reports:business-plan-publish", kwargs={"pk": plan.pk}))
    job = PublishingJob.objects.get()
    page = client.get(job.get_absolute_url()).content.decode()
    assert "Publishing failed: nothing was published" in page and "NoReverseMatch" in page


def test_any_reader_downloads_a_draft_pdf(client, plan, make_user):
    viewer = make_user(Role.VIEWER, plan.board)
    client.force_login(viewer)
    page = client.get(plan.get_absolute_url()).content.decode()
    draft_url = reverse("reports:business-plan-draft", kwargs={"pk": plan.pk})
    assert draft_url in page and "Publish this plan" not in page
    response = client.get(draft_url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert "DRAFT" in response["Content-Disposition"]
    assert response["Cache-Control"] == "private, no-store"


def test_the_manager_withdraws_a_version_with_a_reason(client, plan, manager):
    job = services.request_publication(source=plan, by=manager)
    job.refresh_from_db()
    client.force_login(manager)
    url = reverse("reports:withdraw", kwargs={"pk": job.publication.pk})
    empty = client.post(url, {"reason": ""})
    assert b"Enter why this version is being withdrawn" in empty.content
    response = client.post(url, {"reason": "It named a person by mistake."})
    assert response.status_code == 302
    job.publication.refresh_from_db()
    assert job.publication.withdrawal_reason == "It named a person by mistake."
    page = client.get(plan.get_absolute_url())
    assert b"Withdrawn: It named a person by mistake." in page.content


def test_the_review_member_needs_no_second_factor_to_print(client, plan, make_user):
    """Plans are not restricted records: printing one needs no second factor."""
    reviewer = make_user(Role.REVIEW_MEMBER, plan.board)
    client.force_login(reviewer)
    assert (
        client.get(reverse("reports:business-plan-draft", kwargs={"pk": plan.pk})).status_code
        == 200
    )


def _publish_quickly(plan, by, times: int) -> None:
    """Versions without rendering (the query count does not depend on what is in them)."""
    for number in range(times):
        rendered = Rendered(
            title=plan.title, period=plan.period, year=2024, html=f"<p>{number}</p>",
            pdf=b"%PDF-1.7 " + bytes([number]), page_count=1,
        )  # fmt: skip
        services.store_publication(source=plan, rendered=rendered, by=by)


@pytest.mark.parametrize("versions", [1, 12])
def test_the_plan_page_reads_its_versions_in_fixed_queries(
    client, plan, manager, versions, django_assert_max_num_queries
):
    _publish_quickly(plan, manager, versions)
    client.force_login(manager)
    client.get(plan.get_absolute_url())  # the first request after sign-in writes the session
    with django_assert_max_num_queries(12):
        page = client.get(plan.get_absolute_url())
    assert page.content.count(b">Withdraw<") == versions


def test_a_file_the_document_cannot_load_fails_the_job_and_publishes_nothing(
    plan, manager, settings, tmp_path, _weasyprint_errors_fail_the_test
):
    """WeasyPrint stops a render it cannot fetch a file for with a BaseException of its own;
    the job still ends as failed, never stuck in "rendering"."""
    (tmp_path / "reports" / "documents").mkdir(parents=True)
    (tmp_path / "reports" / "documents" / "business_plan.html").write_text(
        '<!DOCTYPE html><html lang="en-GB"><head><title>x</title>'
        '<link rel="stylesheet" href="/static/css/gone.css"></head><body><p>x</p></body></html>'
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]
    job = services.request_publication(source=plan, by=manager)
    job.refresh_from_db()
    assert job.state == PublishingJob.State.FAILED and "gone.css" in job.error
    assert not Publication.objects.exists()
    _weasyprint_errors_fail_the_test.records.clear()  # the failure is what we asked for


@pytest.mark.parametrize(
    ("period", "effective_from", "year"),
    [("2024/25", None, 2024), ("2019-21", None, 2019), ("", datetime.date(2015, 1, 10), 2014)],
)
def test_a_plan_is_listed_under_the_year_it_belongs_to(board, period, effective_from, year):
    from reports.documents import document_for

    plan = BusinessPlanFactory(board=board, period=period, effective_from=effective_from)
    assert document_for(plan).year == year


def test_published_is_not_a_status_a_manager_picks_by_hand(client, board, manager):
    """A strategic plan is Published by publishing it, with its document on the public site."""
    strategic = StrategicPlanFactory(board=board, status="approved")
    client.force_login(manager)
    url = reverse("priorities:strategic-plan-edit", kwargs={"pk": strategic.pk})
    page = client.get(url).content.decode()
    assert 'value="approved"' in page and 'value="published"' not in page
    data = {"title": strategic.title, "first_year": 2024, "last_year": 2026, "status": "published"}
    assert client.post(url, data).status_code == 200  # the form again, with its error
    strategic.refresh_from_db()
    assert strategic.status == "approved"
    services.request_publication(source=strategic, by=manager)
    assert 'value="published"' in client.get(url).content.decode()
