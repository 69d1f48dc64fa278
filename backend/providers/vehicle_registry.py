"""Vehicle registry 机动车抵押登记: is the vehicle pledged to someone else?"""

from __future__ import annotations

from typing import Protocol

from backend.providers.base import SandboxBehaviour


class VehicleRegistry(Protocol):
    async def pledged(self, vin: str) -> bool: ...


class SandboxVehicleRegistry:
    def __init__(self, behaviour: SandboxBehaviour) -> None:
        self.behaviour = behaviour

    async def pledged(self, vin: str) -> bool:
        dice = await self.behaviour.call("vehicle_registry", vin)
        return dice.chance(0, 0.02)
