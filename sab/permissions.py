"""Who may see and do what. The one place permission decisions are made.

Two layers, both derived from RoleAssignment rows:

* queryset scoping: every list, export and API view starts from
  ``Model.objects.visible_to(user)``, whose filters call the helpers
  below. Anything outside the scope is a 404, so users never learn other boards' records exist.
* object rules (the ``rules`` package): ``user.has_perm("sab.change_board", board)`` for
  per-object checks in views and templates.

A user's role rows are read once per request and cached on the user object.
"""

from __future__ import annotations

from dataclasses import dataclass

import rules

BOARD_MANAGER = "board_manager"
SUBGROUP_CHAIR = "subgroup_chair"
SUBGROUP_MEMBER = "subgroup_member"
EXECUTIVE_MEMBER = "executive_member"
REVIEW_MEMBER = "review_member"
PARTNER_LEAD = "partner_lead"
VIEWER = "viewer"

ALL_ROLES = frozenset(
    {
        BOARD_MANAGER,
        SUBGROUP_CHAIR,
        SUBGROUP_MEMBER,
        EXECUTIVE_MEMBER,
        REVIEW_MEMBER,
        PARTNER_LEAD,
        VIEWER,
    }
)
# Roles tied to a group (RoleAssignment.group): they update the group's actions.
GROUP_ROLES = frozenset({SUBGROUP_CHAIR, SUBGROUP_MEMBER})
# Roles that may manage a board's structure, plans and reports.
MANAGER_ROLES = frozenset({BOARD_MANAGER})
# Roles that may read restricted review (SAR) data.
RESTRICTED_REVIEW_ROLES = frozenset({BOARD_MANAGER, REVIEW_MEMBER})


@dataclass(frozen=True)
class RoleRow:
    board_id: int
    role: str
    organisation_id: int | None
    group_id: int | None


_CACHE_ATTR = "_sab_role_rows"


def role_rows(user) -> tuple[RoleRow, ...]:
    """The user's role assignments, read once per user object (one query per request)."""
    if not user.is_authenticated or not user.is_active:
        return ()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        cached = tuple(
            RoleRow(*row)
            for row in user.role_assignments.values_list(
                "board_id", "role", "organisation_id", "group_id"
            )
        )
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_roles(user) -> None:
    """Drop the cached role rows (after assigning or removing a role in the same request)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def board_ids(user, roles=ALL_ROLES) -> set[int]:
    """Ids of boards in which the user holds any of ``roles``."""
    return {row.board_id for row in role_rows(user) if row.role in roles}


def group_ids(user, roles=frozenset({SUBGROUP_CHAIR})) -> set[int]:
    """Ids of groups in which the user holds any of ``roles`` (chair by default)."""
    return {row.group_id for row in role_rows(user) if row.role in roles and row.group_id}


def roles_in_board(user, board) -> set[str]:
    board_id = getattr(board, "pk", board)
    return {row.role for row in role_rows(user) if row.board_id == board_id}


def _board_of(obj) -> int | None:
    """The board a record belongs to: the record itself, or its ``board_id``."""
    from sab.models import Board

    if isinstance(obj, Board):
        return obj.pk
    return getattr(obj, "board_id", None)


# --- Predicates -----------------------------------------------------------------------------


@rules.predicate
def is_superuser(user) -> bool:
    return user.is_active and user.is_superuser


@rules.predicate
def can_view_board(user, obj) -> bool:
    board_id = _board_of(obj)
    return board_id is not None and board_id in board_ids(user)


@rules.predicate
def is_board_manager(user, obj) -> bool:
    board_id = _board_of(obj)
    return board_id is not None and board_id in board_ids(user, MANAGER_ROLES)


def _group_board_ids(group) -> set[int]:
    return {board.pk for board in group.boards.all()}


@rules.predicate
def can_view_group(user, group) -> bool:
    return bool(_group_board_ids(group) & board_ids(user))


@rules.predicate
def manages_a_board_of_group(user, group) -> bool:
    return bool(_group_board_ids(group) & board_ids(user, MANAGER_ROLES))


@rules.predicate
def chairs_group(user, group) -> bool:
    """Holds the subgroup-chair role for this group (RoleAssignment.group)."""
    return group.pk in group_ids(user)


rules.add_perm("sab.view_board", is_superuser | can_view_board)
rules.add_perm("sab.change_board", is_superuser | is_board_manager)
rules.add_perm("sab.manage_board", is_superuser | is_board_manager)

# Groups: board managers set groups up; a group's chair keeps its members and meetings.
rules.add_perm("subgroups.view_group", is_superuser | can_view_group)
rules.add_perm("subgroups.change_group", is_superuser | manages_a_board_of_group)
rules.add_perm("subgroups.delete_group", is_superuser | manages_a_board_of_group)
rules.add_perm(
    "subgroups.manage_group_business", is_superuser | manages_a_board_of_group | chairs_group
)


# --- View helpers -----------------------------------------------------------------------------


def get_visible_or_404(user, queryset, perm: str | None = None, **lookup):
    """The record if the user may see it (else 404); if ``perm`` is given and the user lacks
    it on the record, 403. Start ``queryset`` from the model's manager: scoping is applied here.
    """
    from django.core.exceptions import PermissionDenied
    from django.shortcuts import get_object_or_404

    obj = get_object_or_404(queryset.visible_to(user), **lookup)
    if perm and not user.has_perm(perm, obj):
        raise PermissionDenied
    return obj


# Plans and actions: board managers write plans; a group's chair or members record progress
# on the actions their group leads; everyone in the board reads.
def _plan_board(obj) -> int | None:
    for path in ("board_id", "plan.board_id", "priority.plan.board_id", "action.board_id"):
        value = obj
        try:
            for part in path.split("."):
                value = getattr(value, part)
        except AttributeError:
            continue
        return value
    return None


@rules.predicate
def can_view_plan_record(user, obj) -> bool:
    return _plan_board(obj) in board_ids(user)


@rules.predicate
def manages_plan_board(user, obj) -> bool:
    return _plan_board(obj) in board_ids(user, MANAGER_ROLES)


@rules.predicate
def in_lead_group(user, action) -> bool:
    return (
        action.lead_group_id is not None
        and action.lead_group_id in group_ids(user, GROUP_ROLES)
        and _plan_board(action) in board_ids(user)
    )


rules.add_perm("priorities.view_plan", is_superuser | can_view_plan_record)
rules.add_perm("priorities.change_plan", is_superuser | manages_plan_board)
rules.add_perm("priorities.update_action", is_superuser | manages_plan_board | in_lead_group)
