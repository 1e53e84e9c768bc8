from django.urls import path

from zhiban.core.web import resource_urls

from . import resources, views

app_name = "alarms"

C = "c/<str:code>/alarms"
urlpatterns = [
    path(f"{C}/", views.console, name="home"),
]

# --- incidents and accident records (INC-4 … INC-10, INC-5) ------------------------------------
INC = f"{C}/incidents/<int:pk>"
urlpatterns += [
    path(f"{INC}/", views.incident_detail, name="incident_detail"),
    path(f"{INC}/steps/", views.incident_step, name="incident_step"),
    path(f"{INC}/verdict/", views.incident_verdict, name="incident_verdict"),
    path(f"{INC}/alarms/", views.incident_alarms, name="incident_alarms"),
    path(f"{INC}/close/", views.incident_close, name="incident_close"),
    path(f"{C}/accidents/<int:pk>/complete/", views.accident_complete, name="accident_complete"),
]
urlpatterns += resource_urls(resources.INCIDENTS, "alarms/incidents", detail=False)
urlpatterns += resource_urls(resources.ACCIDENT_RECORDS, "alarms/accidents")

# --- alarms: the live console, sources and commissioning (INC-1, INC-2, INC-3) -----------------
urlpatterns += [
    path(f"{C}/ack/", views.alarm_ack_many, name="alarm_ack_many"),
    path(f"{C}/<int:pk>/", views.alarm_detail, name="alarm_detail"),
    path(f"{C}/<int:pk>/ack/", views.alarm_ack, name="alarm_ack"),
    path(f"{C}/<int:pk>/shelve/", views.alarm_shelve, name="alarm_shelve"),
    path(f"{C}/<int:pk>/unshelve/", views.alarm_unshelve, name="alarm_unshelve"),
]
urlpatterns += resource_urls(resources.ALARM_SOURCES, "alarms/sources")
urlpatterns += resource_urls(resources.COMMISSIONINGS, "alarms/commissioning")
# monthly alarm-management figures (ISA-18.2; INC-2, INC-3, INC-11)
urlpatterns += [path(f"{C}/figures/", views.alarm_figures, name="figures")]
# dead letters: what the MQTT gateways could not read (INC-1), for platform administrators
urlpatterns += [path("manage/dead-letters/", views.dead_letters, name="dead_letters")]
