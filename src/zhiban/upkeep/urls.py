"""Upkeep pages under /c/<code>/upkeep/: the home, defects (DEF-1 … DEF-3), counters (CNT-1 …
CNT-3) and acceptance sheets with their point tables (ACC-2 … ACC-4); each view module lists
its own pages in ``URLS``."""

from django.urls import path

from .views import acceptance, common, counters, defects, point_table

app_name = "upkeep"

urlpatterns: list = [path("c/<str:code>/upkeep/", common.home, name="home")]
urlpatterns += defects.URLS + counters.URLS + acceptance.URLS + point_table.URLS
