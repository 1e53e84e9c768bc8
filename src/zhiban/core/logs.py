"""Log lines (issue 16): with ZHIBAN_LOG_FORMAT=json one JSON object a line — time, level,
logger, message and the request id of the request or gateway batch being served (the same id
as the audit events it wrote and the ``X-Request-ID`` answer header); plain text otherwise."""

from __future__ import annotations

import logging

from .actors import current_request_id


class RequestId(logging.Filter):
    """Puts the current request's id on every record that has none (None outside a
    request), and drops uvicorn's coloured copy of its message."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            record.request_id = current_request_id() or None
        record.__dict__.pop("color_message", None)
        return True
