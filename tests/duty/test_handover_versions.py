"""DESIGN-1 on the handover page: notes are saved against the version the person read, so of
two people writing the notes from the same page one is told to reload (409), and a post
without the version changes nothing (422); before, both were saved and the last one won."""

from zhiban.duty.models import Handover

from .test_handover import prepare

NOTES = "/c/alpha/duty/handovers/{pk}/notes/"


def test_two_posts_of_handover_notes_with_one_version_the_second_is_409__DESIGN_1(
    world, shifts, api
):
    h = prepare(api, shifts.out_chief)
    url = f"/centres/alpha/handovers/{h['id']}/notes"
    first = api(shifts.out_chief).post(
        url, {"version": h["version"], "work_done": "巡视完毕", "notes": "正值"}
    )
    assert first.status_code == 200, first.content
    second = api(shifts.out_deputy).post(
        url, {"version": h["version"], "work_done": "倒闸操作", "notes": "副值"}
    )
    assert second.status_code == 409 and second.json()["code"] == "conflict"
    handover = Handover.objects.get(pk=h["id"])
    assert (handover.work_done, handover.notes) == ("巡视完毕", "正值")


def test_two_pages_saving_handover_notes_the_second_is_told_to_reload__DESIGN_1(
    world, shifts, api, web
):
    h = prepare(api, shifts.out_chief)
    chief, deputy = web(shifts.out_chief), web(shifts.out_deputy)
    url = NOTES.format(pk=h["id"])
    first = chief.post(url, {"version": h["version"], "work_done": "巡视完毕", "notes": "正值"})
    assert first.status_code == 302
    second = deputy.post(url, {"version": h["version"], "work_done": "倒闸操作", "notes": "副值"})
    assert second.status_code == 302  # back to the handover page, the refusal shown on it
    assert "此记录已被他人修改" in deputy.get(second.url).content.decode()
    handover = Handover.objects.get(pk=h["id"])
    assert (handover.work_done, handover.notes) == ("巡视完毕", "正值")
    assert handover.version == h["version"] + 1


def test_handover_notes_without_the_version_are_422_and_change_nothing__DESIGN_1(
    world, shifts, api, web
):
    h = prepare(api, shifts.out_chief)
    r = web(shifts.out_chief).post(
        NOTES.format(pk=h["id"]), {"work_done": "巡视完毕", "notes": "无版本"}
    )
    assert r.status_code == 422
    assert "DESIGN-1" in r.content.decode()
    handover = Handover.objects.get(pk=h["id"])
    assert (handover.notes, handover.version) == (h["notes"], h["version"])
