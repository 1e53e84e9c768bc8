"""The round on a phone's pages (PAT-2): start, a result with a photo, the QR code's token or
short code, end; photos only images, size-limited, served through the round's scope with their
image type and ``nosniff``; refusals shown on the round with their status."""

from __future__ import annotations

import html
import io
import re

from PIL import Image

from zhiban.org.services import centre_settings_update
from zhiban.patrols import photos
from zhiban.patrols.models import PatrolRound, RoundCheck, RoundPhoto


def _png(size=(32, 32)) -> io.BytesIO:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format="PNG")
    out.seek(0)
    out.name = "hydrant.png"
    return out


def _page(client, patrol):
    return client.get(f"/c/beta/patrols/rounds/{patrol.round.pk}/")


def _version(patrol) -> int:
    return PatrolRound.objects.get(pk=patrol.round.pk).version


def _started(client, patrol):
    base = f"/c/beta/patrols/rounds/{patrol.round.pk}"
    r = client.post(f"{base}/start/", {"version": _version(patrol)})
    assert r.status_code == 302
    return base


def test_a_guard_walks_the_round_on_the_pages_with_a_photo__PAT_2(patrol, web):
    client = web(patrol.world.people["guard_b"])
    page = _page(client, patrol)
    assert page.status_code == 200 and 'data-testid="start"' in page.content.decode()
    base = _started(client, patrol)
    page = _page(client, patrol).content.decode()
    assert 'capture="environment"' in page and "jsQR.js" in page
    r = client.post(
        f"{base}/confirm/", {"version": _version(patrol), "code": patrol.points["hydrants"].token}
    )
    assert r.status_code == 302
    r = client.post(
        f"{base}/check/",
        {
            "version": _version(patrol),
            "checkpoint": patrol.points["hydrants"].pk,
            "result": "abnormal",
            "note": "2号消火栓箱门损坏",
            "count_1": "2",
            "photo": _png(),
        },
    )
    assert r.status_code == 302, r.content.decode()[:3000]
    row = RoundCheck.objects.get(round=patrol.round, checkpoint=patrol.points["hydrants"])
    assert row.result == "abnormal" and row.confirmed_at is not None
    photo = RoundPhoto.objects.get(check_row=row)
    assert photos.path_of(photo.name).is_file()
    assert not photos.path_of(photo.name).stat().st_mode & 0o111  # never executable
    shown = client.get(f"/c/beta/patrols/photos/{photo.pk}/")
    assert shown.status_code == 200
    assert shown["Content-Type"] == "image/png"
    assert shown["X-Content-Type-Options"] == "nosniff"
    page = _page(client, patrol).content.decode()
    assert 'data-testid="open-incident"' in page and "/alarms/incidents/new/?" in page
    client.post(
        f"{base}/check/",
        {
            "version": _version(patrol),
            "checkpoint": patrol.points["shutters"].pk,
            "result": "normal",
        },
    )
    r = client.post(f"{base}/end/", {"version": _version(patrol)})
    assert r.status_code == 302
    assert PatrolRound.objects.get(pk=patrol.round.pk).state == "done"
    outsider = web(patrol.world.people["chief_a"])
    assert outsider.get(f"/c/beta/patrols/photos/{photo.pk}/").status_code == 404


def test_only_images_within_the_centres_limit_are_kept__PAT_2(patrol, web):
    client = web(patrol.world.people["guard_b"])
    base = _started(client, patrol)
    script = io.BytesIO(b"#!/bin/sh\nrm -rf /\n")
    script.name = "photo.png"
    data = {"checkpoint": patrol.points["shutters"].pk, "result": "normal"}
    r = client.post(f"{base}/check/", {**data, "version": _version(patrol), "photo": script})
    assert r.status_code == 422
    assert "PAT-2" in r.content.decode()
    centre = type(patrol.world.beta).objects.get(pk=patrol.world.beta.pk)
    centre_settings_update(
        actor=patrol.world.people["admin_b"],
        source="web",
        centre_id=centre.pk,
        version=centre.version,
        changes={"patrols.photo_max_kb": 50},
    )
    noisy = io.BytesIO()
    Image.effect_noise((600, 600), 120).convert("RGB").save(noisy, format="PNG")
    noisy.seek(0)
    noisy.name = "big.png"
    assert len(noisy.getvalue()) > 50 * 1024
    r = client.post(f"{base}/check/", {**data, "version": _version(patrol), "photo": noisy})
    assert r.status_code == 422
    assert not RoundPhoto.objects.exists()


def test_a_refusal_shows_the_round_with_its_status__PAT_2(patrol, web):
    client = web(patrol.world.people["guard_b"])
    base = _started(client, patrol)
    r = client.post(
        f"{base}/confirm/", {"version": _version(patrol), "code": patrol.points["other"].short_code}
    )
    assert r.status_code == 409
    assert 'data-testid="refusal"' in r.content.decode() and "PAT-2" in r.content.decode()
    stale = client.post(f"{base}/end/", {"version": _version(patrol) - 1})
    assert stale.status_code == 409
    missing = client.post(f"{base}/end/", {})
    assert missing.status_code == 422


def test_a_phone_without_a_camera_types_the_short_code__PAT_2(patrol, web):
    client = web(patrol.world.people["guard_b"])
    base = _started(client, patrol)
    code = patrol.points["shutters"].short_code
    r = client.post(
        f"{base}/confirm/", {"version": _version(patrol), "code": f" {code[:4]}-{code[4:]} "}
    )
    assert r.status_code == 302
    assert RoundCheck.objects.get(
        round=patrol.round, checkpoint=patrol.points["shutters"]
    ).confirmed_at


def test_an_abnormal_result_offers_the_repairs_register_prefilled__PAT_2__REG_6(patrol, web):
    """At a desk that keeps the repairs register, an abnormal checkpoint offers to report the
    fault there, with the checkpoint and the guard's note already filled in."""
    client = web(patrol.world.people["guard_b"])
    base = _started(client, patrol)
    client.post(
        f"{base}/check/",
        {
            "version": _version(patrol),
            "checkpoint": patrol.points["hydrants"].pk,
            "result": "abnormal",
            "note": "2号消火栓箱门损坏",
            "count_1": "2",
        },
    )
    page = _page(client, patrol).content.decode()
    link = re.search(
        r'href="([^"]*/registers/repairs/new/\?[^"]*)" data-testid="open-repair"', page
    )
    form = client.get(html.unescape(link.group(1)))
    assert form.status_code == 200
    assert "2号消火栓箱门损坏" in form.content.decode()
    assert str(patrol.points["hydrants"]) in html.unescape(form.content.decode())
