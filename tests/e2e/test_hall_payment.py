"""The lessee's hall on a phone: the payoff figure and an extension's preview; then 立即还款,
the provider's pay page in a new tab, the result once the provider's notification has been
posted, and the receipt."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from playwright.sync_api import Page
from sqlalchemy import select

from backend.contracts import funding
from backend.db.models import OneTimeCode
from backend.db.session import make_engine, make_sessionmaker
from tests.backend.contracts.flow import CODE, fund, lessee_login, sign
from tests.backend.risk.helpers import CLEAN, file_application, submit
from tests.e2e import browser as b
from tests.e2e.server import RunningBackend, in_own_thread

pytestmark = pytest.mark.e2e
MOBILE = "13911114444"  # no other browser test uses it


def _login_code(backend: RunningBackend) -> str:
    """The newest sign-in code the sandbox texted to MOBILE."""
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        r = httpx.get(f"{backend.base_url}/api/sandbox/sms", params={"mobile": MOBILE})
        for message in r.json():  # newest first
            found = CODE.search(message["text"])
            if message["purpose"].startswith("lessee_login") and found:
                return found.group(1)
        time.sleep(0.2)
    raise AssertionError(f"no sign-in code reached the sandbox inbox: {r.json()}")


def _sign_in(phone: Page, backend: RunningBackend) -> None:
    _backdate_codes(backend)
    b.tap(phone, "login-mode-sms")
    b.type_into(phone, "lessee-mobile", MOBILE)
    b.tap(phone, "lessee-get-code")
    b.wait_text(phone, "lessee-get-code", lambda t: "秒后重新获取" in t)  # the code went out
    b.type_into(phone, "lessee-code", _login_code(backend))
    b.tap(phone, "lessee-submit")


def _active_contract(backend: RunningBackend) -> dict[str, Any]:
    """Filed, approved, signed by the lessee and funded, through the API (the lessee's earlier
    codes backdated first: another test may have just signed one, and a code is one a minute)."""
    _backdate_codes(backend)

    async def work() -> dict[str, Any]:
        async with httpx.AsyncClient(base_url=backend.base_url, timeout=30) as c:
            r = await c.post("/api/auth/login", json={"username": "staff", "password": "demo"})
            staff = {"Authorization": f"Bearer {r.json()['access_token']}"}
            app_id = await file_application(c, staff, CLEAN, mobile=MOBILE)
            assert (await submit(c, staff, app_id))["status"] == "approved"
            made = await c.post(f"/api/applications/{app_id}/contract", headers=staff)
            if made.status_code == 409:  # the contract job made it first
                made = await c.get(f"/api/applications/{app_id}/contract", headers=staff)
                made = await c.get(f"/api/contracts/{made.json()['id']}", headers=staff)
            assert made.status_code == 200, made.text
            contract: dict[str, Any] = made.json()
            lessee = await lessee_login(c, MOBILE, CLEAN)  # type: ignore[arg-type]
            assert (await sign(c, lessee, contract["id"], MOBILE)).status_code == 200  # type: ignore[arg-type]
            engine = make_engine(backend.settings.database_url)
            async with make_sessionmaker(engine)() as db:
                key = await funding.issue_key(db, backend.settings.secret_key, "org-funder",
                                              "e2e", datetime.now(UTC))  # fmt: skip
                await db.commit()
            await engine.dispose()
            r = await fund(c, {"X-Api-Key": key}, contract["id"], contract["principal"])  # type: ignore[arg-type]
            assert r.status_code == 200, r.text
            return contract

    return in_own_thread(work)


def _backdate_codes(backend: RunningBackend) -> None:
    """The earlier sign-ins were "yesterday": the phone may ask for a code now (one a minute)."""

    async def work() -> None:
        engine = make_engine(backend.settings.database_url)
        async with make_sessionmaker(engine)() as db:
            for code in await db.scalars(select(OneTimeCode)):
                code.issued_at -= timedelta(days=1)
                code.window_ends -= timedelta(days=1)
            await db.commit()
        await engine.dispose()

    in_own_thread(work)


def test_the_lessee_sees_a_payoff_figure_and_an_extension_preview(
    phone: Page, backend: RunningBackend, contract: dict[str, Any]
) -> None:
    number = contract["number"]
    _sign_in(phone, backend)
    b.tap(phone, f"hall-payoff-{number}")
    total = b.wait_text(phone, "payoff-total", lambda t: "¥" in t, timeout_s=20)
    assert "结清应付合计" in total and "¥" in total
    b.screenshot(phone, "hall-payoff")
    phone.go_back()
    b.tap(phone, f"hall-extension-{number}")
    b.tap(phone, "ext-6")
    b.wait_for(phone, "ext-compare", timeout_ms=20_000)
    b.screenshot(phone, "hall-extension")
    # (before any rent is paid ahead: an extension waits until such a rent has fallen due)


def test_a_lessee_pays_rent_on_the_phone_and_sees_it_posted(
    phone: Page, backend: RunningBackend, contract: dict[str, Any]
) -> None:
    number, rent = contract["number"], contract["schedule"][0]["amount_due"]
    _sign_in(phone, backend)
    shown = b.wait_text(phone, f"hall-next-{number}", lambda t: "¥" in t, timeout_s=20)
    assert f"¥{rent}" in shown.replace(",", "")
    b.screenshot(phone, "hall-home")
    b.tap(phone, f"hall-pay-{number}")
    b.wait_for(phone, "pay-options")
    b.screenshot(phone, "hall-pay")
    with phone.context.expect_page() as opened:
        b.tap(phone, "pay-confirm")
    pay_page = opened.value
    pay_page.wait_for_load_state()
    assert "微信支付" in pay_page.title()
    pay_page.screenshot(path=str(b.OUTPUT / "hall-pay-page.png"))
    pay_page.get_by_role("button", name="支付").dispatch_event("click")
    pay_page.get_by_text("支付成功").wait_for(timeout=15_000)
    pay_page.close()
    # the app waits for the provider's notification, then shows the posted result
    b.wait_text(phone, "pay-result", lambda t: "还款成功" in t, timeout_s=60)
    b.screenshot(phone, "hall-paid")
    b.tap(phone, "pay-receipt")
    amount = b.wait_text(phone, "receipt-amount", lambda t: "¥" in t)
    assert f"¥{rent}" in amount.replace(",", "")
    b.screenshot(phone, "hall-receipt")
