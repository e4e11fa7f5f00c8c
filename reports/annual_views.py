"""The annual report pages for the board office: a board's reports, starting a year's report,
the report with everything it is assembled from, and its narrative.

Reports come from ``AnnualReport.objects.visible_to(user)`` (another board's are a 404);
changing one needs "reports.keep_annual_report" (a board manager), and an approved report's
content is settled.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from reports import annual_services, completeness, rendering
from reports.annual_forms import (
    AnnualReportForm,
    AnnualReportStartForm,
    DistributionForm,
    ReportSectionForm,
)
from reports.models import AnnualReport, Part, Publication, ReportSection
from reports.views import draft_pdf, publish_page
from sab.forms import add_service_errors, form_page, submitted
from sab.models import Board
from sab.permissions import get_visible_or_404, require_perm

KEEP = "reports.keep_annual_report"
# The parts in the order the report prints them.
PART_ORDER = {part: index for index, part in enumerate(Part)}


def _board(request: HttpRequest, slug: str) -> Board:
    return get_visible_or_404(request.user, Board.objects.all(), slug=slug)


def annual_report(request: HttpRequest, pk: int, perm: str | None = None) -> AnnualReport:
    """The report if the user may see it (else 404); ``perm`` checked on it (else 403)."""
    return get_visible_or_404(
        request.user, AnnualReport.objects.select_related("board"), perm, pk=pk
    )


@require_GET
def annual_report_list(request: HttpRequest, slug: str) -> HttpResponse:
    board = _board(request, slug)
    reports = AnnualReport.objects.for_board(board).order_by("-year")
    return render(
        request,
        "reports/annual/report_list.html",
        {
            "board": board,
            "reports": reports,
            "can_start": request.user.has_perm(KEEP, board),
        },
    )


@require_http_methods(["GET", "POST"])
def annual_report_start(request: HttpRequest, slug: str) -> HttpResponse:
    board = _board(request, slug)
    require_perm(request.user, KEEP, board)
    form = AnnualReportStartForm(submitted(request), board=board)
    if request.method == "POST" and form.is_valid():
        report = annual_services.start_report(
            board=board, year=form.cleaned_data["year"], by=request.user
        )
        message = f"The {report.title} has been started."
        if carried := report.statements.count():
            message += (
                f" Statements that arrived after last year's report was approved: {carried}, "
                "carried into it for you to accept."
            )
        messages.success(request, message)
        return redirect(report)
    return form_page(
        request,
        form,
        title="Start an annual report",
        back=reverse("reports:annual-report-list", kwargs={"slug": board.slug}),
        submit="Start the report",
        intro="The report is assembled from that year's records: the priorities and their "
        "ratings, the groups and their meetings, the reviews, the partner statements and the "
        "Section 42 figures. You write the narrative around them.",
    )


@require_GET
def annual_report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = annual_report(request, pk)
    start, end = report.bounds
    return render(
        request,
        "reports/annual/report_detail.html",
        {
            "report": report,
            "board": report.board,
            "start": start,
            "end": end,
            "sections": sorted(
                report.sections.select_related("group"),
                key=lambda section: (PART_ORDER[section.part], section.order, section.pk),
            ),
            "publication": Publication.objects.of(report).current().first(),
            "can_keep": request.user.has_perm(KEEP, report) and not report.is_settled,
            "can_manage": request.user.has_perm(KEEP, report),
        },
    )


# The narrative fields the editor previews, as the report prints them.
PREVIEWED = ("foreword", "executive_summary", "introduction")


@require_http_methods(["GET", "POST"])
def annual_report_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """The narrative, with a live preview: a POST with "preview" saves nothing and shows
    what was typed as it will print (only the preview, to htmx)."""
    report = annual_report(request, pk, KEEP)
    if _settled(request, report):
        return redirect(report)
    form = AnnualReportForm(submitted(request), instance=report)
    previewing = request.method == "POST" and "preview" in request.POST
    if request.method == "POST" and not previewing and form.is_valid():
        form.save()
        messages.success(request, "The report's narrative has been saved.")
        return redirect(report)
    preview = [
        (
            form.fields[name].label,
            request.POST.get(name, "") if request.method == "POST" else getattr(report, name),
        )
        for name in PREVIEWED
    ]
    template = "reports/annual/report_edit.html"
    if previewing and request.htmx:
        template += "#preview"
    context = {"form": form, "report": report, "board": report.board, "preview": preview}
    return render(request, template, context)


@require_GET
def annual_report_preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The report as it would be printed now, as its web page (marked DRAFT): what the board
    office reads through before approving it."""
    report = annual_report(request, pk)
    response = HttpResponse(rendering.render_html(report, draft=True))
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def annual_report_draft(request: HttpRequest, pk: int) -> HttpResponse:
    return draft_pdf(request, annual_report(request, pk))


def _section_form_page(request, form, report, *, title: str, submit: str) -> HttpResponse:
    return form_page(
        request,
        form,
        title=title,
        back=report.get_absolute_url(),
        submit=submit,
        intro="A section is printed at the start of the part of the report you choose, "
        "under the group's heading if you choose a group.",
    )


def _settled(request: HttpRequest, report: AnnualReport) -> bool:
    """An approved or published report's content no longer changes: say so if it is."""
    if report.is_settled:
        messages.error(request, "The report is approved: its content cannot change.")
    return report.is_settled


@require_http_methods(["GET", "POST"])
def section_create(request: HttpRequest, pk: int) -> HttpResponse:
    report = annual_report(request, pk, KEEP)
    if _settled(request, report):
        return redirect(report)
    form = ReportSectionForm(submitted(request), report=report)
    if request.method == "POST" and form.is_valid():
        section = form.save(commit=False)
        section.report = report
        section.save()
        messages.success(request, f"The section {section.title} has been added.")
        return redirect(report)
    return _section_form_page(
        request, form, report, title=f"Add a section to the {report.title}", submit="Add it"
    )


def _section(request: HttpRequest, pk: int) -> ReportSection:
    section = get_visible_or_404(
        request.user,
        ReportSection.objects.select_related("report__board"),
        pk=pk,
    )
    require_perm(request.user, KEEP, section.report)
    return section


@require_http_methods(["GET", "POST"])
def section_edit(request: HttpRequest, pk: int) -> HttpResponse:
    section = _section(request, pk)
    report = section.report
    if _settled(request, report):
        return redirect(report)
    form = ReportSectionForm(submitted(request), instance=section, report=report)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"The section {section.title} has been saved.")
        return redirect(report)
    return _section_form_page(
        request, form, report, title=f"Change the section {section.title}", submit="Save it"
    )


@require_http_methods(["GET", "POST"])
def section_delete(request: HttpRequest, pk: int) -> HttpResponse:
    section = _section(request, pk)
    report = section.report
    if _settled(request, report):
        return redirect(report)
    if request.method == "POST":
        section.delete()
        messages.success(request, f"The section {section.title} has been removed.")
        return redirect(report)
    return render(
        request,
        "reports/annual/section_delete.html",
        {"section": section, "report": report, "board": report.board},
    )


# --- The completeness check, approval, publishing and the copies sent ------------------------


@require_GET
def annual_report_check(request: HttpRequest, pk: int) -> HttpResponse:
    """Each statutory item (and the good practice that can be checked), met or missing, with
    where to fix it; the board manager approves from here once nothing statutory is missing."""
    report = annual_report(request, pk)
    result = completeness.check(report)
    return render(
        request,
        "reports/annual/report_check.html",
        {
            "report": report,
            "board": report.board,
            "check": result,
            "statutory": result.of_kind(completeness.STATUTORY),
            "after_publishing": result.of_kind(completeness.AFTER_PUBLISHING),
            "good_practice": result.of_kind(completeness.GOOD_PRACTICE),
            "can_manage": request.user.has_perm(KEEP, report),
            "distributions": report.distributions.order_by("sent_on", "pk"),
        },
    )


def _transition(request: HttpRequest, pk: int, service, done: str) -> HttpResponse:
    report = annual_report(request, pk, KEEP)
    try:
        report = service(report=report, by=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("reports:annual-report-check", pk=pk)
    messages.success(request, done.format(title=report.title))
    return redirect(report)


@require_POST
def annual_report_send_for_review(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(
        request, pk, annual_services.send_for_review, "The {title} has been sent for review."
    )


@require_POST
def annual_report_return_to_draft(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(
        request, pk, annual_services.return_to_draft, "The {title} is a draft again."
    )


@require_POST
def annual_report_approve(request: HttpRequest, pk: int) -> HttpResponse:
    return _transition(
        request,
        pk,
        annual_services.approve,
        "The {title} has been approved. Its content is now settled: publish it next.",
    )


@require_http_methods(["GET", "POST"])
def annual_report_publish(request: HttpRequest, pk: int) -> HttpResponse:
    return publish_page(request, annual_report(request, pk, "reports.publish"))


@require_http_methods(["GET", "POST"])
def distribution_create(request: HttpRequest, pk: int) -> HttpResponse:
    report = annual_report(request, pk, KEEP)
    form = DistributionForm(submitted(request))
    if request.method == "POST" and form.is_valid():
        try:
            record = annual_services.record_distribution(
                report=report, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"The copy sent to {record.name} has been recorded.")
            return redirect("reports:annual-report-check", pk=report.pk)
    return form_page(
        request,
        form,
        title=f"Record a copy of the {report.title} sent",
        back=reverse("reports:annual-report-check", kwargs={"pk": report.pk}),
        submit="Record it",
        intro="The Care Act (Schedule 2, paragraph 4(2)) says a copy must go to the local "
        "authority's chief executive and leader, the local policing body, Local Healthwatch "
        "and the chair of the Health and Wellbeing Board.",
    )
