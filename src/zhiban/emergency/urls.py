app_name = "emergency"

C = "c/<str:code>/emergency"
urlpatterns: list = []
