from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from sab import two_factor


class SuperuserAdminSite(admin.AdminSite):
    """The Django admin, for site administrators only, after the second factor: a superuser
    can read every board's records, restricted review records included (sab/two_factor.py).
    Signing in goes through the site's own two-step sign-in, never the admin's password-only
    form."""

    site_header = "SAB Manager administration"
    site_title = "SAB Manager administration"

    def has_permission(self, request) -> bool:
        user = request.user
        return user.is_active and user.is_superuser and two_factor.is_verified(user)

    def login(self, request, extra_context=None):
        next_url = request.GET.get("next") or reverse("admin:index")
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(next_url)
        if user.is_superuser and not two_factor.is_verified(user):
            step = "two-factor-verify" if two_factor.has_second_factor(user) else "two-factor-enrol"
            return redirect(f"{reverse(step)}?{urlencode({'next': next_url})}")
        return redirect_to_login(next_url)  # signed in, but not a site administrator


class ReadOnlyAdminMixin:
    """An admin that shows records but never adds, changes or deletes them: for records
    whose every change goes through a service (reviews, publications)."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
