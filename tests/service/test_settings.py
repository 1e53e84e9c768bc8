"""The customer-service settings a centre's administrator sets through the API (DESIGN rule 6):
the sales area (CS-3) and the customers' rest hours (CS-7) are longer texts than a ticket
prefix, and rest hours must read as time windows."""


def _patch(cs, values):
    admin = cs.as_("admin")
    version = admin.get("/centres/kefu").json()["version"]
    return admin.patch("/centres/kefu/settings", {"version": version, "values": values})


def test_sales_area_and_rest_hours_are_set__CS_3_CS_7(cs):
    r = _patch(
        cs,
        {
            "service.sales_regions": "苏州市,无锡市,常州市,南通市,上海市嘉定区",
            "service.rest_hours": "12:00-14:00, 21:30-08:00",
        },
    )
    assert r.status_code == 200, r.content
    cs.kefu.refresh_from_db()
    assert cs.kefu.setting("service.sales_regions") == "苏州市,无锡市,常州市,南通市,上海市嘉定区"
    assert cs.kefu.setting("service.rest_hours") == "12:00-14:00, 21:30-08:00"


def test_rest_hours_that_are_no_time_windows_are_refused__CS_7(cs):
    r = _patch(cs, {"service.rest_hours": "noon to two"})
    assert r.status_code == 422, r.content
    assert "service.rest_hours" in r.json()["fields"]
    cs.kefu.refresh_from_db()
    assert cs.kefu.setting("service.rest_hours") == "12:00-14:00,21:00-08:00"
