"""The product step on a phone: the products that cover the car, choices within the product, and
a down payment outside it said on the field (bug 6), in Chinese and in English."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page

from tests.e2e import browser as b
from tests.e2e import flows

pytestmark = pytest.mark.e2e

NEW_CAR = "intake-product-p-new-direct-36"


def _to_the_product_step(page: Page, files: dict[str, Path]) -> flows.Counter:
    c = flows.Counter(shots=False)
    flows.sign_in(page, "staff", c)
    vin = (files["vin"].parent / "vin.txt").read_text()
    flows.vehicle_by_photo(page, files["vin"], vin, c)
    flows.customer(page, c)
    flows.photos(page, files, c)
    return c


def test_the_product_step_offers_choices_within_the_product(
    phone: Page, photo_files: dict[str, Path]
) -> None:
    c = _to_the_product_step(phone, photo_files)
    # a new passenger car: only the new-car product covers it, pre-selected
    b.wait_for(phone, NEW_CAR)
    assert not phone.locator('[flt-semantics-identifier="intake-product-p-used-leaseback"]').count()
    c.type(phone, "intake-price", "200000")
    rate = b.wait_text(phone, "intake-annualised-rate", lambda t: "%" in t, timeout_s=10)
    # 20 % down pre-selected, the product's least: ¥160,000 financed
    assert "160,000.00" in b.text_of(phone, "intake-financed")
    assert "¥" in b.text_of(phone, "intake-monthly-payment")
    assert "¥" in b.text_of(phone, "intake-product-total-cost")
    b.screenshot(phone, "product-zh")

    c.type(phone, "intake-down-payment", "250000")  # bug 6: above the price
    b.wait_text(phone, "intake-down-payment", lambda t: "首付须低于车价" in t)
    b.wait_text(phone, "intake-annualised-rate", lambda t: "—" in t)  # no stale figures
    b.screenshot(phone, "product-down-payment-above-price")
    c.type(phone, "intake-down-payment", "130000")  # above the product's 60 %
    b.wait_text(phone, "intake-down-payment", lambda t: "首付最多为车价的60%" in t)

    c.type(phone, "intake-down-payment", "60000")
    b.wait_text(phone, "intake-annualised-rate", lambda t: "%" in t, timeout_s=10)
    c.press(phone, "intake-term-12")
    b.wait_text(phone, "intake-annualised-rate", lambda t: "%" in t and t != rate, timeout_s=10)
    c.press_to(phone, "intake-next", "intake-submit")
    review = b.text_of(phone, "intake-review")
    assert "新车直租 36期" in review and "¥140,000.00" in review  # financed: 200,000 - 60,000
    b.screenshot(phone, "product-review-zh")


def test_the_product_step_reads_in_english(phone: Page, photo_files: dict[str, Path]) -> None:
    b.wait_for(phone, "login-username")
    phone.get_by_role("button", name="English").first.dispatch_event("click")
    phone.get_by_role("button", name="中文").first.wait_for()  # the login screen is rebuilt
    phone.wait_for_timeout(300)
    c = _to_the_product_step(phone, photo_files)
    b.wait_for(phone, NEW_CAR)
    assert "New car direct lease" in b.text_of(phone, NEW_CAR)
    c.type(phone, "intake-price", "200000")
    b.wait_text(phone, "intake-annualised-rate", lambda t: "%" in t, timeout_s=10)
    c.type(phone, "intake-down-payment", "250000")
    b.wait_text(phone, "intake-down-payment", lambda t: "Must be below the price" in t)
    b.screenshot(phone, "product-en")
