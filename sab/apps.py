from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class SabConfig(AppConfig):
    default = True
    name = "sab"
    verbose_name = "Boards and people"
    default_auto_field = "django.db.models.BigAutoField"


class SabAdminConfig(admin_apps.AdminConfig):
    """The Django admin, open to superusers only (board staff use the service's own pages)."""

    default = False
    default_site = "sab.admin_site.SuperuserAdminSite"
