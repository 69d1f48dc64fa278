"""/api/sandbox: what the sandbox providers did, for the demo and the browser tests.

Mounted only when ``settings.providers == "sandbox"`` (backend/app.py); with any real provider
the routes do not exist (404). Public, like a payment sandbox's test inbox: whoever can reach a
sandbox deployment can read its codes, which is why it never runs with real people's numbers.
"""

from __future__ import annotations

from litestar import get

from backend.db.deps import Db
from backend.providers import sms
from backend.security.pii import PiiCipher
from common.api.sandbox import SandboxSms
from common.errors import DomainError
from common.identity import mask_mobile, validate_mobile

LATEST = 10


@get("/api/sandbox/sms", opt={"public": True}, tags=["sandbox"])
async def sandbox_sms(db: Db, pii: PiiCipher, mobile: str) -> list[SandboxSms]:
    """The newest messages to `mobile` (at most ten), newest first."""
    check = validate_mobile(mobile)
    if not check.valid:
        raise DomainError("mobile_invalid", "手机号码格式不正确", "Not a mainland mobile number")
    return [
        SandboxSms(m.id, mask_mobile(check.value), m.text, m.purpose, m.sent_at)
        for m in await sms.latest(db, pii, check.value, LATEST)
    ]


SANDBOX_ROUTES = [sandbox_sms]
