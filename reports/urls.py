from django.urls import include, path

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
    # The annual report: the report and its sections, the partner statements, and the
    # Section 42 figures (each in a module of its own).
    path("", include("reports.annual_urls")),
    path("", include("reports.statement_urls")),
    path("", include("reports.figures_urls")),
]
