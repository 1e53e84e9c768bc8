"""``zhiban demo``: create or refresh the demo data, then print the logins.

Each app may have a ``demo.py`` with ``load(ctx)``; they run in app order, sharing ``ctx``
(centres, teams, people…), so every capability adds its own living records. The command lives
in org, whose demo makes the people it prints; the other apps' demos are found by name, not
imported (ADR 0013). A bar shows the apps loaded on a terminal, a line per app elsewhere."""

from __future__ import annotations

import importlib
import importlib.util

from django.apps import apps
from django.core.management import BaseCommand, call_command

from zhiban.core.permissions import Role
from zhiban.core.progress import Progress
from zhiban.org.demo import PASSWORD, PEOPLE
from zhiban.org.models import Membership


class Command(BaseCommand):
    help = "Create or refresh the demo centres, people and records, and print the logins."

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, verbosity=0)
        ctx: dict = {}
        demos = [
            (config.label, f"{config.name}.demo")
            for config in apps.get_app_configs()
            if config.name.startswith("zhiban.")
            and importlib.util.find_spec(f"{config.name}.demo") is not None
        ]
        bar = Progress(self.stdout, len(demos), "demo")
        for label, name in demos:
            importlib.import_module(name).load(ctx)
            bar.step(f"{label} ready")
        bar.close()
        self.stdout.write(self.style.SUCCESS(f"\nDemo logins (password for all: {PASSWORD}):"))
        for login, name, _phone, _no, centre, team, role, post in PEOPLE:
            where = f"{centre}/{team}" if team else centre
            self.stdout.write(f"  {login:<10} {name:<4} {post:<8} {role.label} @ {where}")
        for m in self._added_by_other_apps():
            where = f"{m.centre.code}/{m.team.name}" if m.team else m.centre.code
            line = (
                f"  {m.person.username:<10} {m.person.name:<4} {m.post:<8} {m.get_role_display()}"
            )
            self.stdout.write(f"{line} @ {where}")
        self.stdout.write("  (admin is also the platform administrator of all centres)")

    @staticmethod
    def _added_by_other_apps():
        """The people another app's demo made (e.g. a hotline's department heads), each once."""
        seen: set[int] = set()
        rows = (
            Membership.objects.filter(person__is_active=True, active=True)
            .exclude(person__username__in=[row[0] for row in PEOPLE])
            .exclude(role=Role.GATEWAY)
            .select_related("person", "centre", "team")
            .order_by("centre__code", "person_id")
        )
        for m in rows:
            if m.person_id not in seen:
                seen.add(m.person_id)
                yield m
