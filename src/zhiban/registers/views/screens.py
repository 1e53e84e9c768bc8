"""Big-screen and remote-operation pages (REG-9): an entry's page; the leader's decision
(``common``)."""

from __future__ import annotations

from zhiban.core.web import centre_page

from ..resources.screens import SCREEN_USE_LIST
from ..selectors import screens as selectors
from .common import AREA, entry_page


def page(request, centre, obj, **context):
    return entry_page(request, centre, SCREEN_USE_LIST, obj, **context)


@centre_page(AREA)
def screen_use_detail(request, centre, pk):
    return page(request, centre, selectors.screen_use_get(user=request.user, centre=centre, pk=pk))
