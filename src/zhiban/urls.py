"""URLs: the web pages of each app, and the API under /api/ (OpenAPI at /api/docs)."""

from django.contrib.auth.views import LogoutView
from django.urls import include, path

from zhiban.api import api
from zhiban.org.accounts import LoginView

urlpatterns = [
    path("login/", LoginView.as_view(), name="login"),
    path("logout/", LogoutView.as_view(), name="logout"),
    path("api/", api.urls),
    path("", include("zhiban.org.urls")),
    path("", include("zhiban.duty.urls")),
    path("", include("zhiban.ops.urls")),
    path("", include("zhiban.work.urls")),
    path("", include("zhiban.alarms.urls")),
    path("", include("zhiban.service.urls")),
    path("", include("zhiban.registers.urls")),
    path("", include("zhiban.emergency.urls")),
    path("", include("zhiban.patrols.urls")),
    path("", include("zhiban.upkeep.urls")),
    path("", include("zhiban.reports.urls")),
    path("", include("zhiban.core.urls")),
]
