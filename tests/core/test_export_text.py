"""An export never fails on stored text (RPT-2, DESIGN-4): a control character a worksheet
cannot hold, as the API accepts in a name, is left out of the cell (found by schemathesis,
tests/test_openapi.py)."""

import io

from openpyxl import load_workbook


def test_a_control_character_in_a_name_does_not_fail_the_export__RPT_2(world, api):
    admin = api(world.people["admin_a"])
    created = admin.post(
        "/centres/alpha/check-items", {"name": "\x01=交接\x1f检查", "active": True}
    )
    assert created.status_code == 201, created.json()
    answer = admin.get("/centres/alpha/check-items.xlsx")
    assert answer.status_code == 200
    workbook = load_workbook(io.BytesIO(b"".join(answer.streaming_content)))
    cells = [cell.value for row in workbook.active.iter_rows(min_row=2) for cell in row]
    assert "'=交接检查" in cells
