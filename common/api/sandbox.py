"""Wire types of the sandbox providers' windows (served only with the sandbox providers)."""

from __future__ import annotations

from datetime import datetime

import msgspec


class SandboxSms(msgspec.Struct):
    """One message the sandbox SMS gateway "sent": the text in clear (a code is the point of
    reading it), the number masked."""

    id: str
    mobile: str  # masked: 138****5678
    text: str
    purpose: str
    sent_at: datetime
