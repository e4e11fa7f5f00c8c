from django.contrib import admin
from django.urls import include, path

from sab import two_factor, views
from sab.forms import LoginForm

app_urls = [
    path("boards/new/", views.board_create, name="board-create"),  # before the slug
    path("boards/<slug:slug>/", views.board_detail, name="board-detail"),
    path("boards/<slug:slug>/edit/", views.board_edit, name="board-edit"),
    path("boards/<slug:slug>/partners/", views.partner_list, name="partner-list"),
    path("boards/<slug:slug>/partners/new/", views.partner_form, name="partner-create"),
    path("boards/<slug:slug>/partners/<int:pk>/edit/", views.partner_form, name="partner-edit"),
    path("boards/<slug:slug>/people/", views.person_list, name="person-list"),
    path("boards/<slug:slug>/people/new/", views.person_form, name="person-create"),
    path("boards/<slug:slug>/people/<int:pk>/edit/", views.person_form, name="person-edit"),
    path("boards/<slug:slug>/roles/", views.role_list, name="role-list"),
    path("boards/<slug:slug>/roles/<int:pk>/remove/", views.role_remove, name="role-remove"),
    path("search/", include("sab.search")),  # "sab:search", the view in sab/search.py
]

urlpatterns = [
    path("", views.home, name="home"),
    path("", include((app_urls, "sab"))),
    path("accessibility/", views.accessibility_statement, name="accessibility"),
    path("healthz", views.healthz, name="healthz"),
    path(
        "accounts/login/",
        two_factor.SignInView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("accounts/two-factor/", two_factor.overview, name="two-factor"),
    path("accounts/two-factor/verify/", two_factor.verify, name="two-factor-verify"),
    path("accounts/two-factor/set-up/", two_factor.enrol, name="two-factor-enrol"),
    path(
        "accounts/two-factor/backup-codes/",
        two_factor.backup_codes,
        name="two-factor-backup-codes",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("subgroups.urls")),
    path("", include("priorities.urls")),
    path("reviews/", include("reviews.urls")),
    path("reports/", include("reports.urls")),
    path("publications/", include("reports.public_urls")),  # the public site
    path("api/", include("sab.api_urls")),
    path("django-admin/", admin.site.urls),
]

# With the database down, a 503 "service unavailable" page (sab.views.server_error).
handler500 = views.server_error
