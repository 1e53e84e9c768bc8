"""Lost events (丢失事件, INC-1): a source that numbers its events (``seq``) gets a "lost
events" alarm on the console, naming the source and the missing numbers, when numbers are
skipped; late arrivals fill the gap and clear it; order inside a batch does not matter, a
sender starting again at 1 is no loss, and events without numbers are not checked."""

from __future__ import annotations

from .test_alarm_console import CONSOLE, event, gateway, listed, zh  # noqa: F401 (fixture)


def numbered(*seqs: int) -> list[dict]:
    return [event("开关变位", "change", seq=seq, id=f"seq-{seq}-{n}") for n, seq in seqs]


def lost(api, person) -> list[dict]:
    return [a for a in listed(api, person) if a["signal"] == zh("lost events")]


def test_a_gap_raises_lost_events_naming_source_and_range_and_late_arrivals_clear_it__INC_1(
    world,
    api,
    web,
    gateway,  # noqa: F811
):
    deputy = world.people["deputy_a"]
    gateway.send(*numbered((0, 1), (0, 2), (0, 3), (0, 7)))
    [alarm] = lost(api, deputy)
    assert alarm["active"] and alarm["state"] == "unacked" and alarm["klass"] == "abnormal"
    assert "alpha-scada" in alarm["text"] and "4–6" in alarm["text"], alarm
    assert alarm["value"] == "3" and alarm["source"] == "alpha-scada"
    page = web(deputy).get(CONSOLE).content.decode()
    assert zh("lost events") in page and "4–6" in page

    gateway.send(*numbered((0, 5)))  # some arrive late: still missing 4 and 6
    [alarm] = lost(api, deputy)
    assert alarm["active"] and alarm["state"] == "unacked"

    gateway.send(*numbered((0, 6), (0, 4), (0, 8)))  # the rest: nothing is lost any more
    [alarm] = lost(api, deputy)
    assert not alarm["active"] and alarm["state"] == "cleared_unacked", alarm
    assert alarm["value"] == "0" and "alpha-scada" in alarm["text"]


def test_numbers_out_of_order_in_a_batch_or_resent_raise_nothing__INC_1(world, api, gateway):  # noqa: F811
    gateway.send(*numbered((0, 3), (0, 1), (0, 2)))
    gateway.send(*numbered((0, 5), (0, 4)))
    gateway.send(*numbered((1, 4)))  # a number passed, again under a new id
    first = numbered((2, 6))[0]
    gateway.send(first)
    assert gateway.post(first)["duplicate"] == 1  # the same event again: stored once
    gateway.send(event("开关变位", "change"))  # no number: not checked
    assert lost(api, world.people["deputy_a"]) == []


def test_a_sender_starting_again_at_1_is_no_loss_and_its_later_gaps_are__INC_1(
    world,
    api,
    gateway,  # noqa: F811
):
    gateway.send(*numbered((0, 1), (0, 2), (0, 3), (0, 4), (0, 5)))
    gateway.send(*numbered((1, 1), (1, 2)))  # restarted
    assert lost(api, world.people["deputy_a"]) == []
    gateway.send(*numbered((1, 4)))
    [alarm] = lost(api, world.people["deputy_a"])
    assert alarm["active"] and alarm["value"] == "1", alarm


def test_the_first_numbers_of_a_source_count_from_1__INC_1(world, api, gateway):  # noqa: F811
    """Numbers sent before the source reached Zhiban (rejected while it was not set up) are
    missing too; if they still come, they clear the alarm."""
    gateway.send(*numbered((0, 3), (0, 4)))
    [alarm] = lost(api, world.people["deputy_a"])
    assert "1–2" in alarm["text"] and alarm["value"] == "2"
    gateway.send(*numbered((0, 2), (0, 1)))
    [alarm] = lost(api, world.people["deputy_a"])
    assert not alarm["active"]


def test_a_sequence_number_must_be_a_positive_whole_number__INC_1(world, api, gateway):  # noqa: F811
    body = gateway.post(*[event("开关变位", seq=bad) for bad in (0, -1, "7", 1.5, True)])
    assert body["rejected"] == 5
    assert all(item["reason"].startswith("seq:") for item in body["items"]), body


def test_an_event_rejected_for_its_time_is_still_missing__INC_1_ORG_4(world, api, gateway):  # noqa: F811
    """A numbered event refused for a time outside the centre's window (ORG-4) was not
    stored: its number is not seen, so it shows as lost until the sender sends it again
    with a true time (INC-1)."""
    far = {"at": "9999-12-31T23:59:59Z"}
    body = gateway.post(*numbered((0, 1)), {**numbered((0, 2))[0], **far}, *numbered((0, 3)))
    assert [i["status"] for i in body["items"]] == ["accepted", "rejected", "accepted"], body
    assert "ORG-4" in body["items"][1]["reason"]
    [alarm] = lost(api, world.people["deputy_a"])
    assert alarm["active"] and alarm["value"] == "1" and "alpha-scada" in alarm["text"], alarm
    gateway.send(*numbered((1, 2)))  # sent again with a true time: nothing is lost any more
    [alarm] = lost(api, world.people["deputy_a"])
    assert not alarm["active"] and alarm["value"] == "0", alarm
