"""``zhiban restore DIR [--yes]``: bring a backup made by ``zhiban backup`` into this new,
empty installation, then migrate it forward (issue 16, core/backup.py)."""

from __future__ import annotations

from django.core.management import CommandError
from django.utils.translation import gettext as _

from zhiban.core import backup
from zhiban.core.management.spoken import SpokenCommand
from zhiban.core.progress import Progress


class Command(SpokenCommand):
    help = (
        "Restore a backup folder into an empty database and this data folder; refuses a backup "
        "of a newer Zhiban and a database that is not empty."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("folder", help="a zhiban-backup-YYYYmmdd-HHMMSS folder")
        parser.add_argument("--yes", action="store_true", help="do not ask before restoring")

    def run(self, *, folder: str, yes: bool, **options) -> None:
        manifest = backup.read_manifest(folder)
        self.stdout.write(
            _("backup of Zhiban %(version)s (%(engine)s), made %(at)s, audit head #%(seq)s")
            % {
                "version": manifest["version"],
                "engine": manifest.get("engine", "?"),
                "at": manifest.get("created_at", "?"),
                "seq": manifest.get("audit_head", {}).get("seq", "?"),
            }
        )
        if not yes and not self.confirmed():
            raise CommandError(_("restore cancelled"))
        bar = Progress(self.stdout, 3, "restore")
        result = backup.restore(folder, progress=bar.step)
        bar.close()
        for table, (expected, found) in result.differences.items():
            self.stdout.write(
                self.style.WARNING(
                    _("%(table)s: %(expected)s rows in the manifest, %(found)s restored")
                    % {"table": table, "expected": expected, "found": found}
                )
            )
        verdict = _(
            "restored %(rows)s rows in %(tables)s tables; %(same)s of them as the manifest counts"
        ) % {
            "rows": sum(result.counts.values()),
            "tables": len(result.counts),
            "same": len(result.counts) - len(result.differences),
        }
        style = self.style.WARNING if result.differences else self.style.SUCCESS
        self.stdout.write(style(verdict))
        self.stdout.write(_("now run `zhiban audit verify` to check the restored audit trail"))

    def confirmed(self) -> bool:
        try:
            answer = input(_("Restore it into this installation? [y/N] "))
        except EOFError:  # no one to ask (a script without --yes)
            return False
        return answer.strip().lower() in {"y", "yes"}
