"""The point table (点表): which information object address is which station, equipment,
signal and alarm class, and how a reported value becomes a raise or a clear (INC-1). Pure
Python, without c104."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

KINDS = {"single": "M_SP_TB_1", "double": "M_DP_TB_1", "measured": "M_ME_NC_1"}
PREFIXES = {"M_SP_": "single", "M_DP_": "double", "M_ME_": "measured"}
CLASSES = {
    "accident": "accident",
    "abnormal": "abnormal",
    "limit": "limit",
    "change": "change",
    "info": "info",
    "事故": "accident",
    "异常": "abnormal",
    "越限": "limit",
    "变位": "change",
    "告知": "info",
}
REQUIRED = ("ioa", "type", "site", "signal")
DOUBLE_STATES = {"ON": "on", "OFF": "off"}  # INTERMEDIATE, INDETERMINATE: no state
VALUE_TEXT = {"double": {"on": "合", "off": "分"}, "single": {"on": "1", "off": "0"}}
LIMIT_TEXT = {"high": "越上限", "low": "越下限"}
EPOCH, MILLISECOND = datetime(1970, 1, 1, tzinfo=UTC), timedelta(milliseconds=1)


class TableError(ValueError):
    """A point table that cannot be used; the message names the line."""


@dataclass(frozen=True)
class PointRow:
    ioa: int
    kind: str  # single | double | measured
    asdu: str  # the c104 type name, e.g. M_DP_TB_1
    site: str
    equipment: str
    signal: str
    klass: str
    raise_on: str = "on"  # single and double points: the state that raises
    high: float | None = None
    low: float | None = None

    def state_of(self, value) -> str | None:
        """``on``/``off`` for a single (bool) or double (``ON``/``OFF``…) point, ``high``/
        ``low``/``normal`` for a measured value; None when the value says nothing."""
        if self.kind == "single":
            return "on" if value else "off"
        if self.kind == "double":
            return DOUBLE_STATES.get(value)
        if self.high is not None and value > self.high:
            return "high"
        if self.low is not None and value < self.low:
            return "low"
        return "normal"

    def event(self, *, source: str, common_address: int, state: str, value, at: datetime):
        """The JSON event (format: ``zhiban/alarms/events.py``) for a state this point
        entered at ``at`` (aware)."""
        if self.kind == "measured":
            action = "clear" if state == "normal" else "raise"
            shown = f"{value:g}"
            limit = {"high": self.high, "low": self.low}.get(state)
            text = f"{shown} {LIMIT_TEXT[state]} {limit:g}" if limit is not None else ""
        else:
            action = "raise" if state == self.raise_on else "clear"
            shown = VALUE_TEXT[self.kind][state]
            text = ""
        return {
            "source": source,
            "id": f"{common_address}:{self.ioa}:{state}:{(at - EPOCH) // MILLISECOND}",
            "at": at.isoformat(),
            "site": self.site,
            "equipment": self.equipment,
            "signal": self.signal,
            "class": self.klass,
            "action": action,
            "value": shown,
            "text": text,
        }


def load(path: str | Path) -> dict[int, PointRow]:
    """The table at ``path`` (.csv in UTF-8 or GB18030, or .xlsx), by address."""
    path = Path(path)
    records = _xlsx_records(path) if path.suffix.lower() == ".xlsx" else _csv_records(path)
    rows: dict[int, PointRow] = {}
    for line, record in records:
        try:
            row = _row(record)
        except (KeyError, ValueError) as error:
            raise TableError(f"{path.name} line {line}: {error}") from error
        if row.ioa in rows:
            raise TableError(f"{path.name} line {line}: address {row.ioa} appears twice")
        rows[row.ioa] = row
    if not rows:
        raise TableError(f"{path.name}: no points")
    return rows


def _csv_records(path: Path):
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("gb18030")  # saved by Excel on a Chinese Windows
    reader = csv.DictReader(io.StringIO(text))
    for record in reader:
        yield reader.line_num, record


def _xlsx_records(path: Path):
    from openpyxl import load_workbook

    sheet = load_workbook(path, read_only=True, data_only=True).worksheets[0]
    lines = sheet.iter_rows(values_only=True)
    header = [str(cell or "").strip() for cell in next(lines, ())]
    for number, cells in enumerate(lines, start=2):
        if any(cell not in (None, "") for cell in cells):
            yield number, dict(zip(header, cells, strict=False))


def _address(text: str) -> int:
    """A decimal or, as point tables often write it, hexadecimal (0x4001) address."""
    return int(text, 16) if text.lower().startswith("0x") else int(float(text))


def _row(record: dict) -> PointRow:
    record = {
        str(k).strip().lower(): "" if v is None else str(v).strip() for k, v in record.items() if k
    }
    for column in REQUIRED:
        if not record.get(column):
            raise ValueError(f"“{column}” is empty")
    kind_or_type = record["type"]
    kind = kind_or_type.lower() if kind_or_type.lower() in KINDS else None
    asdu = KINDS[kind] if kind else kind_or_type.upper()
    kind = kind or PREFIXES.get(asdu[:5])
    if kind is None:
        raise ValueError(
            f"type “{kind_or_type}”: use single, double, measured or M_SP_/M_DP_/M_ME_…"
        )
    klass = CLASSES.get(record.get("class", "").lower() or ("limit" if kind == "measured" else ""))
    if klass is None:
        raise ValueError(f"class “{record.get('class', '')}”: use {', '.join(CLASSES)}")
    raise_on = (record.get("raise_on") or "on").lower()
    if raise_on not in ("on", "off"):
        raise ValueError(f"raise_on “{raise_on}”: use on or off")
    high = float(record["high"]) if record.get("high") else None
    low = float(record["low"]) if record.get("low") else None
    if kind == "measured" and high is None and low is None:
        raise ValueError("a measured point needs a high or a low limit")
    return PointRow(
        ioa=_address(record["ioa"]),
        kind=kind,
        asdu=asdu,
        site=record["site"],
        equipment=record.get("equipment", ""),
        signal=record["signal"],
        klass=klass,
        raise_on=raise_on,
        high=high,
        low=low,
    )
