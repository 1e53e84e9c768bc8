app_name = "patrols"

C = "c/<str:code>/patrols"
urlpatterns: list = []
