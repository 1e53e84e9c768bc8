"""What every page's shell needs: the current centre, the centre switcher, the bell."""

from __future__ import annotations

from django.conf import settings

from .banners import for_centre
from .nav import areas_for
from .scoping import centres_for, is_platform_admin
from .selectors import unread_count


def shell(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"languages": settings.LANGUAGES}
    my_centres = list(centres_for(user).order_by("name"))
    centre = getattr(request, "centre", None)
    if centre is None:  # pages outside a centre keep the last centre's shell
        last = request.session.get("centre") if hasattr(request, "session") else None
        centre = next((c for c in my_centres if c.code == last), None)
    return {
        "languages": settings.LANGUAGES,
        "centre": centre,
        "my_centres": my_centres,
        "nav": areas_for(user, centre, getattr(request, "area", "")) if centre else [],
        "unread": unread_count(user=user),
        "banners": for_centre(request, centre) if centre else [],
        "platform_admin": is_platform_admin(user),
    }
