"""No rule depends on a check the app never performs: without a face photo the identity provider
is not asked, the facts say the face was not checked, and the face rules stay quiet."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import msgspec

from backend.providers import Providers, sandbox_providers
from backend.risk.facts import ask_providers
from common.decision_facts import identity_section
from common.provider_answers import FaceMatch
from common.rules import compile_ruleset, default_ruleset, evaluate
from common.rules.examples import example_facts
from tests.backend.risk.helpers import LIVENESS_FAILS

VIN = "LSVAB12C0MA000001"


class RecordingIdentity:
    def __init__(self, answer: FaceMatch) -> None:
        self.answer = answer
        self.calls: list[tuple[str, str, str]] = []

    async def face_match(
        self, id_number: str, id_photo_sha256: str, face_photo_sha256: str
    ) -> FaceMatch:
        self.calls.append((id_number, id_photo_sha256, face_photo_sha256))
        return self.answer


def providers_with(identity: RecordingIdentity) -> Providers:
    return replace(sandbox_providers("face-check-test-secret-32-bytes!!"), identity=identity)


async def test_without_a_face_photo_the_identity_provider_is_not_asked():
    identity = RecordingIdentity(FaceMatch(Decimal("40"), False))
    answers, errors = await ask_providers(
        providers_with(identity), "测试", LIVENESS_FAILS, "13900000000", VIN, "idsha", None
    )
    assert identity.calls == [] and answers.face is None and errors == ()
    section = identity_section(answers.face)
    assert section.face_checked is False


async def test_with_a_face_photo_it_is_asked_with_both_photos():
    identity = RecordingIdentity(FaceMatch(Decimal("95"), True))
    answers, _ = await ask_providers(
        providers_with(identity), "测试", LIVENESS_FAILS, "13900000000", VIN, "idsha", "facesha"
    )
    assert identity.calls == [(LIVENESS_FAILS, "idsha", "facesha")]
    assert identity_section(answers.face).face_checked is True


async def test_the_liveness_persona_is_declined_once_a_face_is_checked_and_not_before():
    sandbox = sandbox_providers("face-check-test-secret-32-bytes!!")
    compiled = compile_ruleset(default_ruleset())
    for face_photo, outcome in (("facesha", "declined"), (None, "approved")):
        answers, _ = await ask_providers(
            sandbox, "测试", LIVENESS_FAILS, "13900000000", VIN, "idsha", face_photo
        )
        facts = msgspec.structs.replace(example_facts(), identity=identity_section(answers.face))
        decision = evaluate(compiled, facts)
        assert decision.outcome == outcome
        assert ("liveness_failed" in [r.code for r in decision.reasons]) is (face_photo is not None)
