"""Group roles come from group membership (ADR 0002): each subgroup chair or member role
assignment becomes a current membership of its group, unless the person already has one.

A chair assignment becomes the group's chair when the group has no current chair, and its
vice chair or a member otherwise (a group has one chair at a time). A login without a
person record gets one. The assignments are then removed (sab's next migration drops
RoleAssignment.group).
"""

import datetime

from django.db import migrations
from django.db.models import Q

CHAIR, VICE_CHAIR, MEMBER = "chair", "vice_chair", "member"


def _current(memberships, today):
    return memberships.filter(Q(start__isnull=True) | Q(start__lte=today)).filter(
        Q(end__isnull=True) | Q(end__gte=today)
    )


def forwards(apps, schema_editor):
    RoleAssignment = apps.get_model("sab", "RoleAssignment")
    Person = apps.get_model("sab", "Person")
    GroupMembership = apps.get_model("subgroups", "GroupMembership")
    today = datetime.date.today()
    assignments = RoleAssignment.objects.filter(group__isnull=False).select_related("user")
    for assignment in assignments.order_by("role", "pk"):
        user = assignment.user
        person = Person.objects.filter(user=user).first()
        if person is None:
            name = f"{user.first_name} {user.last_name}".strip() or user.email
            person = Person.objects.create(name=name, email=user.email, user=user)
        person.boards.add(assignment.board_id)
        memberships = GroupMembership.objects.filter(group_id=assignment.group_id)
        if _current(memberships, today).filter(person=person).exists():
            continue
        role = MEMBER
        if assignment.role == "subgroup_chair":
            for candidate in (CHAIR, VICE_CHAIR):
                if not memberships.filter(role=candidate, end__isnull=True).exists() and not (
                    _current(memberships, today).filter(role=candidate).exists()
                ):
                    role = candidate
                    break
        GroupMembership.objects.create(
            group_id=assignment.group_id,
            person=person,
            role=role,
            organisation_id=person.organisation_id,
        )
    RoleAssignment.objects.filter(group__isnull=False).delete()


def backwards(apps, schema_editor):
    """Give each current member with a login the role assignment it had before."""
    RoleAssignment = apps.get_model("sab", "RoleAssignment")
    GroupMembership = apps.get_model("subgroups", "GroupMembership")
    today = datetime.date.today()
    memberships = _current(GroupMembership.objects.all(), today).filter(person__user__isnull=False)
    for membership in memberships.select_related("person", "group"):
        role = "subgroup_chair" if membership.role in (CHAIR, VICE_CHAIR) else "subgroup_member"
        RoleAssignment.objects.get_or_create(
            user_id=membership.person.user_id,
            board_id=membership.group.reporting_board_id,
            role=role,
            group_id=membership.group_id,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("sab", "0004_markdown_fields"),
        ("subgroups", "0004_require_group_reporting_board"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
