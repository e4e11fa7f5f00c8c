"""The roles a login can hold in a board: defined here once, used by RoleAssignment's choices,
the permission helpers and every app's rules.

A module of its own (it imports nothing from the project) so that sab.permissions and
sab.models can both use it without importing each other.
"""

from django.db import models


class Role(models.TextChoices):
    BOARD_MANAGER = "board_manager", "Board manager"
    SUBGROUP_CHAIR = "subgroup_chair", "Subgroup chair"
    SUBGROUP_MEMBER = "subgroup_member", "Subgroup member"
    EXECUTIVE_MEMBER = "executive_member", "Executive group member"
    REVIEW_MEMBER = "review_member", "Review subgroup member"
    PARTNER_LEAD = "partner_lead", "Partner lead"
    VIEWER = "viewer", "Board member (read only)"


ALL_ROLES = frozenset(Role)
# Group roles: held by being a current chair (or vice chair) or member of a group
# (subgroups.GroupMembership), never assigned by hand. They update the group's actions.
GROUP_ROLES = frozenset({Role.SUBGROUP_CHAIR, Role.SUBGROUP_MEMBER})
# The roles a board manager gives a login (RoleAssignment).
BOARD_ROLE_CHOICES = [(role.value, role.label) for role in Role if role not in GROUP_ROLES]
# Roles that may manage a board's structure, plans and reports.
MANAGER_ROLES = frozenset({Role.BOARD_MANAGER})
# Roles that may read restricted review (SAR) data.
RESTRICTED_REVIEW_ROLES = frozenset({Role.BOARD_MANAGER, Role.REVIEW_MEMBER})
