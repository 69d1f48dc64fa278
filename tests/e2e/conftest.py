"""Browser tests: the real backend (app mounted at /app) on a free port, headless Chromium."""

from __future__ import annotations

import io
import random
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image, ImageDraw

from tests.e2e import browser
from tests.e2e.server import RunningBackend, start_backend

if not Path(browser.CHROMIUM).exists():
    pytest.skip("Debian chromium is not installed", allow_module_level=True)

from playwright.sync_api import Browser, Page, sync_playwright


@pytest.fixture(scope="session")
def backend(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningBackend]:
    running = start_backend(tmp_path_factory.mktemp("autolease-e2e"))
    yield running
    running.stop()


@pytest.fixture(scope="session")
def contract(backend: RunningBackend) -> dict[str, Any]:
    """The hall's lessee's active contract, made once: the hall pays it, the monitor watches
    its vehicle."""
    from tests.e2e.test_hall_payment import _active_contract

    return _active_contract(backend)


@pytest.fixture(scope="session")
def chromium() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        launched = browser.launch(playwright)
        yield launched
        launched.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    if report.when == "call" and report.failed:
        item.stash[_FAILED] = True
    return report


_FAILED = pytest.StashKey[bool]()


@pytest.fixture
def phone(
    request: pytest.FixtureRequest, chromium: Browser, backend: RunningBackend
) -> Iterator[Page]:
    """A fresh phone-sized browser profile (its own local storage) on the app. A failed test
    leaves the screen it failed on in test-output/e2e/failed-<test>.png."""
    context = chromium.new_context(viewport=browser.PHONE, device_scale_factor=1)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.goto(backend.app_url)
    browser.wait_ready(page)
    yield page
    if request.node.stash.get(_FAILED, False):
        browser.screenshot(page, f"failed-{request.node.name}")
    context.close()


def _document_photo(path: Path, title: str, seed: int) -> Path:
    rng = random.Random(seed)
    image = Image.new("RGB", (1200, 800), (rng.randrange(150, 230), 200, 210))
    draw = ImageDraw.Draw(image)
    draw.rectangle((60, 60, 1140, 740), outline=(30, 30, 30), width=6)
    draw.text((100, 100), title, fill=(10, 10, 10))
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=85)
    path.write_bytes(buf.getvalue())
    return path


@pytest.fixture(scope="session")
def photo_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A VIN-label photo (QR) plus a photo per document kind, as files on disk."""
    from tests.support.vin_photos import make_photo

    folder = tmp_path_factory.mktemp("photos")
    vin_photo = make_photo(11, "qr")
    files = {"vin": folder / "vin-label.jpg"}
    files["vin"].write_bytes(vin_photo.data)
    for seed, kind in enumerate(
        (
            "id_front",
            "id_back",
            "customer_face",
            "driving_licence",
            "vehicle",
            "business_licence",
            "waybill",
        )
    ):
        files[kind] = _document_photo(folder / f"{kind}.jpg", kind, seed)
    (folder / "vin.txt").write_text(vin_photo.vin)
    return files
