from django.contrib import admin


class SuperuserAdminSite(admin.AdminSite):
    site_header = "SAB Manager administration"
    site_title = "SAB Manager administration"

    def has_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_superuser
