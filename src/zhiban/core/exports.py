"""Excel export of any list with its filters applied (RPT-2), streamed: the download starts at
once and its bytes arrive while the rows are read, in constant memory (docs/performance.md,
"Big exports").

An .xlsx is a zip of XML parts. The small fixed parts (content types, workbook, a bold header
style) are written here; the sheet's XML is made row by row with inline strings (no shared
strings table growing with the rows) and deflated into ``zipfile`` writing to a non-seekable
sink, which stores each part's sizes in a data descriptor after it — so nothing waits for the
last row but the zip's small central directory.

Every text cell is written as text: a value that a spreadsheet would read as a formula
(leading ``= + - @``, tab or carriage return — OWASP "CSV injection", ASVS 1.2.10) gets a
leading apostrophe, so a person named ``=HYPERLINK(…)`` stays a name in every export. Control
characters a worksheet cannot hold (XML 1.0) are left out instead of failing the export."""

from __future__ import annotations

import math
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from urllib.parse import quote

from asgiref.sync import sync_to_async
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone, translation
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter

from .tables import Table, plain

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PROGRESS_EVERY = 1000  # rows between two calls of ``progress``, and between two chunks
CHUNK_BYTES = 64 * 1024  # compressed bytes gathered before a chunk goes out
LEVEL = 1  # deflate level: the sheet's XML is repetitive, level 1 packs it nearly as well
SHEET_NAME_BAD = re.compile(r"[\\/?*\[\]:]")


def xlsx_value(value):
    """A cell value for a spreadsheet: numbers stay numbers, text never starts a formula."""
    value = plain(value)
    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def _text(value: str) -> str:
    return (
        value.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace('"', "&quot;")
        .replace("\r", "&#13;")
    )


def _cell(ref: str, value, style: str = "") -> str:
    value = xlsx_value(value)
    if isinstance(value, str):
        if not value:
            return ""
        space = ' xml:space="preserve"' if value[0].isspace() or value[-1].isspace() else ""
        return f'<c r="{ref}"{style} t="inlineStr"><is><t{space}>{_text(value)}</t></is></c>'
    if isinstance(value, float):
        if not math.isfinite(value):
            return _cell(ref, str(value), style)
        return f'<c r="{ref}"{style}><v>{float(value)!r}</v></c>'
    return f'<c r="{ref}"{style}><v>{int(value)}</v></c>'


def _fixed_parts(table: Table, title: str) -> dict[str, str]:
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rels = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    pkg = "http://schemas.openxmlformats.org/package/2006/relationships"
    ct = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    name = _text(SHEET_NAME_BAD.sub("", str(title))[:31].strip("'") or "Sheet1")
    font = '<sz val="11"/><name val="Calibri"/><family val="2"/>'
    return {
        "[Content_Types].xml": head
        + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{ct}.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{ct}.worksheet+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{ct}.styles+xml"/></Types>',
        "_rels/.rels": head + f'<Relationships xmlns="{pkg}"><Relationship Id="rId1" '
        f'Type="{rels}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": head + f'<workbook xmlns="{main}" xmlns:r="{rels}"><bookViews>'
        f'<workbookView/></bookViews><sheets><sheet name="{name}" sheetId="1" r:id="rId1"/>'
        "</sheets></workbook>",
        "xl/_rels/workbook.xml.rels": head + f'<Relationships xmlns="{pkg}">'
        f'<Relationship Id="rId1" Type="{rels}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{rels}/styles" Target="styles.xml"/></Relationships>',
        "xl/styles.xml": head + f'<styleSheet xmlns="{main}">'
        f'<fonts count="2"><font>{font}</font><font><b/>{font}</font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>'
        '</cellStyleXfs><cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" '
        'xfId="0"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
        '</cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/>'
        "</cellStyles></styleSheet>",
    }


def _sheet_head(table: Table, letters: list[str]) -> str:
    cols = "".join(
        f'<col min="{i}" max="{i}" width="{c.width}" customWidth="1"/>'
        for i, c in enumerate(table.columns, start=1)
    )
    header = "".join(
        _cell(f"{x}1", h, ' s="1"') for x, h in zip(letters, table.headers(), strict=True)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="'
        'http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetViews><sheetView '
        'workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" '
        'state="frozen"/><selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView>'
        f'</sheetViews><sheetFormatPr defaultRowHeight="15"/><cols>{cols}</cols><sheetData>'
        f'<row r="1">{header}</row>'
    )


class _Sink:
    """Where the zip writes: no ``seek``/``tell``, so ``zipfile`` streams (data descriptors)."""

    def __init__(self):
        self.parts: list[bytes] = []
        self.size = 0

    def write(self, data) -> int:
        self.parts.append(bytes(data))
        self.size += len(data)
        return len(data)

    def flush(self) -> None:
        pass

    def close(self) -> None:
        pass

    def take(self) -> bytes:
        data = b"".join(self.parts)
        self.parts.clear()
        self.size = 0
        return data


def xlsx_stream(
    table: Table, rows: Iterable, title: str, progress: Callable[[int], None] | None = None
) -> Iterator[bytes]:
    """The .xlsx of ``rows`` as byte chunks, the first before any row is read (RPT-2).
    ``progress(rows_done)`` is called every ``PROGRESS_EVERY`` rows and at the end."""
    sink = _Sink()
    letters = [get_column_letter(i) for i in range(1, len(table.columns) + 1)]
    done = 0
    with zipfile.ZipFile(sink, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=LEVEL) as zf:
        for name, text in _fixed_parts(table, title).items():
            zf.writestr(name, text)
        with zf.open("xl/worksheets/sheet1.xml", "w") as sheet:
            sheet.write(_sheet_head(table, letters).encode())
            yield sink.take()
            batch: list[str] = []
            for number, obj in enumerate(rows, start=2):
                cells = "".join(
                    _cell(f"{x}{number}", v) for x, v in zip(letters, table.cells(obj), strict=True)
                )
                batch.append(f'<row r="{number}">{cells}</row>')
                if len(batch) == PROGRESS_EVERY:
                    sheet.write("".join(batch).encode())
                    batch.clear()
                    done = number - 1
                    if progress:
                        progress(done)
                    if sink.size >= CHUNK_BYTES:
                        yield sink.take()
            done += len(batch)
            sheet.write(("".join(batch) + "</sheetData></worksheet>").encode())
    if progress:
        progress(done)
    yield sink.take()


def write_xlsx(
    table: Table, rows: Iterable, title: str, path, progress: Callable[[int], None] | None = None
) -> None:
    """Write the .xlsx of ``rows`` to ``path`` (a file name or a binary file), in constant
    memory; ``progress(rows_done)`` as in ``xlsx_stream`` (a job's progress bar)."""
    if hasattr(path, "write"):
        for chunk in xlsx_stream(table, rows, title, progress):
            path.write(chunk)
        return
    with open(path, "wb") as handle:
        write_xlsx(table, rows, title, handle, progress)


class XlsxStreamingResponse(StreamingHttpResponse):
    """A streamed download whose chunks are made by synchronous code (the ORM). Under ASGI
    Django would read a sync iterator to its end before sending a byte; here each chunk is made
    on the request's own thread (``thread_sensitive``) as the client takes it."""

    async def __aiter__(self):
        parts = iter(self.streaming_content)
        step = sync_to_async(next, thread_sensitive=True)
        while (part := await step(parts, None)) is not None:
            yield part


def xlsx_response(table: Table, queryset, title: str, filename: str) -> XlsxStreamingResponse:
    """The list's export: streamed at once, its rows read 2,000 at a time (RPT-2)."""
    chunks = xlsx_stream(table, queryset.iterator(chunk_size=2000), title)
    response = XlsxStreamingResponse(_as_asked(chunks), content_type=CONTENT_TYPE)
    response["X-Accel-Buffering"] = "no"  # a proxy passes the bytes on as they come
    return _named(response, filename)


def _as_asked(chunks: Iterator[bytes]) -> Iterator[bytes]:
    """The chunks made in the request's language and time zone: they are made after the view
    returned, when the middleware has put both back."""
    zone, language = timezone.get_current_timezone(), translation.get_language()

    def made() -> Iterator[bytes]:
        while True:
            with timezone.override(zone), translation.override(language):
                chunk = next(chunks, None)
            if chunk is None:
                return
            yield chunk

    return made()


def xlsx_file_response(handle, filename: str) -> FileResponse:
    """A written .xlsx file as a download named ``<filename>-<time>.xlsx``."""
    handle.seek(0)
    return _named(FileResponse(handle, content_type=CONTENT_TYPE), filename)


def _named(response, filename: str):
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    name = f"{filename}-{stamp}.xlsx"
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(name)}"
    return response
