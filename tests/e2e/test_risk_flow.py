"""A risk officer on a desktop browser: approves a referred case, then drafts, simulates and
publishes a rule change and finds it in the history; the clerk sees the decision's reasons."""

from __future__ import annotations

import itertools
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Browser, Page

from tests.app_mobile.risk_cases import THIN_FILE, application_body, jpeg
from tests.e2e import browser as b
from tests.e2e.server import RunningBackend

pytestmark = pytest.mark.e2e

DESKTOP = {"width": 1280, "height": 800}
_SERIAL = itertools.count(777_001)


def file_referred_case(base_url: str, serial: int | None = None) -> tuple[str, str]:
    """The thin-file persona's application, submitted as `staff` over HTTP: (id, vin). A module
    that imports this passes serials of its own (pytest may load this module twice, and a VIN
    filed twice is declined as a duplicate)."""
    body = application_body(THIN_FILE, next(_SERIAL) if serial is None else serial)
    with httpx.Client(base_url=base_url, timeout=15) as http:
        token = http.post("/api/auth/login", json={"username": "staff", "password": "demo"})
        headers = {"Authorization": f"Bearer {token.json()['access_token']}"}
        created = http.post("/api/applications", json=body, headers=headers)
        assert created.status_code == 201, created.text
        app_id: str = created.json()["id"]
        for kind in ("id_front", "id_back", "customer_face", "driving_licence", "vehicle"):
            put = http.put(f"/api/applications/{app_id}/photos/{kind}", content=jpeg(),
                           headers={**headers, "Content-Type": "image/jpeg"})  # fmt: skip
            assert put.status_code == 201, put.text
        decided = http.post(f"/api/applications/{app_id}/submit", headers=headers).json()
    assert decided["decision"]["outcome"] == "referred", decided["decision"]
    return app_id, str(body["vehicle"]["vin"])


def sign_in(page: Page, username: str, landing: str) -> None:
    b.type_into(page, "login-username", username)
    b.type_into(page, "login-password", "demo")
    b.tap(page, "login-submit")
    b.wait_for(page, landing)


def open_route(page: Page, backend: RunningBackend, route: str, landing: str) -> None:
    """Go to a screen by its address (a reload: the session comes back from the device)."""
    page.goto(backend.app_url + route.lstrip("/"))
    b.wait_ready(page)
    b.wait_for(page, landing)


def shots(page: Page, name: str) -> list[Path]:
    """The same screen at desktop and at phone size (risk officers use both)."""
    out = [b.screenshot(page, f"risk-{name}-desktop")]
    page.set_viewport_size(b.PHONE)
    page.wait_for_timeout(500)
    out.append(b.screenshot(page, f"risk-{name}-phone"))
    page.set_viewport_size(DESKTOP)  # type: ignore[arg-type]
    page.wait_for_timeout(300)
    return out


def test_risk_officer_reviews_a_case_and_publishes_a_rule_change(
    chromium: Browser, backend: RunningBackend
) -> None:
    app_id, vin = file_referred_case(backend.base_url)
    context = chromium.new_context(viewport=DESKTOP, device_scale_factor=1)  # type: ignore[arg-type]
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(backend.app_url)
    b.wait_ready(page)
    sign_in(page, "risk", "risk-reviews")
    shots(page, "0-home")

    # the queue: the case with its masked customer and its reasons; then the case itself
    b.tap(page, "risk-reviews")
    card = b.wait_text(page, f"review-case-{app_id}", lambda t: vin in t)
    assert "黄*强" in card and "¥" in card
    shots(page, "1-queue")
    b.tap(page, f"review-case-{app_id}")
    reasons = b.wait_text(page, "decision-reasons", lambda t: "转人工审核" in t)
    assert "征信" in reasons
    assert "规则" in b.text_of(page, "review-trace") or "决策表" in b.text_of(page, "review-trace")
    b.wait_for(page, "review-photo-vehicle")
    shots(page, "2-case")
    b.type_into(page, "review-note", "电话核实收入与工作单位，同意")
    b.tap(page, "review-approve")
    b.wait_text(page, "review-queue", lambda t: vin not in t)
    assert not page.locator(f'[flt-semantics-identifier="review-case-{app_id}"]').count()

    # a draft from the active set: raise the auto-approval line, simulate, publish with a reason
    open_route(page, backend, "/risk/rulesets", "ruleset-new-draft")
    b.tap(page, "ruleset-new-draft")
    b.wait_for(page, "ruleset-param-approve_min_score")
    b.type_into(page, "ruleset-param-approve_min_score", "700")
    b.wait_text(page, "ruleset-state", lambda t: "未保存" in t)
    b.tap(page, "ruleset-simulate")
    sim = b.wait_text(page, "ruleset-simulation", lambda t: "%" in t, timeout_s=20)
    assert sim.split()[0].isdigit()
    shots(page, "3-editor")
    b.tap(page, "ruleset-tab-tables")
    b.wait_for(page, "ruleset-points-vehicle_risk-heavy_truck-0")
    assert "重型货车 (heavy_truck)" in b.text_of(page, "ruleset-row-vehicle_risk-heavy_truck")
    shots(page, "4-tables")
    b.type_into(page, "ruleset-reason", "收紧自动通过分数线至700")
    b.tap(page, "ruleset-publish")  # asks first: one tap publishes nothing
    b.wait_for(page, "ruleset-publish-reason")  # the reason typed beside it, to confirm
    assert page.locator('[flt-semantics-identifier="ruleset-notice"]').count() == 0
    b.tap(page, "ruleset-publish-confirm")
    b.wait_text(page, "ruleset-notice", lambda t: "已发布" in t)

    open_route(page, backend, "/risk/history", "history-list")
    history = b.wait_text(page, "history-list", lambda t: "收紧自动通过分数线至700" in t)
    assert "published" in history
    shots(page, "5-history")
    context.close()


def test_the_clerk_sees_the_decision_and_its_reasons(phone: Page, backend: RunningBackend) -> None:
    app_id, _ = file_referred_case(backend.base_url)
    sign_in(phone, "staff", "my-applications")
    b.tap(phone, "my-applications")
    b.tap(phone, f"application-{app_id}")
    reasons = b.wait_text(phone, "decision-reasons", lambda t: "转人工审核" in t)
    assert "征信" in reasons
    b.screenshot(phone, "staff-decision")
