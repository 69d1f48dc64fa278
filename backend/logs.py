"""Structured (JSON line) logs with personal data masked in every message."""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, datetime

# Resident IDs / permits (18), USCC (18), mobiles (11): masked wherever they appear in a message.
_ID = re.compile(r"(?<![0-9A-Z])(\d{4})\d{10}([\dX]{4})(?![0-9A-Z])", re.IGNORECASE)
_USCC = re.compile(
    r"(?<![0-9A-Z])([0-9A-HJ-NP-RT-UW-Y]{4})[0-9A-HJ-NP-RT-UW-Y]{10}([0-9A-HJ-NP-RT-UW-Y]{4})(?![0-9A-Z])"
)
_MOBILE = re.compile(r"(?<!\d)(1[3-9]\d)\d{4}(\d{4})(?!\d)")


def mask_text(text: str) -> str:
    text = _ID.sub(r"\1**********\2", text)
    text = _USCC.sub(r"\1**********\2", text)
    return _MOBILE.sub(r"\1****\2", text)


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "at": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "msg": mask_text(record.getMessage()),
        }
        if record.exc_info:
            entry["exc"] = mask_text(self.formatException(record.exc_info))
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(level: str = "INFO") -> None:
    root = logging.getLogger("autolease")
    if any(isinstance(h.formatter, JsonFormatter) for h in root.handlers):
        return
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    root.addHandler(handler)
    root.setLevel(level)
    root.propagate = False
