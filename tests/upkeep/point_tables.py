"""Helpers of the point table tests (ACC-2): a commissioning sheet made straight in the table
(the sheet's own services are another part of issue 14), and .xlsx tables made here."""

from __future__ import annotations

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from zhiban.upkeep.models import AcceptanceSheet, SheetKind, SheetState

HEADER = ["厂站", "间隔/装置", "信号名称", "类型", "信息体地址", "分类", "下限", "上限", "单位"]
GOOD = [
    ["S1", "110kV苏吴线751", "开关事故跳闸", "遥信", 1, "事故", None, None, ""],
    ["一号变", "1号主变", "本体重瓦斯动作", "YX", 2, "", None, None, ""],
    ["", "10kV I段母线", "10kV I段母线电压", "遥测", "0x4001", "越限", 9.3, 10.7, "kV"],
    ["S1", "1号主变", "主变油温", "yc", 16386, "", None, 85, "℃"],
    ["S1", "110kV苏吴线751", "751开关遥控", "遥控", 24577, "", None, None, ""],
    ["S1", "1号主变", "分接头调节", "YT", 25001, "", None, None, ""],
]


def xlsx(rows, header=HEADER, name: str = "points.xlsx") -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def sheet_of(world, *, state=SheetState.DRAFT, number="YS-2026-001", centre=None, site=None):
    """A four-remote acceptance of 一号变 (S1), made straight in the table."""
    return AcceptanceSheet.objects.create(
        centre=centre or world.alpha,
        number=number,
        kind=SheetKind.COMMISSIONING,
        title="一号变四遥验收",
        site=site or world.sites["station"],
        team=world.team,
        state=state,
        prepared_by=world.people["chief_a"],
    )


def import_path(sheet, code: str = "alpha") -> str:
    return f"/api/centres/{code}/upkeep/acceptance/sheets/{sheet.pk}/points/import"


def post_table(client, sheet, upload, version=None, code: str = "alpha"):
    """POST the table as multipart, as a person's web client."""
    data = {"file": upload, "version": sheet.version if version is None else version}
    return client.post(import_path(sheet, code), data)
