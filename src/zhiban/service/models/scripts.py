"""Scripts (话术) agents read from: greetings, return visits, objections (CS-11). Every change
keeps the earlier text as a revision."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhiban.core.models import VersionedModel


class ScriptKind(models.TextChoices):
    GREETING = "greeting", _("Greeting (问候语)")
    RETURN_VISIT = "return_visit", _("Return visit (回访话术)")
    OBJECTION = "objection", _("Objection (异议处理)")


class Script(VersionedModel):
    """A script of the centre (CS-11), shown on the intake and call-list screens; ``revision``
    counts its texts, each kept in ``ScriptRevision``."""

    centre = models.ForeignKey(
        "org.Centre", on_delete=models.PROTECT, related_name="+", verbose_name=_("centre")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ScriptKind.choices)
    title = models.CharField(_("title"), max_length=100)
    body = models.TextField(_("text"))
    revision = models.PositiveIntegerField(_("revision"), default=1)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        verbose_name = _("script (话术)")
        verbose_name_plural = _("scripts")
        ordering = ["kind", "title"]

    def __str__(self) -> str:
        return self.title


class ScriptRevision(models.Model):
    """One text of a script as it was written, by whom and when (CS-11): revision 1 when the
    script was created, the next at every change of its title or text; the newest is the
    script's current text."""

    script = models.ForeignKey(
        "service.Script",
        on_delete=models.PROTECT,
        related_name="revisions",
        verbose_name=_("script"),
    )
    revision = models.PositiveIntegerField(_("revision"))
    title = models.CharField(_("title"), max_length=100)
    body = models.TextField(_("text"))
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("time"))

    class Meta:
        verbose_name = _("script revision")
        verbose_name_plural = _("script revisions")
        ordering = ["script", "-revision"]
        constraints = [
            models.UniqueConstraint(fields=["script", "revision"], name="service_script_rev")
        ]

    def __str__(self) -> str:
        return f"{self.title} r{self.revision}"
