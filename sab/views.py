import logging
import sys

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db import Error, InterfaceError, OperationalError, connection, transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.urls import reverse
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sab import board_page, permissions, services
from sab.forms import (
    BoardDetailsForm,
    BoardMembershipForm,
    BoardStartForm,
    PersonForm,
    RoleAssignmentForm,
    add_service_errors,
    form_page,
    submitted,
)
from sab.models import Board, BoardMembership, RoleAssignment
from sab.permissions import get_visible_or_404
from sab.roles import GROUP_ROLES

logger = logging.getLogger(__name__)


@login_not_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The start page. For the public: what this is, the way to the published plans and
    reports, and signing in for board staff. Signed in: the user's boards and what they may
    do in each; someone in one board lands straight on its page (site administrators
    always see the list)."""
    if not request.user.is_authenticated:
        return render(request, "sab/home.html")
    boards = list(Board.objects.visible_to(request.user).select_related("chair"))
    if len(boards) == 1 and not request.user.is_superuser:
        return redirect(boards[0])
    labels = dict(RoleAssignment.Role.choices)
    for board in boards:
        board.my_roles = sorted(
            labels[role] for role in permissions.roles_in_board(request.user, board)
        )
    return render(
        request,
        "sab/home.html",
        # Asked of the rule alone: Django's model backend would query for a site-wide
        # permission (the rule is the only place this one is granted).
        {"boards": boards, "can_start_board": rules.has_perm("sab.start_board", request.user)},
    )


@require_GET
def board_detail(request: HttpRequest, slug: str) -> HttpResponse:
    board = get_visible_or_404(
        request.user, Board.objects.select_related("chair__organisation"), slug=slug
    )
    memberships = (
        BoardMembership.objects.filter(board=board).current().select_related("organisation")
    )
    return render(
        request,
        "sab/board_detail.html",
        {
            "board": board,
            "statutory": [m for m in memberships if m.statutory],
            "partners": [m for m in memberships if not m.statutory],
            "can_manage": request.user.has_perm("sab.manage_board", board),
            "in_a_group": bool(permissions.roles_in_board(request.user, board) & GROUP_ROLES),
            # What the apps above fill in: what needs the reader's attention, first.
            "sections": board_page.sections(request, board),
        },
    )


@login_not_required
@require_GET
def accessibility_statement(request: HttpRequest) -> HttpResponse:
    return render(request, "sab/accessibility.html")


def _database_reason(error: Error) -> str:
    """What /healthz says went wrong: the kind of failure, never the driver's message (it
    names hosts, users and databases, and /healthz is public; the log has it)."""
    if isinstance(error, InterfaceError):
        what = "the connection to the database is broken"
    elif isinstance(error, OperationalError):
        what = "the database cannot be reached"
    else:
        what = "the database refused the check query"
    return f"{type(error).__name__}: {what}"


def _database_down(error: Error) -> JsonResponse:
    logger.warning("Health check failed: %s", error)
    return JsonResponse({"db": "unavailable", "reason": _database_reason(error)}, status=503)


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database check for load balancers and container health checks: 200, or
    503 with the reason. A request with a session cookie meets the session middleware's
    query first; if that fails, server_error gives the same answer."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Error as error:  # InterfaceError (a closed connection) is not a DatabaseError
        return _database_down(error)
    return JsonResponse({"db": "ok"})


# --- Errors ---------------------------------------------------------------------------------

# The errors that mean the database cannot be used just now (down, restarting, unreachable,
# a connection lost mid-request), as opposed to a bug such as an IntegrityError.
UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 60


def _unavailable_error(error: BaseException | None) -> Error | None:
    """The database error that ``error`` is, or was raised from or while handling, if it
    means the database is unavailable."""
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, UNAVAILABLE):
            return error
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return None


@never_cache
def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a 503 "service unavailable" page when the database is down, else the
    500 page.

    Django calls it for any uncaught exception, also one raised in a middleware (the
    session and authentication middleware query the database before any view runs), from
    inside its exception handling, so sys.exc_info() is the error. Neither page touches the
    database: the templates are rendered without a request or context processors.
    """
    error = _unavailable_error(sys.exc_info()[1])
    if error is None:
        return defaults.server_error(request)
    if request.path_info == reverse("healthz"):
        response = _database_down(error)
    elif request.path_info.startswith("/api/"):
        response = JsonResponse(
            {"detail": "The service is unavailable. Try again in a few minutes."}, status=503
        )
    else:
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


# --- Board administration (board managers) -------------------------------------------------


def _managed_board(request: HttpRequest, slug: str) -> Board:
    return get_visible_or_404(request.user, Board.objects, "sab.manage_board", slug=slug)


@require_GET
def partner_list(request: HttpRequest, slug: str) -> HttpResponse:
    board = _managed_board(request, slug)
    memberships = BoardMembership.objects.filter(board=board).select_related("organisation")
    return render(request, "sab/partner_list.html", {"board": board, "memberships": memberships})


@require_http_methods(["GET", "POST"])
def partner_form(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    board = _managed_board(request, slug)
    instance = get_object_or_404(BoardMembership, pk=pk, board=board) if pk else None
    form = BoardMembershipForm(submitted(request), instance=instance, board=board)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            membership = form.save()
        messages.success(request, f"Saved {membership.organisation}'s membership.")
        return redirect("sab:partner-list", slug=board.slug)
    title = f"Change {instance.organisation}'s membership" if instance else "Add a partner"
    return form_page(request, form, title=title, back=reverse("sab:partner-list", args=[slug]))


@require_GET
def person_list(request: HttpRequest, slug: str) -> HttpResponse:
    board = _managed_board(request, slug)
    people = board.people.select_related("organisation", "user").order_by("name", "pk")
    return render(request, "sab/person_list.html", {"board": board, "people": people})


@require_http_methods(["GET", "POST"])
def person_form(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    board = _managed_board(request, slug)
    instance = get_object_or_404(board.people, pk=pk) if pk else None
    form = PersonForm(submitted(request), instance=instance, board=board)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            person = form.save()
            person.boards.add(board)
        messages.success(request, f"Saved {person.name}.")
        return redirect("sab:person-list", slug=board.slug)
    return form_page(
        request,
        form,
        title=f"Change {instance.name}" if instance else "Add a person",
        back=reverse("sab:person-list", args=[slug]),
    )


@require_http_methods(["GET", "POST"])
def role_list(request: HttpRequest, slug: str) -> HttpResponse:
    """Who can do what in this board, and the form to give someone a role (and a login)."""
    board = _managed_board(request, slug)
    form = RoleAssignmentForm(submitted(request), board=board)
    if request.method == "POST" and form.is_valid():
        try:
            assignment = services.grant_role(board=board, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request, f"{form.cleaned_data['person'].name}: {assignment.describe()}."
            )
            return redirect("sab:role-list", slug=board.slug)
    assignments = (
        RoleAssignment.objects.filter(board=board)
        .select_related("user__person", "organisation")
        .order_by("user__email", "role", "pk")
    )
    return render(
        request, "sab/role_list.html", {"board": board, "assignments": assignments, "form": form}
    )


@require_POST
def role_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    board = _managed_board(request, slug)
    assignment = get_object_or_404(RoleAssignment, pk=pk, board=board)
    assignment.delete()
    messages.success(request, f"Removed: {assignment.user}, {assignment.describe()}.")
    return redirect("sab:role-list", slug=board.slug)


# --- Starting a board (site administrators) and its details (board managers) ----------------


@require_http_methods(["GET", "POST"])
def board_create(request: HttpRequest) -> HttpResponse:
    """Start a board and invite its first manager. Only site administrators may, and for
    anyone else the page does not exist (404)."""
    if not request.user.has_perm("sab.start_board"):
        raise Http404
    form = BoardStartForm(submitted(request))
    if request.method == "POST" and form.is_valid():
        try:
            board = services.start_board(**form.cleaned_data, by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                f"{board.name} has been started, with {form.cleaned_data['manager_name']} as "
                "its board manager. Someone new to the service is emailed a link to choose "
                "a password.",
            )
            return redirect(board)
    return form_page(
        request,
        form,
        title="Start a board",
        back=reverse("home"),
        submit="Start the board",
        intro="The first board manager then adds the board's partners, people and logins.",
    )


@require_http_methods(["GET", "POST"])
def board_edit(request: HttpRequest, slug: str) -> HttpResponse:
    board = _managed_board(request, slug)
    form = BoardDetailsForm(
        submitted(request), request.FILES if request.method == "POST" else None, instance=board
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "The board's details have been saved.")
        return redirect(board)
    return form_page(
        request, form, title=f"Change {board.short_name}'s details", back=board.get_absolute_url()
    )
