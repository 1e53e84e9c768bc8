from django.urls import path, register_converter

from zhiban.core.web import resource_urls

from . import resources, views


class OpsKindConverter:
    """The record kinds whose acts this app serves (work's are the work app's, ADR 0012)."""

    regex = "orders|tickets"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(OpsKindConverter, "opskind")

app_name = "ops"

C = "c/<str:code>/ops"
urlpatterns = [
    path(f"{C}/", views.home, name="home"),
    path(f"{C}/orders/<int:pk>/", views.order_detail, name="order_detail"),
    path(f"{C}/tickets/<int:pk>/", views.ticket_detail, name="ticket_detail"),
    path(f"{C}/tickets/<int:pk>/execute/", views.ticket_execute, name="ticket_execute"),
    path(f"{C}/tickets/<int:pk>/pdf/", views.ticket_pdf, name="ticket_pdf"),
    path(f"{C}/tickets/month.pdf", views.tickets_month_pdf, name="tickets_month_pdf"),
    path(f"{C}/statistics/", views.statistics, name="statistics"),
    path(f"{C}/<opskind:kind>/<int:pk>/act/<str:key>/", views.act, name="act"),
    path(f"{C}/locks/<int:pk>/release/", views.lock_release, name="lock_release"),
]
urlpatterns += resource_urls(resources.ORDERS, "ops/orders", detail=False)
urlpatterns += resource_urls(resources.TICKETS, "ops/tickets", detail=False)
urlpatterns += resource_urls(resources.TYPICAL, "ops/typical")
urlpatterns += resource_urls(resources.LOCKS, "ops/locks")
urlpatterns += resource_urls(resources.SINGLE_OPERATIONS, "ops/single")
