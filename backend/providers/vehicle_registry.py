"""Vehicle registry 机动车抵押登记: is the vehicle pledged to someone else?"""

from __future__ import annotations

from typing import Protocol

from backend.providers.base import SandboxBehaviour

# Like a payment sandbox's test cards: a VIN whose serial (its last six characters) starts with
# these is registered as pledged; every other VIN is free. Fixed, not drawn, so the demo's cases
# are decided as their labels say on every installation.
PLEDGED_SERIAL_PREFIX = "99"


class VehicleRegistry(Protocol):
    async def pledged(self, vin: str) -> bool: ...


class SandboxVehicleRegistry:
    def __init__(self, behaviour: SandboxBehaviour) -> None:
        self.behaviour = behaviour

    async def pledged(self, vin: str) -> bool:
        await self.behaviour.call("vehicle_registry", vin)  # its latency and outages
        return vin[-6:].startswith(PLEDGED_SERIAL_PREFIX)
