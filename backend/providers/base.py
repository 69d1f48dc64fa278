"""What every provider shares: the outage error and the sandbox's deterministic dice."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
from dataclasses import dataclass

from backend.providers.personas import PERSONAS, Persona


class ProviderUnavailable(Exception):
    """The provider did not answer usefully (timeout, 5xx, maintenance). Never a verdict on the
    applicant: the decision falls back to a person (``provider_unavailable``)."""

    def __init__(self, provider: str, code: str = "timeout") -> None:
        super().__init__(f"{provider}: {code}")
        self.provider = provider
        self.code = code


class Dice:
    """Deterministic pseudo-random draws from a keyed hash of one subject (an ID number, a VIN).

    Keyed so the demo data of one installation varies from another's and cannot be predicted
    from the public ID number alone; the same subject always draws the same values.
    """

    def __init__(self, key: bytes, subject: str, purpose: str) -> None:
        self._digest = hmac.new(key, f"{purpose}:{subject}".encode(), hashlib.sha256).digest()

    def unit(self, slot: int) -> float:
        """A draw in [0, 1) from two bytes of the digest (slot 0..15)."""
        i = (slot % 16) * 2
        return int.from_bytes(self._digest[i : i + 2], "big") / 65536

    def between(self, slot: int, lo: int, hi: int) -> int:
        """An integer in [lo, hi]."""
        return lo + int(self.unit(slot) * (hi - lo + 1))

    def chance(self, slot: int, p: float) -> bool:
        return self.unit(slot) < p


@dataclass(frozen=True)
class SandboxBehaviour:
    """How a sandbox imitates the real service: per-call latency and an outage rate."""

    key: bytes
    latency_ms: int = 0
    error_rate: float = 0.0  # share of subjects for which the provider is "down"

    async def call(self, provider: str, subject: str, forced_down: bool = False) -> Dice:
        """Wait like the real service would, fail like it would, then hand out the dice."""
        dice = Dice(self.key, subject, provider)
        if self.latency_ms:
            # jitter of up to 50 % so concurrent calls do not line up
            await asyncio.sleep(self.latency_ms * (1 + dice.unit(15) / 2) / 1000)
        if forced_down or (self.error_rate and dice.chance(14, self.error_rate)):
            raise ProviderUnavailable(provider)
        return dice

    async def call_about(
        self, provider: str, id_number: str, subject: str | None = None
    ) -> tuple[Persona | None, Dice]:
        """`call` for one applicant: a documented persona's fixed answers (and outages) win."""
        persona = PERSONAS.get(id_number)
        down = persona is not None and provider in persona.down
        return persona, await self.call(provider, subject or id_number, forced_down=down)
