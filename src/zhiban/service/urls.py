from django.urls import path  # noqa: F401  (each sub-domain adds its pages below)

from zhiban.core.web import resource_urls

from .complaint_lists import COMPLAINT_LIST, FOLLOW_UP_LIST
from .views import complaints as complaint_views

app_name = "service"

C = "c/<str:code>/service"
urlpatterns: list = []

# complaints (CS-4, CS-5) and follow-ups (CS-3, CS-5)
urlpatterns += resource_urls(COMPLAINT_LIST, "service/complaints", detail=False)
urlpatterns += resource_urls(FOLLOW_UP_LIST, "service/follow-ups", detail=False)
urlpatterns += [
    path(f"{C}/complaints/<int:pk>/", complaint_views.complaint_detail, name="complaint_detail"),
    path(
        f"{C}/complaints/<int:pk>/reply/", complaint_views.complaint_reply, name="complaint_reply"
    ),
    path(f"{C}/follow-ups/<int:pk>/", complaint_views.follow_up_detail, name="follow_up_detail"),
    path(f"{C}/follow-ups/<int:pk>/done/", complaint_views.follow_up_done, name="follow_up_done"),
]
