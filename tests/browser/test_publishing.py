"""Publishing in Chromium: a board manager publishes the plan from its page, then an
anonymous visitor finds it on the public site and downloads the PDF; axe and vnu on the
board office's publishing pages."""

import hashlib
import re

import pytest
from playwright.sync_api import expect

from reports.models import Publication
from sab.models import RoleAssignment
from tests.browser.helpers import assert_no_axe_violations, html_errors, sign_in
from tests.factories import (
    ActionFactory,
    BusinessPlanFactory,
    PriorityFactory,
    ProgressUpdateFactory,
)

pytestmark = [pytest.mark.browser]
Role = RoleAssignment.Role


@pytest.fixture
def plan(transactional_db, board):
    plan = BusinessPlanFactory(
        board=board, title="Business Plan 2024/25", period="2024/25", status="approved"
    )
    priority = PriorityFactory(
        plan=plan, ref="1", title="Making Safeguarding Personal", statement="People lead."
    )
    action = ActionFactory(
        priority=priority, ref="1.1", description="Audit Making Safeguarding Personal outcomes"
    )
    ProgressUpdateFactory(action=action, text="The audit reported in June.", rag="green")
    return plan


def test_a_manager_publishes_and_the_public_downloads_it(
    page, live_server, plan, make_user, axe_source, browser
):
    manager = make_user(Role.BOARD_MANAGER, plan.board)
    sign_in(page, live_server, manager)
    page.goto(live_server.url + plan.get_absolute_url())
    section = page.get_by_role("region", name="Print and publish")
    expect(section).to_contain_text("Not published yet")
    assert_no_axe_violations(page, axe_source)
    section.get_by_role("link", name="Publish this plan").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Publish Business Plan 2024/25")
    assert_no_axe_violations(page, axe_source)
    page.get_by_role("button", name="Publish version 1").click()
    expect(page.get_by_role("heading", name="Published")).to_be_visible()
    assert_no_axe_violations(page, axe_source)
    publication = Publication.objects.get()
    assert publication.version == 1

    # Someone who is not signed in finds it from the home page.
    visitor = browser.new_context(accept_downloads=True)
    public = visitor.new_page()
    public.goto(live_server.url + "/")
    public.get_by_role("button", name=re.compile("published plans and reports", re.I)).click()
    expect(public).to_have_url(re.compile(r"/publications/$"))
    public.get_by_role("link", name=publication.title).first.click()
    expect(public).to_have_url(re.compile(rf"/publications/{plan.board.slug}/{publication.pk}/$"))
    with public.expect_download() as download_info:
        public.get_by_role("link", name=re.compile("Download PDF", re.I)).first.click()
    downloaded = download_info.value.path().read_bytes()
    assert hashlib.sha256(downloaded).hexdigest() == publication.pdf_sha256
    assert download_info.value.suggested_filename == publication.pdf_filename
    visitor.close()


def test_publishing_pages_pass_axe_and_vnu(
    page, live_server, plan, make_user, axe_source, vnu_jar, tmp_path
):
    from reports import services

    manager = make_user(Role.BOARD_MANAGER, plan.board)
    job = services.request_publication(source=plan, by=manager)
    job.refresh_from_db()
    sign_in(page, live_server, manager)
    pages = {
        "plan": plan.get_absolute_url(),
        "confirm": f"/reports/business-plans/{plan.pk}/publish/",
        "job": job.get_absolute_url(),
        "withdraw": f"/reports/publications/{job.publication.pk}/withdraw/",
    }
    documents = {}
    for name, url in pages.items():
        page.goto(live_server.url + url)
        assert_no_axe_violations(page, axe_source)
        documents[name] = page.content()
    # A withdrawal without a reason: the error summary, and axe on it.
    page.get_by_role("button", name="Withdraw this version").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter why this version is being withdrawn"
    )
    assert_no_axe_violations(page, axe_source)
    documents["withdraw-error"] = page.content()
    assert html_errors(vnu_jar, documents, tmp_path) == []


def test_the_job_page_follows_the_worker_by_itself(page, live_server, plan, make_user, settings):
    """With the database backend, publishing waits for the worker; the job page shows that,
    then, without a reload, the result once the worker (db_worker, as `make run` starts it)
    has rendered the plan."""
    from django.core.management import call_command

    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "pdf"]}
    }
    manager = make_user(Role.BOARD_MANAGER, plan.board)
    sign_in(page, live_server, manager)
    page.goto(live_server.url + f"/reports/business-plans/{plan.pk}/publish/")
    page.get_by_role("button", name="Publish version 1").click()
    expect(page.locator("#job-status")).to_contain_text("Waiting for the publishing worker")
    assert not Publication.objects.exists()
    call_command("db_worker", "--queue-name", "pdf", "--batch", "--no-startup-delay")
    expect(page.get_by_role("heading", name="Published")).to_be_visible(timeout=15000)
    assert Publication.objects.get().version == 1
