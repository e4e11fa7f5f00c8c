"""The annual report pages (included by reports/urls.py, in its namespace)."""

from django.urls import path

from reports import annual_views

urlpatterns = [
    path(
        "boards/<slug:slug>/annual-reports/",
        annual_views.annual_report_list,
        name="annual-report-list",
    ),
    path(
        "boards/<slug:slug>/annual-reports/new/",
        annual_views.annual_report_start,
        name="annual-report-start",
    ),
    path("annual-reports/<int:pk>/", annual_views.annual_report_detail, name="annual-report"),
    path(
        "annual-reports/<int:pk>/edit/",
        annual_views.annual_report_edit,
        name="annual-report-edit",
    ),
    path(
        "annual-reports/<int:pk>/preview/",
        annual_views.annual_report_preview,
        name="annual-report-preview",
    ),
    path(
        "annual-reports/<int:pk>/draft.pdf",
        annual_views.annual_report_draft,
        name="annual-report-draft",
    ),
    path(
        "annual-reports/<int:pk>/sections/new/",
        annual_views.section_create,
        name="report-section-create",
    ),
    path("report-sections/<int:pk>/", annual_views.section_edit, name="report-section-edit"),
    path(
        "report-sections/<int:pk>/remove/",
        annual_views.section_delete,
        name="report-section-delete",
    ),
    path(
        "annual-reports/<int:pk>/check/",
        annual_views.annual_report_check,
        name="annual-report-check",
    ),
    path(
        "annual-reports/<int:pk>/send-for-review/",
        annual_views.annual_report_send_for_review,
        name="annual-report-send-for-review",
    ),
    path(
        "annual-reports/<int:pk>/return-to-draft/",
        annual_views.annual_report_return_to_draft,
        name="annual-report-return-to-draft",
    ),
    path(
        "annual-reports/<int:pk>/approve/",
        annual_views.annual_report_approve,
        name="annual-report-approve",
    ),
    path(
        "annual-reports/<int:pk>/publish/",
        annual_views.annual_report_publish,
        name="annual-report-publish",
    ),
    path(
        "annual-reports/<int:pk>/copies-sent/new/",
        annual_views.distribution_create,
        name="distribution-create",
    ),
]
