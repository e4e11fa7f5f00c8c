from django.apps import AppConfig


class SubgroupsConfig(AppConfig):
    name = "subgroups"
    verbose_name = "Groups and meetings"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        import subgroups.search  # noqa: F401 (the header search's sources: sab.search)
