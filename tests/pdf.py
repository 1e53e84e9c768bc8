"""What a PDF embeds: the base font names of its fonts (also inside compressed streams), so a
test can prove the Chinese glyphs are embedded rather than drawn as empty boxes."""

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
