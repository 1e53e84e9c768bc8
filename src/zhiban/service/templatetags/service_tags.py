"""Template tags of customer service. PLACEHOLDER: ``scripts_panel`` shows the centre's
scripts of a kind beside the intake and the call list (CS-11); the scripts work fills it in."""

from django import template

register = template.Library()


@register.inclusion_tag("service/_scripts.html")
def scripts_panel(centre, kind: str) -> dict:
    return {"scripts": [], "kind": kind}
