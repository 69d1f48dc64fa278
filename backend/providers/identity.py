"""Identity checks: face match + liveness 人脸识别/活体, and the carrier's three-element check
运营商三要素 (name, ID number and mobile belong together; months the number is in service)."""

from __future__ import annotations

from decimal import Decimal
from typing import Protocol

from backend.providers.base import SandboxBehaviour
from common.provider_answers import CarrierCheck, FaceMatch


class IdentityVerifier(Protocol):
    """Compares a photo of the applicant's face with the ID card's and checks it is a live face.
    Asked only when the application has a face photo (``risk.facts``)."""

    async def face_match(
        self, id_number: str, id_photo_sha256: str, face_photo_sha256: str
    ) -> FaceMatch: ...


class CarrierVerifier(Protocol):
    async def three_elements(self, name: str, id_number: str, mobile: str) -> CarrierCheck: ...


class SandboxIdentity:
    def __init__(self, behaviour: SandboxBehaviour) -> None:
        self.behaviour = behaviour

    async def face_match(
        self, id_number: str, id_photo_sha256: str, face_photo_sha256: str
    ) -> FaceMatch:
        persona, dice = await self.behaviour.call_about("identity", id_number)
        if persona is not None:
            return FaceMatch(persona.face_match, persona.liveness)
        score = Decimal(str(round(55 + 45 * dice.unit(0) ** 0.25, 1)))
        return FaceMatch(score, not dice.chance(1, 0.03))


class SandboxCarrier:
    def __init__(self, behaviour: SandboxBehaviour) -> None:
        self.behaviour = behaviour

    async def three_elements(self, name: str, id_number: str, mobile: str) -> CarrierCheck:
        persona, dice = await self.behaviour.call_about(
            "carrier", id_number, f"{id_number}|{mobile}"
        )
        if persona is not None:
            return CarrierCheck(persona.carrier_match, persona.mobile_months)
        return CarrierCheck(
            match=not dice.chance(0, 0.04),
            months_in_service=2 + int(178 * dice.unit(1) ** 0.5),
        )
