"""Which providers a deployment uses 数据源选择: ``AUTOLEASE_PROVIDERS`` names a factory here.

A factory builds the whole `Providers` bundle from the settings. Only ``sandbox`` exists today (the
deterministic sandboxes, tuned by ``provider_latency_ms`` / ``provider_error_rate``). A real
adapter is a class behind the same interface (e.g. a bureau client implementing `CreditBureau`)
plus one line in `FACTORIES`, e.g. ``"pboc": pboc_providers`` building the bundle with the real
bureau and sandboxes for the rest; callers only ever ask `providers_for(settings)`. SMS, which
writes per request, has its own table under the same names (`SMS_SENDERS`, `sms_senders_for`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from backend.clock import Clock, system_clock
from backend.providers.base import SandboxBehaviour
from backend.providers.bundle import Providers
from backend.providers.bureau import SandboxBureau
from backend.providers.history import SandboxHistory
from backend.providers.identity import SandboxCarrier, SandboxIdentity
from backend.providers.profile import SandboxProfile
from backend.providers.sms import SandboxSms, SmsSenderFactory
from backend.providers.vehicle_registry import SandboxVehicleRegistry
from backend.security.pii import PiiCipher
from backend.settings import Settings

ProvidersFactory = Callable[[Settings], Providers]
SmsFactory = Callable[[Settings, PiiCipher, Clock], SmsSenderFactory]


def _sandbox_key(secret_key: str) -> bytes:
    return hashlib.sha256(b"sandbox-providers:" + secret_key.encode()).digest()


def sandbox_providers(
    secret_key: str, *, latency_ms: int = 0, error_rate: float = 0.0, timeout_s: float = 3.0
) -> Providers:
    b = SandboxBehaviour(key=_sandbox_key(secret_key), latency_ms=latency_ms, error_rate=error_rate)
    return Providers(
        bureau=SandboxBureau(b),
        identity=SandboxIdentity(b),
        carrier=SandboxCarrier(b),
        profile=SandboxProfile(b),
        history=SandboxHistory(b),
        vehicles=SandboxVehicleRegistry(b),
        timeout_s=timeout_s,
    )


def _sandbox(settings: Settings) -> Providers:
    return sandbox_providers(
        settings.secret_key,
        latency_ms=settings.provider_latency_ms,
        error_rate=settings.provider_error_rate,
    )


def _sandbox_sms(settings: Settings, pii: PiiCipher, clock: Clock) -> SmsSenderFactory:
    behaviour = SandboxBehaviour(
        _sandbox_key(settings.secret_key),
        latency_ms=settings.provider_latency_ms,
        error_rate=settings.provider_error_rate,
    )
    return lambda db: SandboxSms(db, pii, behaviour, clock)


FACTORIES: dict[str, ProvidersFactory] = {
    "sandbox": _sandbox,
}
SMS_SENDERS: dict[str, SmsFactory] = {
    "sandbox": _sandbox_sms,
}


def providers_problem(name: str) -> str | None:
    """Why ``AUTOLEASE_PROVIDERS`` cannot be used (one line), or None."""
    if name in FACTORIES:
        return None
    known = "|".join(sorted(FACTORIES))
    return f"AUTOLEASE_PROVIDERS={name!r} is not one of {known}"


def providers_for(settings: Settings) -> Providers:
    """The bundle the settings select; raises ValueError (the one line) for an unknown name."""
    problem = providers_problem(settings.providers)
    if problem is not None:
        raise ValueError(problem)
    return FACTORIES[settings.providers](settings)


def sms_senders_for(
    settings: Settings, pii: PiiCipher, clock: Clock = system_clock
) -> SmsSenderFactory:
    """The SMS sender the settings select, made per request; ValueError (one line) for a name
    without one: a deployment never falls back to the sandbox's outbox."""
    factory = SMS_SENDERS.get(settings.providers)
    if factory is None:
        known = "|".join(sorted(SMS_SENDERS))
        raise ValueError(f"AUTOLEASE_PROVIDERS={settings.providers!r} has no SMS sender ({known})")
    return factory(settings, pii, clock)
