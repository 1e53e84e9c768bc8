"""What the `zhiban` commands that report to a person share (ORG-4, issue 16)."""

from __future__ import annotations

from django.conf import settings
from django.core.management import BaseCommand
from django.utils import translation


class SpokenCommand(BaseCommand):
    """A command that speaks the installation's language (``LANGUAGE_CODE``, zh-Hans by
    default) or ``--language en``: a subclass adds its own arguments after these and does its
    work in ``run(**options)``."""

    def add_arguments(self, parser):
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default=settings.LANGUAGE_CODE,
            help="the language of the report (default: the installation's, LANGUAGE_CODE)",
        )

    def handle(self, *args, language, **options):
        with translation.override(language):
            self.run(**options)

    def run(self, **options) -> None:
        raise NotImplementedError
