"""Import sites and equipment from an .xlsx sheet (ORG-2; e.g. a station's equipment list).

Each row goes through the same service as a form would (create, or update when the code or
double name exists). Every bad row is reported with its row number and column; if any row is
bad, nothing is written: the whole import is one transaction that is rolled back.

A file that is not a workbook, has no sheet, or declares a DOCTYPE or entities in any of its
XML parts is refused as a whole (422 naming the ``file`` field) before openpyxl parses it:
entities can expand a small file into gigabytes, and a workbook never needs them.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from xml.etree.ElementTree import ParseError

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

from zhiban.core.errors import InvalidInput
from zhiban.core.services import form_data

from . import services
from .forms import EquipmentForm, SiteForm
from .models import Equipment, EquipmentKind, Site, SiteKind, VoltageLevel

MAX_ROWS = 5000
# what a broken or hostile file raises inside zipfile and openpyxl, before or while rows are read
UNREADABLE = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    InvalidFileException,
    ParseError,
    KeyError,
    IndexError,
    ValueError,
    TypeError,
    EOFError,
    OSError,
    RuntimeError,  # an encrypted part, an unsupported compression
)
# <!DOCTYPE or <!ENTITY; NUL bytes are dropped before matching, so UTF-16 parts are caught too
DECLARATION = re.compile(rb"<!\s*(doctype|entity)", re.IGNORECASE)


@dataclass(frozen=True)
class Col:
    key: str
    header: str  # the Chinese header, as the template writes it
    english: str
    required: bool = False
    example: str = ""


COLUMNS: dict[str, list[Col]] = {
    "sites": [
        Col("code", "编码", "code", True, "SZ-110-SW"),
        Col("name", "名称", "name", True, "苏吴变"),
        Col("kind", "类型", "kind", True, "变电站"),
        Col("voltage_level", "电压等级", "voltage level", False, "110kV"),
        Col("parent", "上级编码", "parent code", False, ""),
        Col("address", "地址", "address", False, "苏州市吴中区"),
    ],
    "equipment": [
        Col("site", "站点编码", "site code", True, "SZ-110-SW"),
        Col("name", "名称", "name", True, "苏吴线开关"),
        Col("dispatch_number", "调度号", "dispatch number", False, "751"),
        Col("kind", "类型", "kind", True, "开关"),
        Col("voltage_level", "电压等级", "voltage level", False, "110kV"),
        Col("model_number", "型号", "model", False, "LW36-126"),
        Col("parent", "上级设备名称", "parent name", False, ""),
        Col("parent_dispatch_number", "上级设备调度号", "parent dispatch number", False, ""),
    ],
}
KINDS = {"sites": SiteKind, "equipment": EquipmentKind}
TITLES = {"sites": gettext_lazy("Sites"), "equipment": gettext_lazy("Equipment")}


class ImportRefused(InvalidInput):
    """The sheet has bad rows; ``rows`` lists each problem (row, column, message)."""

    code = "import_invalid"

    def __init__(self, rows: list[dict], *, fields: dict[str, list[str]] | None = None):
        self.rows = rows
        super().__init__(
            _("%(count)s problem(s) in the sheet; nothing was imported.") % {"count": len(rows)},
            fields=fields,
        )

    @classmethod
    def of_file(cls, message: str) -> ImportRefused:
        """The file as a whole cannot be read: row 0, and the ``file`` field named."""
        return cls([{"row": 0, "column": "", "message": message}], fields={"file": [message]})


def _choice_lookup(choices) -> dict[str, str]:
    """Accept a kind as its code, or its name in either language, e.g. “开关” or “Breaker”."""
    lookup = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            for value, label in choices.choices:
                text = str(label)
                lookup[value.lower()] = value
                lookup[text.lower()] = value
                match = re.match(r"^(.*?)\s*\((.+)\)$", text)
                if match:
                    lookup[match.group(1).strip().lower()] = value
                    lookup[match.group(2).strip().lower()] = value
    return lookup


def _voltage(raw: str) -> str:
    text = raw.replace(" ", "").replace("ＫＶ", "kV").lower()
    for value in VoltageLevel.values:
        if text == value.lower():
            return value
    return raw


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _declares_entities(archive: zipfile.ZipFile) -> bool:
    """Whether any part of the archive holds a DOCTYPE or ENTITY declaration."""
    for info in archive.infolist():
        with archive.open(info) as part:
            tail = b""
            while chunk := part.read(1 << 16):
                text = tail + chunk.replace(b"\0", b"")
                if DECLARATION.search(text):
                    return True
                tail = text[-32:]
    return False


def _read(kind: str, upload) -> tuple[list[tuple[int, dict]], list[dict]]:
    """Rows as {column key: text}, with the sheet's row numbers; header problems as errors.
    A file that cannot be read raises ImportRefused naming the file (ORG-2)."""
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
            return _records(kind, workbook.worksheets[0])
        finally:
            workbook.close()
    except UNREADABLE:
        raise ImportRefused.of_file(_("This is not an .xlsx file.")) from None


def _records(kind: str, sheet) -> tuple[list[tuple[int, dict]], list[dict]]:
    rows = sheet.iter_rows(values_only=True)
    header = [_cell(v).lower() for v in next(rows, ())]
    positions: dict[str, int] = {}
    errors = []
    for col in COLUMNS[kind]:
        names = {col.header.lower(), col.english.lower(), col.key.lower()}
        found = [i for i, h in enumerate(header) if h in names]
        if found:
            positions[col.key] = found[0]
        elif col.required:
            errors.append(
                {
                    "row": 1,
                    "column": col.header,
                    "message": _("Column “%(col)s” is missing.") % {"col": col.header},
                }
            )
    result = []
    for number, values in enumerate(rows, start=2):
        record = {key: _cell(values[i]) if i < len(values) else "" for key, i in positions.items()}
        if any(record.values()):
            result.append((number, record))
        if len(result) > MAX_ROWS:
            errors.append(
                {
                    "row": number,
                    "column": "",
                    "message": _("At most %(max)s rows per import.") % {"max": MAX_ROWS},
                }
            )
            break
    return result, errors


def _site_data(centre, record, kinds) -> tuple[dict, dict]:
    """The form data of a site row, and the references it names that do not exist."""
    parent, missing = None, {}
    if record.get("parent"):
        parent = Site.objects.filter(centre=centre, code=record["parent"]).first()
        if parent is None:
            missing["parent"] = [_("No site with code “%(code)s”.") % {"code": record["parent"]}]
    return {
        "code": record.get("code", ""),
        "name": record.get("name", ""),
        "kind": kinds.get(record.get("kind", "").lower(), record.get("kind", "")),
        "voltage_level": _voltage(record.get("voltage_level", "")),
        "parent": parent.pk if parent else "",
        "address": record.get("address", ""),
        "active": True,
    }, missing


def _equipment_data(centre, record, kinds) -> tuple[dict, dict]:
    """The form data of an equipment row, and the references it names that do not exist."""
    site = Site.objects.filter(centre=centre, code=record.get("site", "")).first()
    parent, missing = None, {}
    if site is None:
        missing["site"] = [_("No site with code “%(code)s”.") % {"code": record.get("site", "")}]
    if record.get("parent") and site is not None:
        parent = Equipment.objects.filter(
            site=site,
            name=record["parent"],
            dispatch_number=record.get("parent_dispatch_number", ""),
        ).first()
        if parent is None:
            missing["parent"] = [
                _("No equipment “%(name)s” at this site.") % {"name": record["parent"]}
            ]
    return {
        "site": site.pk if site else "",
        "name": record.get("name", ""),
        "dispatch_number": record.get("dispatch_number", ""),
        "kind": kinds.get(record.get("kind", "").lower(), record.get("kind", "")),
        "voltage_level": _voltage(record.get("voltage_level", "")),
        "model_number": record.get("model_number", ""),
        "parent": parent.pk if parent else "",
        "active": True,
    }, missing


def _existing(kind, centre, data):
    if kind == "sites":
        return Site.objects.filter(centre=centre, code=data["code"]).first()
    return Equipment.objects.filter(
        site_id=data["site"], name=data["name"], dispatch_number=data["dispatch_number"]
    ).first()


def _save(kind, *, actor, source, centre, data, reason):
    """Create the row's record, or update it if it exists and differs. Returns the outcome."""
    current = _existing(kind, centre, data)
    if current is None:
        create = services.site_create if kind == "sites" else services.equipment_create
        create(actor=actor, source=source, centre=centre, data=data, reason=reason)
        return "created"
    stored = form_data(current, SiteForm if kind == "sites" else EquipmentForm)
    if all(str(stored.get(k) or "") == str(v or "") for k, v in data.items()):
        return "unchanged"
    if kind == "sites":
        services.site_update(
            actor=actor,
            source=source,
            site_id=current.pk,
            version=current.version,
            changes=data,
            reason=reason,
        )
    else:
        services.equipment_update(
            actor=actor,
            source=source,
            equipment_id=current.pk,
            version=current.version,
            changes=data,
            reason=reason,
        )
    return "updated"


def _column_of(kind: str, field: str) -> str:
    for col in COLUMNS[kind]:
        if col.key == field:
            return col.header
    return field


@transaction.atomic
def run(kind: str, *, actor, source, centre, upload, progress=None) -> dict[str, int]:
    """Import every row or none. Raises ImportRefused listing every bad row. ``progress(done,
    total)``, if given, hears each row gone through (a job's progress bar, issue 15)."""
    if kind not in COLUMNS:
        raise InvalidInput(fields={"kind": [_("Import sites or equipment.")]})
    records, errors = _read(kind, upload)
    kinds = _choice_lookup(KINDS[kind])
    build = _site_data if kind == "sites" else _equipment_data
    reason = _("Imported from %(file)s") % {"file": getattr(upload, "name", "upload.xlsx")}
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    form_class = SiteForm if kind == "sites" else EquipmentForm
    for done, (number, record) in enumerate(records if not errors else []):
        if progress is not None:
            progress(done, len(records))
        data, problems = build(centre, record, kinds)
        try:
            if problems:  # report the row's other mistakes too, then skip it
                form = form_class(data=data, centre=centre)
                form.is_valid()
                raise InvalidInput(
                    fields={**{k: [str(e) for e in v] for k, v in form.errors.items()}, **problems}
                )
            with transaction.atomic():
                outcome = _save(
                    kind, actor=actor, source=source, centre=centre, data=data, reason=reason
                )
            counts[outcome] += 1
        except InvalidInput as problem:
            for field, messages in (problem.fields or {"": [problem.text()]}).items():
                errors += [
                    {"row": number, "column": _column_of(kind, field), "message": m}
                    for m in messages
                ]
    if not records and not errors:
        errors.append({"row": 2, "column": "", "message": _("The sheet has no rows.")})
    if errors:
        raise ImportRefused(errors)
    return counts


def template(kind: str) -> bytes:
    """An empty sheet with the expected columns, one example row and the accepted kinds."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(TITLES[kind])
    sheet.append([c.header for c in COLUMNS[kind]])
    sheet.append([c.example for c in COLUMNS[kind]])
    for index, _col in enumerate(COLUMNS[kind]):
        sheet.column_dimensions[get_column_letter(index + 1)].width = 18
    kinds = workbook.create_sheet(_("kinds"))
    kinds.append(["类型", "code"])
    for value, label in KINDS[kind].choices:
        kinds.append([str(label), value])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
