from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import pluralize
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from priorities import exports, plan_page, services, tracker_page
from priorities.filters import ActionFilter
from priorities.forms import (
    ActionForm,
    BusinessPlanForm,
    ConsultationForm,
    MeasureForm,
    MeasureValueForm,
    MilestoneForm,
    ObjectiveForm,
    PriorityForm,
    ProgressUpdateForm,
    ReopenPlanForm,
    ReportingPeriodForm,
    ReturnRowForm,
    RollForwardForm,
    StrategicPlanForm,
    StrategicPriorityForm,
    YearOfQuartersForm,
)
from priorities.models import (
    Action,
    BusinessPlan,
    Measure,
    Milestone,
    Objective,
    Priority,
    ProgressUpdate,
    ReportingPeriod,
    StrategicPlan,
)
from sab import permissions
from sab.forms import add_service_errors, form_page, submitted
from sab.history import entries_from, history_entries, timeline
from sab.markdown import summary_text
from sab.models import Board
from sab.permissions import get_visible_or_404, require_perm
from sab.roles import GROUP_ROLES
from subgroups.models import Group

PAGE_SIZE = 50


def _versioned_edit(request, form, title: str, noun: str):
    """Save an edit form for a priority or action, refusing a stale save (optimistic lock)."""
    obj = form.instance
    if request.method == "POST" and form.is_valid():
        try:
            services.save_versioned(form, seen_version=form.cleaned_data["seen_version"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"{noun} {obj.ref} has been updated.")
            return redirect(obj)
    return form_page(request, form, title=title, back=obj.get_absolute_url())


# --- Plans ----------------------------------------------------------------------------------


@require_GET
def plan_list(request: HttpRequest, slug: str) -> HttpResponse:
    board = get_visible_or_404(request.user, Board.objects, slug=slug)
    return render(
        request,
        "priorities/plan_list.html",
        {
            "board": board,
            "plans": BusinessPlan.objects.for_board(board).select_related("strategic_plan"),
            "strategic_plans": StrategicPlan.objects.for_board(board),
            "can_manage": request.user.has_perm("sab.manage_board", board),
        },
    )


@require_http_methods(["GET", "POST"])
def plan_create(request: HttpRequest, slug: str) -> HttpResponse:
    board = get_visible_or_404(request.user, Board.objects, "sab.manage_board", slug=slug)
    form = BusinessPlanForm(submitted(request), board=board)
    if request.method == "POST" and form.is_valid():
        plan = form.save()
        messages.success(request, f"{plan.title} has been created as a draft.")
        return redirect(plan)
    return form_page(
        request,
        form,
        title=f"New business plan for {board.short_name}",
        back=reverse("priorities:plan-list", args=[slug]),
    )


def _plan_queryset():
    """A plan with everything its page shows: priorities, then their actions as the action
    lists show them (ActionQuerySet.for_tracker)."""
    actions = Action.objects.for_tracker()
    return BusinessPlan.objects.select_related(
        "board", "strategic_plan", "rolled_forward_from"
    ).prefetch_related(
        "rolled_forward_to",
        Prefetch(
            "priorities",
            queryset=Priority.objects.select_related(
                "delivery_group", "strategic_priority"
            ).prefetch_related(
                "joint_with", "objectives", "measures", Prefetch("actions", queryset=actions)
            ),
        ),
    )


@require_GET
def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan laid out like the board's own tables: each priority, then its actions."""
    plan = get_visible_or_404(request.user, _plan_queryset(), pk=pk)
    can_manage = request.user.has_perm("priorities.change_plan", plan)
    return render(
        request,
        "priorities/plan_detail.html",
        {
            "plan": plan,
            "board": plan.board,
            "can_manage": can_manage,
            # Move buttons only while reordering: the plan otherwise reads like the board's table.
            "reordering": can_manage and request.GET.get("order") == "change",
            "action_count": sum(len(p.actions.all()) for p in plan.priorities.all()),
            "sections": plan_page.sections(request, plan),
        },
    )


@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_visible_or_404(
        request.user, BusinessPlan.objects.select_related("board"), "priorities.change_plan", pk=pk
    )
    form = BusinessPlanForm(submitted(request), instance=plan, board=plan.board)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "The plan has been updated.")
        return redirect(plan)
    return form_page(request, form, title=f"Edit {plan.title}", back=plan.get_absolute_url())


@require_http_methods(["GET", "POST"])
def plan_approve(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm, then approve: the plan comes into use, and the one it replaces is archived."""
    plan = get_visible_or_404(
        request.user,
        BusinessPlan.objects.select_related("board", "rolled_forward_from"),
        "priorities.change_plan",
        pk=pk,
    )
    if request.method == "GET" and plan.can_be_approved:
        return render(request, "priorities/plan_approve.html", {"plan": plan, "board": plan.board})
    replaces = plan.replaces  # before approving: approving archives it
    try:
        services.approve_plan(plan=plan, by=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        archived = f" {replaces.title} is archived." if replaces else ""
        messages.success(request, f"{plan.title} is approved.{archived}")
    return redirect(plan)


@require_http_methods(["GET", "POST"])
def plan_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    """Take an approved plan back to draft, saying why."""
    plan = get_visible_or_404(
        request.user,
        BusinessPlan.objects.select_related("board", "rolled_forward_from"),
        "priorities.change_plan",
        pk=pk,
    )
    form = ReopenPlanForm(submitted(request))
    if request.method == "POST" and form.is_valid():
        try:
            restored = services.reopen_plan(plan=plan, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            back = f" {restored.title} is back in use." if restored else ""
            messages.success(request, f"{plan.title} is a draft again.{back}")
            return redirect(plan)
    if not plan.can_be_reopened and not form.errors:
        messages.error(request, f"{plan.title} is not approved, so it cannot be reopened.")
        return redirect(plan)
    intro = "It goes back to draft: its actions leave the tracker until it is approved again."
    if plan.rolled_forward_from and plan.rolled_forward_from.is_read_only:
        intro += (
            f" {plan.rolled_forward_from.title}, archived when this plan was approved, comes"
            " back into use."
        )
    return form_page(
        request,
        form,
        title=f"Reopen {plan.title}",
        back=plan.get_absolute_url(),
        submit="Reopen the plan",
        intro=intro,
    )


def _confirm_delete(request, *, board, title, back, what_goes, intro):
    return render(
        request,
        "priorities/confirm_delete.html",
        {
            "title": title,
            "back": back,
            "what_goes": [
                f"{count} {noun if count != 1 else services.ONE_OF[noun]}"
                for noun, count in what_goes.items()
                if count
            ],
            "intro": intro,
            "board": board,
        },
    )


@require_http_methods(["GET", "POST"])
def plan_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete a draft plan (a wrong import, say), after a page listing what goes with it."""
    plan = get_visible_or_404(
        request.user, BusinessPlan.objects.select_related("board"), "priorities.delete_plan", pk=pk
    )
    if request.method == "POST":
        services.delete_draft(record=plan, by=request.user)
        messages.success(request, f"{plan.title} has been deleted.")
        return redirect("priorities:plan-list", slug=plan.board.slug)
    return _confirm_delete(
        request,
        board=plan.board,
        title=f"Delete {plan.title}?",
        back=plan.get_absolute_url(),
        what_goes=services.what_goes(plan),
        intro="The draft plan is deleted with everything in it:",
    )


@require_http_methods(["GET", "POST"])
def action_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Delete an action of a draft plan, after a page listing what goes with it."""
    action = _action(request, pk, "priorities.delete_plan")
    if request.method == "POST":
        services.delete_draft(record=action, by=request.user)
        messages.success(request, f"Action {action.ref} has been deleted.")
        return redirect(action.priority)
    return _confirm_delete(
        request,
        board=action.priority.plan.board,
        title=f"Delete action {action.ref}?",
        back=action.get_absolute_url(),
        what_goes=services.what_goes(action),
        intro=f"Action {action.ref} is deleted with everything recorded on it:",
    )


@require_http_methods(["GET", "POST"])
def roll_forward(request: HttpRequest, pk: int) -> HttpResponse:
    """Carry this plan's unfinished actions into next year's draft, linked to their
    originals. This plan stays in use until that draft is approved."""
    plan = get_visible_or_404(
        request.user,
        BusinessPlan.objects.select_related("board").prefetch_related("priorities"),
        "sab.manage_board",  # rolling forward leaves this plan as it is
        pk=pk,
    )
    try:
        services.check_can_roll_forward(plan)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect(plan)
    first_day = plan.board.financial_year_bounds(plan.board.current_financial_year() + 1)[0]
    initial = {
        "title": services.next_years(plan.title),
        "period": services.next_years(plan.period),
        "effective_from": first_day,
    }
    form = RollForwardForm(submitted(request), plan=plan, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.roll_forward(plan=plan, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            note = f" ({result.already_there} were there already)" if result.already_there else ""
            messages.success(
                request,
                f"{result.carried} action{pluralize(result.carried)} carried from {plan.title} "
                f"into {result.plan.title}{note}. {plan.title} stays in use until "
                f"{result.plan.title} is approved.",
            )
            return redirect(result.plan)
    preview = services.roll_forward_preview(plan=plan, starts=first_day)
    context = {"plan": plan, "form": form, "starts": first_day, **preview}
    return render(request, "priorities/roll_forward.html", context)


# --- Priorities, objectives, measures -------------------------------------------------------


@require_http_methods(["GET", "POST"])
def priority_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_visible_or_404(
        request.user, BusinessPlan.objects.select_related("board"), "priorities.change_plan", pk=pk
    )
    form = PriorityForm(submitted(request), plan=plan, initial={"ref": plan.next_priority_ref()})
    if request.method == "POST" and form.is_valid():
        priority = form.save(commit=False)
        priority.order = plan.priorities.next_order()
        priority.save()
        form.save_m2m()
        messages.success(request, f"Priority {priority.ref} has been added.")
        return redirect(priority)
    return form_page(
        request, form, title=f"Add a priority to {plan.title}", back=plan.get_absolute_url()
    )


@require_http_methods(["GET", "POST"])
def priority_edit(request: HttpRequest, pk: int) -> HttpResponse:
    priority = get_visible_or_404(
        request.user,
        Priority.objects.select_related("plan__board"),
        "priorities.change_plan",
        pk=pk,
    )
    form = PriorityForm(submitted(request), instance=priority, plan=priority.plan)
    return _versioned_edit(request, form, f"Edit priority {priority.ref}", "Priority")


def _reordering(plan, priority) -> str:
    """Back to the plan, still changing the order, at the priority just moved."""
    return f"{plan.get_absolute_url()}?order=change#priority-{priority.pk}"


@require_POST
def priority_move(request: HttpRequest, pk: int) -> HttpResponse:
    priority = get_visible_or_404(
        request.user, Priority.objects.select_related("plan"), "priorities.change_plan", pk=pk
    )
    services.move(item=priority, direction=request.POST.get("direction", "down"))
    return redirect(_reordering(priority.plan, priority))


@require_http_methods(["GET", "POST"])
def objective_create(request: HttpRequest, pk: int) -> HttpResponse:
    priority = get_visible_or_404(
        request.user,
        Priority.objects.select_related("plan__board"),
        "priorities.change_plan",
        pk=pk,
    )
    objective = Objective(priority=priority, order=priority.objectives.next_order())
    form = ObjectiveForm(submitted(request), instance=objective)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "The objective has been added.")
        return redirect(priority)
    return form_page(
        request,
        form,
        title=f"Add an objective to priority {priority.ref}",
        back=priority.get_absolute_url(),
    )


@require_http_methods(["GET", "POST"])
def measure_create(request: HttpRequest, pk: int) -> HttpResponse:
    priority = get_visible_or_404(
        request.user,
        Priority.objects.select_related("plan__board"),
        "priorities.change_plan",
        pk=pk,
    )
    form = MeasureForm(submitted(request), instance=Measure(priority=priority))
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "The measure has been added.")
        return redirect(priority)
    return form_page(
        request,
        form,
        title=f"Add a measure to priority {priority.ref}",
        back=priority.get_absolute_url(),
    )


@require_http_methods(["GET", "POST"])
def measure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A measure's values over the reporting periods, and (for managers) a form to add one."""
    measure = get_visible_or_404(
        request.user, Measure.objects.select_related("priority__plan__board"), pk=pk
    )
    can_manage = request.user.has_perm("priorities.change_plan", measure)
    if request.method == "POST":
        require_perm(request.user, "priorities.change_plan", measure)
    form = MeasureValueForm(submitted(request), measure=measure) if can_manage else None
    if form is not None and request.method == "POST" and form.is_valid():
        value = form.save()
        messages.success(request, f"Recorded {value.value} for {value.period}.")
        return redirect("priorities:measure-detail", pk=measure.pk)
    return render(
        request,
        "priorities/measure_detail.html",
        {
            "measure": measure,
            "board": measure.priority.plan.board,
            "values": measure.values.select_related("period"),
            "form": form,
        },
    )


# --- Actions --------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def action_create(request: HttpRequest, pk: int) -> HttpResponse:
    priority = get_visible_or_404(
        request.user,
        Priority.objects.select_related("plan__board"),
        "priorities.change_plan",
        pk=pk,
    )
    form = ActionForm(
        submitted(request), priority=priority, initial={"ref": priority.next_action_ref()}
    )
    if request.method == "POST" and form.is_valid():
        action = form.save(commit=False)
        action.order = priority.actions.next_order()
        action.save()
        messages.success(request, f"Action {action.ref} has been added.")
        return redirect(action)
    return form_page(
        request,
        form,
        title=f"Add an action to priority {priority.ref}",
        back=priority.get_absolute_url(),
    )


def _action(request, pk, perm=None):
    return get_visible_or_404(
        request.user,
        Action.objects.select_related(
            "priority__plan__board",
            "lead_group",
            "lead_person",
            "objective",
            "carried_forward_from__priority__plan",
        ).with_latest_update(),
        perm,
        pk=pk,
    )


@require_http_methods(["GET", "POST"])
def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    action = _action(request, pk, "priorities.change_plan")
    form = ActionForm(submitted(request), instance=action, priority=action.priority)
    return _versioned_edit(request, form, f"Edit action {action.ref}", "Action")


@require_POST
def action_move(request: HttpRequest, pk: int) -> HttpResponse:
    action = _action(request, pk, "priorities.change_plan")
    services.move(item=action, direction=request.POST.get("direction", "down"))
    return redirect(_reordering(action.priority.plan, action.priority))


UPDATE_KINDS = {
    "+": "Progress update added",
    "~": "Progress update changed",
    "-": "Progress update withdrawn",
}


def _timeline(action):
    """The action's edits and its progress updates (changed and withdrawn ones too) as one
    history, newest first."""
    rag_words = dict(ProgressUpdate._meta.get_field("rag").flatchoices)
    return timeline(
        history_entries(action),
        entries_from(
            ProgressUpdate.history.filter(action_id=action.pk),
            ProgressUpdate,
            hide=("action", "author", "created_at"),
            kinds=UPDATE_KINDS,
            summarise=lambda record: (
                f"{rag_words.get(record.rag) or 'Not rated'}: {summary_text(record.text, 25)}"
            ),
        ),
    )


def _action_context(request, action, form=None):
    updates = list(action.updates.select_related("author", "period").order_by("-created_at", "-pk"))
    for update in updates:
        update.can_change = request.user.has_perm("priorities.change_update", update)
    can_update = request.user.has_perm("priorities.update_action", action)
    return {
        "action": action,
        "plan": action.priority.plan,
        "board": action.priority.plan.board,
        "updates": updates,
        "latest": updates[0] if updates else None,
        "milestones": action.milestones.all(),
        "history": _timeline(action),
        "can_update": can_update,
        "can_manage": request.user.has_perm("priorities.change_plan", action),
        "form": form
        if form is not None
        else (ProgressUpdateForm(action=action) if can_update else None),
        "period": ReportingPeriod.current_for(action.priority.plan.board),
        # Where a carried action had got to: the original's last update, as context.
        "carried_latest": (
            action.carried_forward_from.updates.order_by("-created_at", "-pk").first()
            if action.carried_forward_from_id
            else None
        ),
    }


@require_GET
def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    action = _action(request, pk)
    return render(request, "priorities/action_detail.html", _action_context(request, action))


@require_http_methods(["GET", "POST"])
def progress_create(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a progress update. With htmx, answers with the page's progress fragment only."""
    action = _action(request, pk, "priorities.update_action")
    form = ProgressUpdateForm(submitted(request), action=action)
    saved = False
    if request.method == "POST" and form.is_valid():
        update = services.record_progress(action=action, by=request.user, **form.cleaned_data)
        saved = True
        if not request.htmx:
            messages.success(request, f"Your update on {action.ref} has been saved.")
            return redirect(action)
        action.latest_rag = update.rag
        form = ProgressUpdateForm(action=action)
    template = (
        "priorities/action_detail.html#progress"
        if request.htmx
        else "priorities/action_detail.html"
    )
    context = _action_context(request, action, form)
    context["saved"] = saved
    return render(request, template, context)


def _own_update(request, pk):
    return get_visible_or_404(
        request.user,
        ProgressUpdate.objects.select_related("action__priority__plan__board", "period"),
        "priorities.change_update",
        pk=pk,
    )


@require_http_methods(["GET", "POST"])
def update_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Correct one's own progress update while its period is current."""
    update = _own_update(request, pk)
    action = update.action
    form = ProgressUpdateForm(submitted(request), instance=update)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_update(update=update, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"Your update on {action.ref} has been changed.")
            return redirect(f"{action.get_absolute_url()}#progress")
    return form_page(
        request,
        form,
        title=f"Change your update on action {action.ref}",
        back=f"{action.get_absolute_url()}#progress",
        submit="Save the change",
        intro="The action's history keeps what it said before.",
    )


@require_http_methods(["GET", "POST"])
def update_withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdraw one's own progress update (a mistake) while its period is current."""
    update = _own_update(request, pk)
    action = update.action
    if request.method == "POST":
        services.withdraw_update(update=update, by=request.user)
        messages.success(request, f"Your update on {action.ref} has been withdrawn.")
        return redirect(action)
    return render(
        request,
        "priorities/update_withdraw.html",
        {"update": update, "action": action, "board": action.priority.plan.board},
    )


@require_http_methods(["GET", "POST"])
def milestone_create(request: HttpRequest, pk: int) -> HttpResponse:
    action = _action(request, pk, "priorities.update_action")
    form = MilestoneForm(submitted(request), instance=Milestone(action=action))
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "The milestone has been added.")
        return redirect(action)
    return form_page(
        request,
        form,
        title=f"Add a milestone to action {action.ref}",
        back=action.get_absolute_url(),
    )


# --- Tracker and the chair's view -----------------------------------------------------------


def _tracker_filter(request, board):
    period = ReportingPeriod.current_for(board)
    actions = Action.objects.visible_to(request.user).for_board(board).for_tracker()
    return ActionFilter(request.GET or None, queryset=actions, board=board, period=period), period


@require_GET
def tracker(request: HttpRequest, slug: str) -> HttpResponse:
    """Every action in the board's current plans, filtered and sorted from the URL."""
    board = get_visible_or_404(request.user, Board.objects, slug=slug)
    action_filter, period = _tracker_filter(request, board)
    rows = (
        action_filter.qs
        if action_filter.is_bound and action_filter.is_valid()
        else action_filter.queryset
    )
    rows = (
        rows.select_related(None)
        .select_related(*tracker_page.ROW_RELATIONS)
        .only(*tracker_page.ROW_FIELDS)
    )
    page = tracker_page.TrackerPaginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "priorities/tracker.html",
        {
            "board": board,
            "filter": action_filter,
            "form": action_filter.form,
            "fields": tracker_page.filter_fields(action_filter.form),
            "page": page,
            "rows": tracker_page.rows(page.object_list),
            "period": period,
            "query": query.urlencode(),
        },
    )


@require_GET
def tracker_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    """Exactly the tracker's filtered rows, as CSV or XLSX (priorities/exports.py)."""
    if fmt not in {"csv", "xlsx"}:
        raise Http404("Export as csv or xlsx")
    board = get_visible_or_404(request.user, Board.objects, slug=slug)
    action_filter, _ = _tracker_filter(request, board)
    rows = (
        action_filter.qs
        if action_filter.is_bound and action_filter.is_valid()
        else action_filter.queryset
    )
    if fmt == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        exports.write_csv(rows, response)
    else:
        response = HttpResponse(
            exports.xlsx_bytes(rows, title=f"{board.short_name} actions"),
            content_type=exports.XLSX_CONTENT_TYPE,
        )
    filename = f"{board.slug}-actions-{timezone.localdate():%Y-%m-%d}"
    response["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return response


@require_GET
def my_actions(request: HttpRequest, slug: str) -> HttpResponse:
    """The chair's and members' view: their groups' actions, those needing an update first."""
    board = get_visible_or_404(request.user, Board.objects, slug=slug)
    period = ReportingPeriod.current_for(board)
    group_ids = permissions.group_ids(request.user, GROUP_ROLES)
    actions = list(
        Action.objects.visible_to(request.user)
        .for_board(board)
        .in_current_plans()
        .filter(lead_group__in=group_ids)
        .for_tracker()
    )
    needs_update, done = [], []
    for action in actions:
        (needs_update if action.needs_update_in(period) else done).append(action)
    return render(
        request,
        "priorities/my_actions.html",
        {
            "board": board,
            "period": period,
            "needs_update": needs_update,
            "done": done,
            "has_groups": bool(group_ids),
            "groups": Group.objects.for_board(board).filter(pk__in=group_ids).order_by("name"),
        },
    )


@require_http_methods(["GET", "POST"])
def quarterly_return(request: HttpRequest, pk: int) -> HttpResponse:
    """A group's quarterly return: every open action it leads in the plans in use, on one
    page, saved together (rows left as they were are skipped)."""
    group = get_visible_or_404(
        request.user,
        Group.objects.select_related("reporting_board"),
        "priorities.make_return",
        pk=pk,
    )
    actions = [
        action
        for action in Action.objects.visible_to(request.user)
        .in_current_plans()
        .open()
        .filter(lead_group=group)
        .for_tracker()
        .select_related("priority__plan__board")
        if request.user.has_perm("priorities.update_action", action)
    ]
    forms = [ReturnRowForm(submitted(request), action=action) for action in actions]
    problem = None
    if request.method == "POST":
        valid = [form.is_valid() for form in forms]  # every row checked, not the first only
        rows = [(form.action, form.cleaned_data) for form in forms if form.has_update]
        if all(valid) and rows:
            try:
                services.record_return(updates=rows, by=request.user)
            except ValidationError as error:
                problem = " ".join(error.messages)
            else:
                refs = ", ".join(action.ref for action, _ in rows)
                messages.success(
                    request, f"Saved updates on {len(rows)} action{pluralize(len(rows))}: {refs}."
                )
                return redirect("priorities:my-actions", slug=group.reporting_board.slug)
        elif all(valid):
            problem = "Enter an update for at least one action"
    boards = {action.priority.plan.board_id for action in actions} or {group.reporting_board_id}
    periods = list(
        ReportingPeriod.objects.current().filter(board_id__in=boards).select_related("board")
    )
    return render(
        request,
        "priorities/quarterly_return.html",
        {
            "group": group,
            "board": group.reporting_board,
            "rows": list(zip(actions, forms, strict=True)),
            "forms": forms,
            "problem": problem,
            "has_errors": bool(problem) or any(form.errors for form in forms),
            "periods": periods,
        },
    )


# --- Reporting periods ----------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def period_list(request: HttpRequest, slug: str) -> HttpResponse:
    board = get_visible_or_404(request.user, Board.objects, slug=slug)
    can_manage = request.user.has_perm("sab.manage_board", board)
    if request.method == "POST":
        require_perm(request.user, "sab.manage_board", board)
    form = ReportingPeriodForm(submitted(request), board=board) if can_manage else None
    if form is not None and request.method == "POST" and form.is_valid():
        period = services.save_period(period=form.save(commit=False), by=request.user)
        messages.success(request, f"{period.label} has been added.")
        return redirect("priorities:period-list", slug=slug)
    periods = ReportingPeriod.objects.for_board(board)
    return render(
        request,
        "priorities/period_list.html",
        {
            "board": board,
            "periods": periods,
            "form": form,
            "current": ReportingPeriod.current_for(board),
            "can_manage": can_manage,
        },
    )


@require_http_methods(["GET", "POST"])
def period_year(request: HttpRequest, slug: str) -> HttpResponse:
    """Set up a whole reporting year of quarters in one step."""
    board = get_visible_or_404(request.user, Board.objects, "sab.manage_board", slug=slug)
    form = YearOfQuartersForm(submitted(request), board=board)
    if request.method == "POST" and form.is_valid():
        try:
            periods = services.set_up_year(board=board, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            labels = ", ".join(period.label for period in periods)
            messages.success(request, f"{labels} have been set up.")
            return redirect("priorities:period-list", slug=slug)
    return form_page(
        request,
        form,
        title="Set up a year of reporting periods",
        back=reverse("priorities:period-list", args=[slug]),
        submit="Set up the quarters",
        intro=f"{board.short_name}'s reporting year starts in {board.financial_year_start_name}. "
        "This adds its four quarters. Progress updates already saved are counted in the "
        "quarter their date falls in.",
    )


@require_http_methods(["GET", "POST"])
def period_edit(request: HttpRequest, pk: int) -> HttpResponse:
    period = get_visible_or_404(
        request.user, ReportingPeriod.objects.select_related("board"), "sab.manage_board", pk=pk
    )
    form = ReportingPeriodForm(submitted(request), instance=period, board=period.board)
    if request.method == "POST" and form.is_valid():
        services.save_period(period=form.save(commit=False), by=request.user)
        messages.success(request, f"{period.label} has been updated.")
        return redirect("priorities:period-list", slug=period.board.slug)
    back = reverse("priorities:period-list", args=[period.board.slug])
    return form_page(request, form, title=f"Change {period.label}", back=back)


# --- Strategic plans --------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def strategic_plan_create(request: HttpRequest, slug: str) -> HttpResponse:
    board = get_visible_or_404(request.user, Board.objects, "sab.manage_board", slug=slug)
    form = StrategicPlanForm(submitted(request), board=board)
    if request.method == "POST" and form.is_valid():
        plan = form.save()
        messages.success(request, f"{plan.title} has been created.")
        return redirect(plan)
    return form_page(
        request,
        form,
        title=f"New strategic plan for {board.short_name}",
        back=reverse("priorities:plan-list", args=[slug]),
    )


@require_GET
def strategic_plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_visible_or_404(
        request.user,
        StrategicPlan.objects.select_related("board").prefetch_related(
            "priorities", "consultations", "business_plans"
        ),
        pk=pk,
    )
    return render(
        request,
        "priorities/strategic_plan_detail.html",
        {
            "plan": plan,
            "board": plan.board,
            "can_manage": request.user.has_perm("priorities.change_plan", plan),
            "missing_consultees": plan.missing_consultees(),
            "sections": plan_page.sections(request, plan),
        },
    )


@require_http_methods(["GET", "POST"])
def strategic_plan_edit(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_visible_or_404(
        request.user, StrategicPlan.objects.select_related("board"), "priorities.change_plan", pk=pk
    )
    form = StrategicPlanForm(submitted(request), instance=plan, board=plan.board)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "The strategic plan has been updated.")
        return redirect(plan)
    return form_page(request, form, title=f"Edit {plan.title}", back=plan.get_absolute_url())


@require_http_methods(["GET", "POST"])
def strategic_priority_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_visible_or_404(
        request.user, StrategicPlan.objects.select_related("board"), "priorities.change_plan", pk=pk
    )
    form = StrategicPriorityForm(
        submitted(request), plan=plan, initial={"number": plan.next_priority_number()}
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "The strategic priority has been added.")
        return redirect(plan)
    return form_page(
        request,
        form,
        title=f"Add a strategic priority to {plan.title}",
        back=plan.get_absolute_url(),
    )


@require_http_methods(["GET", "POST"])
def consultation_create(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_visible_or_404(
        request.user, StrategicPlan.objects.select_related("board"), "priorities.change_plan", pk=pk
    )
    form = ConsultationForm(submitted(request), plan=plan)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "The consultation has been recorded.")
        return redirect(plan)
    intro = (
        "The Care Act requires the board to consult Local Healthwatch and involve the "
        "community when it prepares its strategic plan."
    )
    return form_page(
        request,
        form,
        title=f"Record a consultation on {plan.title}",
        back=plan.get_absolute_url(),
        intro=intro,
    )
