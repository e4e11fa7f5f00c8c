from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from priorities.models import (
    Action,
    BusinessPlan,
    ConsultationRecord,
    Measure,
    MeasureValue,
    Milestone,
    Objective,
    Priority,
    ProgressUpdate,
    ReportingPeriod,
    StrategicPlan,
    StrategicPriority,
)


@admin.register(Action)
class ActionAdmin(SimpleHistoryAdmin):
    # 50 a page like the tracker, so `make bench` compares like with like.
    list_per_page = 50
    list_display = ["ref", "description", "lead_group", "due_date", "status"]
    list_filter = ["status", "priority__plan__board"]
    list_select_related = ["lead_group", "priority__plan"]
    search_fields = ["ref", "description"]
    raw_id_fields = ["priority", "objective", "lead_group", "lead_person", "carried_forward_from"]


@admin.register(BusinessPlan)
class BusinessPlanAdmin(SimpleHistoryAdmin):
    list_display = ["title", "board", "period", "status"]
    list_filter = ["board", "status"]


@admin.register(Priority)
class PriorityAdmin(SimpleHistoryAdmin):
    list_display = ["ref", "title", "plan"]
    list_filter = ["plan__board"]
    raw_id_fields = ["plan", "delivery_group", "strategic_priority"]


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(SimpleHistoryAdmin):
    list_display = ["action", "rag", "status", "created_at", "author"]
    raw_id_fields = ["action", "period", "author"]


for model in (
    StrategicPlan,
    StrategicPriority,
    ConsultationRecord,
    Objective,
    Milestone,
    Measure,
    MeasureValue,
    ReportingPeriod,
):
    admin.site.register(model, SimpleHistoryAdmin)
