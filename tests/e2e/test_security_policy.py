"""The app and the API docs work in the browser under the Content-Security-Policy we send."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser

from tests.e2e import browser
from tests.e2e.server import RunningBackend

pytestmark = pytest.mark.e2e


def _blocked_own_resources(messages: list[str]) -> list[str]:
    """CSP violations other than the CDN requests the offline build makes and must not make."""
    return [
        m for m in messages
        if "Content Security Policy" in m and "cdn.jsdelivr.net" not in m
    ]  # fmt: skip


def test_the_app_loads_and_reloads_under_its_policy(chromium: Browser, backend: RunningBackend):
    context = chromium.new_context(viewport=browser.PHONE)
    page = context.new_page()
    messages: list[str] = []
    page.on("console", lambda m: messages.append(m.text))
    page.on("pageerror", lambda e: messages.append(str(e)))
    response = page.goto(backend.app_url)
    assert response is not None and "content-security-policy" in response.headers
    browser.wait_ready(page)
    page.get_by_role("textbox").first.wait_for(state="attached")
    page.reload()  # a revalidated page keeps the policy that allows its inline scripts
    browser.wait_ready(page)
    page.get_by_role("textbox").first.wait_for(state="attached")
    assert page.evaluate("crossOriginIsolated") is True
    assert _blocked_own_resources(messages) == []
    context.close()


def test_the_api_docs_render_under_their_policy(chromium: Browser, backend: RunningBackend):
    context = chromium.new_context()
    page = context.new_page()
    messages: list[str] = []
    page.on("console", lambda m: messages.append(m.text))
    page.goto(f"{backend.base_url}/docs")
    page.wait_for_selector(".swagger-ui .info .title", timeout=15_000)
    assert page.locator(".opblock").count() > 5  # the operations were rendered by the script
    assert _blocked_own_resources(messages) == []
    context.close()
