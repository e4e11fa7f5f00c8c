"""Who may see and do what: the per-request role rows and the helpers every app checks with.

Two layers, both derived from the user's roles: their RoleAssignment rows (board-level roles)
and the group roles their current group memberships give them (subgroups/rules.py):

* Queryset scoping: every list, export and API view starts from
  ``Model.objects.visible_to(user)`` (sab.models.BoardScopedQuerySet). Anything outside the
  scope is a 404, so users never learn that other boards' records exist.
* Object rules (the ``rules`` package): ``user.has_perm("priorities.change_plan", plan)``.
  Each app declares the rules for its own models in its own ``rules.py`` (found at start-up
  by rules' autodiscovery); this module holds only what they share: the role rows, the board
  predicates and the view helpers.

A board-scoped record says which board it belongs to with a ``board_id`` attribute (a field
or a property on the model; a board answers its own id); the board predicates read only that.

A user's role rows are read once per request and cached on the user object.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import rules
from django.core.exceptions import PermissionDenied
from django.db.models import BigIntegerField, QuerySet, Value
from django.shortcuts import get_object_or_404
from rest_framework.permissions import SAFE_METHODS, BasePermission

from sab.roles import ALL_ROLES, MANAGER_ROLES, RESTRICTED_REVIEW_ROLES, Role


@dataclass(frozen=True)
class RoleRow:
    board_id: int
    role: str
    organisation_id: int | None
    group_id: int | None


_CACHE_ATTR = "_sab_role_rows"


# Apps above sab that grant roles add a source here (subgroups/rules.py: a group's current
# members and chairs), so sab reads them without importing those apps.
_ROLE_SOURCES: list[Callable[[object], QuerySet]] = []


def add_role_source(source: Callable[[object], QuerySet]) -> None:
    """Register ``source(user)``: a queryset of (board id, role, organisation id, group id)
    rows, read together with the user's role assignments in one query."""
    if source not in _ROLE_SOURCES:
        _ROLE_SOURCES.append(source)


def role_rows(user) -> tuple[RoleRow, ...]:
    """The user's roles: their role assignments and the roles every registered source gives
    them, read once per user object (one query per request)."""
    if not user.is_authenticated or not user.is_active:
        return ()
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is None:
        rows = (
            user.role_assignments.annotate(no_group=Value(None, output_field=BigIntegerField()))
            .values_list("board_id", "role", "organisation_id", "no_group")
            .order_by()
        )
        if _ROLE_SOURCES:
            rows = rows.union(*(source(user) for source in _ROLE_SOURCES), all=True)
        cached = tuple(dict.fromkeys(RoleRow(*row) for row in rows))
        setattr(user, _CACHE_ATTR, cached)
    return cached


def forget_roles(user) -> None:
    """Drop the cached role rows (after assigning or removing a role in the same request)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def board_ids(user, roles=ALL_ROLES) -> set[int]:
    """Ids of boards in which the user holds any of ``roles``."""
    return {row.board_id for row in role_rows(user) if row.role in roles}


def group_ids(user, roles=frozenset({Role.SUBGROUP_CHAIR})) -> set[int]:
    """Ids of groups in which the user holds any of ``roles`` (chair by default)."""
    return {row.group_id for row in role_rows(user) if row.role in roles and row.group_id}


def reads_restricted_records(user) -> bool:
    """Holds a role that reads Safeguarding Adults Review records (board manager or review
    subgroup member) in any board, or is a site administrator: who may open the reviews
    pages at all, and who must use a second factor (sab/two_factor.py)."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or bool(board_ids(user, RESTRICTED_REVIEW_ROLES))


def led_organisation_ids(user, board) -> set[int]:
    """Ids of the organisations the user is partner lead for in ``board`` (a board or its
    id): whose annual report statements they write."""
    board_id = getattr(board, "pk", board)
    return {
        row.organisation_id
        for row in role_rows(user)
        if row.role == Role.PARTNER_LEAD and row.board_id == board_id and row.organisation_id
    }


def roles_in_board(user, board) -> set[str]:
    board_id = getattr(board, "pk", board)
    return {row.role for row in role_rows(user) if row.board_id == board_id}


# --- Predicates shared by every app's rules ----------------------------------------------------


@rules.predicate
def is_superuser(user) -> bool:
    return user.is_active and user.is_superuser


@rules.predicate
def in_board(user, obj) -> bool:
    """Holds any role in the record's board."""
    return obj.board_id in board_ids(user)


@rules.predicate
def manages_board(user, obj) -> bool:
    """Is a board manager of the record's board."""
    return obj.board_id in board_ids(user, MANAGER_ROLES)


# --- Checking in views -------------------------------------------------------------------------


def get_visible_or_404(user, queryset, perm: str | None = None, **lookup):
    """The record if the user may see it (else 404); if ``perm`` is given and the user lacks
    it on the record, 403. Start ``queryset`` from the model's manager: scoping is applied here.
    """
    obj = get_object_or_404(queryset.visible_to(user), **lookup)
    if perm:
        require_perm(user, perm, obj)
    return obj


def require_perm(user, perm: str, obj) -> None:
    """403 unless the user has ``perm`` on ``obj``: for a check after the record is fetched
    (a page anyone in the board reads, but only some may post to). Works in DRF views too."""
    if not user.has_perm(perm, obj):
        raise PermissionDenied


class HasObjectRule(BasePermission):
    """The API's object check: reading follows the view's queryset scoping; changing a record
    needs the view's ``object_rule`` (a rules permission name) on that record."""

    def has_object_permission(self, request, view, obj) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return request.user.has_perm(view.object_rule, obj)
