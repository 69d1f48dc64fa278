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


def load_or_create(data_dir: Path) -> tuple[str, str]:
    """(secret_key, pii_key) for the demo in `data_dir`, created on first use."""
    path = data_dir / KEYS_FILE
    if path.exists():
        stored = json.loads(path.read_text())
        return str(stored["secret_key"]), str(stored["pii_key"])
    data_dir.mkdir(parents=True, exist_ok=True)
    keys = {
        "secret_key": base64.urlsafe_b64encode(secrets.token_bytes(48)).decode(),
        "pii_key": base64.b64encode(secrets.token_bytes(32)).decode(),
    }
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        json.dump(keys, f)
    return keys["secret_key"], keys["pii_key"]


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
