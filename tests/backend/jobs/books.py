"""Contracts on the books for sweep tests, written directly (no API round trips): a customer, its
application, an active contract and its instalment rows."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from backend.db.base import new_id
from backend.db.models import (
    Application,
    Contract,
    ContractInstalment,
    Customer,
    SmsOutboxMessage,
    User,
)
from backend.db.session import make_engine, make_sessionmaker
from backend.ledger import service as ledger
from backend.providers.sms import MOBILE_CONTEXT, TEXT_CONTEXT
from backend.security.pii import PiiCipher
from backend.settings import Settings
from common.identity.masking import mask_mobile

Sessions = async_sessionmaker[AsyncSession]


@pytest.fixture
def pii(settings: Settings) -> PiiCipher:
    return PiiCipher(settings.pii_key_bytes(), settings.lookup_key_bytes())


@pytest.fixture
async def sessions(client: object, settings: Settings) -> AsyncIterator[Sessions]:
    engine = make_engine(settings.database_url)  # `client` emptied the tables and seeded
    yield make_sessionmaker(engine)
    await engine.dispose()


async def add_contract(
    sessions: Sessions,
    pii: PiiCipher,
    instalments: Sequence[tuple[date, int, int]],
    *,
    number: str,
    mobile: str = "13912345678",
    offset_last_fen: int = 0,
) -> Contract:
    """An active contract with instalments (due date, principal fen, interest fen); the last one
    covered by `offset_last_fen` of the deposit."""
    async with sessions() as db:
        staff = await db.scalar(sa.select(User.id).where(User.username == "staff"))
        customer = Customer(
            id=new_id(), organisation_id="org-shop-east", kind="person",
            name_enc=pii.encrypt("张三", context="customer.name"), name_masked="张*",
            id_enc=pii.encrypt(number, context="customer.id_number"), id_hash=new_id(),
            id_masked="1101**********1234",
            mobile_enc=pii.encrypt(mobile, context="customer.mobile"),
            mobile_hash=pii.lookup_hash(mobile, context="customer.mobile"),
            mobile_masked=mask_mobile(mobile),
        )  # fmt: skip
        app = Application(id=new_id(), organisation_id="org-shop-east", created_by_id=staff,
                          status="approved", customer_id=customer.id)  # fmt: skip
        contract = Contract(
            id=new_id(), number=number, application_id=app.id, customer_id=customer.id,
            organisation_id="org-shop-east", status="active", template_id="t", template_version=1,
            document={"terms": {"product_name": "新车直租"}}, principal_fen=sum(
                p for _, p, _ in instalments), pdf=b"", pdf_sha256="0" * 64,
            activated_at=datetime(2026, 1, 1, tzinfo=UTC), revision=1, bucket="M0",
            days_past_due=0,
        )  # fmt: skip
        db.add_all([customer, app])
        await db.flush()
        db.add(contract)
        await db.flush()
        for n, (due, principal, interest) in enumerate(instalments, start=1):
            db.add(ContractInstalment(
                contract_id=contract.id, revision=1, number=n, kind="rent", due_date=due,
                principal_fen=principal, interest_fen=interest, fees_fen=0,
                offset_fen=offset_last_fen if n == len(instalments) else 0,
                offset_applied_fen=0, penalty_fen=0, paid_principal_fen=0, paid_interest_fen=0,
                paid_fees_fen=0, paid_penalty_fen=0,
            ))  # fmt: skip
        await db.commit()
    return contract


async def sms_texts(sessions: Sessions, pii: PiiCipher, mobile: str) -> list[str]:
    async with sessions() as db:
        rows = await db.scalars(
            sa.select(SmsOutboxMessage)
            .where(SmsOutboxMessage.mobile_hash == pii.lookup_hash(mobile, context=MOBILE_CONTEXT))
            .order_by(SmsOutboxMessage.sent_at, SmsOutboxMessage.id)
        )
        return [pii.decrypt(m.text_enc, context=TEXT_CONTEXT) for m in rows]


async def balanced(sessions: Sessions) -> None:
    async with sessions() as db:
        assert await ledger.unbalanced_entries(db) == []
        tb = await ledger.trial_balance(db)
    assert tb.total_debit == tb.total_credit
