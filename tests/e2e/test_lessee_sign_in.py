"""A lessee signs in on a phone with an SMS code: invited through the backend (as an approved
contract will), the code read from the sandbox SMS inbox, the ID's last six on the first
sign-in, then the lessee's home."""

from __future__ import annotations

import time

import httpx
import pytest
from playwright.sync_api import Page

from tests.backend.auth.lessee_helpers import CODE, invite
from tests.e2e import browser as b
from tests.e2e.server import RunningBackend, in_own_thread

pytestmark = pytest.mark.e2e

# A sandbox persona's ID number (valid check digit), a number no other browser test uses.
LESSEE = ("王芳", "310104199508150080", "13911112222")


def _invite(backend: RunningBackend) -> None:
    in_own_thread(lambda: invite(backend.settings, LESSEE))


def _code(backend: RunningBackend, timeout_s: float = 15.0) -> str:
    """The sign-in code the sandbox gateway "sent" to the lessee (waits for it to arrive)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        r = httpx.get(f"{backend.base_url}/api/sandbox/sms", params={"mobile": LESSEE[2]})
        r.raise_for_status()
        for message in r.json():
            found = CODE.search(message["text"])
            if message["purpose"] == "lessee_login" and found:
                return found.group(1)
        time.sleep(0.2)
    raise AssertionError("no sign-in code reached the sandbox inbox")


def test_a_lessee_signs_in_with_an_sms_code(phone: Page, backend: RunningBackend) -> None:
    _invite(backend)
    b.tap(phone, "login-mode-sms")
    b.type_into(phone, "lessee-mobile", LESSEE[2])
    b.tap(phone, "lessee-get-code")
    b.wait_text(phone, "lessee-get-code", lambda t: "秒后重新获取" in t)  # the countdown runs
    b.wait_text(phone, "error-banner", lambda t: "验证码已发送" in t)
    b.type_into(phone, "lessee-code", _code(backend))
    b.tap(phone, "lessee-submit")
    b.wait_for(phone, "lessee-id-last6")  # the first sign-in proves the ID
    b.wait_text(phone, "error-banner", lambda t: "后六位" in t)
    b.screenshot(phone, "lessee-sign-in-first-time")
    b.type_into(phone, "lessee-id-last6", LESSEE[1][-6:])
    b.tap(phone, "lessee-submit")
    b.wait_for(phone, "sign-out")
    page_text = phone.locator("flt-semantics-host, body").first.evaluate(
        "e => [e, ...e.querySelectorAll('*')].map(n => (n.getAttribute('aria-label') || '')"
        " + ' ' + (n.children.length ? '' : n.textContent || '')).join(' ')"
    )
    assert "承租人" in page_text and "王*" in page_text, page_text
    b.screenshot(phone, "lessee-home")
