"""`autolease serve` needs two real keys; only `autolease demo` makes its own."""

from __future__ import annotations

import argparse
import base64
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from backend.commands import serve

ROOT = Path(__file__).resolve().parents[3]
GOOD_SECRET = "s" * 32
GOOD_PII = base64.b64encode(b"p" * 32).decode()


def run_serve(tmp_path: Path, **keys: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AUTOLEASE_")}
    env.update(AUTOLEASE_DATA_DIR=str(tmp_path), **keys)
    return subprocess.run(
        [sys.executable, "-m", "backend.cli", "serve", "--no-app", "--port", "1"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("keys", "named"),
    [
        ({}, "AUTOLEASE_SECRET_KEY"),
        ({"AUTOLEASE_SECRET_KEY": "", "AUTOLEASE_PII_KEY": GOOD_PII}, "AUTOLEASE_SECRET_KEY"),
        ({"AUTOLEASE_SECRET_KEY": "short", "AUTOLEASE_PII_KEY": GOOD_PII}, "AUTOLEASE_SECRET_KEY"),
        ({"AUTOLEASE_SECRET_KEY": GOOD_SECRET}, "AUTOLEASE_PII_KEY"),
        ({"AUTOLEASE_SECRET_KEY": GOOD_SECRET, "AUTOLEASE_PII_KEY": ""}, "AUTOLEASE_PII_KEY"),
        ({"AUTOLEASE_SECRET_KEY": GOOD_SECRET, "AUTOLEASE_PII_KEY": "not base64!"}, "PII_KEY"),
        (
            {
                "AUTOLEASE_SECRET_KEY": GOOD_SECRET,
                "AUTOLEASE_PII_KEY": base64.b64encode(b"p" * 16).decode(),
            },
            "AUTOLEASE_PII_KEY",
        ),
        (
            {"AUTOLEASE_SECRET_KEY": "p" * 32, "AUTOLEASE_PII_KEY": GOOD_PII},
            "differ",
        ),
        ({"AUTOLEASE_SECRET_KEY": GOOD_SECRET, "AUTOLEASE_PII_KEY": GOOD_PII},
         "AUTOLEASE_AUDIT_SIGNING_KEY"),
        ({"AUTOLEASE_SECRET_KEY": GOOD_SECRET, "AUTOLEASE_PII_KEY": GOOD_PII,
          "AUTOLEASE_AUDIT_SIGNING_KEY": base64.b64encode(b"a" * 16).decode()},
         "AUTOLEASE_AUDIT_SIGNING_KEY"),
        ({"AUTOLEASE_SECRET_KEY": GOOD_SECRET, "AUTOLEASE_PII_KEY": GOOD_PII,
          "AUTOLEASE_AUDIT_SIGNING_KEY": GOOD_PII}, "differ"),
    ],
)  # fmt: skip
def test_serve_without_good_keys_exits_2_with_one_clear_line(tmp_path, keys, named):
    done = run_serve(tmp_path, **keys)
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and named in lines[0], done.stderr
    assert not (tmp_path / "autolease.db").exists()  # refused before touching anything


def test_serve_with_unknown_providers_exits_2_with_one_line_naming_the_choices(tmp_path):
    done = run_serve(
        tmp_path,
        AUTOLEASE_SECRET_KEY=GOOD_SECRET,
        AUTOLEASE_PII_KEY=GOOD_PII,
        AUTOLEASE_AUDIT_SIGNING_KEY=base64.b64encode(b"a" * 32).decode(),
        AUTOLEASE_PROVIDERS="pboc",
    )
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "AUTOLEASE_PROVIDERS" in lines[0] and "sandbox" in lines[0]
    assert not (tmp_path / "autolease.db").exists()


def demo_args(data_dir: Path) -> argparse.Namespace:
    return argparse.Namespace(
        demo=True, data_dir=data_dir, host="127.0.0.1", port=8000, with_app=False
    )


def test_demo_makes_its_keys_once_keeps_them_private_and_reuses_them(tmp_path):
    first = serve.settings_for(demo_args(tmp_path), env={})
    assert first.key_problem() is None
    keys = tmp_path / "keys.json"
    assert stat.S_IMODE(keys.stat().st_mode) == 0o600
    again = serve.settings_for(demo_args(tmp_path), env={})
    assert (again.secret_key, again.pii_key, again.audit_signing_key) == (
        first.secret_key, first.pii_key, first.audit_signing_key,
    )  # fmt: skip
    other = serve.settings_for(demo_args(tmp_path / "elsewhere"), env={})
    assert other.secret_key != first.secret_key and other.pii_key != first.pii_key


def test_demo_keys_from_before_audit_signing_gain_that_key_and_keep_the_others(tmp_path):
    old = {"secret_key": GOOD_SECRET, "pii_key": GOOD_PII}
    (tmp_path / "keys.json").write_text(json.dumps(old))
    settings = serve.settings_for(demo_args(tmp_path), env={})
    assert (settings.secret_key, settings.pii_key) == (GOOD_SECRET, GOOD_PII)
    assert settings.key_problem() is None
    assert json.loads((tmp_path / "keys.json").read_text())["audit_signing_key"]


def test_demo_data_from_before_the_demo_had_keys_is_set_aside(tmp_path, capsys):
    (tmp_path / "autolease.db").write_bytes(b"encrypted with the old public constant")
    (tmp_path / "photos").mkdir()
    serve.settings_for(demo_args(tmp_path), env={})
    assert not (tmp_path / "autolease.db").exists()
    assert (tmp_path / "before-keys" / "autolease.db").exists()
    assert "before-keys" in capsys.readouterr().out


def test_a_configured_public_url_is_kept():
    args = argparse.Namespace(demo=False, host="0.0.0.0", port=9000, with_app=False)
    env = {"AUTOLEASE_PUBLIC_URL": "https://lease.example.cn"}
    assert serve.settings_for(args, env=env).public_url == "https://lease.example.cn"
    assert serve.settings_for(args, env={}).public_url == "http://127.0.0.1:9000"
