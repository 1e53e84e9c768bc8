"""The profile page lies outside every centre: its token times are shown in the centres' zone
(Asia/Shanghai by default), not in the storage's UTC (DESIGN rule 5)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.utils import timezone

from zhiban.org.models import ApiToken


def test_token_times_on_the_profile_in_the_centre_zone__DESIGN_5(world, api, web):
    admin = world.people["admin_a"]
    r = api(admin).post("/tokens", {"name": "监控系统接入"})
    assert r.status_code == 201, r.content
    made = ApiToken.objects.get(name="监控系统接入")
    local = timezone.localtime(made.created_at, ZoneInfo("Asia/Shanghai"))
    utc = timezone.localtime(made.created_at, ZoneInfo("UTC"))
    html = web(admin).get("/me/").content.decode()
    times = html.split('data-testid="token-times"', 1)[1].split("</div>", 1)[0]
    assert local.strftime("%Y-%m-%d %H:%M") in times
    assert utc.strftime("%Y-%m-%d %H:%M") not in times
