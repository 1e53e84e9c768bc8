from django.urls import path

from . import health_views, job_views, resources, views
from .web import resource_urls

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", health_views.healthz, name="healthz"),
    path("readyz", health_views.readyz, name="readyz"),
    path("metrics", health_views.metrics_view, name="metrics"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/<int:pk>/open/", views.notification_open, name="notification_open"),
    path("notifications/read-all/", views.notifications_read_all, name="notifications_read_all"),
    path("manage/permissions/", views.permission_table, name="permissions"),
    path("audit/verify/", views.audit_verify, name="audit_verify"),
    path("c/<str:code>/", views.centre_home, name="centre_home"),
    path("c/<str:code>/panel/<str:key>/", views.console_panel, name="console_panel"),
    path("c/<str:code>/banners/", views.banners, name="banners"),
    path("c/<str:code>/audit/", views.audit_list, name="audit_list"),
    path("c/<str:code>/phone/<int:pk>/read-back/", views.phone_read_back, name="phone_read_back"),
    path("c/<str:code>/deadlines/set/", views.deadline_new, name="deadline_set"),
    path(
        "c/<str:code>/deadlines/<int:pk>/meet/",
        views.deadline_act,
        {"action": "meet"},
        name="deadline_meet",
    ),
    path(
        "c/<str:code>/deadlines/<int:pk>/cancel/",
        views.deadline_act,
        {"action": "cancel"},
        name="deadline_cancel",
    ),
    path("c/<str:code>/outbox/", views.outbox, name="outbox"),
    path("c/<str:code>/outbox/<int:pk>/retry/", views.outbox_retry, name="outbox_retry"),
]
urlpatterns += [path(route, view, name=name) for route, view, name in job_views.URLS]
urlpatterns += resource_urls(resources.PHONE, "phone")
urlpatterns += resource_urls(resources.DEADLINES, "deadlines")
urlpatterns += resource_urls(resources.ROBOTS, "org/robots")
