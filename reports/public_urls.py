"""The public site (/publications/): published plans and reports, open to anyone."""

from django.urls import path

from reports import public_views

app_name = "publications"

urlpatterns = [
    path("", public_views.publication_index, name="index"),
    path("<slug:slug>/", public_views.board_publications, name="board"),
    path("<slug:slug>/accessibility/", public_views.board_accessibility, name="accessibility"),
    path("<slug:slug>/<int:pk>/", public_views.publication_detail, name="document"),
    path("<slug:slug>/<int:pk>/html/", public_views.publication_html, name="html"),
    path("<slug:slug>/<int:pk>/pdf/", public_views.publication_pdf, name="pdf"),
]
