"""``zhiban audit verify | checkpoint``: check the audit trail's hash chain against its
checkpoints, or note its head outside the database (ORG-4, docs/audit.md). It speaks the
installation's language (``LANGUAGE_CODE``, zh-Hans by default), or ``--language en``."""

from __future__ import annotations

from django.conf import settings
from django.core.management import CommandError
from django.utils.translation import gettext as _

from zhiban.core import audit
from zhiban.core.management.spoken import SpokenCommand
from zhiban.core.progress import Progress


class Command(SpokenCommand):
    help = (
        "verify: check the audit trail's hash chain and its checkpoints, report the first broken "
        "link; checkpoint: append the chain's head to the checkpoint file (and syslog)."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("action", choices=["verify", "checkpoint"])

    def run(self, *, action: str, **options) -> None:
        if action == "checkpoint":
            entry = audit.checkpoint()
            self.stdout.write(
                _("checkpoint written: #%(seq)s %(hash)s, %(count)s events, to %(path)s")
                % {**entry, "path": settings.ZHIBAN_AUDIT_CHECKPOINTS}
            )
            return
        bar = Progress(self.stdout, 0, "audit verify", every=100_000)

        def advance(checked: int, head: int) -> None:
            bar.total = head
            bar.update(checked)

        result = audit.verify(progress=advance)
        bar.close()
        if result.ok:
            self.stdout.write(
                self.style.SUCCESS(
                    _(
                        "audit chain OK: %(checked)s events (%(legacy)s of them from before the "
                        "audit key), %(checkpoints)s checkpoints match, head #%(seq)s %(hash)s"
                    )
                    % {
                        "checked": result.checked,
                        "legacy": min(result.keyed_from - 1, result.checked),
                        "checkpoints": result.checkpoints,
                        "seq": result.head_seq,
                        "hash": result.head_hash,
                    }
                )
            )
            return
        raise CommandError(
            _(
                "audit chain BROKEN at event #%(seq)s: %(problem)s (%(checked)s events verified before it)"
            )
            % {"seq": result.broken_seq, "problem": result.problem, "checked": result.checked}
        )
