from django.urls import path
from django.views.generic import RedirectView

from zhiban.core.web import resource_urls

from . import resources, views

app_name = "alarms"

C = "c/<str:code>/alarms"
urlpatterns = [
    path(f"{C}/", RedirectView.as_view(pattern_name="alarms:incident_list"), name="home"),
    path(f"{C}/incidents/<int:pk>/close/", views.incident_close, name="incident_close"),
]
urlpatterns += resource_urls(resources.INCIDENTS, "alarms/incidents")
