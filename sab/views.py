from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from sab import permissions
from sab.models import Board, BoardMembership, RoleAssignment


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The signed-in start page: the user's boards and what they may do in each."""
    boards = list(Board.objects.visible_to(request.user).select_related("chair"))
    labels = dict(RoleAssignment.Role.choices)
    for board in boards:
        board.my_roles = sorted(
            labels[role] for role in permissions.roles_in_board(request.user, board)
        )
    return render(request, "sab/home.html", {"boards": boards})


@require_GET
def board_detail(request: HttpRequest, slug: str) -> HttpResponse:
    board = get_object_or_404(
        Board.objects.visible_to(request.user).select_related("chair__organisation"),
        slug=slug,
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
        },
    )


@login_not_required
@require_GET
def accessibility_statement(request: HttpRequest) -> HttpResponse:
    return render(request, "sab/accessibility.html")


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness and database check for load balancers and container health checks."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return JsonResponse({"db": "unavailable"}, status=503)
    return JsonResponse({"db": "ok"})
