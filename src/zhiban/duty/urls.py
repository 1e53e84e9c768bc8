from django.urls import path

from zhiban.core.web import resource_urls

from . import resources, views

app_name = "duty"

C = "c/<str:code>/duty"
urlpatterns = [
    path(f"{C}/", views.home, name="home"),
    path(f"{C}/roster/", views.roster, name="roster"),
    path(f"{C}/roster/assign/", views.roster_assign, name="roster_assign"),
    path(f"{C}/roster/copy-week/", views.roster_copy_week, name="roster_copy_week"),
    path(f"{C}/roster/<int:pk>/remove/", views.roster_remove, name="roster_remove"),
    path(f"{C}/roster/<int:pk>/sign-in/", views.sign, {"action": "in"}, name="sign_in"),
    path(f"{C}/roster/<int:pk>/sign-out/", views.sign, {"action": "out"}, name="sign_out"),
    path(f"{C}/swaps/", views.swaps, name="swaps"),
    path(f"{C}/swaps/<int:pk>/decide/", views.swap_decide, name="swap_decide"),
    path(f"{C}/handover/prepare/", views.handover_prepare, name="handover_prepare"),
    path(f"{C}/handovers/<int:pk>/", views.handover_detail, name="handover_detail"),
    path(f"{C}/handovers/<int:pk>/pdf/", views.handover_pdf, name="handover_pdf"),
    path(f"{C}/handovers/<int:pk>/<str:action>/", views.handover_act, name="handover_act"),
    path(f"{C}/carried/<int:pk>/close/", views.carried_close, name="carried_close"),
    path(f"{C}/log/", views.log, name="log"),
    path(f"{C}/log/new/", views.log_new, name="log_new"),
    path(f"{C}/log/<int:pk>/correct/", views.log_correct, name="log_correct"),
    path(f"{C}/weather/", views.weather, name="weather"),
    path(
        f"{C}/weather/<int:pk>/confirm/",
        views.weather_act,
        {"action": "confirm"},
        name="weather_confirm",
    ),
    path(f"{C}/weather/<int:pk>/end/", views.weather_act, {"action": "end"}, name="weather_end"),
]
urlpatterns += resource_urls(resources.PATTERNS, "duty/patterns")
urlpatterns += resource_urls(resources.CHECK_ITEMS, "duty/checks")
urlpatterns += resource_urls(resources.CARRIED, "duty/carried")
urlpatterns += resource_urls(resources.HANDOVERS, "duty/handovers", detail=False)
