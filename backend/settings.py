"""One frozen settings object, read from the environment once (prefix AUTOLEASE_)."""

from __future__ import annotations

import base64
import hashlib
import os
from dataclasses import dataclass, replace
from pathlib import Path

_DEV_SECRET = "autolease-development-secret-change-me-in-production"  # noqa: S105 - demo default; production sets its own


@dataclass(frozen=True)
class Settings:
    database_url: str = "sqlite+aiosqlite:///./data/autolease.db"
    data_dir: Path = Path("./data")
    secret_key: str = _DEV_SECRET  # signs access tokens and upload URLs
    pii_key: str = ""  # base64 32-byte AES-GCM key; derived from secret_key when empty
    access_token_ttl_s: int = 15 * 60
    refresh_token_ttl_s: int = 14 * 24 * 3600
    upload_url_ttl_s: int = 10 * 60
    max_photo_bytes: int = 12 * 1024 * 1024
    login_max_failures: int = 5  # per username in login_window_s, then 429
    login_window_s: int = 15 * 60
    public_url: str = "http://127.0.0.1:8000"  # what the app's API client talks to
    serve_app: bool = True  # mount the Flet web app at /app
    log_level: str = "INFO"
    provider_latency_ms: int = 0  # sandbox providers: simulated round trip
    provider_error_rate: float = 0.0  # sandbox providers: share of calls that fail
    adaptive_job_interval_s: float = 300.0  # how often the adaptive-mode job runs in-process
    audit_signing_key: str = ""  # base64 32-byte Ed25519 seed that signs audit checkpoints
    audit_link_interval_s: float = 1.0  # how often the sequencer links new audit events
    audit_checkpoint_interval_s: float = 60.0  # how often a grown chain gets a signed checkpoint

    @property
    def uses_dev_secret(self) -> bool:
        return self.secret_key == _DEV_SECRET

    @property
    def storage_dir(self) -> Path:
        return self.data_dir / "photos"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    def pii_key_bytes(self) -> bytes:
        if self.pii_key:
            key = base64.b64decode(self.pii_key)
            if len(key) != 32:
                raise ValueError("AUTOLEASE_PII_KEY must be 32 bytes, base64-encoded")
            return key
        return hashlib.sha256(b"pii-encryption:" + self.secret_key.encode()).digest()

    def lookup_key_bytes(self) -> bytes:
        """Key of the keyed hash used to find and deduplicate PII without decrypting it."""
        return hashlib.sha256(b"pii-lookup:" + self.pii_key_bytes()).digest()

    def audit_signing_seed(self) -> bytes | None:
        if not self.audit_signing_key:
            return None
        seed = base64.b64decode(self.audit_signing_key)
        if len(seed) != 32:
            raise ValueError("AUTOLEASE_AUDIT_SIGNING_KEY must be 32 bytes, base64-encoded")
        return seed

    def with_(self, **changes: object) -> Settings:
        return replace(self, **changes)  # type: ignore[arg-type]

    def to_env(self) -> dict[str, str]:
        """The environment that makes `from_env` give these settings back (for worker processes)."""
        return {
            "AUTOLEASE_DATABASE_URL": self.database_url,
            "AUTOLEASE_DATA_DIR": str(self.data_dir),
            "AUTOLEASE_SECRET_KEY": self.secret_key,
            "AUTOLEASE_PII_KEY": self.pii_key,
            "AUTOLEASE_ACCESS_TOKEN_TTL_S": str(self.access_token_ttl_s),
            "AUTOLEASE_REFRESH_TOKEN_TTL_S": str(self.refresh_token_ttl_s),
            "AUTOLEASE_UPLOAD_URL_TTL_S": str(self.upload_url_ttl_s),
            "AUTOLEASE_PUBLIC_URL": self.public_url,
            "AUTOLEASE_SERVE_APP": "1" if self.serve_app else "0",
            "AUTOLEASE_LOG_LEVEL": self.log_level,
            "AUTOLEASE_PROVIDER_LATENCY_MS": str(self.provider_latency_ms),
            "AUTOLEASE_PROVIDER_ERROR_RATE": str(self.provider_error_rate),
            "AUTOLEASE_ADAPTIVE_JOB_INTERVAL_S": str(self.adaptive_job_interval_s),
            "AUTOLEASE_AUDIT_SIGNING_KEY": self.audit_signing_key,
            "AUTOLEASE_AUDIT_LINK_INTERVAL_S": str(self.audit_link_interval_s),
            "AUTOLEASE_AUDIT_CHECKPOINT_INTERVAL_S": str(self.audit_checkpoint_interval_s),
        }

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        base = cls()
        data_dir = Path(env.get("AUTOLEASE_DATA_DIR", str(base.data_dir)))
        default_db = f"sqlite+aiosqlite:///{data_dir / 'autolease.db'}"

        def num(name: str, default: int) -> int:
            return int(env.get(f"AUTOLEASE_{name}", default))

        return cls(
            database_url=env.get("AUTOLEASE_DATABASE_URL", default_db),
            data_dir=data_dir,
            secret_key=env.get("AUTOLEASE_SECRET_KEY", base.secret_key),
            pii_key=env.get("AUTOLEASE_PII_KEY", ""),
            access_token_ttl_s=num("ACCESS_TOKEN_TTL_S", base.access_token_ttl_s),
            refresh_token_ttl_s=num("REFRESH_TOKEN_TTL_S", base.refresh_token_ttl_s),
            upload_url_ttl_s=num("UPLOAD_URL_TTL_S", base.upload_url_ttl_s),
            public_url=env.get("AUTOLEASE_PUBLIC_URL", base.public_url),
            serve_app=env.get("AUTOLEASE_SERVE_APP", "1") not in ("0", "false", "no"),
            log_level=env.get("AUTOLEASE_LOG_LEVEL", base.log_level),
            provider_latency_ms=num("PROVIDER_LATENCY_MS", base.provider_latency_ms),
            provider_error_rate=float(
                env.get("AUTOLEASE_PROVIDER_ERROR_RATE", base.provider_error_rate)
            ),
            adaptive_job_interval_s=float(
                env.get("AUTOLEASE_ADAPTIVE_JOB_INTERVAL_S", base.adaptive_job_interval_s)
            ),
            audit_signing_key=env.get("AUTOLEASE_AUDIT_SIGNING_KEY", ""),
            audit_link_interval_s=float(
                env.get("AUTOLEASE_AUDIT_LINK_INTERVAL_S", base.audit_link_interval_s)
            ),
            audit_checkpoint_interval_s=float(
                env.get("AUTOLEASE_AUDIT_CHECKPOINT_INTERVAL_S", base.audit_checkpoint_interval_s)
            ),
        )
