"""Each record kind of customer service as its pages, API and .xlsx exports see it — table,
filters, form, selectors and services — one module per sub-domain: ``cases`` (customers, cases,
departments), ``complaints`` (complaints and follow-ups), ``orders`` (orders and hand-overs),
``campaigns`` (the call list of a return visit) and ``calls`` (the caller log)."""
