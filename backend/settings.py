"""One frozen settings object, read from the environment once (prefix AUTOLEASE_)."""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from dataclasses import dataclass, replace
from pathlib import Path

MIN_KEY_BYTES = 32


@dataclass(frozen=True)
class Settings:
    database_url: str = "sqlite+aiosqlite:///./data/autolease.db"
    data_dir: Path = Path("./data")
    # No usable default for either key: `serve` refuses to start without them (`key_problem`),
    # and only `autolease demo` makes its own (kept in its data directory).
    secret_key: str = ""  # signs access tokens and upload URLs; at least 32 bytes
    pii_key: str = ""  # base64 of the 32-byte AES-GCM key for personal data; never the JWT key
    access_token_ttl_s: int = 15 * 60
    refresh_token_ttl_s: int = 14 * 24 * 3600
    upload_url_ttl_s: int = 10 * 60
    max_photo_bytes: int = 12 * 1024 * 1024
    login_max_failures: int = 5  # per (account, client address) in login_window_s, then 429
    login_window_s: int = 15 * 60
    login_max_per_address: int = 20  # failures from one client address across usernames
    login_max_per_account: int = 50  # failures for one account from anywhere in an hour
    login_account_window_s: int = 3600
    public_url: str = "http://127.0.0.1:8000"  # what the app's API client talks to; upload URLs
    trusted_proxies: tuple[str, ...] = ()  # peers whose X-Forwarded-For/-Proto are believed
    cors_origins: tuple[str, ...] = ()  # origins allowed cross-origin; CORS is off when empty
    max_header_bytes: int = 16 * 1024  # request line and headers together
    log_level: str = "INFO"
    providers: str = "sandbox"  # which providers decide (backend/providers/registry.py)
    provider_latency_ms: int = 0  # sandbox providers: simulated round trip
    provider_error_rate: float = 0.0  # sandbox providers: share of calls that fail
    adaptive_job_interval_s: float = 300.0  # how often the adaptive-mode job runs in-process
    audit_signing_key: str = ""  # base64 32-byte Ed25519 seed that signs audit checkpoints
    audit_link_interval_s: float = 1.0  # how often the sequencer links new audit events
    audit_checkpoint_interval_s: float = 60.0  # how often a grown chain gets a signed checkpoint
    draft_ttl_days: int = 30  # a draft untouched this long is deleted by the sweep
    retention_sweep_interval_s: float = 3600.0  # backend/jobs/retention.py; 0: never
    statement_export_keep_days: int = 7  # a finished statement export's file is kept this long
    # The seal's CA, seal and TSA certificates and keys (backend/trust); default data_dir/trust,
    # where the sandbox makes a demo CA on first use.
    trust_dir: Path | None = None
    contract_job_interval_s: float = 5.0  # approved applications get their contracts; 0: never
    # Payments (backend/payments): the merchant at the provider, its APIv3 key (32 bytes, the
    # AES-256-GCM key of notifications; the sandbox default is public), how often the payment job
    # runs (the sandbox's notifier and the query path; 0: never), the provider's retry schedule
    # scaled (1.0: 15 s, 15 s, 30 s, 3 min, ...), how old a payment is before it is queried.
    payments_merchant_id: str = "1900000109"
    payments_apiv3_key: str = "autolease-sandbox-apiv3-key-0032"
    payments_job_interval_s: float = 5.0
    payments_retry_scale: float = 1.0
    payments_query_after_s: float = 60.0
    # The daily servicing sweep (backend/jobs/servicing_sweep.py): how often each worker looks
    # for a day not yet swept and for reminders whose time has come; 0: never.
    servicing_sweep_interval_s: float = 60.0
    # Monitoring (backend/monitoring/job.py): how often each worker looks for terminals gone
    # silent beyond their SLA (and makes the next days' position partitions); 0: never.
    monitoring_job_interval_s: float = 10.0
    # The daily floor-plan run (backend/floorplan/job.py: month-end interest, curtailments overdue,
    # stock audits, temporary increases): how often each worker looks for a day not yet run.
    floorplan_job_interval_s: float = 60.0
    # The JT/T 808 road (backend/monitoring/jt808_gateway.py): the TCP port terminals connect to
    # (0: off; `autolease demo` listens on 6808), the address it binds, how long a silent
    # connection stays open, and how many connections one worker takes.
    jt808_port: int = 0
    jt808_host: str = "127.0.0.1"
    jt808_idle_timeout_s: float = 300.0
    jt808_max_connections: int = 10_000
    # The MQTT road (backend/monitoring/mqtt_road.py): the broker (mqtt://host:port; "": off),
    # the topic prefix (subscribed: {prefix}/+/positions), credentials, the client id of the
    # persistent session (one subscriber per host; "": autolease-<host name>), and the shared
    # subscription's group that spreads messages over hosts ("": every host gets every message).
    mqtt_url: str = ""
    mqtt_topic_prefix: str = "autolease/telemetry"
    mqtt_username: str = ""
    mqtt_password: str = ""
    mqtt_client_id: str = ""
    mqtt_share_group: str = "autolease"
    # The partner webhook worker (backend/partners/worker.py): how often each worker sends the
    # deliveries that are due; 0: never.
    webhook_job_interval_s: float = 5.0
    # Large statement exports (backend/statements/exports.py): how often each worker looks for a
    # queued job; 0: never.
    statement_export_interval_s: float = 2.0
    # The service assistant (backend/assistant): messages a visitor (not signed in) may send per
    # client address a minute, and whether each worker builds the matching index as it starts
    # (else on the first question, a few seconds).
    assistant_visitor_per_minute: int = 20
    assistant_index_on_start: bool = True

    @property
    def storage_dir(self) -> Path:
        return self.data_dir / "photos"

    @property
    def seal_trust_dir(self) -> Path:
        return self.trust_dir or self.data_dir / "trust"

    @property
    def app_url(self) -> str:
        """Where people open the app (the Flet web app served beside the API at /app)."""
        return self.public_url.rstrip("/") + "/app/"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    def key_problem(self) -> str | None:
        """Why these keys cannot run the service (one line naming the variable), or None."""
        if not self.secret_key:
            return "AUTOLEASE_SECRET_KEY is not set (a random value of at least 32 bytes)"
        if len(self.secret_key.encode()) < MIN_KEY_BYTES:
            return f"AUTOLEASE_SECRET_KEY is shorter than {MIN_KEY_BYTES} bytes"
        if not self.pii_key:
            return "AUTOLEASE_PII_KEY is not set (base64 of 32 random bytes)"
        try:
            pii = base64.b64decode(self.pii_key, validate=True)
        except (binascii.Error, ValueError):
            return "AUTOLEASE_PII_KEY is not valid base64"
        if len(pii) != MIN_KEY_BYTES:
            return f"AUTOLEASE_PII_KEY must decode to {MIN_KEY_BYTES} bytes, not {len(pii)}"
        if pii == self.secret_key.encode() or self.pii_key == self.secret_key:
            return "AUTOLEASE_PII_KEY must differ from AUTOLEASE_SECRET_KEY"
        if not self.audit_signing_key:
            return "AUTOLEASE_AUDIT_SIGNING_KEY is not set (base64 of 32 random bytes)"
        try:
            seed = base64.b64decode(self.audit_signing_key, validate=True)
        except (binascii.Error, ValueError):
            return "AUTOLEASE_AUDIT_SIGNING_KEY is not valid base64"
        if len(seed) != MIN_KEY_BYTES:
            return (
                f"AUTOLEASE_AUDIT_SIGNING_KEY must decode to {MIN_KEY_BYTES} bytes, not {len(seed)}"
            )
        if seed in (pii, self.secret_key.encode()):
            return "AUTOLEASE_AUDIT_SIGNING_KEY must differ from the other keys"
        return None

    def require_keys(self) -> None:
        problem = self.key_problem()
        if problem is not None:
            raise ValueError(problem)

    def pii_key_bytes(self) -> bytes:
        self.require_keys()
        return base64.b64decode(self.pii_key, validate=True)

    def lookup_key_bytes(self) -> bytes:
        """Key of the keyed hash used to find and deduplicate PII without decrypting it."""
        return hashlib.sha256(b"pii-lookup:" + self.pii_key_bytes()).digest()

    def audit_signing_seed(self) -> bytes:
        """The 32-byte Ed25519 seed that signs audit checkpoints."""
        self.require_keys()
        return base64.b64decode(self.audit_signing_key, validate=True)

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
            "AUTOLEASE_TRUSTED_PROXIES": ",".join(self.trusted_proxies),
            "AUTOLEASE_CORS_ORIGINS": ",".join(self.cors_origins),
            "AUTOLEASE_LOG_LEVEL": self.log_level,
            "AUTOLEASE_PROVIDERS": self.providers,
            "AUTOLEASE_PROVIDER_LATENCY_MS": str(self.provider_latency_ms),
            "AUTOLEASE_PROVIDER_ERROR_RATE": str(self.provider_error_rate),
            "AUTOLEASE_ADAPTIVE_JOB_INTERVAL_S": str(self.adaptive_job_interval_s),
            "AUTOLEASE_AUDIT_SIGNING_KEY": self.audit_signing_key,
            "AUTOLEASE_AUDIT_LINK_INTERVAL_S": str(self.audit_link_interval_s),
            "AUTOLEASE_AUDIT_CHECKPOINT_INTERVAL_S": str(self.audit_checkpoint_interval_s),
            "AUTOLEASE_DRAFT_TTL_DAYS": str(self.draft_ttl_days),
            "AUTOLEASE_RETENTION_SWEEP_INTERVAL_S": str(self.retention_sweep_interval_s),
            "AUTOLEASE_STATEMENT_EXPORT_KEEP_DAYS": str(self.statement_export_keep_days),
            "AUTOLEASE_TRUST_DIR": str(self.trust_dir) if self.trust_dir else "",
            "AUTOLEASE_CONTRACT_JOB_INTERVAL_S": str(self.contract_job_interval_s),
            "AUTOLEASE_PAYMENTS_MERCHANT_ID": self.payments_merchant_id,
            "AUTOLEASE_PAYMENTS_APIV3_KEY": self.payments_apiv3_key,
            "AUTOLEASE_PAYMENTS_JOB_INTERVAL_S": str(self.payments_job_interval_s),
            "AUTOLEASE_PAYMENTS_RETRY_SCALE": str(self.payments_retry_scale),
            "AUTOLEASE_PAYMENTS_QUERY_AFTER_S": str(self.payments_query_after_s),
            "AUTOLEASE_SERVICING_SWEEP_INTERVAL_S": str(self.servicing_sweep_interval_s),
            "AUTOLEASE_MONITORING_JOB_INTERVAL_S": str(self.monitoring_job_interval_s),
            "AUTOLEASE_FLOORPLAN_JOB_INTERVAL_S": str(self.floorplan_job_interval_s),
            "AUTOLEASE_JT808_PORT": str(self.jt808_port),
            "AUTOLEASE_JT808_HOST": self.jt808_host,
            "AUTOLEASE_JT808_IDLE_TIMEOUT_S": str(self.jt808_idle_timeout_s),
            "AUTOLEASE_JT808_MAX_CONNECTIONS": str(self.jt808_max_connections),
            "AUTOLEASE_MQTT_URL": self.mqtt_url,
            "AUTOLEASE_MQTT_TOPIC_PREFIX": self.mqtt_topic_prefix,
            "AUTOLEASE_MQTT_USERNAME": self.mqtt_username,
            "AUTOLEASE_MQTT_PASSWORD": self.mqtt_password,
            "AUTOLEASE_MQTT_CLIENT_ID": self.mqtt_client_id,
            "AUTOLEASE_MQTT_SHARE_GROUP": self.mqtt_share_group,
            "AUTOLEASE_WEBHOOK_JOB_INTERVAL_S": str(self.webhook_job_interval_s),
            "AUTOLEASE_STATEMENT_EXPORT_INTERVAL_S": str(self.statement_export_interval_s),
            "AUTOLEASE_ASSISTANT_VISITOR_PER_MINUTE": str(self.assistant_visitor_per_minute),
            "AUTOLEASE_ASSISTANT_INDEX_ON_START": "1" if self.assistant_index_on_start else "0",
        }

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        env = dict(os.environ if env is None else env)
        base = cls()
        data_dir = Path(env.get("AUTOLEASE_DATA_DIR", str(base.data_dir)))
        default_db = f"sqlite+aiosqlite:///{data_dir / 'autolease.db'}"

        def num(name: str, default: int) -> int:
            return int(env.get(f"AUTOLEASE_{name}", default))

        def items(name: str) -> tuple[str, ...]:
            return tuple(
                x.strip() for x in env.get(f"AUTOLEASE_{name}", "").split(",") if x.strip()
            )

        draft_ttl_days = num("DRAFT_TTL_DAYS", base.draft_ttl_days)
        if draft_ttl_days < 1:  # 0 would sweep away the draft a clerk is typing
            raise ValueError("AUTOLEASE_DRAFT_TTL_DAYS must be at least 1")
        return cls(
            database_url=env.get("AUTOLEASE_DATABASE_URL", default_db),
            data_dir=data_dir,
            secret_key=env.get("AUTOLEASE_SECRET_KEY", ""),
            pii_key=env.get("AUTOLEASE_PII_KEY", ""),
            access_token_ttl_s=num("ACCESS_TOKEN_TTL_S", base.access_token_ttl_s),
            refresh_token_ttl_s=num("REFRESH_TOKEN_TTL_S", base.refresh_token_ttl_s),
            upload_url_ttl_s=num("UPLOAD_URL_TTL_S", base.upload_url_ttl_s),
            public_url=env.get("AUTOLEASE_PUBLIC_URL", base.public_url),
            trusted_proxies=items("TRUSTED_PROXIES"),
            cors_origins=items("CORS_ORIGINS"),
            log_level=env.get("AUTOLEASE_LOG_LEVEL", base.log_level),
            providers=env.get("AUTOLEASE_PROVIDERS", base.providers).strip(),
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
            draft_ttl_days=draft_ttl_days,
            retention_sweep_interval_s=float(
                env.get("AUTOLEASE_RETENTION_SWEEP_INTERVAL_S", base.retention_sweep_interval_s)
            ),
            statement_export_keep_days=max(
                1, num("STATEMENT_EXPORT_KEEP_DAYS", base.statement_export_keep_days)
            ),
            trust_dir=Path(env["AUTOLEASE_TRUST_DIR"]) if env.get("AUTOLEASE_TRUST_DIR") else None,
            contract_job_interval_s=float(
                env.get("AUTOLEASE_CONTRACT_JOB_INTERVAL_S", base.contract_job_interval_s)
            ),
            payments_merchant_id=env.get(
                "AUTOLEASE_PAYMENTS_MERCHANT_ID", base.payments_merchant_id
            ),
            payments_apiv3_key=env.get("AUTOLEASE_PAYMENTS_APIV3_KEY", base.payments_apiv3_key),
            payments_job_interval_s=float(
                env.get("AUTOLEASE_PAYMENTS_JOB_INTERVAL_S", base.payments_job_interval_s)
            ),
            payments_retry_scale=float(
                env.get("AUTOLEASE_PAYMENTS_RETRY_SCALE", base.payments_retry_scale)
            ),
            payments_query_after_s=float(
                env.get("AUTOLEASE_PAYMENTS_QUERY_AFTER_S", base.payments_query_after_s)
            ),
            servicing_sweep_interval_s=float(
                env.get("AUTOLEASE_SERVICING_SWEEP_INTERVAL_S", base.servicing_sweep_interval_s)
            ),
            monitoring_job_interval_s=float(
                env.get("AUTOLEASE_MONITORING_JOB_INTERVAL_S", base.monitoring_job_interval_s)
            ),
            floorplan_job_interval_s=float(
                env.get("AUTOLEASE_FLOORPLAN_JOB_INTERVAL_S", base.floorplan_job_interval_s)
            ),
            jt808_port=num("JT808_PORT", base.jt808_port),
            jt808_host=env.get("AUTOLEASE_JT808_HOST", base.jt808_host),
            jt808_idle_timeout_s=float(
                env.get("AUTOLEASE_JT808_IDLE_TIMEOUT_S", base.jt808_idle_timeout_s)
            ),
            jt808_max_connections=num("JT808_MAX_CONNECTIONS", base.jt808_max_connections),
            mqtt_url=env.get("AUTOLEASE_MQTT_URL", base.mqtt_url).strip(),
            mqtt_topic_prefix=env.get("AUTOLEASE_MQTT_TOPIC_PREFIX", base.mqtt_topic_prefix),
            mqtt_username=env.get("AUTOLEASE_MQTT_USERNAME", base.mqtt_username),
            mqtt_password=env.get("AUTOLEASE_MQTT_PASSWORD", base.mqtt_password),
            mqtt_client_id=env.get("AUTOLEASE_MQTT_CLIENT_ID", base.mqtt_client_id),
            mqtt_share_group=env.get("AUTOLEASE_MQTT_SHARE_GROUP", base.mqtt_share_group).strip(),
            webhook_job_interval_s=float(
                env.get("AUTOLEASE_WEBHOOK_JOB_INTERVAL_S", base.webhook_job_interval_s)
            ),
            statement_export_interval_s=float(
                env.get("AUTOLEASE_STATEMENT_EXPORT_INTERVAL_S", base.statement_export_interval_s)
            ),
            assistant_visitor_per_minute=num(
                "ASSISTANT_VISITOR_PER_MINUTE", base.assistant_visitor_per_minute
            ),
            assistant_index_on_start=env.get("AUTOLEASE_ASSISTANT_INDEX_ON_START", "1") != "0",
        )
