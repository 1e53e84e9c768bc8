from django.urls import path  # noqa: F401  (each sub-domain adds its pages below)

from zhiban.core.web import resource_urls

from .resources.cases import CASES, CUSTOMERS, DEPARTMENTS
from .resources.complaints import COMPLAINT_LIST, FOLLOW_UP_LIST
from .views import calls as call_views
from .views import campaigns as campaign_views
from .views import cases as case_views
from .views import complaints as complaint_views
from .views import intake as intake_views
from .views import orders as order_views
from .views import records as records_views
from .views import scripts as scripts_views
from .views import surveys as survey_views

app_name = "service"

C = "c/<str:code>/service"
urlpatterns: list = []

# the service desk, the intake, the queue, cases, customers and departments (CS-1, CS-2, CS-6)
urlpatterns += [
    path(f"{C}/", case_views.home, name="home"),
    path(f"{C}/intake/", intake_views.intake, name="intake"),
    path(f"{C}/intake/lookup/", intake_views.intake_lookup, name="intake_lookup"),
    path(f"{C}/intake/part/", intake_views.intake_part, name="intake_part"),
    path(f"{C}/queue/", case_views.queue_page, name="queue"),
    path(f"{C}/cases/<int:pk>/", case_views.case_detail, name="case_detail"),
    path(f"{C}/cases/<int:pk>/take/", case_views.case_take, name="case_take"),
    path(f"{C}/cases/<int:pk>/transfer/", case_views.case_transfer, name="case_transfer"),
    path(f"{C}/cases/<int:pk>/route/", case_views.case_route, name="case_route"),
    path(f"{C}/cases/<int:pk>/result/", case_views.case_result, name="case_result"),
    path(f"{C}/cases/<int:pk>/answer/", case_views.case_answer, name="case_answer"),
    path(f"{C}/cases/<int:pk>/close/", case_views.case_close, name="case_close"),
    path(f"{C}/customers/<int:pk>/", intake_views.customer_detail, name="customer_detail"),
    path(
        f"{C}/customers/<int:pk>/history/",
        intake_views.customer_history,
        name="customer_history",
    ),
    path(f"{C}/departments/<int:pk>/queue/", case_views.department_queue, name="department_queue"),
]
urlpatterns += resource_urls(CASES, "service/cases", detail=False)
urlpatterns += resource_urls(CUSTOMERS, "service/customers", detail=False)
urlpatterns += resource_urls(DEPARTMENTS, "service/departments")

# scripts (CS-11)
urlpatterns += [
    path(f"{C}/scripts/", scripts_views.script_list, name="scripts"),
    path(f"{C}/scripts/new/", scripts_views.script_new, name="script_new"),
    path(f"{C}/scripts/<int:pk>/", scripts_views.script_detail, name="script_detail"),
    path(f"{C}/scripts/<int:pk>/edit/", scripts_views.script_edit, name="script_edit"),
    path(f"{C}/scripts/<int:pk>/retire/", scripts_views.script_retire, name="script_retire"),
    path(
        f"{C}/scripts/<int:pk>/reactivate/",
        scripts_views.script_reactivate,
        name="script_reactivate",
    ),
]
# monthly customer records and spot checks (CS-10)
urlpatterns += [
    path(f"{C}/records/", records_views.records, name="records"),
    path(f"{C}/records/import/", records_views.records_import, name="records_import"),
    path(f"{C}/records/template.xlsx", records_views.records_template, name="records_template"),
    path(f"{C}/imports/<int:pk>/", records_views.import_detail, name="import_detail"),
    path(f"{C}/imports/<int:pk>/check/", records_views.spot_check, name="spot_check"),
]
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
# return-visit campaigns, call lists, offers and agents' skills (CS-7, CS-9)
V = campaign_views
urlpatterns += [
    path(f"{C}/campaigns/", V.campaign_list, name="campaign_list"),
    path(f"{C}/campaigns/new/", V.campaign_new, name="campaign_new"),
    path(f"{C}/campaigns/<int:pk>/", V.campaign_detail, name="campaign_detail"),
    path(f"{C}/campaigns/<int:pk>/finish/", V.campaign_finish, name="campaign_finish"),
    path(f"{C}/campaigns/<int:pk>/export.xlsx", V.campaign_export, name="campaign_export"),
    path(f"{C}/call-list/", V.call_list, name="call_list"),
    path(f"{C}/members/<int:pk>/", V.member_detail, name="member_detail"),
    path(f"{C}/members/<int:pk>/call/", V.member_call, name="member_call"),
    path(f"{C}/members/<int:pk>/offer/", V.member_offer, name="member_offer"),
    path(f"{C}/members/<int:pk>/reassign/", V.member_reassign, name="member_reassign"),
    path(f"{C}/agents/skills/", V.agent_skills, name="agent_skills"),
]
# surveys (CS-8)
urlpatterns += [
    path(f"{C}/surveys/", survey_views.survey_results, name="survey_results"),
    path(f"{C}/surveys/texts/", survey_views.survey_texts, name="survey_texts"),
    path(f"{C}/campaigns/<int:pk>/survey/", survey_views.survey_questions, name="survey_questions"),
    path(f"{C}/survey-questions/<int:pk>/", survey_views.survey_question, name="survey_question"),
    path(
        f"{C}/survey-questions/<int:pk>/remove/",
        survey_views.survey_question_remove,
        name="survey_question_remove",
    ),
    path(f"{C}/members/<int:pk>/survey/", survey_views.survey_entry, name="survey_entry"),
]
# the hotline's calls: caller log, pop card, missed calls (CS-1, CS-6)
urlpatterns += [
    path(f"{C}/phone-log/", call_views.call_log, name="call_log"),
    path(f"{C}/phone-log/missed/", call_views.missed_calls, name="missed_calls"),
    path(f"{C}/calls/<int:pk>/", call_views.call_detail, name="call_detail"),
    path(f"{C}/calls/<int:pk>/pop/", call_views.call_pop, name="call_pop"),
    path(f"{C}/calls/<int:pk>/take/", call_views.call_take, name="call_take"),
]
