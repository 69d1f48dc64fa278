"""`Providers`: the one set of outside services a deployment decides with, one of each kind."""

from __future__ import annotations

from dataclasses import dataclass

from backend.providers.bureau import CreditBureau
from backend.providers.history import RepaymentHistorySource
from backend.providers.identity import CarrierVerifier, IdentityVerifier
from backend.providers.profile import ProfileSource
from backend.providers.vehicle_registry import VehicleRegistry


@dataclass(frozen=True)
class Providers:
    bureau: CreditBureau
    identity: IdentityVerifier
    carrier: CarrierVerifier
    profile: ProfileSource
    history: RepaymentHistorySource
    vehicles: VehicleRegistry
    timeout_s: float = 3.0  # a provider slower than this counts as unavailable
