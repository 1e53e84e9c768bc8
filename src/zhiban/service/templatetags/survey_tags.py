"""Template tags of the surveys (CS-8): the rows of the call form's survey."""

from django import template

from ..selectors.surveys import survey_rows as rows_of

register = template.Library()


@register.simple_tag(takes_context=True)
def survey_rows(context, member) -> list:
    """The questions of the entry's campaign with the values to show: those just posted for
    this entry (a refused call form shown again), else the answers recorded."""
    request = context.get("request")
    posted = (
        request is not None
        and request.method == "POST"
        and request.POST.get("survey_member") == str(member.pk)
    )
    return rows_of(member, request.POST if posted else None)


@register.filter
def paired(cells, questions) -> list:
    """A results row's cells beside their questions."""
    return list(zip(questions, cells, strict=False))


@register.filter
def percent(share) -> str:
    """A share 0–1 as a percentage with one decimal; — when there is none."""
    return "—" if share is None else f"{share * 100:.1f}%"


@register.filter
def share_of(cell, choice: str):
    """The share of one choice in a results cell (None when nobody answered)."""
    for item in cell.choices:
        if item.choice == choice:
            return item.share
    return None
