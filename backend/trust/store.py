"""Where a worker gets the seal's trust material: loaded once from ``settings.trust_dir``; in
sandbox mode a demo CA is made there on first use (RSA key generation takes about a second, so
not at start-up, and never for a request that does not seal or verify)."""

from __future__ import annotations

import threading
from pathlib import Path

from backend.trust.ca import FILES, TrustMaterial, ensure_demo_trust, load_trust
from common.errors import DomainError

TRUST_MISSING = DomainError(
    "trust_missing",
    "电子签章证书未配置，暂不能签署或验真",
    "The seal's certificates are not configured",
    status=503,
)


class TrustStore:
    def __init__(self, directory: Path, *, may_create: bool) -> None:
        self.directory = directory
        self.may_create = may_create
        self._material: TrustMaterial | None = None
        self._lock = threading.Lock()

    def material(self) -> TrustMaterial:
        if self._material is None:
            with self._lock:
                if self._material is None:
                    self._material = self._load()
        return self._material

    def _load(self) -> TrustMaterial:
        if all((self.directory / name).exists() for name in FILES):
            return load_trust(self.directory)
        if not self.may_create:
            raise TRUST_MISSING
        return ensure_demo_trust(self.directory)
