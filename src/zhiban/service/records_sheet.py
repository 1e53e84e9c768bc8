"""A shop's monthly customer records as an .xlsx sheet (CS-10): the columns, reading and
checking every row, and the template shops fill in.

Columns (Chinese or English headers): 姓名 name, 手机 / 电话 phone, 地址 address, 区域 region,
客户类型 type (零售 / 团购 / 经销商 or retail / business / dealer), 会员 member (是 / 否).
Every row is checked before anything is written: the name and phone are required, the phone
is a valid number (CS-1), type and member take their listed values, a phone number appears
once in the file. ``read`` returns the good rows or raises ``RecordsRefused`` listing every
problem by row and column. The workbook is read in openpyxl's read-only mode, after the
same guard as the org import (no DOCTYPE or entities in any part)."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from zhiban.core.errors import InvalidInput
from zhiban.org.importing import UNREADABLE
from zhiban.org.importing import _declares_entities as declares_entities

from . import phones
from .models import CustomerType

RULE = "CS-10"
MAX_ROWS = 20_000
PROGRESS_ROWS = 500  # rows checked between two counts told to a job's progress (issue 15)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Col:
    key: str
    header: str  # as the template writes it
    english: str
    aliases: tuple[str, ...]
    required: bool = False
    max_length: int = 0
    example: str = ""


COLUMNS = [
    Col("name", "姓名", "name", ("客户姓名", "customer name", "customer"), True, 60, "王丽"),
    Col(
        "phone",
        "手机",
        "phone",
        ("电话", "手机/电话", "手机号", "手机号码", "联系电话", "mobile", "tel", "telephone"),
        True,
        0,
        "13812345678",
    ),
    Col("address", "地址", "address", ("住址", "送货地址"), False, 200, "苏州市吴中区长桥街道"),
    Col("region", "区域", "region", ("地区", "片区", "area"), False, 40, "吴中区"),
    Col("customer_type", "客户类型", "type", ("类型", "customer type"), False, 0, "零售"),
    Col("is_member", "会员", "member", ("是否会员", "member (y/n)"), False, 0, "是"),
]

TYPES = {
    "零售": CustomerType.RETAIL,
    "零售客户": CustomerType.RETAIL,
    "retail": CustomerType.RETAIL,
    "household": CustomerType.RETAIL,
    "团购": CustomerType.BUSINESS,
    "团购客户": CustomerType.BUSINESS,
    "business": CustomerType.BUSINESS,
    "group": CustomerType.BUSINESS,
    "经销商": CustomerType.DEALER,
    "dealer": CustomerType.DEALER,
}
YES = {"是", "会员", "y", "yes", "true", "1", "✓", "√"}
NO = {"否", "非会员", "n", "no", "false", "0", "✗", "×"}
TITLE = gettext_lazy("Customer records")


class RecordsRefused(InvalidInput):
    """The sheet has bad rows: ``rows`` lists each (row, column, message); nothing written."""

    code = "import_invalid"

    def __init__(self, rows: list[dict], *, fields: dict[str, list[str]] | None = None):
        self.rows = rows
        message = _("%(count)s problem(s) in the sheet; nothing was imported (CS-10).") % {
            "count": len(rows)
        }
        super().__init__(message, rule=RULE, fields=fields)

    @classmethod
    def of_file(cls, message: str) -> RecordsRefused:
        """The file as a whole cannot be read: row 0, and the ``file`` field named."""
        return cls([{"row": 0, "column": "", "message": message}], fields={"file": [message]})


@dataclass
class Row:
    """One good row: the number of its line in the sheet, and its values."""

    number: int
    name: str
    phone: str
    phone_kind: str
    address: str | None
    region: str | None
    customer_type: str | None
    is_member: bool | None


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _header_key(text: str) -> str:
    """A header as compared: lower case, without spaces, before any bracket (“姓名（name）”)."""
    text = re.split(r"[(（]", text.strip().lower(), maxsplit=1)[0]
    return re.sub(r"\s+", "", text)


def _positions(header: list[str]) -> tuple[dict[str, tuple[int, str]], list[dict]]:
    """Where each column is ({key: (index, header as written)}) and the missing required ones."""
    keys = [_header_key(h) for h in header]
    positions, problems = {}, []
    for col in COLUMNS:
        names = {_header_key(n) for n in (col.header, col.english, col.key, *col.aliases)}
        found = [i for i, k in enumerate(keys) if k and k in names]
        if found:
            positions[col.key] = (found[0], header[found[0]])
        elif col.required:
            message = _("Column “%(col)s” (%(english)s) is missing (CS-10).") % {
                "col": col.header,
                "english": col.english,
            }
            problems.append({"row": 1, "column": col.header, "message": message})
    return positions, problems


def _check(number: int, values: dict[str, str], columns: dict[str, str], problems: list) -> Row:
    """The row's values checked; each problem appended to ``problems``."""

    def problem(key: str, message: str) -> None:
        problems.append({"row": number, "column": columns.get(key, key), "message": message})

    for col in COLUMNS:
        value = values.get(col.key, "")
        if col.required and not value:
            problem(col.key, _("Required (CS-10)."))
        elif col.max_length and len(value) > col.max_length:
            problem(col.key, _("At most %(max)s characters (CS-10).") % {"max": col.max_length})
    phone, kind = "", ""
    if values.get("phone"):
        try:
            phone, kind = phones.normalise(values["phone"])
        except ValidationError as error:
            problem("phone", f"{values['phone']}: {error.messages[0]}")
    customer_type = None
    if values.get("customer_type"):
        customer_type = TYPES.get(values["customer_type"].lower())
        if customer_type is None:
            problem(
                "customer_type",
                _("“%(value)s” is no customer type: 零售, 团购 or 经销商 (CS-10).")
                % {"value": values["customer_type"]},
            )
    member = None
    if values.get("is_member"):
        text = values["is_member"].lower()
        member = True if text in YES else False if text in NO else None
        if member is None:
            problem(
                "is_member",
                _("“%(value)s” is neither 是 nor 否 (yes or no) (CS-10).")
                % {"value": values["is_member"]},
            )
    return Row(
        number=number,
        name=values.get("name", ""),
        phone=phone,
        phone_kind=kind,
        address=values.get("address") or None,
        region=values.get("region") or None,
        customer_type=customer_type,
        is_member=member,
    )


def _rows(sheet, progress=None) -> list[Row]:
    """The sheet's rows checked; ``progress(done, total, message)``, if given, hears the rows
    checked, the total from the sheet's ``max_row`` when the file gives it (issue 15)."""
    lines = sheet.iter_rows(values_only=True)
    header = [_cell(v) for v in next(lines, ())]
    positions, problems = _positions(header)
    if problems:
        raise RecordsRefused(problems)
    total = max((sheet.max_row or 1) - 1, 0) if progress is not None else 0
    if progress is not None:
        progress(0, total, _("Rows checked"))
    checked = 0
    columns = {key: written for key, (_index, written) in positions.items()}
    good, seen = [], {}
    for number, line in enumerate(lines, start=2):
        checked = number - 1
        if progress is not None and checked % PROGRESS_ROWS == 0:
            progress(checked, max(total, checked))
        values = {
            key: _cell(line[index]) if index < len(line) else ""
            for key, (index, _written) in positions.items()
        }
        if not any(values.values()):
            continue
        if len(good) + len(problems) >= MAX_ROWS:
            message = _("At most %(max)s rows per import (CS-10).") % {"max": MAX_ROWS}
            problems.append({"row": number, "column": "", "message": message})
            break
        before = len(problems)
        row = _check(number, values, columns, problems)
        if row.phone and row.phone in seen:
            message = _("The same phone number as row %(row)s (CS-10).") % {"row": seen[row.phone]}
            problems.append({"row": number, "column": columns["phone"], "message": message})
        elif row.phone:
            seen[row.phone] = number
        if len(problems) == before:
            good.append(row)
    if progress is not None:
        progress(checked, max(total, checked))
    if problems:
        raise RecordsRefused(problems)
    if not good:
        raise RecordsRefused([{"row": 2, "column": "", "message": _("The sheet has no rows.")}])
    return good


def read(upload, progress=None) -> list[Row]:
    """Every row of the upload's first sheet, checked; RecordsRefused if any is bad (CS-10).
    ``progress(done, total, message="")``, if given, hears the rows checked (a job's progress
    bar, issue 15)."""
    name = getattr(upload, "name", "") or ""
    if not name.lower().endswith(".xlsx"):
        raise RecordsRefused.of_file(_("Upload an .xlsx workbook (CS-10)."))
    data = io.BytesIO(upload.read())
    try:
        with zipfile.ZipFile(data) as archive:
            if declares_entities(archive):
                raise RecordsRefused.of_file(
                    _("The file declares a DOCTYPE or entities; such files are refused.")
                )
        workbook = load_workbook(data, read_only=True, data_only=True)
        try:
            if not workbook.worksheets:
                raise RecordsRefused.of_file(_("The workbook has no sheets."))
            return _rows(workbook.worksheets[0], progress)
        finally:
            workbook.close()
    except UNREADABLE:
        raise RecordsRefused.of_file(
            _("This file cannot be read as an .xlsx workbook (CS-10).")
        ) from None


def template() -> bytes:
    """The sheet shops fill in: the columns, an example row, and the accepted values."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(TITLE)
    sheet.append([c.header for c in COLUMNS])
    sheet.append([c.example for c in COLUMNS])
    for index, _col in enumerate(COLUMNS):
        sheet.column_dimensions[get_column_letter(index + 1)].width = 20
    notes = workbook.create_sheet(_("columns"))
    notes.append(["列", "column", _("required"), _("values")])
    values = {"customer_type": "零售 / 团购 / 经销商 (retail / business / dealer)"}
    values["is_member"] = "是 / 否 (yes / no)"
    for col in COLUMNS:
        notes.append(
            [col.header, col.english, "✓" if col.required else "", values.get(col.key, "")]
        )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
