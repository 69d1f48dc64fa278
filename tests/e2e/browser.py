"""Driving the Flet web app in headless Chromium (Debian chromium + Python playwright).

Flutter draws on a canvas; the accessibility tree (turned on by clicking the semantics
placeholder) gives DOM nodes carrying `flt-semantics-identifier` for each ft.Semantics(identifier=).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Browser, Locator, Page, Playwright, ViewportSize

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PHONE: ViewportSize = {"width": 390, "height": 844}
OUTPUT = Path(__file__).resolve().parents[2] / "test-output" / "e2e"


def launch(playwright: Playwright) -> Browser:
    return playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)


def node(page: Page, identifier: str) -> Locator:
    return page.locator(f'[flt-semantics-identifier="{identifier}"]').first


def wait_ready(page: Page, timeout_ms: int = 30_000) -> None:
    """After a (re)load: the Flutter loader gone, the semantics tree switched on."""
    page.wait_for_selector("#loading", state="detached", timeout=timeout_ms)
    placeholder = page.locator("flt-semantics-placeholder")
    placeholder.wait_for(state="attached", timeout=timeout_ms)
    placeholder.dispatch_event("click")
    # the CJK font arrives after the first frame and re-lays the page out: wait for it
    page.evaluate("document.fonts.ready.then(() => true)")
    page.wait_for_timeout(500)


def wait_for(page: Page, identifier: str, timeout_ms: int = 15_000) -> Locator:
    locator = node(page, identifier)
    locator.wait_for(state="attached", timeout=timeout_ms)
    return locator


def tap(page: Page, identifier: str) -> None:
    """Click the tappable node under the identifier (the identifier's own node ignores pointers)."""
    outer = wait_for(page, identifier)
    inner = outer.locator("[flt-tappable]")
    (inner.first if inner.count() else outer).click()


def type_into(page: Page, identifier: str, text: str) -> None:
    """Focus a text field by its identifier and type into it.

    No pointer click: Flutter scrolls on its own and stale semantics boxes may overlap. Once
    focused, Flutter may move the focus to its own editing element; type into whatever has it.
    """
    field = wait_for(page, identifier).locator("input, textarea").first
    field.dispatch_event("click")
    field.focus()
    page.wait_for_timeout(80)
    focused = page.locator("input:focus, textarea:focus")
    (focused.first if focused.count() else field).fill(text)
    page.wait_for_timeout(200)  # let the round trip (live check, re-render) settle before a tap


def field_error(page: Page, identifier: str) -> str:
    """The text field's label, value and error as the accessibility tree reads them."""
    return str(wait_for(page, identifier).evaluate("e => e.innerText + ' ' + e.outerHTML"))


_READ = """e => [e, ...e.querySelectorAll('*')].map(n =>
    [n.getAttribute("aria-label") || "", n.value || "",
     n.children.length ? "" : n.textContent || ""].join(" ")).join(" ")"""


def text_of(page: Page, identifier: str) -> str:
    """Everything the accessibility tree says under the identifier: labels, values, texts."""
    return str(wait_for(page, identifier).evaluate(_READ))


def wait_text(
    page: Page, identifier: str, predicate: Callable[[str], bool], timeout_s: float = 10.0
) -> str:
    deadline = time.monotonic() + timeout_s
    text = ""
    while time.monotonic() < deadline:
        text = text_of(page, identifier)
        if predicate(text):
            return text
        time.sleep(0.1)
    raise AssertionError(f"{identifier}: {text!r} did not match in {timeout_s}s")


def screenshot(page: Page, name: str) -> Path:
    OUTPUT.mkdir(parents=True, exist_ok=True)
    page.wait_for_timeout(400)  # the canvas can lag the DOM by a frame or two
    path = OUTPUT / f"{name}.png"
    page.screenshot(path=str(path))
    return path
