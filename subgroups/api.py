"""API for groups, memberships and meetings: same scoping as the pages; chairs record meetings."""

import contextlib
from copy import copy

from django.db.models import Prefetch
from rest_framework import serializers, viewsets
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated

from sab.models import Person
from sab.permissions import HasObjectRule
from subgroups.models import Group, GroupMembership, Meeting

# One message for every id that is not one of the group's members, whether a person with that
# id exists or not, in this board or another: the answer tells nothing about other records.
NOT_A_MEMBER = "Select attendees from the group's members"


class GroupMembershipSerializer(serializers.ModelSerializer):
    person = serializers.CharField(source="person.name", read_only=True)
    organisation = serializers.CharField(
        source="organisation.name", default=None, read_only=True, allow_null=True
    )

    class Meta:
        model = GroupMembership
        fields = ["id", "group", "person", "role", "organisation", "start", "end"]


class GroupSerializer(serializers.ModelSerializer):
    boards = serializers.SlugRelatedField(slug_field="slug", many=True, read_only=True)
    memberships = GroupMembershipSerializer(many=True, read_only=True)

    class Meta:
        model = Group
        fields = [
            "id", "name", "kind", "boards", "reports_to", "remit", "established", "ends",
            "active", "memberships",
        ]  # fmt: skip


class AttendeeField(serializers.PrimaryKeyRelatedField):
    """A person's id, looked up in MeetingSerializer.validate among the meeting's group's
    members (the people the meeting form offers), never among all people."""

    default_error_messages = {
        "required": NOT_A_MEMBER,
        "does_not_exist": NOT_A_MEMBER,
        "incorrect_type": NOT_A_MEMBER,
    }

    def to_internal_value(self, data) -> int:
        pk = None
        if isinstance(data, int | str) and not isinstance(data, bool):
            with contextlib.suppress(ValueError):
                pk = int(data)
        if pk is None or not 0 < pk < 2**63:  # a database integer, or the query would fail
            self.fail("incorrect_type", data_type=type(data).__name__)
        return pk


class MeetingSerializer(serializers.ModelSerializer):
    attendees = AttendeeField(
        many=True,
        required=False,
        queryset=Person.objects.none(),
        help_text="Person ids of the group's members who attended.",
    )

    class Meta:
        model = Meeting
        fields = ["id", "group", "date", "status", "quorate", "attendees", "summary"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            # Only groups the user may record meetings for can be chosen.
            self.fields["group"].queryset = Group.objects.visible_to(request.user)

    def validate_group(self, group):
        user = self.context["request"].user
        if not user.has_perm("subgroups.manage_group_business", group):
            # A group they can see but not keep: refused (403), as the pages refuse it.
            raise PermissionDenied("You cannot record meetings for this group.")
        return group

    def validate(self, attrs):
        """The model's own rules (one meeting a day, quorate only if held): DRF turns the
        model's ValidationError into a 400 with the same messages."""
        meeting = copy(self.instance) if self.instance is not None else Meeting()
        for name, value in attrs.items():
            if name != "attendees":
                setattr(meeting, name, value)
        meeting.full_clean(exclude=["attendees"])
        if "attendees" in attrs:
            attrs["attendees"] = self._members(meeting.group, attrs["attendees"])
        elif "group" in attrs and self.instance is not None:  # moved: its attendees too
            self._members(meeting.group, self.instance.attendees.values_list("pk", flat=True))
        return attrs

    @staticmethod
    def _members(group: Group, ids) -> list[Person]:
        """The people with these ids, each a member of the group; one message otherwise."""
        wanted = list(dict.fromkeys(ids))
        found = group.attendee_choices().in_bulk(wanted)
        if len(found) != len(wanted):
            raise serializers.ValidationError({"attendees": [NOT_A_MEMBER]})
        return [found[pk] for pk in wanted]


class GroupViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = GroupSerializer
    filterset_fields = ["kind", "active", "boards__slug"]

    def get_queryset(self):
        return Group.objects.visible_to(self.request.user).prefetch_related(
            "boards",
            Prefetch(
                "memberships",
                queryset=GroupMembership.objects.select_related("person", "organisation"),
            ),
        )


class GroupMembershipViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = GroupMembershipSerializer
    filterset_fields = ["group", "role"]

    def get_queryset(self):
        return GroupMembership.objects.visible_to(self.request.user).select_related(
            "person", "organisation"
        )


class MeetingViewSet(viewsets.ModelViewSet):
    """Reading follows visibility; changing a meeting needs the group's chair or a manager."""

    serializer_class = MeetingSerializer
    permission_classes = [IsAuthenticated, HasObjectRule]
    object_rule = "subgroups.change_meeting"
    filterset_fields = ["group", "status"]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def get_queryset(self):
        return Meeting.objects.visible_to(self.request.user).prefetch_related("attendees")
