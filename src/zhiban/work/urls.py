from django.urls import path, register_converter

from zhiban.core.web import resource_urls

from . import resources, views


class WorkKindConverter:
    """The record kinds whose acts this app serves (the paths as before the split, ADR 0012)."""

    regex = "work|limits|sheets"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(WorkKindConverter, "workkind")

app_name = "work"

C = "c/<str:code>/ops"
urlpatterns = [
    path(f"{C}/work/<int:pk>/", views.work_detail, name="work_detail"),
    path(f"{C}/<workkind:kind>/<int:pk>/act/<str:key>/", views.act, name="act"),
]
urlpatterns += resource_urls(resources.WORK_TICKETS, "ops/work", detail=False)
urlpatterns += resource_urls(resources.TAGS, "ops/tags")
urlpatterns += resource_urls(resources.LIMITS, "ops/limits")
urlpatterns += resource_urls(resources.SHEETS, "ops/setting-sheets")
