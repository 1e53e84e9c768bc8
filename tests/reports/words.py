"""The power centre's words, which a hotel desk's or a customer-service centre's report must not
show (each centre kind sees its own words), and the text a report's sections show."""

from __future__ import annotations

POWER_WORDS = [
    "power",
    "substation",
    "ticket",
    "trip",
    "voltage",
    "dispatch",
    "feeder",
    "电力",
    "变电",
    "操作票",
    "工作票",
    "跳闸",
    "调度",
    "供电",
    "失压",
]


def texts(sections) -> str:
    """Every title, label, header, text cell and chart label and series name of the sections."""
    found = []
    for section in sections:
        found.append(str(section.title))
        found += [str(f.label) for f in section.figures]
        for table in section.tables:
            found += [str(table.title)] + [str(h) for h in table.headers]
            found += [str(cell) for row in table.rows for cell in row if isinstance(cell, str)]
        for chart in section.charts:
            found.append(chart["label"])
            found += [str(s.get("name", "")) for s in chart["option"].get("series", [])]
    return "\n".join(found)
