from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path(
        "business-plans/<int:pk>/draft.pdf",
        views.business_plan_draft,
        name="business-plan-draft",
    ),
    path(
        "strategic-plans/<int:pk>/draft.pdf",
        views.strategic_plan_draft,
        name="strategic-plan-draft",
    ),
    path(
        "business-plans/<int:pk>/publish/",
        views.business_plan_publish,
        name="business-plan-publish",
    ),
    path(
        "strategic-plans/<int:pk>/publish/",
        views.strategic_plan_publish,
        name="strategic-plan-publish",
    ),
    path("publishing/<int:pk>/", views.job_detail, name="job"),
    path("publications/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
]
