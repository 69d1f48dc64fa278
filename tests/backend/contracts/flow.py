"""Contracts for tests, through the real API: an approved application, its contract, the
lessee signed in with the codes the sandbox SMS gateway "sent", signing and funding."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from litestar.testing import AsyncTestClient

from backend.contracts import funding
from backend.db.session import make_engine, make_sessionmaker
from backend.settings import Settings
from common.business_day import business_date
from common.contracts import CONFIRMATIONS
from tests.backend.helpers import login
from tests.backend.risk.helpers import CLEAN, file_application, submit

CODE = re.compile(r"验证码为 (\d{6})")
Client = AsyncTestClient  # type: ignore[type-arg]


async def approved(
    client: Client, id_number: str = CLEAN, mobile: str | None = None,
    quote: dict[str, Any] | None = None,
) -> str:  # fmt: skip
    staff = await login(client, "staff")
    app_id = await file_application(client, staff, id_number, mobile=mobile, quote=quote)
    view = await submit(client, staff, app_id)
    assert view["status"] == "approved", view["decision"]
    return app_id


async def contract_for(client: Client, app_id: str) -> dict[str, Any]:
    staff = await login(client, "staff")
    r = await client.post(f"/api/applications/{app_id}/contract", headers=staff)
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


async def latest_code(client: Client, mobile: str, purpose: str) -> str:
    r = await client.get("/api/sandbox/sms", params={"mobile": mobile})
    assert r.status_code == 200, r.text
    for message in r.json():
        if message["purpose"].startswith(purpose):
            found = CODE.search(message["text"])
            assert found, message
            return found.group(1)
    raise AssertionError(f"no {purpose} message to {mobile}")


async def lessee_login(client: Client, mobile: str, id_number: str) -> dict[str, str]:
    """Sign in with an SMS code (the first time proving the ID's last six)."""
    r = await client.post("/api/auth/lessee/code", json={"mobile": mobile})
    assert r.status_code == 202, r.text
    code = await latest_code(client, mobile, "lessee_login")
    body = {"mobile": mobile, "code": code, "id_last6": id_number[-6:]}
    r = await client.post("/api/auth/lessee/login", json=body)
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


async def sign(client: Client, lessee: dict[str, str], contract_id: str, mobile: str) -> Any:
    r = await client.post(f"/api/contracts/{contract_id}/sign/otp", headers=lessee)
    assert r.status_code == 202, r.text
    code = await latest_code(client, mobile, "contract_sign")
    body = {"code": code, "confirmations": sorted(CONFIRMATIONS), "device": "pytest"}
    return await client.post(f"/api/contracts/{contract_id}/sign", json=body, headers=lessee)


async def funder_key(settings: Settings, org: str = "org-funder") -> dict[str, str]:
    engine = make_engine(settings.database_url)
    async with make_sessionmaker(engine)() as db:
        key = await funding.issue_key(db, settings.secret_key, org, "tests", datetime.now(UTC))
        await db.commit()
    await engine.dispose()
    return {"X-Api-Key": key}


async def fund(
    client: Client, key: dict[str, str], contract_id: str, amount: str, idem: str = "k1"
) -> Any:
    value_date = business_date(datetime.now(UTC)).isoformat()  # today, in Shanghai
    body = {"amount": amount, "value_date": value_date, "reference": "BANK-0001"}
    return await client.post(f"/api/funder/contracts/{contract_id}/funding", json=body,
                             headers={**key, "Idempotency-Key": idem})  # fmt: skip
