"""Signed checkpoints: anyone with the public key alone can check one, and a log rewritten
wholesale (every hash recomputed) fails against a checkpoint published before."""

from __future__ import annotations

import base64
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from backend.audit import service as audit
from backend.audit.chain import GENESIS
from backend.audit.checkpoint import Checkpoint, CheckpointSigner, verify_checkpoint
from backend.db.models import AuditCheckpoint, AuditEvent, AuditHead
from backend.db.session import make_engine, make_sessionmaker
from tests.backend.audit.test_chain import append

NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
SIGNER = CheckpointSigner(bytes(range(32)))


@pytest.fixture
async def db(client, settings):
    engine = make_engine(settings.database_url)
    async with make_sessionmaker(engine)() as session:
        await session.execute(sa.delete(AuditEvent))
        await session.execute(sa.delete(AuditHead))
        await session.execute(sa.delete(AuditCheckpoint))
        await session.commit()
        await append(session, 4)
        await audit.link_all(session)
        yield session
    await engine.dispose()


def test_a_checkpoint_verifies_with_the_public_key_alone():
    cp = SIGNER.sign(7, "a" * 64, NOW)
    document = Checkpoint.from_json(cp.to_json())  # what a lessee or auditor keeps
    assert verify_checkpoint(document, SIGNER.public_key_pem)


@pytest.mark.parametrize("field", ["position", "head_hash", "at"])
def test_a_changed_checkpoint_fails(field):
    cp = SIGNER.sign(7, "a" * 64, NOW).to_json()
    cp[field] = {"position": 8, "head_hash": "b" * 64, "at": "2026-12-02T12:00:00+00:00"}[field]
    assert not verify_checkpoint(Checkpoint.from_json(cp), SIGNER.public_key_pem)


def test_another_key_does_not_verify_it():
    other = CheckpointSigner(b"\x01" * 32)
    assert not verify_checkpoint(SIGNER.sign(7, "a" * 64, NOW), other.public_key_pem)


async def test_a_checkpoint_seals_the_head_once_until_the_chain_grows(db):
    first = await audit.checkpoint(db, SIGNER, NOW)
    head = await db.get(AuditHead, 1)
    assert first is not None and (first.position, first.head_hash) == (4, head.hash)
    assert await audit.checkpoint(db, SIGNER, NOW) is None  # nothing new to seal
    await append(db, 1, start=4)
    await audit.link_all(db)
    second = await audit.checkpoint(db, SIGNER, NOW)
    assert second is not None and second.position == 5
    report = await audit.verify(db, SIGNER.public_key_pem)
    assert report.ok and report.checkpoints_checked == 2


async def test_a_rewritten_log_fails_against_the_checkpoint(db):
    await audit.checkpoint(db, SIGNER, NOW)
    # The attacker edits event 2 and recomputes every hash after it, head included.
    await db.execute(sa.update(AuditEvent).where(AuditEvent.position == 2).values(entity_id="x"))
    await db.execute(sa.update(AuditEvent).values(position=None, prev_hash=None, hash=None))
    await db.execute(sa.update(AuditHead).values(seq=0, hash=GENESIS))
    await db.commit()
    await audit.link_all(db)
    report = await audit.verify(db, SIGNER.public_key_pem)
    assert not report.ok and report.problem == "chain differs from a signed checkpoint"


async def test_a_forged_checkpoint_signature_is_named(db):
    await audit.checkpoint(db, SIGNER, NOW)
    forged = base64.urlsafe_b64encode(b"\0" * 64).rstrip(b"=").decode()
    await db.execute(sa.update(AuditCheckpoint).values(signature=forged))
    report = await audit.verify(db, SIGNER.public_key_pem)
    assert not report.ok and report.problem == "checkpoint signature invalid"


async def test_the_api_publishes_the_latest_checkpoint_and_the_public_key(client, db, settings):
    signer = CheckpointSigner(settings.audit_signing_seed())
    await audit.checkpoint(db, signer, NOW)
    cp = (await client.get("/api/audit/checkpoints/latest")).json()
    pem = (await client.get("/api/audit/public-key")).text
    assert cp["position"] == 4 and verify_checkpoint(Checkpoint.from_json(cp), pem)
