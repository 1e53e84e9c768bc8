"""What a PDF embeds: the base font names of its fonts (also inside compressed streams), so a
test can prove the Chinese glyphs are embedded rather than drawn as empty boxes; and the text
each page shows (``pdf_pages``), read through the fonts' ToUnicode maps without poppler."""

import re
import zlib

_FONT = re.compile(rb"/BaseFont\s*/([A-Za-z0-9+\-_]+)")


def embedded_fonts(data: bytes) -> set[str]:
    names = set(_FONT.findall(data))
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            names |= set(_FONT.findall(zlib.decompress(match.group(1))))
        except zlib.error:
            continue
    return {n.decode() for n in names}


def has_cjk_font(data: bytes) -> bool:
    return any("CJK" in name and "Noto" in name for name in embedded_fonts(data))


# --- the text a PDF shows, page by page --------------------------------------------------------
# Enough of PDF for what WeasyPrint writes (objects, object streams, Flate streams, Type0 fonts
# with a ToUnicode map, hex-string TJ/Tj), so tests read the printed Chinese without poppler.

_OBJ = re.compile(rb"(\d+) 0 obj\s*")
_REF = re.compile(rb"/([^\s/<>\[\]()]+)\s+(\d+) 0 R")
_TEXT = re.compile(
    rb"/([^\s/<>\[\]()]+)\s+[-\d.]+\s+Tf|\[((?:<[0-9a-fA-F]*>|[^\]])*)\]\s*TJ|<([0-9a-fA-F]*)>\s*Tj|\bET\b"
)


def _dict_end(data: bytes, start: int) -> int:
    depth, i = 0, start
    while i < len(data):
        pair = data[i : i + 2]
        if pair == b"<<":
            depth, i = depth + 1, i + 2
            continue
        if pair == b">>":
            depth, i = depth - 1, i + 2
            if depth == 0:
                return i
            continue
        i += 1
    return i


def _objects(data: bytes) -> dict[int, tuple[bytes, bytes | None]]:
    """object number → (its dictionary or value, its decoded stream or None)."""
    found: dict[int, tuple[bytes, bytes | None]] = {}
    pos = 0
    while (m := _OBJ.search(data, pos)) is not None:
        start = m.end()
        end = _dict_end(data, start) if data.startswith(b"<<", start) else start
        head, stream = data[start:end], None
        rest = re.match(rb"\s*stream\r?\n", data[end : end + 20])
        if rest and (length := re.search(rb"/Length (\d+)", head)):
            begin = end + rest.end()
            raw = data[begin : begin + int(length.group(1))]
            stream = zlib.decompress(raw) if b"/FlateDecode" in head else raw
            pos = begin + len(raw)
        else:
            close = data.find(b"endobj", start)
            head, pos = data[start:close], close
        found[int(m.group(1))] = (head, stream)
    for head, stream in list(found.values()):
        if b"/ObjStm" in head and stream is not None:
            first = int(re.search(rb"/First (\d+)", head).group(1))
            numbers = [int(n) for n in stream[:first].split()]
            pairs = list(zip(numbers[::2], numbers[1::2], strict=True))
            for i, (number, offset) in enumerate(pairs):
                stop = first + pairs[i + 1][1] if i + 1 < len(pairs) else len(stream)
                found[number] = (stream[first + offset : stop].strip(), None)
    return found


def _unicode_map(cmap: bytes) -> dict[int, str]:
    def text(hexes: bytes) -> str:
        return bytes.fromhex(hexes.decode()).decode("utf-16-be", "replace")

    codes: dict[int, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", cmap, re.S):
        for src, dst in re.findall(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>", block):
            codes[int(src, 16)] = text(dst)
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", cmap, re.S):
        for lo, hi, dst in re.findall(
            rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(<[0-9a-fA-F]*>|\[[^\]]*\])", block
        ):
            targets = re.findall(rb"<([0-9a-fA-F]*)>", dst)
            for n, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                if dst.startswith(b"["):
                    codes[code] = text(targets[n]) if n < len(targets) else ""
                else:
                    first = int(targets[0], 16) + n
                    codes[code] = chr(first) if first < 0x110000 else ""
    return codes


def _refs(value: bytes) -> list[int]:
    return [int(n) for n in re.findall(rb"(\d+) 0 R", value)]


def _page_objects(objects) -> list[int]:
    catalog = next(head for head, _s in objects.values() if b"/Type /Catalog" in head)
    pages: list[int] = []

    def walk(number: int) -> None:
        head = objects[number][0]
        if b"/Type /Pages" in head:
            for kid in _refs(re.search(rb"/Kids\s*\[([^\]]*)\]", head).group(1)):
                walk(kid)
        else:
            pages.append(number)

    walk(int(re.search(rb"/Pages (\d+) 0 R", catalog).group(1)))
    return pages


def page_sizes(data: bytes) -> list[tuple[int, int]]:
    """Each page's width and height in whole millimetres (A4 is (210, 297))."""
    objects = _objects(data)
    sizes = []
    for number in _page_objects(objects):
        box = re.search(rb"/MediaBox\s*\[([^\]]*)\]", objects[number][0]).group(1).split()
        x0, y0, x1, y1 = (float(v) for v in box)
        sizes.append((round((x1 - x0) * 25.4 / 72), round((y1 - y0) * 25.4 / 72)))
    return sizes


def _entry(objects, head: bytes, key: bytes) -> bytes:
    """The value of ``key`` in the dictionary ``head``: inline, or the object it refers to."""
    m = re.search(re.escape(key) + rb"\s*(?:(\d+) 0 R|(<<))", head)
    if m is None:
        return b""
    if m.group(1):
        return objects[int(m.group(1))][0]
    return head[m.start(2) : _dict_end(head, m.start(2))]


def pdf_pages(data: bytes) -> list[str]:
    """The text of each page in reading order of the content stream, one line per text
    block (what ``pdftotext`` shows, near enough for assertions). A page's font names are
    its own: in a file bound from parts the same name may stand for another subset."""
    objects = _objects(data)
    fonts = {
        number: _unicode_map(objects[int(m.group(1))][1] or b"")
        for number, (head, _stream) in objects.items()
        if (m := re.search(rb"/ToUnicode (\d+) 0 R", head))
    }
    by_name = {
        name.decode(): fonts[int(ref)]
        for head, _stream in objects.values()
        for name, ref in _REF.findall(head)
        if int(ref) in fonts
    }
    result = []
    for number in _page_objects(objects):
        head = objects[number][0]
        contents = re.search(rb"/Contents\s*(\[[^\]]*\]|\d+ 0 R)", head).group(1)
        stream = b"".join(objects[ref][1] or b"" for ref in _refs(contents))
        own = _entry(objects, _entry(objects, head, b"/Resources"), b"/Font")
        names = by_name | {
            name.decode(): fonts[int(ref)] for name, ref in _REF.findall(own) if int(ref) in fonts
        }
        lines, line, codes = [], [], {}
        for m in _TEXT.finditer(stream):
            font, array, single = m.group(1), m.group(2), m.group(3)
            if font is not None:
                codes = names.get(font.decode(), {})
            elif array is not None or single is not None:
                hexes = re.findall(rb"<([0-9a-fA-F]*)>", array) if array is not None else [single]
                for h in hexes:
                    line += [codes.get(int(h[i : i + 4], 16), "") for i in range(0, len(h), 4)]
            elif line:
                lines.append("".join(line))
                line = []
        result.append("\n".join(lines))
    return result
