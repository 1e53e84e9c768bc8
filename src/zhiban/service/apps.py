from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ServiceConfig(AppConfig):
    name = "zhiban.service"
    label = "service"
    verbose_name = _("Customer service")

    def ready(self) -> None:
        from zhiban.core import verbs
        from zhiban.duty import logtexts

        from .verbs import LOG_TEXTS, VERBS

        verbs.register(VERBS)
        logtexts.register(LOG_TEXTS)
        # customers, cases and departments (CS-1, CS-2, CS-6)
        from zhiban.core import targets as case_targets
        from zhiban.duty import handover_sources

        from . import handover_items
        from .selectors.cases import case_get
        from .selectors.customers import customer_get

        case_targets.register("service.case", case_get)  # its first-response clock (CS-6)
        case_targets.register("service.customer", customer_get)
        handover_sources.register("service_first_response", handover_items.late_first_responses)
        handover_sources.register("service_results", handover_items.results_outstanding)
        from zhiban.core import targets

        from .selectors.campaigns import campaign_get
        from .verbs import CAMPAIGN_LABELS

        verbs.register({}, CAMPAIGN_LABELS)
        targets.register("service.campaign", campaign_get)  # its deadline (CS-7)
        from .selectors.complaints import complaint_get
        from .selectors.followups import follow_up_get

        targets.register("service.complaint", complaint_get)  # the promised reply (CS-4)
        targets.register("service.followup", follow_up_get)  # its deadline (CS-3, CS-5)
        # the hotline's calls: what the call gateway keeps per process is dropped on a change
        from django.db.models.signals import post_save

        from .services.calls import forget as forget_call_refs

        for model in ("org.Centre", "org.Person", "org.Membership"):
            post_save.connect(forget_call_refs, sender=model, dispatch_uid=f"calls-{model}")
        # orders and their hand-over to the sales desks (CS-3)
        from .selectors.orders import handoff_get, order_get
        from .verbs import ORDER_LABELS

        verbs.register({}, ORDER_LABELS)
        targets.register("service.order", order_get)
        targets.register("service.orderhandoff", handoff_get)  # its deadline (CS-3)
        # satisfaction surveys (CS-8)
        from .verbs import SURVEY_LABELS

        verbs.register({}, SURVEY_LABELS)
        # the monthly customer records (CS-10)
        from .verbs import RECORDS_LABELS

        verbs.register({}, RECORDS_LABELS)
        # the service desk on the centre's console (issue 12 item 10)
        from zhiban.core import console

        from . import panels

        console.register_all(panels.PANELS)
