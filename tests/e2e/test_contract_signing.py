"""A lessee signs a contract on a phone: signed in with an SMS code, opens 我的合同, reads the
rate by IRR and the schedule, ticks the confirmations, gets a signing code, signs, and sees the
seal checked."""

from __future__ import annotations

import time
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page

from tests.backend.contracts.flow import CODE
from tests.backend.risk.helpers import CLEAN_3, file_application, submit
from tests.e2e import browser as b
from tests.e2e.server import RunningBackend, in_own_thread

pytestmark = pytest.mark.e2e
MOBILE = "13911113333"  # no other browser test uses it


def _contract(backend: RunningBackend) -> dict[str, Any]:
    async def work() -> dict[str, Any]:
        async with httpx.AsyncClient(base_url=backend.base_url, timeout=30) as c:
            r = await c.post("/api/auth/login", json={"username": "staff", "password": "demo"})
            staff = {"Authorization": f"Bearer {r.json()['access_token']}"}
            app_id = await file_application(c, staff, CLEAN_3, mobile=MOBILE)
            assert (await submit(c, staff, app_id))["status"] == "approved"
            made = await c.post(f"/api/applications/{app_id}/contract", headers=staff)
            assert made.status_code == 200, made.text
            contract: dict[str, Any] = made.json()
            return contract

    return in_own_thread(work)


def _code(backend: RunningBackend, purpose: str, seen: set[str]) -> str:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        r = httpx.get(f"{backend.base_url}/api/sandbox/sms", params={"mobile": MOBILE})
        for message in r.json():
            found = CODE.search(message["text"])
            if message["purpose"].startswith(purpose) and found and message["id"] not in seen:
                seen.add(message["id"])
                return found.group(1)
        time.sleep(0.2)
    raise AssertionError(f"no {purpose} code reached the sandbox inbox: {r.json()}")


def test_a_lessee_reads_and_signs_the_contract_on_the_phone(
    phone: Page, backend: RunningBackend
) -> None:
    contract = _contract(backend)
    seen: set[str] = set()
    b.tap(phone, "login-mode-sms")
    b.type_into(phone, "lessee-mobile", MOBILE)
    b.tap(phone, "lessee-get-code")
    b.screenshot(phone, "lessee-get-code")
    b.wait_text(phone, "lessee-get-code", lambda t: "秒后重新获取" in t)  # the code went out
    b.type_into(phone, "lessee-code", _code(backend, "lessee_login", seen))
    b.tap(phone, "lessee-submit")
    b.wait_for(phone, "lessee-id-last6")
    b.type_into(phone, "lessee-id-last6", CLEAN_3[-6:])
    b.tap(phone, "lessee-submit")
    card = f"contract-{contract['number']}"
    b.wait_text(phone, card, lambda t: "待签署" in t)
    b.screenshot(phone, "lessee-contracts")
    b.tap(phone, card)
    irr = b.wait_text(phone, "contract-irr", lambda t: "%" in t)
    assert contract["annualised_rate_percent"] in irr.replace(",", "")
    schedule = b.text_of(phone, "contract-schedule")
    assert schedule.count(";") == 35  # all 36 instalments
    b.screenshot(phone, "contract-detail")
    for key in ("read_contract", "understand_rate", "own_intent"):
        b.tap(phone, f"confirm-{key}")
    b.tap(phone, "sign-get-code")
    b.wait_text(phone, "sign-get-code", lambda t: "秒后可重发" in t)
    b.type_into(phone, "sign-code", _code(backend, "contract_sign", seen))
    b.tap(phone, "sign-now")
    b.wait_text(phone, "sign-result", lambda t: "合同已签署" in t, timeout_s=30)
    b.screenshot(phone, "contract-signed")
