from django.urls import path

from priorities import rag_key, rag_views, views
from priorities.plan_import import views as plan_import_views

app_name = "priorities"

urlpatterns = [
    path("boards/<slug:slug>/plans/", views.plan_list, name="plan-list"),
    path("boards/<slug:slug>/plans/new/", views.plan_create, name="plan-create"),
    path("boards/<slug:slug>/actions/", views.tracker, name="tracker"),
    path(
        "boards/<slug:slug>/actions/export.<str:fmt>",
        views.tracker_export,
        name="tracker-export",
    ),
    path("boards/<slug:slug>/my-actions/", views.my_actions, name="my-actions"),
    path("groups/<int:pk>/quarterly-return/", views.quarterly_return, name="quarterly-return"),
    path("boards/<slug:slug>/periods/", views.period_list, name="period-list"),
    path("boards/<slug:slug>/periods/set-up/", views.period_year, name="period-year"),
    path("periods/<int:pk>/edit/", views.period_edit, name="period-edit"),
    path(
        "boards/<slug:slug>/strategic-plans/new/",
        views.strategic_plan_create,
        name="strategic-plan-create",
    ),
    path("strategic-plans/<int:pk>/", views.strategic_plan_detail, name="strategic-plan-detail"),
    path("strategic-plans/<int:pk>/edit/", views.strategic_plan_edit, name="strategic-plan-edit"),
    path(
        "strategic-plans/<int:pk>/priorities/new/",
        views.strategic_priority_create,
        name="strategic-priority-create",
    ),
    path(
        "strategic-plans/<int:pk>/consultations/new/",
        views.consultation_create,
        name="consultation-create",
    ),
    path("plans/<int:pk>/", views.plan_detail, name="plan-detail"),
    path("plans/<int:pk>/edit/", views.plan_edit, name="plan-edit"),
    path("plans/<int:pk>/approve/", views.plan_approve, name="plan-approve"),
    path("plans/<int:pk>/reopen/", views.plan_reopen, name="plan-reopen"),
    path("plans/<int:pk>/delete/", views.plan_delete, name="plan-delete"),
    path("plans/<int:pk>/roll-forward/", views.roll_forward, name="plan-roll-forward"),
    path("plans/<int:pk>/priorities/new/", views.priority_create, name="priority-create"),
    path("priorities/<int:pk>/edit/", views.priority_edit, name="priority-edit"),
    path("priorities/<int:pk>/move/", views.priority_move, name="priority-move"),
    path("priorities/<int:pk>/objectives/new/", views.objective_create, name="objective-create"),
    path("priorities/<int:pk>/measures/new/", views.measure_create, name="measure-create"),
    path("priorities/<int:pk>/actions/new/", views.action_create, name="action-create"),
    path("measures/<int:pk>/", views.measure_detail, name="measure-detail"),
    path("actions/<int:pk>/", views.action_detail, name="action-detail"),
    path("actions/<int:pk>/edit/", views.action_edit, name="action-edit"),
    path("actions/<int:pk>/move/", views.action_move, name="action-move"),
    path("actions/<int:pk>/delete/", views.action_delete, name="action-delete"),
    path("updates/<int:pk>/edit/", views.update_edit, name="update-edit"),
    path("updates/<int:pk>/withdraw/", views.update_withdraw, name="update-withdraw"),
    path("actions/<int:pk>/progress/", views.progress_create, name="progress-create"),
    path("actions/<int:pk>/milestones/new/", views.milestone_create, name="milestone-create"),
]

urlpatterns += plan_import_views.urlpatterns + rag_views.urlpatterns + rag_key.urlpatterns
