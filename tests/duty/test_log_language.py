"""System entries of the duty log are a verb and its parameters, read in the reader's language
(DUTY-7, issue 11 item 3); search finds them in the centre's language (DUTY-6)."""

from datetime import timedelta

from django.utils import timezone

from zhiban.duty.models import LogEntry
from zhiban.org.models import Person

from .test_log import BASE


def _english(person):
    Person.objects.filter(pk=person.pk).update(language="en")
    person.refresh_from_db()
    return person


def _entry(client, verb):
    items = [e for e in client.get(BASE).json()["items"] if e["verb"] == verb]
    assert len(items) == 1, items
    return items[0]


def test_an_entry_written_in_english_reads_in_each_readers_language__DUTY_7(
    world, shifts, api, web
):
    writer = _english(shifts.out_chief)  # an English-speaking chief operator
    r = api(writer).post("/centres/alpha/weather", {"kind": "typhoon", "reason": "海葵"})
    assert r.status_code == 201, r.content

    chinese = _entry(api(shifts.out_deputy), "weather.start")  # deputy_a reads zh-Hans
    assert chinese["text"] == "已启用恶劣天气模式（台风）：海葵"
    assert chinese["params"] == {"kind": "typhoon", "reason": "海葵"}  # the choice's value
    english = _entry(api(writer), "weather.start")
    assert english["text"] == "Severe-weather mode on (Typhoon (台风)): 海葵"

    page = web(shifts.out_deputy).get("/c/alpha/duty/log/").content.decode()
    assert "已启用恶劣天气模式（台风）：海葵" in page and "Severe-weather mode on" not in page
    page = web(writer).get("/c/alpha/duty/log/").content.decode()
    assert "Severe-weather mode on (Typhoon (台风)): 海葵" in page


def test_search_finds_a_system_entry_by_a_chinese_word__DUTY_6(world, shifts, api):
    writer = api(_english(shifts.out_chief))
    assert writer.post("/centres/alpha/weather", {"kind": "typhoon", "reason": "x"}).status_code
    found = writer.get(f"{BASE}?q=恶劣天气模式").json()["items"]  # the index: 3+ characters
    assert [e["verb"] for e in found] == ["weather.start"]
    assert found[0]["text"].startswith("Severe-weather mode on")  # shown in English
    assert [e["verb"] for e in writer.get(f"{BASE}?q=台风").json()["items"]] == ["weather.start"]


def test_an_entry_written_before_verbs_shows_its_stored_text__DUTY_6(world, shifts, api, web):
    at = timezone.now() - timedelta(minutes=5)
    for verb, text in [("", "Severe-weather mode off."), ("gone.verb", "旧的记事")]:
        LogEntry.objects.create(  # rows as a migration or a removed capability left them
            centre=world.alpha,
            at=at,
            author_label="Scheduler",
            category="weather",
            text=text,
            verb=verb,
        )
    shown = {e["text"] for e in api(shifts.out_deputy).get(BASE).json()["items"]}
    assert shown == {"Severe-weather mode off.", "旧的记事"}
    page = web(shifts.out_deputy).get("/c/alpha/duty/log/").content.decode()
    assert "Severe-weather mode off." in page and "旧的记事" in page
