from django.apps import AppConfig


class BackupsConfig(AppConfig):
    """Backups of the PostgreSQL database (`manage.py backup` / `restore`). No models; no app imports it."""

    name = "backups"
    verbose_name = "Backups"
