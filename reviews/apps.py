from django.apps import AppConfig


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = "Safeguarding adults reviews"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The board page's link to the register, for review members and managers only.
        from reviews import board_section  # noqa: F401
