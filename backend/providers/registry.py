"""The set of providers a deployment uses; today only sandboxes exist."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from backend.providers.base import SandboxBehaviour
from backend.providers.bureau import CreditBureau, SandboxBureau
from backend.providers.history import RepaymentHistorySource, SandboxHistory
from backend.providers.identity import (
    CarrierVerifier,
    IdentityVerifier,
    SandboxCarrier,
    SandboxIdentity,
)
from backend.providers.profile import ProfileSource, SandboxProfile
from backend.providers.vehicle_registry import SandboxVehicleRegistry, VehicleRegistry


@dataclass(frozen=True)
class Providers:
    bureau: CreditBureau
    identity: IdentityVerifier
    carrier: CarrierVerifier
    profile: ProfileSource
    history: RepaymentHistorySource
    vehicles: VehicleRegistry
    timeout_s: float = 3.0  # a provider slower than this counts as unavailable


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
