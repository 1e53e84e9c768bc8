"""A new station's four-remote point table (四遥信息表, ACC-2) as an .xlsx sheet: the columns,
reading and checking every row, the template, and the accepted points as the IEC 104 bridge's
point file (``docs/iec104-points.example.csv``, read by ``zhiban_iec104.points.load``).

Columns (Chinese or English headers; a header's part in brackets is ignored, so “信息体地址
(IOA)” is the address): 厂站 station, 间隔/装置 bay or device, 信号名称 signal, 类型 type
(遥信 / 遥测 / 遥控 / 遥调 or YX / YC / YK / YT), 信息体地址 address (decimal or 0x…), 分类
class (事故 / 异常 / 越限 / 变位 / 告知 or accident / abnormal / limit / change / info), 下限
low, 上限 high, 单位 unit. A station is one of the centre's sites, by code or by name; an
empty station cell is the sheet's own station.

``read`` checks every row and returns the good rows and every problem (row, column, message
naming ACC-2); nothing is written here. The workbook is read in openpyxl's read-only mode,
values only, after the same guard as the other imports (no DOCTYPE or entities in any part).
A row is a small slotted record, so 20,000 rows stay a few megabytes.
"""

from __future__ import annotations

import csv
import io
import math
import re
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter

from zhiban.core.errors import InvalidInput
from zhiban.org.importing import UNREADABLE
from zhiban.org.importing import _declares_entities as declares_entities
from zhiban.org.models import Site

from .models import RemoteType

RULE = "ACC-2"
MAX_ROWS = 50_000
MAX_PROBLEMS = 1_000  # a wholly wrong file is told by its first thousand problems
PROGRESS_ROWS = 500  # rows checked between two counts told to a job's progress (issue 15)
MAX_ADDRESS = 0xFFFFFF  # an information object address has three octets (IEC 60870-5-104)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"
TEMPLATE_NAME = "zhiban-point-table.xlsx"
TITLE = gettext_lazy("Four-remote point table")


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
    Col(
        "station", "厂站", "station", ("站名", "厂站名称", "变电站", "站点", "site"), False, 0, "S1"
    ),
    Col(
        "bay",
        "间隔/装置",
        "bay",
        ("间隔", "装置", "间隔或装置", "间隔名称", "设备", "device", "bay or device", "equipment"),
        False,
        100,
        "110kV苏吴线",
    ),
    Col(
        "signal",
        "信号名称",
        "signal",
        ("信号", "名称", "点名", "信息名称", "描述", "signal name", "name"),
        True,
        200,
        "开关事故跳闸",
    ),
    Col("type", "类型", "type", ("四遥类型", "遥类型", "kind", "remote type"), True, 0, "遥信"),
    Col(
        "address",
        "信息体地址",
        "address",
        ("地址", "点号", "信息地址", "信息对象地址", "ioa", "information object address"),
        True,
        0,
        "1",
    ),
    Col(
        "klass",
        "分类",
        "class",
        ("类别", "信息分类", "告警分类", "classification"),
        False,
        10,
        "事故",
    ),
    Col("low", "下限", "low", ("下限值", "lower limit", "min"), False, 0, ""),
    Col("high", "上限", "high", ("上限值", "upper limit", "max"), False, 0, ""),
    Col("unit", "单位", "unit", ("量纲",), False, 20, ""),
]
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}

TYPES = {
    "遥信": RemoteType.YX,
    "yx": RemoteType.YX,
    "遥测": RemoteType.YC,
    "yc": RemoteType.YC,
    "遥控": RemoteType.YK,
    "yk": RemoteType.YK,
    "遥调": RemoteType.YT,
    "yt": RemoteType.YT,
    "remote signal": RemoteType.YX,
    "remote measurement": RemoteType.YC,
    "remote control": RemoteType.YK,
    "remote adjustment": RemoteType.YT,
}
# the monitoring information classes (监控信息分类, INC-11), as the alarms and the bridge know them
CLASSES = {
    "事故": "accident",
    "异常": "abnormal",
    "越限": "limit",
    "变位": "change",
    "告知": "info",
    "accident": "accident",
    "abnormal": "abnormal",
    "limit": "limit",
    "change": "change",
    "info": "info",
}
CLASS_NAMES = {
    "accident": "事故",
    "abnormal": "异常",
    "limit": "越限",
    "change": "变位",
    "info": "告知",
}


class PointTableRefused(InvalidInput):
    """The table has bad rows: ``rows`` lists each (row, column, message); nothing written."""

    code = "import_invalid"

    def __init__(self, rows: list[dict], *, fields: dict[str, list[str]] | None = None):
        self.rows = rows
        message = _("%(count)s problem(s) in the point table; nothing was imported (ACC-2).") % {
            "count": len(rows)
        }
        super().__init__(message, rule=RULE, fields=fields)


@dataclass(slots=True)
class Row:
    """One good row: its line in the sheet and its values, the station as a site id."""

    number: int
    site_id: int
    bay: str
    name: str
    remote_type: str
    address: int
    klass: str
    low: float | None
    high: float | None
    unit: str


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _header_key(text: str) -> str:
    """A header as compared: lower case, without spaces, before any bracket (“地址（IOA）”)."""
    text = re.split(r"[(（]", text.strip().lower(), maxsplit=1)[0]
    return re.sub(r"\s+", "", text)


def _positions(header: list[str]) -> tuple[dict[str, tuple[int, str]], list[dict]]:
    """Where each column is ({key: (index, header as written)}) and the missing required ones."""
    keys = [_header_key(h) for h in header]
    positions, problems = {}, []
    for col in COLUMNS:
        names = {_header_key(n) for n in (col.header, col.english, col.key, *col.aliases)}
        found = [i for i, k in enumerate(keys) if k and k in names and i not in _taken(positions)]
        if found:
            positions[col.key] = (found[0], header[found[0]])
        elif col.required:
            message = _("Column “%(col)s” (%(english)s) is missing (ACC-2).") % {
                "col": col.header,
                "english": col.english,
            }
            problems.append({"row": 1, "column": col.header, "message": message})
    return positions, problems


def _taken(positions: dict[str, tuple[int, str]]) -> set[int]:
    return {index for index, _written in positions.values()}


class _Stations:
    """The centre's sites by code and by name (a name two sites share matches neither)."""

    def __init__(self, centre, default_site_id: int | None):
        self.default = default_site_id
        self.by_code: dict[str, int] = {}
        self.by_name: dict[str, int | None] = {}
        for pk, code, name in Site.objects.filter(centre=centre).values_list("id", "code", "name"):
            self.by_code[code.lower()] = pk
            self.by_name[name] = None if name in self.by_name else pk

    def get(self, text: str) -> int | None:
        if not text:
            return self.default
        return self.by_code.get(text.lower()) or self.by_name.get(text)


def _address(value) -> int | None:
    """A decimal or, as point tables often write it, hexadecimal (0x4001) address."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    text = str(value).strip()
    try:
        if text.lower().startswith("0x"):
            return int(text, 16)
        number = float(text)
    except ValueError:
        return None
    return int(number) if number.is_integer() else None


def _number(value) -> float | None | str:
    """A limit: None when empty, a finite float, or "" when it is not a number."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return ""
    try:
        number = float(value) if isinstance(value, int | float) else float(str(value).strip())
    except ValueError:
        return ""
    return number if math.isfinite(number) else ""


class _Checker:
    """Checks rows one by one; ``problems`` gathers what is wrong, ``rows`` what is good."""

    def __init__(self, positions, stations: _Stations):
        self.positions = list(positions.items())
        self.columns = {key: written for key, (_index, written) in positions.items()}
        self.stations = stations
        self.rows: list[Row] = []
        self.problems: list[dict] = []
        self.addresses: dict[int, int] = {}

    def problem(self, number: int, key: str, message: str) -> None:
        column = (self.columns.get(key) or COLUMN_BY_KEY[key].header) if key else ""
        self.problems.append({"row": number, "column": column, "message": message})

    def check(self, number: int, raw: dict) -> None:
        before = len(self.problems)
        text = {
            key: _cell(raw[key]) for key in ("station", "bay", "signal", "type", "klass", "unit")
        }
        for key in ("bay", "signal", "klass", "unit"):
            limit = COLUMN_BY_KEY[key].max_length
            if len(text[key]) > limit:
                self.problem(number, key, _("At most %(max)s characters (ACC-2).") % {"max": limit})
        if not text["signal"]:
            self.problem(number, "signal", _("The signal name is missing (ACC-2)."))
        site_id = self.stations.get(text["station"])
        if site_id is None:
            message = (
                _("No station “%(name)s” at this centre, by code or name (ACC-2).")
                % {"name": text["station"]}
                if text["station"]
                else _("The station is missing (ACC-2).")
            )
            self.problem(number, "station", message)
        remote_type = TYPES.get(text["type"].lower()) or TYPES.get(_header_key(text["type"]))
        if remote_type is None:
            message = (
                _("“%(value)s” is no type: 遥信, 遥测, 遥控 or 遥调 (YX, YC, YK, YT) (ACC-2).")
                % {"value": text["type"]}
                if text["type"]
                else _("The type is missing: 遥信, 遥测, 遥控 or 遥调 (ACC-2).")
            )
            self.problem(number, "type", message)
        address = self._address(number, raw["address"])
        klass = CLASSES.get(text["klass"].lower(), "") if text["klass"] else ""
        if text["klass"] and not klass:
            self.problem(
                number,
                "klass",
                _("“%(value)s” is no class: 事故, 异常, 越限, 变位 or 告知 (ACC-2).")
                % {"value": text["klass"]},
            )
        low, high = self._limits(number, raw["low"], raw["high"])
        if len(self.problems) == before:
            self.rows.append(
                Row(
                    number,
                    site_id,
                    text["bay"],
                    text["signal"],
                    remote_type,
                    address,
                    klass,
                    low,
                    high,
                    text["unit"],
                )
            )

    def _address(self, number: int, value) -> int | None:
        if value is None or value == "":
            self.problem(number, "address", _("The information object address is missing (ACC-2)."))
            return None
        address = _address(value)
        if address is None or not 0 < address <= MAX_ADDRESS:
            self.problem(
                number,
                "address",
                _(
                    "“%(value)s” is no information object address: a whole number from 1 to "
                    "16777215, or 0x… (ACC-2)."
                )
                % {"value": _cell(value)},
            )
            return None
        first = self.addresses.setdefault(address, number)
        if first != number:
            self.problem(
                number,
                "address",
                _("Address %(address)s appears twice: rows %(first)s and %(row)s (ACC-2).")
                % {"address": address, "first": first, "row": number},
            )
        return address

    def _limits(self, number: int, low_value, high_value) -> tuple[float | None, float | None]:
        low, high = _number(low_value), _number(high_value)
        for key, value, given in (("low", low, low_value), ("high", high, high_value)):
            if value == "":
                self.problem(
                    number,
                    key,
                    _("“%(value)s” is not a number (ACC-2).") % {"value": _cell(given)},
                )
        if isinstance(low, float) and isinstance(high, float) and low > high:
            self.problem(
                number,
                "low",
                _("The lower limit %(low)s is above the upper limit %(high)s (ACC-2).")
                % {"low": f"{low:g}", "high": f"{high:g}"},
            )
        return (low if isinstance(low, float) else None, high if isinstance(high, float) else None)


def _rows(sheet, stations: _Stations, progress=None) -> tuple[list[Row], list[dict]]:
    """The sheet's rows checked; ``progress(done, total, message)``, if given, hears the rows
    checked, the total from the sheet's ``max_row`` when the file gives it (issue 15)."""
    lines = sheet.iter_rows(values_only=True)
    header = [_cell(v) for v in next(lines, ())]
    positions, problems = _positions(header)
    if problems:
        return [], problems
    total = max((sheet.max_row or 1) - 1, 0) if progress is not None else 0
    if progress is not None:
        progress(0, total, _("Rows checked"))
    checked = 0
    checker = _Checker(positions, stations)
    width = max(index for index, _written in positions.values()) + 1
    picks = [(key, index) for key, (index, _written) in positions.items()]
    empty = dict.fromkeys(COLUMN_BY_KEY)
    for number, line in enumerate(lines, start=2):
        checked = number - 1
        if progress is not None and checked % PROGRESS_ROWS == 0:
            progress(checked, max(total, checked))
        if len(line) < width:
            line = (*line, *([None] * (width - len(line))))
        raw = empty | {key: line[index] for key, index in picks}
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in raw.values()):
            continue
        if len(checker.rows) + len(checker.problems) >= MAX_ROWS:
            message = _("At most %(max)s rows per point table (ACC-2).") % {"max": MAX_ROWS}
            checker.problems.append({"row": number, "column": "", "message": message})
            break
        checker.check(number, raw)
        if len(checker.problems) >= MAX_PROBLEMS:
            message = _(
                "More than %(max)s problems: the rest of the table was not checked (ACC-2)."
            )
            checker.problems.append(
                {"row": number, "column": "", "message": message % {"max": MAX_PROBLEMS}}
            )
            break
    if progress is not None:
        progress(checked, max(total, checked))
    if not checker.rows and not checker.problems:
        checker.problems.append({"row": 2, "column": "", "message": _("The sheet has no rows.")})
    return checker.rows, checker.problems


def _file_problem(message: str) -> tuple[list[Row], list[dict]]:
    return [], [{"row": 0, "column": "", "message": message}]


def read(upload, centre, *, site=None, progress=None) -> tuple[list[Row], list[dict]]:
    """Every row of the upload's first sheet, checked (ACC-2): (good rows, problems), each
    problem a dict of row, column and message; row 0 is the file as a whole. ``site``: the
    station of a row whose station cell is empty (the sheet's own station). ``progress(done,
    total, message="")``, if given, hears the rows checked (a job's progress bar, issue 15)."""
    if upload is None:
        return _file_problem(_("Choose the point table's .xlsx file (ACC-2)."))
    name = getattr(upload, "name", "") or ""
    if name and not name.lower().endswith((".xlsx", ".xlsm")):
        return _file_problem(_("Upload an .xlsx workbook (ACC-2)."))
    data = io.BytesIO(upload.read())
    try:
        with zipfile.ZipFile(data) as archive:
            if declares_entities(archive):
                return _file_problem(
                    _("The file declares a DOCTYPE or entities; such files are refused.")
                )
        workbook = load_workbook(data, read_only=True, data_only=True)
        try:
            if not workbook.worksheets:
                return _file_problem(_("The workbook has no sheets."))
            stations = _Stations(centre, getattr(site, "pk", site))
            return _rows(workbook.worksheets[0], stations, progress)
        finally:
            workbook.close()
    except UNREADABLE:
        return _file_problem(_("This file cannot be read as an .xlsx workbook (ACC-2)."))


def template() -> bytes:
    """The sheet to fill in: the columns, example rows, and the accepted types and classes."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(TITLE)
    sheet.append([c.header for c in COLUMNS])
    sheet.append([c.example for c in COLUMNS])
    sheet.append(["S1", "1号主变", "主变油温", "遥测", 16385, "越限", None, 85, "℃"])
    sheet.append(["S1", "110kV苏吴线", "751开关遥控", "遥控", 24577, "", None, None, ""])
    for index, _col in enumerate(COLUMNS):
        sheet.column_dimensions[get_column_letter(index + 1)].width = 16
    values = workbook.create_sheet(_("values"))
    values.append(["类型 type", "分类 class"])
    types = ["遥信 YX", "遥测 YC", "遥控 YK", "遥调 YT"]
    classes = [f"{zh} {en}" for en, zh in CLASS_NAMES.items()]
    for index in range(max(len(types), len(classes))):
        values.append(
            [
                types[index] if index < len(types) else "",
                classes[index] if index < len(classes) else "",
            ]
        )
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# --- the IEC 104 bridge's point file --------------------------------------------------------

BRIDGE_HEADER = ["ioa", "type", "site", "equipment", "signal", "class", "raise_on", "high", "low"]


def bridge_rows(points) -> tuple[list[list[str]], int]:
    """The bridge's rows of these points (each with ``site`` selected), and how many the bridge
    cannot use: a 遥信 is a single point (class 变位 unless the table gives one) raising when
    on; a 遥测 a measured value with its limits (class 越限), left out without a limit; 遥控 and
    遥调 are commands to the station, which the bridge does not read, so they are left out."""
    rows, left_out = [], 0
    for point in points:
        if point.remote_type == RemoteType.YX:
            rows.append(
                [
                    str(point.address),
                    "single",
                    point.site.code,
                    point.bay,
                    point.name,
                    point.klass or "change",
                    "on",
                    "",
                    "",
                ]
            )
        elif point.remote_type == RemoteType.YC and (
            point.low is not None or point.high is not None
        ):
            rows.append(
                [
                    str(point.address),
                    "measured",
                    point.site.code,
                    point.bay,
                    point.name,
                    point.klass or "limit",
                    "",
                    "" if point.high is None else f"{point.high:g}",
                    "" if point.low is None else f"{point.low:g}",
                ]
            )
        else:
            left_out += 1
    return rows, left_out


def bridge_csv(points) -> tuple[str, int]:
    """The point file as text (UTF-8 CSV, the bridge's header) and how many points it leaves out."""
    rows, left_out = bridge_rows(points)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(BRIDGE_HEADER)
    writer.writerows(rows)
    return out.getvalue(), left_out


def bridge_file_name(sheet) -> str:
    """The point file's name: the sheet's number, in characters every header takes."""
    return f"iec104-points-{re.sub(r'[^A-Za-z0-9_.-]+', '-', sheet.number).strip('-')}.csv"
