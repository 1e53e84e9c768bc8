app_name = "registers"

C = "c/<str:code>/registers"
urlpatterns: list = []
