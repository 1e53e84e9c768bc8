from django.urls import path

from zhiban.core.web import resource_urls

from . import accounts, resources, views

app_name = "org"

urlpatterns = [
    path("language/", accounts.set_language, name="set_language"),
    path("me/", accounts.profile, name="profile"),
    path("centres/", views.centre_list, name="centre_list"),
    path("centres/new/", views.centre_new, name="centre_new"),
    path("c/<str:code>/org/", views.overview, name="overview"),
    path("c/<str:code>/org/edit/", views.centre_edit, name="centre_edit"),
    path("c/<str:code>/org/settings/", views.centre_settings, name="centre_settings"),
    path("c/<str:code>/org/import/<str:kind>/", views.import_sheet, name="import"),
    path(
        "c/<str:code>/org/import/<str:kind>/template.xlsx",
        views.import_template,
        name="import_template",
    ),
    path(
        "c/<str:code>/org/people/<int:pk>/password/", views.person_password, name="person_password"
    ),
]
for resource, prefix in [
    (resources.TEAMS, "org/teams"),
    (resources.SITES, "org/sites"),
    (resources.EQUIPMENT, "org/equipment"),
    (resources.PEOPLE, "org/people"),
    (resources.MEMBERSHIPS, "org/memberships"),
]:
    urlpatterns += resource_urls(resource, prefix)
