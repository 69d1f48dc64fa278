"""Entry point: `make_main(api_base_url)` gives the `main(page)` that Flet calls per session."""

from __future__ import annotations

import os
from collections.abc import Awaitable, Callable
from pathlib import Path

import flet as ft

from app_mobile.shell import App, ClientHeaders

ASSETS_DIR = Path(__file__).resolve().parent.parent / "assets"
DEFAULT_API_URL = "http://127.0.0.1:8000"


def api_url_from_env() -> str:
    return os.environ.get("AUTOLEASE_API_URL", DEFAULT_API_URL)


def make_main(
    api_base_url: str, client_headers: ClientHeaders | None = None
) -> Callable[[ft.Page], Awaitable[None]]:
    async def main(page: ft.Page) -> None:
        app = App(page, api_base_url, client_headers)
        await app.start()

    return main


def run_desktop() -> None:
    """A desktop window against AUTOLEASE_API_URL (default http://127.0.0.1:8000)."""
    ft.run(make_main(api_url_from_env()), assets_dir=str(ASSETS_DIR))


main = make_main(api_url_from_env())  # what `flet run` / `flet build` look for

if __name__ == "__main__":
    run_desktop()
