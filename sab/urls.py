from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from sab import views
from sab.forms import LoginForm

app_urls = [
    path("boards/<slug:slug>/", views.board_detail, name="board-detail"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("", include((app_urls, "sab"))),
    path("accessibility/", views.accessibility_statement, name="accessibility"),
    path("healthz", views.healthz, name="healthz"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(
            authentication_form=LoginForm, redirect_authenticated_user=True
        ),
        name="login",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("groups/", include("subgroups.urls")),
    path("plans/", include("priorities.urls")),
    path("reviews/", include("reviews.urls")),
    path("reports/", include("reports.urls")),
    path("api/", include("sab.api_urls")),
    path("django-admin/", admin.site.urls),
]
