from django.urls import path

from zhiban.core.web import resource_urls

from . import resources, views

app_name = "patrols"

C = "c/<str:code>/patrols"
R = f"{C}/rounds/<int:pk>"
urlpatterns = [
    path(f"{C}/", views.home, name="home"),
    path(f"{C}/completion/", views.completion, name="completion"),
    path(f"{C}/centre-round/", views.centre_round, name="centre_round"),
    path(f"{C}/sites/<int:pk>/codes.pdf", views.qr_sheet, name="qr_sheet"),
    path(f"{R}/", views.round_detail, name="round_detail"),
    path(f"{R}/answer/", views.round_answer, name="round_answer"),
    path(f"{R}/start/", views.round_start, name="round_start"),
    path(f"{R}/check/", views.round_check, name="round_check"),
    path(f"{R}/confirm/", views.round_confirm, name="round_confirm"),
    path(f"{R}/end/", views.round_end, name="round_end"),
    path(f"{C}/photos/<int:pk>/", views.round_photo, name="round_photo"),
]
urlpatterns += resource_urls(resources.CHECKPOINTS, "patrols/checkpoints")
urlpatterns += resource_urls(resources.PLANS, "patrols/plans")
urlpatterns += resource_urls(resources.ROUNDS, "patrols/rounds", detail=False)
