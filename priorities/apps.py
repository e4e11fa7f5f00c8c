from django.apps import AppConfig


class PrioritiesConfig(AppConfig):
    name = "priorities"
    verbose_name = "Plans and actions"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        import priorities.search  # noqa: F401 (the header search's sources: sab.search)

        # The board page's "needs your attention" section (sab.board_page's extension point).
        from priorities import attention, rag_key  # noqa: F401 (then the RAG key)
