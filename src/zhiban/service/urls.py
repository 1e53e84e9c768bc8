from django.urls import path  # noqa: F401  (each sub-domain adds its pages below)

app_name = "service"

C = "c/<str:code>/service"
urlpatterns: list = []
