from django.apps import AppConfig


class SubgroupsConfig(AppConfig):
    name = "subgroups"
    verbose_name = "Groups and meetings"
    default_auto_field = "django.db.models.BigAutoField"
