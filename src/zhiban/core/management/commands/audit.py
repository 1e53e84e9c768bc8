"""``zhiban audit verify``: check the hash chain of the audit trail (ORG-4)."""

from __future__ import annotations

from django.core.management import BaseCommand, CommandError

from zhiban.core import audit


class Command(BaseCommand):
    help = "Verify the audit trail's hash chain and report the first broken link."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args, action, **options):
        result = audit.verify()
        if result.ok:
            self.stdout.write(
                self.style.SUCCESS(
                    f"audit chain OK: {result.checked} events, head #{result.head_seq} "
                    f"{result.head_hash}"
                )
            )
            return
        raise CommandError(
            f"audit chain BROKEN at event #{result.broken_seq}: {result.problem} "
            f"({result.checked} events verified before it)"
        )
