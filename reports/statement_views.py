"""The partner statement pages: the board manager's list of a report's statements and the
request for them; a partner lead's statements across their boards; a statement, written
by its organisation's partner lead and accepted or returned by the board manager.

Statements come from ``PartnerStatement.objects.visible_to(user)`` (a board manager sees the
board's, a partner lead only their own organisations': anything else is a 404). Asking,
accepting and returning need "reports.keep_annual_report" (the board manager); writing needs
"reports.write_statement" (the organisation's partner lead only: the board manager does not
write partners' statements), else 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from reports import statements as services
from reports.annual_views import KEEP, annual_report
from reports.models import PartnerStatement
from reports.statement_forms import RequestStatementsForm, ReturnStatementForm, StatementForm
from sab.forms import add_service_errors, submitted
from sab.permissions import get_visible_or_404

WRITE = "reports.write_statement"
Status = PartnerStatement.Status


def _statement(request: HttpRequest, pk: int, perm: str | None = None) -> PartnerStatement:
    """The statement if the user may see it (else 404); ``perm`` checked on it (else 403)."""
    return get_visible_or_404(
        request.user,
        PartnerStatement.objects.select_related("report__board", "organisation", "submitted_by"),
        perm,
        pk=pk,
    )


def _list_url(report) -> str:
    return reverse("reports:statement-list", kwargs={"pk": report.pk})


def _form_page(request: HttpRequest, form, *, title: str, submit: str, back: str, **context):
    """A statement form, under the breadcrumbs to its report (statement_form.html)."""
    report = context.get("report") or context["statement"].report
    return render(
        request,
        "reports/statements/statement_form.html",
        {
            "form": form,
            "title": title,
            "submit": submit,
            "back": back,
            "report": report,
            "board": report.board,
            **context,
        },
    )


def _say_requested(request: HttpRequest, created: list[PartnerStatement]) -> None:
    """How many were asked, and which organisations nobody could be e-mailed for."""
    count = len(created)
    messages.success(
        request, f"Statements requested from {count} organisation{'s' if count != 1 else ''}"
    )
    unreached = services.organisations_without_leads(created)
    if unreached:
        names = ", ".join(organisation.name for organisation in unreached)
        messages.warning(
            request,
            f"Nobody was e-mailed for {names}: they have no partner lead with a login. Give "
            "someone there the partner lead role, and tell them the statement is waiting.",
        )


@require_GET
def statement_list(request: HttpRequest, pk: int) -> HttpResponse:
    report = annual_report(request, pk, KEEP)
    today = timezone.localdate()
    statements = report.statements.select_related("organisation").order_by(
        "organisation__name", "pk"
    )
    waiting = list(services.not_yet_asked(report))
    return render(
        request,
        "reports/statements/statement_list.html",
        {
            "report": report,
            "board": report.board,
            "rows": [services.row(statement, today) for statement in statements],
            "not_asked": waiting,
            "can_request": bool(waiting) and not report.is_settled,
        },
    )


@require_http_methods(["GET", "POST"])
def statement_request(request: HttpRequest, pk: int) -> HttpResponse:
    report = annual_report(request, pk, KEEP)
    if report.is_settled:
        messages.error(request, f"The {report.title} is approved: no more statements are asked.")
        return redirect(_list_url(report))
    form = RequestStatementsForm(submitted(request), report=report)
    if request.method == "GET" and not form.fields["organisations"].queryset.exists():
        messages.info(request, "Every current member organisation has been asked already.")
        return redirect(_list_url(report))
    if request.method == "POST" and form.is_valid():
        try:
            created = services.request_statements(
                report=report, by=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            _say_requested(request, created)
            return redirect(_list_url(report))
    return _form_page(
        request,
        form,
        title="Ask for partner statements",
        submit="Ask for the statements",
        back=_list_url(report),
        report=report,
        intro="Each organisation's statement says what it did during the year to implement "
        "the board's strategy (Care Act 2014, Schedule 2, paragraph 4(1)(c)).",
    )


@require_GET
def my_statements(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    statements = (
        PartnerStatement.objects.visible_to(request.user)
        .select_related("report__board", "organisation")
        .order_by("report__board__name", "-report__year", "organisation__name", "pk")
    )
    return render(
        request,
        "reports/statements/my_statements.html",
        {"rows": [services.row(statement, today) for statement in statements]},
    )


@require_GET
def statement_detail(request: HttpRequest, pk: int) -> HttpResponse:
    statement = _statement(request, pk)
    user = request.user
    can_decide = statement.status == Status.SUBMITTED and user.has_perm(KEEP, statement)
    return render(
        request,
        "reports/statements/statement_detail.html",
        {
            **services.row(statement, timezone.localdate()),
            "report": statement.report,
            "board": statement.report.board,
            "can_write": statement.status in services.EDITABLE and user.has_perm(WRITE, statement),
            "can_accept": can_decide and not statement.report.is_settled,
            "can_return": can_decide,
        },
    )


@require_http_methods(["GET", "POST"])
def statement_write(request: HttpRequest, pk: int) -> HttpResponse:
    statement = _statement(request, pk, WRITE)
    if statement.status not in services.EDITABLE:
        messages.error(
            request,
            f"The statement is {statement.get_status_display().lower()}: it cannot be changed "
            "unless the board manager returns it.",
        )
        return redirect(services.detail_url(statement))
    form = StatementForm(submitted(request), instance=statement)
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_statement(
                statement=statement, text=form.cleaned_data["text"], by=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, services.submitted_message(statement))
            return redirect(services.detail_url(statement))
    return _form_page(
        request,
        form,
        title=f"{statement.organisation}'s statement for the {statement.report.title}",
        submit="Submit the statement",
        back=services.detail_url(statement),
        statement=statement,
    )


@require_POST
def statement_accept(request: HttpRequest, pk: int) -> HttpResponse:
    statement = _statement(request, pk, KEEP)
    try:
        services.accept_statement(statement=statement, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"The statement from {statement.organisation} is accepted.")
    return redirect(services.detail_url(statement))


@require_http_methods(["GET", "POST"])
def statement_return(request: HttpRequest, pk: int) -> HttpResponse:
    statement = _statement(request, pk, KEEP)
    if statement.status != Status.SUBMITTED:
        messages.error(request, "Only a submitted statement can be returned for changes.")
        return redirect(services.detail_url(statement))
    form = ReturnStatementForm(submitted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.return_statement(
                statement=statement, comment=form.cleaned_data["comment"], by=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"The statement is returned to {statement.organisation} with your comment.",
            )
            return redirect(services.detail_url(statement))
    return _form_page(
        request,
        form,
        title=f"Return {statement.organisation}'s statement for changes",
        submit="Return the statement",
        back=services.detail_url(statement),
        statement=statement,
    )
