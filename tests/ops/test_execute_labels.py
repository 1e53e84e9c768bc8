"""The execute page's operator and guardian boxes are labelled like every other form's field,
with a capital in English ("Operator (操作人)", not "operator (操作人)") (OPS-6, issue 11
item 4: the walk in chromium)."""

from zhiban.org.models import Person


def test_the_tick_forms_labels_start_with_a_capital_in_english__OPS_6(flow, web):
    ticket = flow.ready()
    Person.objects.filter(pk=flow.p["field_a"].pk).update(language="en")
    html = web(flow.p["field_a"]).get(f"/c/alpha/ops/tickets/{ticket['id']}/execute/")
    html = html.content.decode()
    assert ">Operator (操作人)</label>" in html and ">Guardian (监护人)</label>" in html
