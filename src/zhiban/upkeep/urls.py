"""Upkeep pages under /c/<code>/upkeep/: the home, defects (DEF-1 … DEF-3), counters (CNT-1 …
CNT-3) and acceptance sheets (ACC-2 … ACC-4)."""

from django.urls import path

from .views import common

app_name = "upkeep"

C = "c/<str:code>/upkeep"
urlpatterns: list = [path(f"{C}/", common.home, name="home")]
# defects (DEF-1 … DEF-3)
urlpatterns += []
# counters (CNT-1 … CNT-3)
urlpatterns += []
# acceptance (ACC-2 … ACC-4)
urlpatterns += []
