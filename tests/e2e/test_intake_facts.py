"""The vehicle facts always belong to the VIN on screen; banners go once the input is fixed;
errors in English when the app is in English (issue 11, bugs 1, 2 and 7)."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.e2e import browser as b
from tests.e2e import flows
from tests.support.vin_photos import make_photo

pytestmark = pytest.mark.e2e

LAVIDA = "LSVAU218XN2183294"  # 2022 朗逸
OLD_VIN = "LNB1444X099318672"  # a 2009 vehicle


def test_retyping_a_vin_after_scanning_another_shows_the_typed_vehicle(
    phone: Page, tmp_path: Path
) -> None:
    photo = tmp_path / "old-vin.jpg"
    photo.write_bytes(make_photo(5, "qr", vin=OLD_VIN).data)
    c = flows.Counter(shots=False)
    flows.sign_in(phone, "staff", c)
    c.tap(phone, "home-new-application")
    c.type(phone, "intake-vin", LAVIDA)
    b.wait_text(phone, "intake-vehicle-facts", lambda t: "朗逸" in t and "2022" in t)
    c.pick(phone, "intake-vin-photo", photo)
    b.wait_text(phone, "intake-vehicle-facts", lambda t: OLD_VIN in t and "2009" in t, 15)
    c.type(phone, "intake-vin", LAVIDA)
    facts = b.wait_text(phone, "intake-vehicle-facts", lambda t: "朗逸" in t, timeout_s=10)
    assert "2022" in facts and "2009" not in facts
    b.screenshot(phone, "vin-retyped")
    c.type(phone, "intake-mileage", "52000")  # a 2022 car in 2026 is proposed as used
    c.tap(phone, "intake-next")  # saves the draft with the facts of the VIN shown
    b.wait_for(phone, "intake-customer-name")
    c.tap(phone, "intake-back")
    facts = b.wait_text(phone, "intake-vehicle-facts", lambda t: LAVIDA in t)
    assert "2022" in facts and "2009" not in facts


def banner_gone(page: Page, timeout_ms: int = 5000) -> bool:
    """The error banner is hidden (its node gone from the tree, or empty)."""
    deadline = timeout_ms
    while deadline > 0:
        banner = page.locator('[flt-semantics-identifier="error-banner"]')
        if banner.count() == 0 or not b.text_of(page, "error-banner").strip():
            return True
        page.wait_for_timeout(100)
        deadline -= 100
    return False


def test_banners_go_once_the_input_is_fixed(phone: Page) -> None:
    flows.sign_in(phone, "staff")
    b.tap(phone, "home-new-application")
    b.type_into(phone, "intake-vin", "LGBK2DEG1JD953893")  # wrong check digit
    b.tap(phone, "intake-next")
    assert "校验位" in b.wait_text(phone, "error-banner", lambda t: "校验位" in t)
    b.type_into(phone, "intake-vin", LAVIDA)
    b.wait_text(phone, "intake-vehicle-facts", lambda t: "2022" in t)
    assert banner_gone(phone)
    b.type_into(phone, "intake-mileage", "52000")
    b.tap(phone, "intake-next")
    b.wait_for(phone, "intake-customer-name")
    b.tap(phone, "intake-next")  # nothing filled in yet
    b.wait_text(phone, "error-banner", lambda t: "姓名" in t)
    b.type_into(phone, "intake-customer-name", flows.PERSON["name"])
    b.type_into(phone, "intake-customer-id", flows.PERSON["id"])
    b.type_into(phone, "intake-customer-mobile", flows.PERSON["mobile"])
    assert banner_gone(phone)
    b.screenshot(phone, "banner-cleared")


def test_errors_are_in_english_when_the_app_is(phone: Page) -> None:
    flows.sign_in(phone, "staff")
    phone.get_by_role("button", name="English").first.dispatch_event("click")
    b.wait_text(phone, "home-new-application", lambda t: "New application" in t, timeout_s=10)
    b.tap(phone, "home-new-application")
    b.type_into(phone, "intake-vin", "LGBK2DEG1JD953893")
    b.wait_text(phone, "intake-vin", lambda t: "check digit" in t)
    b.tap(phone, "intake-next")
    banner = b.wait_text(phone, "error-banner", lambda t: "check digit" in t)
    assert "校验位" not in banner
    b.type_into(phone, "intake-vin", LAVIDA)
    b.type_into(phone, "intake-mileage", "52000")
    b.tap(phone, "intake-next")
    b.wait_for(phone, "intake-customer-name")
    b.tap(phone, "intake-next")
    banner = b.wait_text(phone, "error-banner", lambda t: "name is missing" in t)
    assert "请填写" not in banner
    b.type_into(phone, "intake-customer-id", "440304203006153213")  # born 2030
    b.wait_text(phone, "intake-customer-id", lambda t: "birth date" in t)
    b.screenshot(phone, "english-errors")
