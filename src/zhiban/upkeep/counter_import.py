"""Import the monitoring system's month-end operation counts from an .xlsx (CNT-1, CNT-3).

Columns (Chinese or English headers, any order): station (code or name), equipment (double
name, name or dispatch number), counter (电容器投切 / 有载调压 / 开关跳闸, or switching / tap /
trip), month (YYYY-MM) and count. Every row is checked first; any bad row — an unknown
station or equipment, an unknown counter, a bad month, a count that is negative or no whole
number, a row repeating an earlier one — is reported with its row number and column, and
nothing is written. The file is read with openpyxl in read-only mode, after the same check
for DOCTYPE and entity declarations the sites and equipment import makes (ORG-2)."""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from zhiban.core.permissions import Action
from zhiban.core.scoping import require
from zhiban.org.importing import UNREADABLE, ImportRefused, _cell, _declares_entities
from zhiban.org.models import Equipment, Site

from .forms.counters import MAX_COUNT, MAX_UPLOAD, kind_fits
from .models import CounterKind

MAX_ROWS = 5000
_MONTH = re.compile(r"^(\d{4})[-/.年](\d{1,2})月?$")


@dataclass(frozen=True)
class Col:
    key: str
    header: str  # the Chinese header, as the template writes it
    english: str
    aliases: tuple[str, ...] = ()


COLUMNS = [
    Col("station", "站点", "station", ("变电站", "厂站", "站名", "site")),
    Col("equipment", "设备", "equipment", ("设备名称", "双重名称", "调度号")),
    Col("kind", "计数类型", "counter", ("类型", "计数", "kind")),
    Col("month", "月份", "month", ("月度",)),
    Col("count", "次数", "count", ("月末次数", "动作次数")),
]
# the monitoring system's words for the counters, beside their labels in either language
KIND_WORDS: dict[str, str] = {
    "电容器投切": CounterKind.SWITCHING,
    "投切": CounterKind.SWITCHING,
    "有载调压": CounterKind.TAP,
    "调压": CounterKind.TAP,
    "分接头": CounterKind.TAP,
    "开关跳闸": CounterKind.TRIP,
    "跳闸": CounterKind.TRIP,
}


EXAMPLE = ["苏吴变", "1号电容器 C1", "电容器投切", "2026-11", 36]


def template_xlsx():
    """An empty sheet with the columns and one example row, to fill in."""
    import tempfile

    from openpyxl import Workbook

    from zhiban.core.exports import xlsx_file_response

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "counts"
    sheet.append([c.header for c in COLUMNS])
    sheet.append(EXAMPLE)
    handle = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 — FileResponse closes it
    workbook.save(handle)
    return xlsx_file_response(handle, "counter-import-template")


def _kinds() -> dict[str, str]:
    lookup: dict[str, str] = dict(KIND_WORDS)
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for value, label in CounterKind.choices:
                text = str(label)
                lookup[value] = value
                lookup[text.lower()] = value
                match = re.match(r"^(.*?)\s*\((.+)\)$", text)
                if match:
                    lookup[match.group(1).strip().lower()] = value
                    lookup[match.group(2).strip().lower()] = value
    return lookup


def _problem(row: int, col: str, message: str) -> dict:
    header = next((c.header for c in COLUMNS if c.key == col), col)
    return {"row": row, "column": header, "message": message}


def _read(upload) -> tuple[list[tuple[int, dict]], list[dict]]:
    data = io.BytesIO(upload.read())
    try:
        with zipfile.ZipFile(data) as archive:
            if _declares_entities(archive):
                raise ImportRefused.of_file(
                    _("The file declares a DOCTYPE or entities; such files are refused.")
                )
        workbook = load_workbook(data, read_only=True, data_only=True)
        try:
            if not workbook.worksheets:
                raise ImportRefused.of_file(_("The workbook has no sheets."))
            return _records(workbook.worksheets[0])
        finally:
            workbook.close()
    except UNREADABLE:
        raise ImportRefused.of_file(_("This is not an .xlsx file.")) from None


def _records(sheet) -> tuple[list[tuple[int, dict]], list[dict]]:
    rows = sheet.iter_rows(values_only=True)
    header = [_cell(v).lower() for v in next(rows, ())]
    positions, errors = {}, []
    for col in COLUMNS:
        names = {col.header.lower(), col.english.lower(), col.key, *col.aliases}
        found = [i for i, h in enumerate(header) if h in names]
        if found:
            positions[col.key] = found[0]
        else:
            errors.append(
                _problem(1, col.key, _("Column “%(col)s” is missing.") % {"col": col.header})
            )
    if errors:
        return [], errors
    result = []
    for number, values in enumerate(rows, start=2):
        record = {k: values[i] if i < len(values) else None for k, i in positions.items()}
        if not any(_cell(v) for v in record.values()):
            continue
        result.append((number, record))
        if len(result) > MAX_ROWS:
            errors.append(
                _problem(number, "", _("At most %(max)s rows per import.") % {"max": MAX_ROWS})
            )
            break
    return result, errors


def _month(value, this_month: date) -> date | str:
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        month = value.replace(day=1)
    else:
        match = _MONTH.match(_cell(value))
        if match is None or not (1900 <= int(match[1]) <= 2999 and 1 <= int(match[2]) <= 12):
            return _("Give the month as YYYY-MM, e.g. 2026-11.")
        month = date(int(match[1]), int(match[2]), 1)
    if month > this_month:
        return _("The month has not begun yet (CNT-3).")
    return month


def _count(value) -> int | str:
    message = _("The count must be a whole number, 0 or more.")
    if isinstance(value, bool):
        return message
    if isinstance(value, float):
        if not value.is_integer():
            return message
        value = int(value)
    if isinstance(value, int):
        number = value
    else:
        text = _cell(value).replace(",", "")
        if not re.fullmatch(r"\d+", text):
            return message
        number = int(text)
    if number < 0:
        return message
    if number > MAX_COUNT:
        return _("The count is larger than %(max)s.") % {"max": MAX_COUNT}
    return number


class _Places:
    """The centre's stations and their equipment, read once per import."""

    def __init__(self, centre):
        self.sites: dict[str, list[Site]] = {}
        for site in Site.objects.filter(centre=centre, active=True):
            for key in {site.code.lower(), site.name.lower()}:
                self.sites.setdefault(key, []).append(site)
        self.equipment: dict[tuple[int, str], list[Equipment]] = {}
        for e in Equipment.objects.filter(centre=centre, active=True):
            keys = {e.double_name.lower(), e.name.lower(), e.double_name.replace(" ", "").lower()}
            if e.dispatch_number:
                keys.add(e.dispatch_number.lower())
            for key in keys:
                self.equipment.setdefault((e.site_id, key), []).append(e)

    def site(self, text: str):
        found = self.sites.get(text.lower(), [])
        return found[0] if len({s.pk for s in found}) == 1 else None

    def item(self, site, text: str) -> list[Equipment]:
        key = text.lower()
        found = self.equipment.get((site.pk, key)) or self.equipment.get(
            (site.pk, key.replace(" ", "")), []
        )
        return list({e.pk: e for e in found}.values())


def check(centre, records) -> tuple[list[tuple], list[dict]]:
    """The rows as (equipment, kind, month, count), and every problem of every row."""
    places, kinds = _Places(centre), _kinds()
    this_month = timezone.localdate(timezone=centre.tz).replace(day=1)
    rows: list[tuple] = []
    errors: list[dict] = []
    seen: dict[tuple, int] = {}
    for number, record in records:
        problems = []
        station_text, item_text = _cell(record["station"]), _cell(record["equipment"])
        site = places.site(station_text) if station_text else None
        equipment = None
        if site is None:
            problems.append(
                ("station", _("No station “%(name)s” in this centre.") % {"name": station_text})
            )
        else:
            found = places.item(site, item_text) if item_text else []
            if len(found) == 1:
                equipment = found[0]
            elif found:
                problems.append(
                    (
                        "equipment",
                        _("“%(name)s” names more than one equipment at %(site)s.")
                        % {"name": item_text, "site": site.name},
                    )
                )
            else:
                problems.append(
                    (
                        "equipment",
                        _("No equipment “%(name)s” at %(site)s.")
                        % {"name": item_text, "site": site.name},
                    )
                )
        kind = kinds.get(_cell(record["kind"]).lower())
        if kind is None:
            problems.append(
                (
                    "kind",
                    _("Unknown counter “%(kind)s”: 电容器投切, 有载调压 or 开关跳闸.")
                    % {"kind": _cell(record["kind"])},
                )
            )
        elif equipment is not None and not kind_fits(kind, equipment.kind):
            problems.append(
                (
                    "kind",
                    _("%(equipment)s (%(kind)s) has no such counter (CNT-1).")
                    % {"equipment": equipment.double_name, "kind": equipment.get_kind_display()},
                )
            )
        month = _month(record["month"], this_month)
        if isinstance(month, str):
            problems.append(("month", month))
        count = _count(record["count"])
        if isinstance(count, str):
            problems.append(("count", count))
        if not problems and equipment is not None:
            key = (equipment.pk, kind, month)
            if key in seen:
                problems.append(
                    (
                        "",
                        _("The same equipment, counter and month as row %(row)s.")
                        % {"row": seen[key]},
                    )
                )
            else:
                seen[key] = number
                rows.append((equipment, kind, month, count))
        errors += [_problem(number, col, message) for col, message in problems]
    return rows, errors


@transaction.atomic
def run(*, actor, source, centre, upload, progress=None) -> dict[str, int]:
    """Every row or none; raises ImportRefused listing every bad row (CNT-3). ``progress(done,
    total)``, if given, hears the rows written (a job's progress bar, issue 15)."""
    from .services.counters import import_rows

    require(actor, Action.COUNTER_ENTER, centre)
    if (getattr(upload, "size", 0) or 0) > MAX_UPLOAD:
        raise ImportRefused.of_file(_("The file is larger than 10 MB."))
    records, errors = _read(upload)
    if not errors:
        rows, errors = check(centre, records)
    if errors:
        raise ImportRefused(errors)
    if not records:
        raise ImportRefused.of_file(_("The sheet has no rows."))
    reason = _("Imported from %(file)s") % {"file": getattr(upload, "name", "upload.xlsx")}
    return import_rows(
        actor=actor,
        source=source,
        centre=centre,
        rows=rows,
        reason=reason[:200],
        progress=progress,
    )
