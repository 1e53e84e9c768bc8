"""Printing (RPT-3, OPS-13): a template rendered to PDF by WeasyPrint with Debian's Noto CJK
fonts embedded, so the Chinese prints on any machine; times are shown in the centre's zone.
Templates extend ``core/pdf_base.html`` (A4, the CJK font stack, "page x of y", ruled
tables). A long file is rendered in parts, each its own WeasyPrint document
(``render_parts``), and the parts are bound into one file (``bind``, pypdf): WeasyPrint keeps
the layout of every page of a document until it writes it (ADR 0006)."""

from __future__ import annotations

import gc
import re
from collections.abc import Callable, Iterable
from io import BytesIO

from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

PDF = "application/pdf"


def css_string(text: str) -> str:
    """``text`` as a quoted CSS string, safe inside a <style> element."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ")
    return f'"{escaped}"'


def page_numbers(pages: str = "counter(pages)") -> str:
    """The CSS ``content`` of the page foot: "第 x 页 共 y 页" (or "Page x of y") with the page
    counter and ``pages`` (the CSS of the total: the document's page count, or e.g.
    ``string(sheets)`` for a part's own count) in place of the placeholders."""
    parts = re.split(r"%\((pages?)\)s", _("Page %(page)s of %(pages)s"))
    return " ".join(
        ("counter(page)" if part == "page" else pages) if i % 2 else css_string(part)
        for i, part in enumerate(parts)
        if part or i % 2
    )


def render_document(template: str, context: dict, *, tz):
    """One HTML document laid out by WeasyPrint (a ``weasyprint.Document``, whose ``pages``
    know the anchors they hold); ``tz`` is the centre's time zone."""
    from weasyprint import HTML

    with timezone.override(tz):
        html = render_to_string(
            template, {"printed": timezone.now(), "page_numbers": page_numbers(), **context}
        )
    return HTML(string=html).render()


def render_pdf(template: str, context: dict, *, tz) -> bytes:
    """One HTML document, one WeasyPrint render; ``tz`` is the centre's time zone."""
    return render_document(template, context, tz=tz).write_pdf()


def render_parts(
    template: str, contexts: Iterable[dict], *, tz, each: Callable | None = None
) -> list[bytes]:
    """Each context rendered as a document of its own, one at a time (``each(document)`` sees
    it laid out, before it is written), so the memory is one part's layout, however many parts.

    The garbage collector: a laid-out document is a web of reference cycles, and WeasyPrint's
    fonts in it hold a copy of each font file (20–27 MB for a Noto CJK face). Each part's is
    collected as soon as it is written, and the objects alive before the first part (Django,
    the data) are frozen out of the collector's passes meanwhile (``gc.freeze``): otherwise
    every full pass walks them all again (~130 ms a pass with a month's tickets loaded)."""
    parts = []
    gc.freeze()
    try:
        for context in contexts:
            document = render_document(template, context, tz=tz)
            if each is not None:
                each(document)
            parts.append(document.write_pdf())
            del document
            gc.collect()
    finally:
        gc.unfreeze()
    return parts


def bind(parts: Iterable[bytes], *, title: str = "") -> bytes:
    """PDF files bound into one, in the order given, titled ``title``. pypdf holds the finished
    pages only, their streams still compressed."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for part in parts:
        writer.append(PdfReader(BytesIO(part)))
    if title:
        writer.add_metadata({"/Title": title})
    # Each part embeds its own subsets of the fonts; those that came out the same (the bold
    # title and stamps, the digits) and other equal objects are kept once.
    writer.compress_identical_objects()
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_response(data: bytes, filename: str) -> HttpResponse:
    """The PDF shown in the browser (``inline``), saved under ``filename``."""
    response = HttpResponse(data, content_type=PDF)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
