"""Taking a person off the roster (DUTY-1): the page asks first, and the roster of a shift that
is over is a record — the service refuses to change it, whatever door is used."""

from zhiban.duty.models import RosterEntry

from .conftest import place

BASE = "/centres/alpha"


def test_the_roster_of_a_past_shift_cannot_be_removed__DUTY_1(world, shifts, api):
    past = place(world.alpha, shifts.early, "2026-11-26", shifts.in_deputy, "副值")
    planner = api(world.people["admin_a"])
    refused = planner.post(f"{BASE}/roster/{past.pk}/remove", {"version": past.version})
    assert refused.status_code == 409
    assert refused.json()["rule"] == "DUTY-1" and refused.json()["code"] == "shift_over"
    assert RosterEntry.objects.filter(pk=past.pk).exists()
    # the shift on now and a later one may still change
    later = shifts.in_deputy_place
    done = planner.post(f"{BASE}/roster/{later.pk}/remove", {"version": later.version})
    assert done.status_code == 204
    assert not RosterEntry.objects.filter(pk=later.pk).exists()


def test_the_roster_page_asks_before_removing_and_offers_no_removal_of_the_past__DUTY_1(
    world, shifts, web
):
    past = place(world.alpha, shifts.early, "2026-11-26", shifts.in_deputy, "副值")
    planner = web(world.people["admin_a"])
    page = planner.get("/c/alpha/duty/roster/?month=2026-11").content.decode()
    later = shifts.in_chief_place
    form = page[page.index(f"/duty/roster/{later.pk}/remove/") :].split(">", 1)[0]
    assert 'hx-confirm="' in form and "接班正值" in form  # names whom it takes off
    assert f"/duty/roster/{past.pk}/remove/" not in page
    # a request made by hand is refused all the same, with the rule
    answer = planner.post(
        f"/c/alpha/duty/roster/{past.pk}/remove/", {"version": past.version}, follow=True
    )
    assert "DUTY-1" in answer.content.decode()
    assert RosterEntry.objects.filter(pk=past.pk).exists()
