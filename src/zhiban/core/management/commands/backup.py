"""``zhiban backup [--to DIR]``: a consistent copy of this Zhiban while it runs — the
database, uploaded files, audit key and checkpoints, with a manifest (issue 16,
core/backup.py)."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from zhiban.core import backup
from zhiban.core.management.spoken import SpokenCommand
from zhiban.core.progress import Progress


class Command(SpokenCommand):
    help = (
        "Copy the database (SQLite online backup, or pg_dump), uploaded files, audit key and "
        "checkpoints into a new folder zhiban-backup-YYYYmmdd-HHMMSS with a manifest."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--to",
            default="",
            help="the folder that receives the backup (default: ZHIBAN_BACKUP_DIR, "
            "DATA_DIR/backups)",
        )

    def run(self, *, to: str, **options) -> None:
        bar = Progress(self.stdout, 4, "backup")
        folder = backup.make(to or settings.ZHIBAN_BACKUP_DIR, progress=bar.step)
        bar.close()
        manifest = backup.read_manifest(folder)
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "backup written to %(path)s: %(rows)s rows in %(tables)s tables, audit head #%(seq)s"
                )
                % {
                    "path": folder,
                    "rows": sum(manifest["counts"].values()),
                    "tables": len(manifest["counts"]),
                    "seq": manifest["audit_head"]["seq"],
                }
            )
        )
