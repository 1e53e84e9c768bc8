"""Reports pages under /c/<code>/reports/: the home, shift reports and daily logs (RPT-1),
the monthly operation report (RPT-1, RPT-3, RPT-4) and subscriptions; each view module lists
its own pages in ``URLS``."""

from django.urls import path

from .views import common, dashboards, monthly, monthly_job, shift, subscriptions

app_name = "reports"

urlpatterns: list = [path("c/<str:code>/reports/", common.home, name="home")]
urlpatterns += shift.URLS + monthly.URLS + subscriptions.URLS + dashboards.URLS
urlpatterns += monthly_job.URLS  # the PDF prepared as a job (issue 15)
