"""A clerk files a partner application 产业链申请 on a phone: a logistics company's freight
advance, with the waybill in place of a vehicle, decided by the freight family's rules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Page

from common.business_day import BUSINESS_TZ
from tests.e2e import browser as b
from tests.e2e import flows

pytestmark = pytest.mark.e2e


def test_a_logistics_company_files_a_freight_advance_with_its_waybill(
    phone: Page, photo_files: dict[str, Path]
) -> None:
    c = flows.Counter(shots=False)
    today = datetime.now(UTC).astimezone(BUSINESS_TZ).date()
    flows.sign_in(phone, "staff", c)
    c.tap(phone, "home-new-application")
    c.tap(phone, "intake-family-freight_advance")
    # the first step asks for the waybill, not the VIN
    b.wait_for(phone, "intake-asset-party-name")
    assert not b.node(phone, "intake-vin").count()
    c.type(phone, "intake-asset-party-name", "广州华南汽车零部件有限公司")
    c.type(phone, "intake-asset-party-uscc", "91440101MA5CJ8WQ3R")
    c.type(phone, "intake-asset-document-number", "SD2026120399001")
    c.type(phone, "intake-asset-route", "广州—长沙")
    c.type(phone, "intake-asset-document-date", "2026-13-01")  # no such month
    c.tap(phone, "intake-next")
    b.wait_text(phone, "error-banner", lambda t: "签收日期" in t and "YYYY-MM-DD" in t)
    c.type(phone, "intake-asset-document-date", (today - timedelta(days=1)).isoformat())
    c.type(phone, "intake-asset-due-date", (today + timedelta(days=45)).isoformat())
    c.type(phone, "intake-asset-amount", "120000")
    b.screenshot(phone, "partner-1-waybill")
    c.tap(phone, "intake-next")

    # the customer is the company, without a person/company choice to make
    b.wait_for(phone, "intake-customer-name")
    assert not b.node(phone, "intake-customer-kind").count()
    c.type(phone, "intake-customer-name", "长沙速运物流有限公司")
    c.type(phone, "intake-customer-id", "91350100M000100Y43")
    c.type(phone, "intake-customer-mobile", "13912345678")
    c.type(phone, "intake-representative-name", "王芳")
    c.type(phone, "intake-representative-id", "11010519491231002X")
    c.tap(phone, "intake-next")

    # the company's licence, the representative's ID and face, and the signed waybill
    b.wait_for(phone, "intake-photo-waybill")
    assert not b.node(phone, "intake-photo-vehicle").count()
    for kind in ("business_licence", "id_front", "id_back", "customer_face", "waybill"):
        c.pick(phone, f"intake-photo-{kind}", photo_files[kind])
        b.wait_text(phone, f"intake-photo-status-{kind}", lambda t: "已上传" in t, timeout_s=20)
    c.tap(phone, "intake-next")

    # quoted on the freight's amount with the freight product: no vehicle price to type
    amount = b.wait_text(phone, "intake-asset-amount", lambda t: "¥" in t)
    assert "120,000" in amount
    b.wait_for(phone, "intake-product-p-freight-advance")
    rate = b.wait_text(phone, "intake-annualised-rate", lambda t: "%" in t, timeout_s=10)
    assert "%" in rate
    assert "保留部分" in b.text_of(phone, "intake-down-payment")  # what is not advanced
    b.screenshot(phone, "partner-2-product")
    c.press_to(phone, "intake-next", "intake-submit")
    review = b.text_of(phone, "intake-review")
    assert "运费垫付" in review and "SD2026120399001" in review
    b.screenshot(phone, "partner-3-review")
    status = flows.submit(phone, flows.Counter(shots=False))
    assert any(word in status for word in ("审核中", "已批准", "已拒绝"))
    b.screenshot(phone, "partner-4-result")
    c.tap(phone, "my-applications")
    b.wait_text(phone, "my-applications-list", lambda t: "运费垫付" in t)
