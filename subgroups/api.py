"""API for groups, memberships and meetings: same scoping as the pages; chairs record meetings."""

from copy import copy

from django.db.models import Prefetch
from rest_framework import serializers, viewsets
from rest_framework.permissions import IsAuthenticated

from sab.permissions import HasObjectRule
from subgroups.models import Group, GroupMembership, Meeting


class GroupMembershipSerializer(serializers.ModelSerializer):
    person = serializers.CharField(source="person.name", read_only=True)
    organisation = serializers.CharField(source="organisation.name", default=None, read_only=True)

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


class MeetingSerializer(serializers.ModelSerializer):
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
            raise serializers.ValidationError("You cannot record meetings for this group.")
        return group

    def validate(self, attrs):
        """The model's own rules (one meeting a day, quorate only if held): DRF turns the
        model's ValidationError into a 400 with the same messages."""
        meeting = copy(self.instance) if self.instance is not None else Meeting()
        for name, value in attrs.items():
            if name != "attendees":
                setattr(meeting, name, value)
        meeting.full_clean(exclude=["attendees"])
        return attrs


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
