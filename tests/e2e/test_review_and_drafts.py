"""On a phone (issue 11, bugs 10-12): a reviewer enlarges a photo, reveals the customer of the case
with an explicit tap and reads the trace by name with its codes; a clerk sees what an abandoned
draft holds and deletes it; after a submit, /intake starts a new application."""

from __future__ import annotations

import itertools
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page

from tests.app_mobile.risk_cases import THIN_FILE, application_body
from tests.e2e import browser as b
from tests.e2e import flows
from tests.e2e.server import RunningBackend
from tests.e2e.test_risk_flow import file_referred_case, sign_in

pytestmark = pytest.mark.e2e
_SERIAL = itertools.count(888_001)


def staff_headers(http: httpx.Client) -> dict[str, str]:
    token = http.post("/api/auth/login", json={"username": "staff", "password": "demo"})
    return {"Authorization": f"Bearer {token.json()['access_token']}"}


def referred_case(base_url: str) -> str:
    """The thin-file persona's application, submitted over HTTP; referred to a person."""
    return file_referred_case(base_url, next(_SERIAL))[0]


def english(page: Page) -> None:
    page.get_by_role("button", name="English").first.dispatch_event("click")
    page.wait_for_timeout(600)


def test_a_reviewer_enlarges_a_photo_and_reveals_the_customer(
    phone: Page, backend: RunningBackend
) -> None:
    app_id = referred_case(backend.base_url)
    sign_in(phone, "risk", "risk-reviews")
    b.tap(phone, "risk-reviews")
    b.tap(phone, f"review-case-{app_id}")
    trace = b.wait_text(phone, "review-trace", lambda t: "征信信号" in t)
    assert "无征信记录 (bureau_signals/thin_file)" in trace  # the label, its code beside it
    masked = b.text_of(phone, "review-id-number")
    assert THIN_FILE not in masked and "*" in masked

    b.tap(phone, "review-photo-vehicle")
    full = b.wait_for(phone, "review-photo-full")
    assert "×" in str(full.get_attribute("aria-label") or b.text_of(phone, "review-photo-full"))
    b.screenshot(phone, "review-photo-full-zh")
    b.tap(phone, "review-photo-close")
    phone.wait_for_timeout(400)
    assert phone.locator('[flt-semantics-identifier="review-photo-full"]').count() == 0

    b.tap(phone, "review-reveal")
    b.wait_text(phone, "review-id-number", lambda t: THIN_FILE in t)
    b.screenshot(phone, "review-revealed-zh")
    english(phone)  # a rebuilt screen is masked again: revealing takes a tap every time
    b.wait_text(phone, "review-trace", lambda t: "Bureau signals" in t)
    assert THIN_FILE not in b.text_of(phone, "review-id-number")
    b.screenshot(phone, "review-case-en")
    phone.mouse.wheel(0, 3000)
    b.screenshot(phone, "review-trace-en")


def a_draft(base_url: str) -> tuple[str, str]:
    """An abandoned draft: vehicle and customer, no photos (id, vin)."""
    body = application_body(THIN_FILE, next(_SERIAL))
    body.pop("quote", None)
    with httpx.Client(base_url=base_url, timeout=15) as http:
        created = http.post("/api/applications", json=body, headers=staff_headers(http))
        assert created.status_code == 201, created.text
    return created.json()["id"], str(body["vehicle"]["vin"])


def test_a_clerk_sees_what_a_draft_holds_and_deletes_it(
    phone: Page, backend: RunningBackend
) -> None:
    app_id, vin = a_draft(backend.base_url)
    sign_in(phone, "staff", "my-applications")
    b.tap(phone, "my-applications")
    row = b.wait_text(phone, f"application-{app_id}", lambda t: vin in t)
    assert "草稿" in row and "已填：车辆 · 客户" in row and "*" in row
    b.screenshot(phone, "drafts-zh")
    english(phone)
    row = b.wait_text(phone, f"application-{app_id}", lambda t: "Filled in" in t)
    b.screenshot(phone, "drafts-en")

    b.tap(phone, f"application-delete-{app_id}")
    b.tap(phone, "draft-delete-confirm")
    b.wait_text(phone, "my-applications-list", lambda t: vin not in t)
    assert phone.locator(f'[flt-semantics-identifier="application-{app_id}"]').count() == 0


def test_intake_after_a_submit_starts_a_new_application(
    phone: Page, backend: RunningBackend, photo_files: dict[str, Path]
) -> None:
    c = flows.Counter()
    flows.sign_in(phone, "staff", c)
    vin = (photo_files["vin"].parent / "vin.txt").read_text()
    flows.vehicle_by_photo(phone, photo_files["vin"], vin, c)
    flows.customer(phone, c)
    flows.photos(phone, photo_files, c)
    flows.product(phone, c)
    flows.submit(phone, c)
    # in the same session (the router, no reload), then after a reload
    phone.evaluate("() => { history.pushState({}, '', '/app/intake');"
                   " dispatchEvent(new PopStateEvent('popstate')); }")  # fmt: skip
    field = b.wait_text(phone, "intake-vin", lambda t: True)
    assert vin not in field, field
    phone.goto(backend.app_url + "intake")
    b.wait_ready(phone)
    assert vin not in b.wait_text(phone, "intake-vin", lambda t: True)
