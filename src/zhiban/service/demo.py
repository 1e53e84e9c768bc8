"""The demo month of 吴越客服中心 (``zhiban demo``, issue 12 item 11), through the services as
the centre's people would, so every record has its audit trail. In order:

1. ``demo_cases``: the departments cases are routed to, a dozen customers, open and closed
   cases of 林晓 and 何美, this morning's web leads (one past its first response, CS-6);
2. this module's set-up: the centre's sales area (one district outside it), a month of history
   allowed back (``time.past_days``), a customer-service department head, the QC head, the
   sales desks (retail; business and dealers) and the 售后 team's department (CS-2, CS-3);
3. a month of contacts of every channel and category, answered and closed (``demo_month``);
4. complaints (major; product quality with its batch number; a promised reply still open,
   CS-4, CS-5) and orders (handed over and delivered; today's new ones waiting for the
   hand-over; one outside the sales area with its apology call, CS-3);
5. ``demo_calls`` (yesterday's calls, a missed call waiting), ``demo_campaigns`` (a running
   return visit on 林晓's and 何美's call lists), ``demo_surveys`` (its questions and
   answers), ``demo_records`` (scripts, monthly customer records with spot checks).

Loading again adds nothing twice: each part checks what it made before.
"""

from __future__ import annotations

import importlib
import importlib.util

from zhiban.org.models import Centre

from . import demo_calls, demo_campaigns, demo_cases, demo_month, demo_records, demo_surveys

CENTRE = "kefu"


def load(ctx: dict) -> None:
    centre = Centre.objects.filter(code=CENTRE, kind="customer_service").first()
    if centre is None:
        return
    demo_cases.load(ctx)
    demo_month.load(ctx)
    for extra in ("demo_complaints", "demo_orders"):  # the parts' own, when they add them
        name = f"{__package__}.{extra}"
        if importlib.util.find_spec(name) is not None:
            importlib.import_module(name).load(ctx)
    demo_calls.load(ctx)
    demo_campaigns.load(ctx)
    demo_surveys.load(ctx)
    demo_records.load(ctx)
