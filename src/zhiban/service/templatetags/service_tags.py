"""Template tags of customer service: ``scripts_panel`` shows the centre's scripts of a kind
beside the intake and the call list (CS-11); ``|phone`` shows a stored number as people read
it (138 0000 0051, CS-1)."""

from django import template

from .. import phones
from ..selectors.scripts import scripts_for_agents

register = template.Library()


@register.inclusion_tag("service/_scripts.html")
def scripts_panel(centre, kind: str) -> dict:
    """``{% scripts_panel centre "greeting" %}`` (greeting / return_visit / objection): the
    active scripts of that kind, each folded to its title, with the objection scripts beside
    the greeting and return-visit ones (CS-11)."""
    groups = scripts_for_agents(centre=centre, kind=kind)
    return {
        "centre": centre,
        "kind": kind,
        "groups": groups,
        "main": groups[0][2] if groups else [],
        "others": groups[1:],
    }


@register.filter
def phone(number: str) -> str:
    """A stored number as people read it: 138 0000 0051, 0512-6552 0110, 400-820-0365."""
    return phones.shown(number or "")
