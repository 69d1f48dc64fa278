"""Which providers a deployment uses 数据源选择: ``AUTOLEASE_PROVIDERS`` names a factory here.

A factory builds the whole `Providers` bundle from the settings. Only ``sandbox`` exists today (the
deterministic sandboxes, tuned by ``provider_latency_ms`` / ``provider_error_rate``). A real
adapter is a class behind the same interface (e.g. a bureau client implementing `CreditBureau`)
plus one line in `FACTORIES`, e.g. ``"pboc": pboc_providers`` building the bundle with the real
bureau and sandboxes for the rest; callers only ever ask `providers_for(settings)`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from backend.providers.base import SandboxBehaviour
from backend.providers.bundle import Providers
from backend.providers.bureau import SandboxBureau
from backend.providers.history import SandboxHistory
from backend.providers.identity import SandboxCarrier, SandboxIdentity
from backend.providers.profile import SandboxProfile
from backend.providers.vehicle_registry import SandboxVehicleRegistry
from backend.settings import Settings

ProvidersFactory = Callable[[Settings], Providers]


def sandbox_providers(
    secret_key: str, *, latency_ms: int = 0, error_rate: float = 0.0, timeout_s: float = 3.0
) -> Providers:
    key = hashlib.sha256(b"sandbox-providers:" + secret_key.encode()).digest()
    b = SandboxBehaviour(key=key, latency_ms=latency_ms, error_rate=error_rate)
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


FACTORIES: dict[str, ProvidersFactory] = {
    "sandbox": _sandbox,
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
