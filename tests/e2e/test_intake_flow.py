"""A clerk files a complete lease application on a phone-sized browser, in Chinese."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from tests.e2e import browser as b
from tests.e2e import flows
from tests.e2e.server import RunningBackend

pytestmark = pytest.mark.e2e


def test_staff_files_a_complete_application_and_sees_its_status(
    phone: Page, photo_files: dict[str, Path]
) -> None:
    c = flows.Counter()
    b.wait_for(phone, "login-username")
    c.shot(phone, "0-login")
    flows.sign_in(phone, "staff", c)
    c.shot(phone, "0-home")
    vin = (photo_files["vin"].parent / "vin.txt").read_text()
    flows.vehicle_by_photo(phone, photo_files["vin"], vin, c)
    flows.customer(phone, c)
    flows.photos(phone, photo_files, c)
    rate, monthly = flows.product(phone, c)
    assert "%" in rate
    assert "¥" in monthly
    status = flows.submit(phone, c)
    # the decision itself belongs to the rules (issue 5): here it is enough that it left draft
    assert any(word in status for word in ("已提交", "审核中", "已批准", "已拒绝"))
    c.tap(phone, "my-applications")
    listing = b.wait_text(phone, "my-applications-list", lambda t: vin in t)
    assert "草稿" not in listing.split(vin, 1)[1][:20]


def test_a_reload_mid_way_continues_the_draft(phone: Page, backend: RunningBackend) -> None:
    c = flows.Counter(shots=False)
    flows.sign_in(phone, "staff", c)
    c.tap(phone, "home-new-application")
    c.type(phone, "intake-vin", "LGBK2DEG2JD953893")
    c.type(phone, "intake-mileage", "86000")  # a 2018 car: used, so its mileage is asked
    c.tap(phone, "intake-next")
    c.type(phone, "intake-customer-name", "李四")
    phone.wait_for_timeout(600)  # the device copy follows typing after a short pause
    phone.reload()
    b.wait_ready(phone)
    b.wait_for(phone, "intake-customer-name")

    # closing the app: a new browser session with only what the device kept (token + draft)
    kept = phone.context.storage_state()
    assert phone.context.browser is not None
    restarted = phone.context.browser.new_context(viewport=b.PHONE, storage_state=kept)
    page = restarted.new_page()
    page.goto(backend.app_url)
    b.wait_ready(page)
    # signed in without typing a password, and the draft goes on from the customer step with
    # the name kept: only the ID and mobile are missing, so Next leads to the photos
    b.tap(page, "home-continue-draft")
    b.wait_for(page, "intake-customer-name")
    c.type(page, "intake-customer-id", flows.PERSON["id"])
    c.type(page, "intake-customer-mobile", flows.PERSON["mobile"])
    c.tap(page, "intake-next")
    b.wait_for(page, "intake-photo-id_front")
    c.tap(page, "intake-back")
    c.tap(page, "intake-back")
    assert "LGBK2DEG2JD953893" in b.text_of(page, "intake-vehicle-facts")
    restarted.close()


def test_a_bad_vin_and_a_bad_id_say_what_is_wrong(phone: Page) -> None:
    c = flows.Counter(shots=False)
    flows.sign_in(phone, "staff", c)
    c.tap(phone, "home-new-application")
    c.type(phone, "intake-vin", "LGBK2DEG1JD953893")  # check digit should be 2
    b.wait_text(phone, "intake-vin", lambda t: "校验位" in t)
    b.screenshot(phone, "bad-vin")
    c.tap(phone, "intake-next")
    assert "校验位" in b.text_of(phone, "error-banner")
    c.type(phone, "intake-vin", "LGBK2DEG2JD953893")
    c.type(phone, "intake-mileage", "86000")
    c.tap(phone, "intake-next")
    c.type(phone, "intake-customer-id", "110105194912310021")
    b.wait_text(phone, "intake-customer-id", lambda t: "身份证号码校验位不正确" in t)
    b.screenshot(phone, "bad-id")


def test_another_shop_does_not_see_the_application(
    chromium: Browser, backend: RunningBackend, phone: Page
) -> None:
    c = flows.Counter(shots=False)
    flows.sign_in(phone, "staff", c)
    c.tap(phone, "home-new-application")
    c.type(phone, "intake-vin", "LSVAB4F55N2104467")
    c.type(phone, "intake-mileage", "30000")
    c.tap(phone, "intake-next")
    b.wait_for(phone, "intake-customer-name")  # the draft now exists on the server
    c.tap(phone, "intake-back")
    c.tap(phone, "intake-back")
    c.tap(phone, "my-applications")
    b.wait_text(phone, "my-applications-list", lambda t: "LSVAB4F55N2104467" in t)

    other = chromium.new_context(viewport=b.PHONE)
    page = other.new_page()
    page.goto(backend.app_url)
    b.wait_ready(page)
    flows.sign_in(page, "staff2")
    b.tap(page, "my-applications")
    page.wait_for_timeout(500)
    assert "LSVAB4F55N2104467" not in b.text_of(page, "my-applications-list")
    other.close()
