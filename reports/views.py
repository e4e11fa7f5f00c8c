"""Printing and publishing, for the board office: a draft PDF of any plan its readers may
see, publishing a plan (a task renders it; the job's page follows it), withdrawing a
published version. The public pages are reports/public_views.py."""

from __future__ import annotations

import logging

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.views.decorators.http import require_GET, require_http_methods

from priorities.models import BusinessPlan, StrategicPlan
from reports import rendering, services
from reports.forms import WithdrawForm
from reports.models import Publication, PublishingJob, can_be_published
from sab.forms import add_service_errors, form_page, submitted
from sab.permissions import get_visible_or_404

logger = logging.getLogger(__name__)


def _plan(request: HttpRequest, model, pk: int, perm: str | None = None):
    return get_visible_or_404(request.user, model.objects.select_related("board"), perm, pk=pk)


def draft_pdf(request: HttpRequest, source) -> HttpResponse:
    """The document as it stands, printed with DRAFT on every page: what a board manager takes to
    a meeting. Rendered here and now for the signed-in reader; never stored or public."""
    try:
        pdf, _pages = rendering.html_to_pdf(rendering.render_html(source, draft=True))
    except Exception as error:
        logger.exception("Draft PDF of %s failed", source)
        messages.error(
            request, f"The draft could not be printed ({type(error).__name__}). Try again later."
        )
        return redirect(source)
    response = HttpResponse(pdf, content_type="application/pdf")
    name = f"{slugify(source.board.short_name)}-{slugify(source.title)}-DRAFT.pdf"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def business_plan_draft(request: HttpRequest, pk: int) -> HttpResponse:
    return draft_pdf(request, _plan(request, BusinessPlan, pk))


@require_GET
def strategic_plan_draft(request: HttpRequest, pk: int) -> HttpResponse:
    return draft_pdf(request, _plan(request, StrategicPlan, pk))


def publish_page(request: HttpRequest, source) -> HttpResponse:
    """Confirm, then queue the publishing; the job's page shows how it goes."""
    if request.method == "POST":
        try:
            job = services.request_publication(source=source, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
            return redirect(source)
        return redirect(job)
    versions = Publication.objects.of(source)
    current = versions.current().first()
    return render(
        request,
        "reports/publish_confirm.html",
        {
            "source": source,
            "board": source.board,
            "publishable": can_be_published(source),
            "current": current,
            "next_version": versions.next_version(),
        },
    )


@require_http_methods(["GET", "POST"])
def business_plan_publish(request: HttpRequest, pk: int) -> HttpResponse:
    return publish_page(request, _plan(request, BusinessPlan, pk, "reports.publish"))


@require_http_methods(["GET", "POST"])
def strategic_plan_publish(request: HttpRequest, pk: int) -> HttpResponse:
    return publish_page(request, _plan(request, StrategicPlan, pk, "reports.publish"))


@require_GET
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Where a publishing job stands. While it runs, the status region asks again every few
    seconds (htmx); without JavaScript, the page has a link to look again."""
    job = get_visible_or_404(
        request.user,
        PublishingJob.objects.select_related(
            "board", "business_plan", "strategic_plan", "publication__board"
        ),
        "reports.publish",
        pk=pk,
    )
    template = "reports/_job_status.html" if request.htmx else "reports/job_detail.html"
    return render(request, template, {"job": job, "board": job.board, "source": job.source})


@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    publication = get_visible_or_404(
        request.user,
        Publication.objects.select_related("board", "business_plan", "strategic_plan"),
        "reports.withdraw_publication",
        pk=pk,
    )
    if not publication.can_be_withdrawn:
        messages.error(request, "This version has already been withdrawn.")
        return redirect(publication.source)
    form = WithdrawForm(submitted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.withdraw(publication=publication, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"Version {publication.version} of {publication.title} has been withdrawn. "
                "Its page tells the public why.",
            )
            return redirect(publication.source)
    return form_page(
        request,
        form,
        title=f"Withdraw version {publication.version} of {publication.title}",
        back=publication.source.get_absolute_url(),
        submit="Withdraw this version",
        intro="The public will no longer be able to download it. Its page stays, with your "
        "reason. Nothing is deleted.",
    )
