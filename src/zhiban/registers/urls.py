"""The registers' pages under /c/<code>/registers/ (REG-1 … REG-9): the home page, and
per register its list (filters, .xlsx export), its form, an entry's page and its actions."""

from django.urls import path

from zhiban.core.web import resource_urls

from .resources.desk import FOUND_ITEM_LIST, LOAN_LIST, PHONE_MESSAGE_LIST, REPAIR_LIST
from .resources.footage import FOOTAGE_LIST
from .resources.hotel import DND_CHECK_LIST, WAKE_UP_CALL_LIST
from .resources.screens import SCREEN_USE_LIST
from .resources.visitors import VISITOR_LIST
from .services import footage as footage_services
from .services import screens as screen_services
from .services import visitors as visitor_services
from .views import common
from .views import desk as desk_views
from .views import footage as footage_views
from .views import hotel as hotel_views
from .views import screens as screen_views
from .views import visitors as visitor_views

app_name = "registers"

C = "c/<str:code>/registers"
urlpatterns: list = [path(f"{C}/", common.home, name="home")]

# visitors (REG-1)
urlpatterns += resource_urls(VISITOR_LIST, "registers/visitors", detail=False)
urlpatterns += common.decision_urls(
    VISITOR_LIST, "registers/visitors", visitor_services.visitor_decide, visitor_views.visitor_page
)
urlpatterns += [
    path(f"{C}/visitors/<int:pk>/", visitor_views.visitor_detail, name="visitor_detail"),
    path(f"{C}/visitors/<int:pk>/arrive/", visitor_views.visitor_arrive, name="visitor_arrive"),
    path(f"{C}/visitors/<int:pk>/leave/", visitor_views.visitor_leave, name="visitor_leave"),
]

# footage access (REG-2)
urlpatterns += resource_urls(FOOTAGE_LIST, "registers/footage", detail=False)
urlpatterns += common.decision_urls(
    FOOTAGE_LIST,
    "registers/footage",
    footage_services.footage_request_decide,
    footage_views.footage_page,
)
urlpatterns += [
    path(f"{C}/footage/<int:pk>/", footage_views.footage_detail, name="footage_detail"),
    path(f"{C}/footage/<int:pk>/access/", footage_views.footage_access, name="footage_access"),
]

# big-screen and remote-operation use (REG-9)
urlpatterns += resource_urls(SCREEN_USE_LIST, "registers/screen-use", detail=False)
urlpatterns += common.decision_urls(
    SCREEN_USE_LIST, "registers/screen-use", screen_services.screen_use_decide, screen_views.page
)
urlpatterns += [
    path(f"{C}/screen-use/<int:pk>/", screen_views.screen_use_detail, name="screen_use_detail"),
]

# wake-up calls (REG-7) and the do-not-disturb check (REG-8)
urlpatterns += resource_urls(WAKE_UP_CALL_LIST, "registers/wake-up-calls", detail=False)
urlpatterns += resource_urls(DND_CHECK_LIST, "registers/dnd-checks", detail=False)
urlpatterns += hotel_views.urls(C)

# the desk registers: phone messages (REG-3), lending (REG-4), lost and found (REG-5), repairs
# (REG-6)
urlpatterns += resource_urls(PHONE_MESSAGE_LIST, "registers/phone-messages", detail=False)
urlpatterns += resource_urls(LOAN_LIST, "registers/loans", detail=False)
urlpatterns += resource_urls(FOUND_ITEM_LIST, "registers/found-items", detail=False)
urlpatterns += resource_urls(REPAIR_LIST, "registers/repairs", detail=False)
urlpatterns += desk_views.urls(C)
