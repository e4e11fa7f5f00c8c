from django.apps import AppConfig


class PrioritiesConfig(AppConfig):
    name = "priorities"
    verbose_name = "Plans and actions"
    default_auto_field = "django.db.models.BigAutoField"
