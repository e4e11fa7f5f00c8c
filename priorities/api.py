"""API for plans, priorities, actions and progress updates: the pages' scoping and rules."""

from rest_framework import mixins, serializers, viewsets

from priorities import services
from priorities.filters import ActionFilter
from priorities.models import Action, BusinessPlan, Priority, ProgressUpdate
from sab.permissions import require_perm


class BusinessPlanSerializer(serializers.ModelSerializer):
    board = serializers.SlugRelatedField(slug_field="slug", read_only=True)

    class Meta:
        model = BusinessPlan
        fields = [
            "id",
            "board",
            "title",
            "period",
            "status",
            "effective_from",
            "approved_on",
            "strategic_plan",
            "rolled_forward_from",
        ]


class PrioritySerializer(serializers.ModelSerializer):
    delivery_group = serializers.StringRelatedField()

    class Meta:
        model = Priority
        fields = [
            "id",
            "plan",
            "ref",
            "title",
            "statement",
            "rationale",
            "outcome",
            "partnership_lead",
            "board_officer",
            "delivery_group",
            "order",
        ]


class ActionSerializer(serializers.ModelSerializer):
    lead = serializers.CharField(source="lead_display", read_only=True)
    lead_person = serializers.StringRelatedField()
    latest_rag = serializers.CharField(read_only=True, allow_null=True)
    latest_update_at = serializers.DateTimeField(read_only=True, allow_null=True)

    class Meta:
        model = Action
        fields = [
            "id",
            "priority",
            "ref",
            "description",
            "outcome_measure",
            "lead_group",
            "lead",
            "lead_person",
            "due_date",
            "timescale",
            "status",
            "carried_forward_from",
            "latest_rag",
            "latest_update_at",
        ]


class ProgressUpdateSerializer(serializers.ModelSerializer):
    author = serializers.StringRelatedField()

    class Meta:
        model = ProgressUpdate
        fields = [
            "id",
            "action",
            "period",
            "text",
            "status",
            "rag",
            "evidence_link",
            "author",
            "created_at",
        ]
        read_only_fields = ["period", "author", "created_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["action"].queryset = Action.objects.visible_to(request.user)
        self.fields["rag"].allow_blank = False


class BusinessPlanViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = BusinessPlanSerializer
    filterset_fields = ["status", "board__slug"]

    def get_queryset(self):
        return BusinessPlan.objects.visible_to(self.request.user).select_related("board")


class PriorityViewSet(viewsets.ReadOnlyModelViewSet):
    serializer_class = PrioritySerializer
    filterset_fields = ["plan"]

    def get_queryset(self):
        return Priority.objects.visible_to(self.request.user).select_related("delivery_group")


class ActionViewSet(viewsets.ReadOnlyModelViewSet):
    """Actions, filterable with the tracker's parameters (q, priority, lead_group,
    lead_person, status, rag, due_after, due_before, overdue, sort)."""

    serializer_class = ActionSerializer
    filterset_class = ActionFilter

    def get_queryset(self):
        return Action.objects.visible_to(self.request.user).for_tracker()


class ProgressUpdateViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Progress updates; chairs and members may add them to their groups' actions."""

    serializer_class = ProgressUpdateSerializer
    filterset_fields = ["action", "period", "rag"]

    def get_queryset(self):
        return ProgressUpdate.objects.visible_to(self.request.user).select_related("author")

    def perform_create(self, serializer):
        action = serializer.validated_data["action"]
        require_perm(self.request.user, "priorities.update_action", action)
        data = {k: v for k, v in serializer.validated_data.items() if k != "action"}
        serializer.instance = services.record_progress(action=action, by=self.request.user, **data)
