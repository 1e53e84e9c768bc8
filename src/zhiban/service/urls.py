from django.urls import path  # noqa: F401  (each sub-domain adds its pages below)

from zhiban.core.web import resource_urls

from .complaint_lists import COMPLAINT_LIST, FOLLOW_UP_LIST
from .views import complaints as complaint_views
from .views import orders as order_views
from .views import surveys as survey_views

app_name = "service"

C = "c/<str:code>/service"
urlpatterns: list = []

# complaints (CS-4, CS-5) and follow-ups (CS-3, CS-5)
urlpatterns += resource_urls(COMPLAINT_LIST, "service/complaints", detail=False)
urlpatterns += resource_urls(FOLLOW_UP_LIST, "service/follow-ups", detail=False)
urlpatterns += [
    path(f"{C}/complaints/<int:pk>/", complaint_views.complaint_detail, name="complaint_detail"),
    path(
        f"{C}/complaints/<int:pk>/reply/", complaint_views.complaint_reply, name="complaint_reply"
    ),
    path(f"{C}/follow-ups/<int:pk>/", complaint_views.follow_up_detail, name="follow_up_detail"),
    path(f"{C}/follow-ups/<int:pk>/done/", complaint_views.follow_up_done, name="follow_up_done"),
]
# orders and the day's hand-over to the sales desks (CS-3)
urlpatterns += [
    path(f"{C}/orders/", order_views.order_list, name="order_list"),
    path(f"{C}/orders/hand-over/", order_views.orders_hand_over, name="orders_hand_over"),
    path(f"{C}/orders/<int:pk>/", order_views.order_detail, name="order_detail"),
    path(f"{C}/orders/<int:pk>/deliver/", order_views.order_deliver, name="order_deliver"),
    path(f"{C}/orders/<int:pk>/cancel/", order_views.order_cancel, name="order_cancel"),
    path(f"{C}/order-handoffs/", order_views.handoff_list, name="handoff_list"),
    path(f"{C}/order-handoffs/<int:pk>/", order_views.handoff_detail, name="handoff_detail"),
]
# surveys (CS-8)
urlpatterns += [
    path(f"{C}/surveys/", survey_views.survey_results, name="survey_results"),
    path(f"{C}/surveys/texts/", survey_views.survey_texts, name="survey_texts"),
    path(f"{C}/campaigns/<int:pk>/survey/", survey_views.survey_questions, name="survey_questions"),
    path(
        f"{C}/survey-questions/<int:pk>/edit/",
        survey_views.survey_question_edit,
        name="survey_question_edit",
    ),
    path(
        f"{C}/survey-questions/<int:pk>/remove/",
        survey_views.survey_question_remove,
        name="survey_question_remove",
    ),
    path(f"{C}/members/<int:pk>/survey/", survey_views.survey_entry, name="survey_entry"),
]
