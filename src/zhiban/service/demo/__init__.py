"""The demo month of 吴越客服中心 (``zhiban demo``, issue 12 item 11), through the services as
the centre's people would, so every record has its audit trail. In order:

1. ``cases``: the departments cases are routed to, a dozen customers, open and closed
   cases of 林晓 and 何美, this morning's web leads (one past its first response, CS-6);
2. ``month``'s set-up: the centre's sales area (one district outside it), a month of history
   allowed back (``time.past_days``), a customer-service department head, the QC head, the
   sales desks (retail; business and dealers) and the 售后 team's department (CS-2, CS-3);
3. a month of contacts of every channel and category, answered and closed (``month``);
4. complaints (major; product quality with its batch number; a promised reply still open,
   CS-4, CS-5) and orders (handed over and delivered; today's new ones waiting for the
   hand-over; one outside the sales area with its apology call, CS-3);
5. ``calls`` (yesterday's calls, a missed call waiting), ``campaigns`` (a running return
   visit on 林晓's and 何美's call lists), ``surveys`` (its questions and answers),
   ``records`` (scripts, monthly customer records with spot checks).

Loading again adds nothing twice: each part checks what it made before.
"""

from __future__ import annotations

from zhiban.org.models import Centre

from . import calls, campaigns, cases, month, records, surveys

CENTRE = "kefu"


def load(ctx: dict) -> None:
    centre = Centre.objects.filter(code=CENTRE, kind="customer_service").first()
    if centre is None:
        return
    cases.load(ctx)
    month.load(ctx)
    calls.load(ctx)
    campaigns.load(ctx)
    surveys.load(ctx)
    records.load(ctx)
