"""What a PDF holds, read with pypdf: the fonts its pages embed (``embedded_fonts``), so a test
can prove the Chinese glyphs are embedded rather than drawn as empty boxes; each page's size
(``page_sizes``); and the text each page shows (``pdf_pages``)."""

import re
from io import BytesIO

from pypdf import PdfReader
from pypdf.generic import DictionaryObject

# a space between two Chinese characters
_CJK_GAP = re.compile(r"(?<=[\u3400-\u9fff]) +(?=[\u3400-\u9fff])")


def _fonts(resources: DictionaryObject, seen: set[int]):
    """The font dictionaries of ``resources`` and of the form XObjects it draws."""
    if id(resources) in seen:
        return
    seen.add(id(resources))
    for font in (resources.get("/Font") or {}).values():
        font = font.get_object()
        yield font
        for descendant in font.get("/DescendantFonts", []):
            yield descendant.get_object()
    for xobject in (resources.get("/XObject") or {}).values():
        inner = xobject.get_object().get("/Resources")
        if inner is not None:
            yield from _fonts(inner.get_object(), seen)


def embedded_fonts(data: bytes) -> set[str]:
    """The base font names (subset prefix and all) whose font file the PDF carries."""
    names, seen = set(), set()
    for page in PdfReader(BytesIO(data)).pages:
        for font in _fonts(page.get("/Resources", DictionaryObject()).get_object(), seen):
            descriptor = font.get("/FontDescriptor")
            files = ("/FontFile", "/FontFile2", "/FontFile3")
            if descriptor is not None and any(f in descriptor.get_object() for f in files):
                names.add(str(font["/BaseFont"]).lstrip("/"))
    return names


def has_cjk_font(data: bytes) -> bool:
    return any("CJK" in name and "Noto" in name for name in embedded_fonts(data))


def page_sizes(data: bytes) -> list[tuple[int, int]]:
    """Each page's width and height in whole millimetres (A4 is (210, 297))."""
    return [
        (
            round(float(page.mediabox.width) * 25.4 / 72),
            round(float(page.mediabox.height) * 25.4 / 72),
        )
        for page in PdfReader(BytesIO(data)).pages
    ]


def pdf_pages(data: bytes) -> list[str]:
    """The text of each page as pypdf reads it, a line per line of print. A letter-spaced
    Chinese word (the stamp "已 执 行") reads as the word: Chinese puts no space between
    characters, so a space pypdf infers there from the glyphs' positions is dropped."""
    return [_CJK_GAP.sub("", page.extract_text()) for page in PdfReader(BytesIO(data)).pages]
