"""Steps of the intake as a clerk does them, shared by the tests and bench/intake_flow.py.

`Counter` tallies taps and typed fields so the benchmark can report the effort of an application.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from playwright.sync_api import Page
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.e2e import browser as b

PERSON = {"name": "张三", "id": "11010519491231002X", "mobile": "13812345678"}
PHOTO_KINDS = ("id_front", "id_back", "customer_face", "driving_licence", "vehicle")


@dataclass
class Counter:
    taps: int = 0
    typed: int = 0
    shots: bool = True

    def tap(self, page: Page, identifier: str) -> None:
        b.tap(page, identifier)
        self.taps += 1

    def type(self, page: Page, identifier: str, text: str) -> None:
        b.type_into(page, identifier, text)
        self.typed += 1

    def press(self, page: Page, identifier: str) -> None:
        """A tap on the button's own node: on the product step the semantics box of the content
        scrolled under the bottom bar (the down-payment slider) takes pointer clicks that Flutter
        itself would give to the button."""
        b.wait_for(page, identifier).locator("[flt-tappable]").first.dispatch_event("click")
        self.taps += 1

    def press_to(self, page: Page, identifier: str, arrived: str) -> None:
        """`press`, until the node `arrived` shows: a click dispatched while Flutter rebuilds the
        bar under it (a quote landing) reaches a node about to be replaced and is lost; a person
        would tap again, and so does this, only while the button is still there."""
        for _ in range(3):
            self.press(page, identifier)
            try:
                b.wait_for(page, arrived, timeout_ms=5_000)
                return
            except PlaywrightTimeout:
                if not b.node(page, identifier).count():
                    break
        b.wait_for(page, arrived)

    def pick(self, page: Page, identifier: str, file: Path) -> None:
        with page.expect_file_chooser() as chooser:
            b.tap(page, identifier)
        chooser.value.set_files(str(file))
        self.taps += 1

    def shot(self, page: Page, name: str) -> None:
        if self.shots:
            b.screenshot(page, name)


def sign_in(page: Page, username: str, c: Counter | None = None) -> None:
    c = c or Counter(shots=False)
    c.type(page, "login-username", username)
    c.type(page, "login-password", "demo")
    c.tap(page, "login-submit")
    home = page.locator('[flt-semantics-identifier="home-new-application"]')
    banner = page.locator('[flt-semantics-identifier="error-banner"]')
    home.or_(banner).first.wait_for(state="attached")
    if not home.count():
        raise AssertionError(f"sign-in as {username} failed: {b.text_of(page, 'error-banner')}")


def vehicle_by_photo(page: Page, vin_photo: Path, vin: str, c: Counter) -> None:
    c.tap(page, "home-new-application")
    b.wait_for(page, "intake-vin")
    c.pick(page, "intake-vin-photo", vin_photo)
    b.wait_text(page, "intake-vehicle-facts", lambda text: vin in text, timeout_s=15)
    c.shot(page, "1-vehicle")
    c.tap(page, "intake-next")
    b.wait_for(page, "intake-customer-name")


def customer(page: Page, c: Counter) -> None:
    c.type(page, "intake-customer-name", PERSON["name"])
    c.type(page, "intake-customer-id", PERSON["id"])
    c.type(page, "intake-customer-mobile", PERSON["mobile"])
    c.shot(page, "2-customer")
    c.tap(page, "intake-next")
    b.wait_for(page, "intake-photo-id_front")


def _uploaded(text: str) -> bool:
    return "已上传" in text or "Uploaded" in text


def photos(page: Page, files: dict[str, Path], c: Counter) -> None:
    for kind in PHOTO_KINDS:
        c.pick(page, f"intake-photo-{kind}", files[kind])
        b.wait_text(page, f"intake-photo-status-{kind}", _uploaded, timeout_s=20)
    c.shot(page, "3-photos")
    c.tap(page, "intake-next")
    b.wait_for(page, "intake-price")


def product(page: Page, c: Counter) -> tuple[str, str]:
    """The price is typed; the first product that covers the car, its usual term and its
    smallest down payment come pre-selected."""
    c.type(page, "intake-price", "200000")
    rate = b.wait_text(page, "intake-annualised-rate", lambda t: "%" in t, timeout_s=10)
    monthly = b.wait_text(page, "intake-monthly-payment", lambda t: "¥" in t)
    c.shot(page, "4-product")
    c.press_to(page, "intake-next", "intake-submit")
    return rate, monthly


def submit(page: Page, c: Counter) -> str:
    c.shot(page, "5-review")
    c.tap(page, "intake-submit")
    status = b.wait_text(page, "application-status", lambda t: bool(t.strip()), timeout_s=15)
    c.shot(page, "6-result")
    return status
