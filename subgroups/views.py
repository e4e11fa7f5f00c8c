from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from sab import permissions
from sab.forms import add_service_errors, form_page, submitted
from sab.models import Board
from sab.permissions import get_visible_or_404
from subgroups import services
from subgroups.forms import GroupForm, GroupMembershipForm, MeetingForm
from subgroups.models import Group, GroupMembership, Meeting


def _memberships():
    return Prefetch(
        "memberships",
        queryset=GroupMembership.objects.select_related("person", "organisation"),
    )


def _build_tree(groups: list[Group]) -> list[dict]:
    """Nest groups under the group they report to; groups reporting outside the list are roots."""
    by_parent: dict[int | None, list[Group]] = {}
    ids = {group.pk for group in groups}
    for group in groups:
        parent = group.reports_to_id if group.reports_to_id in ids else None
        by_parent.setdefault(parent, []).append(group)

    kinds = [kind for kind, _ in Group.Kind.choices]

    def nodes(parent):
        children = sorted(by_parent.get(parent, []), key=lambda g: (kinds.index(g.kind), g.name))
        return [{"group": g, "children": nodes(g.pk)} for g in children]

    return nodes(None)


@require_GET
def structure(request: HttpRequest, slug: str) -> HttpResponse:
    """A board's groups as a tree: who reports to whom, chairs, joint groups."""
    board = get_visible_or_404(request.user, Board.objects, slug=slug)
    groups = list(
        Group.objects.for_board(board)
        .prefetch_related("boards", _memberships())
        .with_meetings_held_in_year(board, board.current_financial_year())
        .order_by("name", "pk")
    )
    return render(
        request,
        "subgroups/structure.html",
        {
            "board": board,
            "tree": _build_tree(groups),
            "group_count": len(groups),
            "year_label": board.financial_year_label(board.current_financial_year()),
            "can_manage": request.user.has_perm("sab.manage_board", board),
        },
    )


@require_GET
def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_visible_or_404(
        request.user,
        Group.objects.select_related("reports_to", "reporting_board").prefetch_related(
            "boards", _memberships(), "reporting_groups"
        ),
        pk=pk,
    )
    board = group.reporting_board
    this_year = board.current_financial_year()
    # A reader from another board the group serves finds their own board in the breadcrumbs.
    readable = permissions.board_ids(request.user)
    if not request.user.is_superuser and board.pk not in readable:
        board_shown = next(b for b in group.boards.all() if b.pk in readable)
    else:
        board_shown = board
    meetings = list(
        group.meetings.annotate(attendee_count=Count("attendees")).order_by("-date", "-pk")
    )
    counts = (
        Group.objects.filter(pk=group.pk)
        .with_meetings_held_in_year(board, this_year, "this_year")
        .with_meetings_held_in_year(board, this_year - 1, "last_year")
        .values("this_year", "last_year")
        .get()
    )
    # The plans app sits above this one: its actions are reached through the reverse
    # relation, whose manager is the action queryset (so its named filters apply).
    actions = list(
        group.actions_led.in_current_plans()
        .select_related("priority__plan")
        .order_by("priority__plan_id", "priority__order", "order", "pk")
    )
    # A joint group's page names the other board's records too; those the reader may not
    # open are shown as text, never as a link to a 404.
    everything = request.user.is_superuser
    for action in actions:
        action.can_open = everything or action.priority.plan.board_id in readable
    children = list(group.reporting_groups.all())
    linked = [g.pk for g in [*children, group.reports_to] if g is not None]
    openable = set(
        Group.objects.visible_to(request.user).filter(pk__in=linked).values_list("pk", flat=True)
    )
    for other in [*children, group.reports_to]:
        if other is not None:
            other.can_open = other.pk in openable
    return render(
        request,
        "subgroups/group_detail.html",
        {
            "group": group,
            "board": board_shown,
            "children": children,
            "actions": actions,
            "members": sorted(group.current_memberships(), key=_member_order),
            "meetings": meetings,
            "held": [
                (board.financial_year_label(this_year), counts["this_year"]),
                (board.financial_year_label(this_year - 1), counts["last_year"]),
            ],
            "can_change": request.user.has_perm("subgroups.change_group", group),
            "can_delete": request.user.has_perm("subgroups.delete_group", group),
            "can_manage_business": request.user.has_perm("subgroups.manage_group_business", group),
        },
    )


def _member_order(membership: GroupMembership):
    order = [role for role, _ in GroupMembership.Role.choices]
    return (order.index(membership.role), membership.person.name)


@require_http_methods(["GET", "POST"])
def group_create(request: HttpRequest, slug: str) -> HttpResponse:
    board = get_visible_or_404(request.user, Board.objects, "sab.manage_board", slug=slug)
    form = GroupForm(submitted(request), user=request.user, board=board)
    if request.method == "POST" and form.is_valid():
        try:
            group = services.save_group(
                group=form.instance, boards=form.chosen_boards(), by=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{group.name} has been created.")
            return redirect(group)
    return form_page(
        request,
        form,
        title=f"Add a group to {board.short_name}",
        back=board.get_absolute_url(),
        submit="Create the group",
    )


@require_http_methods(["GET", "POST"])
def group_edit(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_visible_or_404(
        request.user,
        Group.objects.select_related("reporting_board").prefetch_related("boards"),
        "subgroups.change_group",
        pk=pk,
    )
    form = GroupForm(
        submitted(request), instance=group, user=request.user, board=group.reporting_board
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_group(group=group, boards=form.chosen_boards(), by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{group.name} has been updated.")
            return redirect(group)
    return form_page(
        request,
        form,
        title=f"Edit {group.name}",
        back=group.get_absolute_url(),
        intro=form.boards_note,
    )


@require_http_methods(["GET", "POST"])
def group_delete(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_visible_or_404(
        request.user,
        Group.objects.select_related("reporting_board").prefetch_related("boards"),
        "subgroups.delete_group",
        pk=pk,
    )
    error = ""
    if request.method == "POST":
        board = group.reporting_board
        try:
            services.delete_group(group=group, by=request.user)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, f"{group.name} has been deleted.")
            return redirect("subgroups:structure", slug=board.slug)
    return render(request, "subgroups/group_delete.html", {"group": group, "error": error})


def _business_group(request: HttpRequest, pk: int) -> Group:
    return get_visible_or_404(request.user, Group.objects, "subgroups.manage_group_business", pk=pk)


@require_http_methods(["GET", "POST"])
def membership_form(request: HttpRequest, pk: int, membership_pk: int | None = None):
    group = _business_group(request, pk)
    instance = None
    if membership_pk is not None:
        instance = get_visible_or_404(
            request.user, GroupMembership.objects, pk=membership_pk, group=group
        )
    form = GroupMembershipForm(submitted(request), instance=instance, group=group)
    if request.method == "POST" and form.is_valid():
        membership = form.save()
        messages.success(request, f"Saved: {membership}.")
        return redirect(group)
    return form_page(
        request,
        form,
        title=f"{'Change' if instance else 'Add'} a member of {group.name}",
        back=group.get_absolute_url(),
    )


@require_http_methods(["GET", "POST"])
def meeting_form(request: HttpRequest, pk: int, meeting_pk: int | None = None):
    group = _business_group(request, pk)
    instance = None
    if meeting_pk is not None:
        instance = get_visible_or_404(request.user, Meeting.objects, pk=meeting_pk, group=group)
    form = MeetingForm(submitted(request), instance=instance, group=group)
    if request.method == "POST" and form.is_valid():
        meeting = form.save()
        messages.success(request, f"Saved the meeting of {meeting.date:%-d %B %Y}.")
        return redirect(group)
    return form_page(
        request,
        form,
        title=f"{'Change the' if instance else 'Record a'} meeting of {group.name}",
        back=group.get_absolute_url(),
        submit="Save the meeting",
    )
