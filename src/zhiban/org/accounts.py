"""A person's own account pages: login (and its lockout), the language switch, and the
profile with the person's API tokens. They live in org, where people and tokens are
(ADR 0013: core imports no domain app)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhiban.core.actors import Source
from zhiban.core.errors import DomainError, InvalidInput
from zhiban.core.middleware import LANGUAGES

from . import selectors, services


class LoginView(auth_views.LoginView):
    template_name = "login.html"
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        chosen = self.request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        person = form.get_user()
        if chosen in LANGUAGES and chosen != person.language:  # the switch on the login page
            services.person_update_own(
                actor=person, source=Source.WEB, changes={"language": chosen}
            )
        return response


def lockout(request, credentials, *args, **kwargs):
    """django-axes: too many failed logins for this name from this address."""
    minutes = int(settings.AXES_COOLOFF_TIME * 60)
    return render(
        request,
        "login.html",
        {
            "locked_out": _("Too many failed logins. Try again in %(minutes)s minutes.")
            % {"minutes": minutes}
        },
        status=429,
    )


@require_POST
def set_language(request):
    """The language switch; it sticks (cookie, and the person's profile when logged in)."""
    language = request.POST.get("language", "")
    target = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    response = HttpResponseRedirect(target)
    if language in LANGUAGES:
        if request.user.is_authenticated:
            services.person_update_own(
                actor=request.user, source=Source.WEB, changes={"language": language}
            )
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite="Lax",
            secure=settings.LANGUAGE_COOKIE_SECURE,
        )
    return response


@login_required
def profile(request):
    new_token = None
    if request.method == "POST":
        try:
            if "revoke" in request.POST:
                services.api_token_revoke(
                    actor=request.user, source=Source.WEB, token_id=request.POST["revoke"]
                )
            else:
                _token, new_token = services.api_token_create(
                    actor=request.user,
                    source=Source.WEB,
                    name=request.POST.get("name", ""),
                    sources=request.POST.getlist("sources"),
                )
        except DomainError as error:
            messages.error(
                request,
                error.text()
                if not isinstance(error, InvalidInput)
                else "; ".join(m for ms in error.fields.values() for m in ms),
            )
    memberships = request.user.memberships.filter(active=True).select_related("centre", "team")
    return render(
        request,
        "org/profile.html",
        {
            "tokens": selectors.api_token_list(user=request.user),
            "token_sources": selectors.token_source_choices(user=request.user),
            "new_token": new_token,
            "memberships": memberships,
        },
    )
