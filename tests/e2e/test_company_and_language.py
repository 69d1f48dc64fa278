"""A company lessee with a typed VIN, and the English switch."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.e2e import browser as b
from tests.e2e import flows

pytestmark = pytest.mark.e2e

TYPED_VIN = "LSVAU218XN2183294"  # SAIC Volkswagen, model year 2022: one catalogue model


def test_a_company_files_with_a_typed_vin_and_its_business_licence(
    phone: Page, photo_files: dict[str, Path]
) -> None:
    c = flows.Counter(shots=False)
    flows.sign_in(phone, "staff", c)
    c.tap(phone, "home-new-application")
    c.type(phone, "intake-vin", TYPED_VIN)
    # the server decodes the typed VIN like a scan and proposes the catalogue model
    facts = b.wait_text(phone, "intake-vehicle-facts", lambda t: "朗逸" in t, timeout_s=10)
    assert "2022" in facts
    c.type(phone, "intake-mileage", "52000")  # a 2022 car in 2026 is proposed as used
    c.tap(phone, "intake-next")
    b.wait_for(phone, "intake-customer-kind")
    phone.get_by_role("button", name="企业").first.dispatch_event("click")
    b.wait_text(phone, "intake-customer-id", lambda t: "统一社会信用代码" in t, timeout_s=10)
    c.type(phone, "intake-customer-name", "速达物流有限公司")
    c.type(phone, "intake-customer-id", "91350100M000100Y43")
    c.type(phone, "intake-customer-mobile", "13912345678")
    # the company's authorised person, who will sign for it
    c.type(phone, "intake-representative-name", "王芳")
    c.type(phone, "intake-representative-id", "11010519491231002X")
    c.tap(phone, "intake-next")
    b.wait_for(phone, "intake-photo-business_licence")
    # the licence, the legal representative's ID card (both sides) and the vehicle
    for kind in ("business_licence", "id_front", "id_back", "customer_face", "vehicle"):
        c.pick(phone, f"intake-photo-{kind}", photo_files[kind])
        b.wait_text(phone, f"intake-photo-status-{kind}", lambda t: "已上传" in t, timeout_s=20)
    b.screenshot(phone, "company-photos")
    c.tap(phone, "intake-next")
    flows.product(phone, flows.Counter(shots=False))
    status = flows.submit(phone, flows.Counter(shots=False))
    assert any(word in status for word in ("审核中", "已批准", "已拒绝"))


def test_the_app_switches_to_english(phone: Page) -> None:
    flows.sign_in(phone, "staff")
    phone.get_by_role("button", name="English").first.dispatch_event("click")
    b.wait_text(phone, "home-new-application", lambda t: "New application" in t, timeout_s=10)
    b.screenshot(phone, "home-english")
    phone.get_by_role("button", name="中文").first.dispatch_event("click")
    b.wait_text(phone, "home-new-application", lambda t: "新建进件" in t, timeout_s=10)


def test_a_dealer_sees_the_shops_applications(phone: Page) -> None:
    flows.sign_in(phone, "dealer")  # lands on a home with "new application"
    b.tap(phone, "my-applications")
    b.wait_for(phone, "my-applications-list")
