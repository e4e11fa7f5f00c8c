"""The statement pages of the annual report (included by reports/urls.py, in its namespace)."""

from django.urls import path

from reports import statement_views

urlpatterns = [
    path(
        "annual-reports/<int:pk>/statements/",
        statement_views.statement_list,
        name="statement-list",
    ),
    path(
        "annual-reports/<int:pk>/statements/request/",
        statement_views.statement_request,
        name="statement-request",
    ),
    path("statements/", statement_views.my_statements, name="my-statements"),
    path("statements/<int:pk>/", statement_views.statement_detail, name="statement-detail"),
    path(
        "statements/<int:pk>/write/",
        statement_views.statement_write,
        name="statement-write",
    ),
    path(
        "statements/<int:pk>/accept/",
        statement_views.statement_accept,
        name="statement-accept",
    ),
    path(
        "statements/<int:pk>/return/",
        statement_views.statement_return,
        name="statement-return",
    ),
]
