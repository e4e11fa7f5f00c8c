"""The figures pages of the annual report (included by reports/urls.py, in its namespace)."""

from django.urls import path

from reports import figures_views

urlpatterns = [
    path(
        "boards/<slug:slug>/figures/template.csv",
        figures_views.figures_template,
        name="figures-template",
    ),
    path("boards/<slug:slug>/figures/<int:year>/", figures_views.figures, name="figures"),
    path(
        "boards/<slug:slug>/figures/<int:year>/import/",
        figures_views.figures_import,
        name="figures-import",
    ),
]
