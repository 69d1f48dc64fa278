"""The demo's own keys: made once with `secrets.token_bytes`, kept in its data directory (0600).

Only `autolease demo` calls this; `autolease serve` never makes keys. Reusing the file on later
runs keeps the demo's encrypted customer data readable.
"""

from __future__ import annotations

import base64
import json
import os
import secrets
from pathlib import Path

KEYS_FILE = "keys.json"


def _new_keys() -> dict[str, str]:
    return {
        "secret_key": base64.urlsafe_b64encode(secrets.token_bytes(48)).decode(),
        "pii_key": base64.b64encode(secrets.token_bytes(32)).decode(),
        "audit_signing_key": base64.b64encode(secrets.token_bytes(32)).decode(),
    }


def load_or_create(data_dir: Path) -> dict[str, str]:
    """The demo's keys in `data_dir` (secret_key, pii_key, audit_signing_key), created on first
    use; a key missing from an older file is added to it (the others are kept)."""
    path = data_dir / KEYS_FILE
    stored: dict[str, str] = json.loads(path.read_text()) if path.exists() else {}
    keys = {**_new_keys(), **stored}
    if keys != stored:
        data_dir.mkdir(parents=True, exist_ok=True)
        temp = path.with_name(f".{KEYS_FILE}.tmp")
        temp.unlink(missing_ok=True)
        fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            json.dump(keys, f)
        temp.replace(path)
    return {name: str(keys[name]) for name in _new_keys()}


def set_aside_keyless_data(data_dir: Path) -> Path | None:
    """A demo database from before the demo had keys was encrypted with a public constant: move it
    (and its photos) aside so the demo starts afresh. Returns where it went, if anything moved."""
    if (data_dir / KEYS_FILE).exists() or not (data_dir / "autolease.db").exists():
        return None
    aside = data_dir / "before-keys"
    aside.mkdir(exist_ok=True)
    for name in ("autolease.db", "autolease.db-wal", "autolease.db-shm", "photos"):
        if (data_dir / name).exists():
            (data_dir / name).replace(aside / name)
    return aside
