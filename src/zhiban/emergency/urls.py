from django.urls import path

from zhiban.core.web import resource_urls

from . import resources, views

app_name = "emergency"

C = "c/<str:code>/emergency"
urlpatterns = [
    path(f"{C}/", views.home, name="home"),
    path(f"{C}/runs/<int:pk>/tick/", views.run_tick, name="run_tick"),
    path(f"{C}/runs/<int:pk>/skip/", views.run_skip, name="run_skip"),
    path(f"{C}/runs/<int:pk>/report/", views.run_report, name="run_report"),
    path(f"{C}/runs/<int:pk>/close/", views.run_close, name="run_close"),
]
urlpatterns += resource_urls(resources.PLANS, "emergency/plans")
urlpatterns += resource_urls(resources.RUNS, "emergency/runs")
