"""``zhiban demo``: create or refresh the demo data, then print the logins.

Each app may have a ``demo.py`` with ``load(ctx)``; they run in app order, sharing ``ctx``
(centres, teams, people…), so every capability adds its own living records. The command lives
in org, whose demo makes the people it prints; the other apps' demos are found by name, not
imported (ADR 0013)."""

from __future__ import annotations

import importlib
import importlib.util

from django.apps import apps
from django.core.management import BaseCommand, call_command

from zhiban.org.demo import PASSWORD, PEOPLE


class Command(BaseCommand):
    help = "Create or refresh the demo centres, people and records, and print the logins."

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, verbosity=0)
        ctx: dict = {}
        for config in apps.get_app_configs():
            if not config.name.startswith("zhiban."):
                continue
            name = f"{config.name}.demo"
            if importlib.util.find_spec(name) is None:
                continue
            importlib.import_module(name).load(ctx)
            self.stdout.write(f"demo: {config.label} ready")
        self.stdout.write(self.style.SUCCESS(f"\nDemo logins (password for all: {PASSWORD}):"))
        for login, name, _phone, _no, centre, team, role, post in PEOPLE:
            where = f"{centre}/{team}" if team else centre
            self.stdout.write(f"  {login:<10} {name:<4} {post:<8} {role.label} @ {where}")
        self.stdout.write("  (admin is also the platform administrator of all centres)")
