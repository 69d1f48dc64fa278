"""Composition at the edge: the command that serves both mounts the Flet app; `create_app` never
imports it, and the app's sessions call the API over HTTP at the public URL."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from backend.cli import build_parser
from backend.commands import serve

ROOT = Path(__file__).resolve().parents[3]


@pytest.mark.parametrize(
    ("argv", "with_app"),
    [
        (["demo"], True),  # ./scripts/run serves the app
        (["demo", "--no-app"], False),  # the benchmarks
        (["serve"], False),
        (["serve", "--with-app"], True),
        (["serve", "--no-app"], False),
    ],
)
def test_demo_serves_the_app_unless_told_and_serve_only_when_asked(argv, with_app):
    assert build_parser().parse_args(argv).with_app is with_app


def test_create_app_does_not_import_the_app(settings):
    code = (
        "import sys; from backend.app import create_app; from backend.settings import Settings; "
        "create_app(Settings.from_env()); "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('app_mobile', 'flet')))"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("AUTOLEASE_")}
    env.update(settings.to_env())
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def app_paths(app) -> set[str]:  # type: ignore[no-untyped-def]
    return {route.path for route in app.routes}


@pytest.mark.parametrize(("flag", "mounted"), [("1", True), ("0", False), (None, False)])
def test_the_worker_factory_mounts_the_app_when_the_command_says_so(
    settings, monkeypatch, flag, mounted
):
    for name, value in settings.to_env().items():
        monkeypatch.setenv(name, value)
    if flag is None:
        monkeypatch.delenv(serve.WITH_APP_ENV, raising=False)
    else:
        monkeypatch.setenv(serve.WITH_APP_ENV, flag)
    assert ("/app" in app_paths(serve.worker_app())) is mounted


def test_the_mount_talks_to_the_api_at_the_public_url(settings, monkeypatch):
    seen: list[str] = []
    import app_mobile.web

    real = app_mobile.web.flet_asgi_app

    def spy(api_base_url, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(api_base_url)
        return real(api_base_url, **kwargs)

    monkeypatch.setattr(app_mobile.web, "flet_asgi_app", spy)
    [mount] = serve.app_mounts(settings)
    assert seen == [settings.public_url] and mount.route is not None
