"""Checkpoints' QR codes (PAT-2), drawn with segno: an SVG for the checkpoint's page, a PNG
for whoever prints one by one, and a printable PDF sheet per site (WeasyPrint, core.pdf)."""

from __future__ import annotations

import io

import segno

from zhiban.core.pdf import render_pdf


def svg(checkpoint, scale: int = 4) -> str:
    """The code as an inline SVG element (no XML declaration)."""
    code = segno.make(checkpoint.token, error="m", micro=False)
    out = io.BytesIO()
    code.save(out, kind="svg", scale=scale, xmldecl=False, svgns=True, border=2)
    return out.getvalue().decode()


def png(checkpoint, scale: int = 8) -> bytes:
    code = segno.make(checkpoint.token, error="m", micro=False)
    out = io.BytesIO()
    code.save(out, kind="png", scale=scale, border=4)
    return out.getvalue()


def sheet_pdf(site, checkpoints) -> bytes:
    """PAT-2: the codes of a site's checkpoints on A4, each with its name and short code, to
    be cut out and put up where the guard must be."""
    cards = [{"checkpoint": c, "svg": svg(c, scale=5)} for c in checkpoints]
    return render_pdf(
        "patrols/qr_sheet_pdf.html", {"site": site, "cards": cards}, tz=site.centre.tz
    )
