"""Posting on both databases: every entry balanced, each business event posted once (also when
ten requests race on PostgreSQL), the CHECK constraints refuse a bad line written directly."""

from __future__ import annotations

import asyncio
import json
import random
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from backend.db.models import AuditEvent, LedgerEntry, LedgerLine
from backend.db.session import make_engine, make_sessionmaker
from backend.ledger import service as ledger
from common.errors import DomainError
from common.ledger import Account, funding, trial_balance
from tests.common.ledger_ops import (
    CONTRACTS,
    DEALERS,
    FUNDERS,
    REFERENCES,
    Activate,
    Disburse,
    Fund,
    Op,
    first_postings,
)

AT = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)
C = CONTRACTS[0]


@pytest.fixture
async def sessions(client, settings) -> AsyncIterator[sa.ext.asyncio.async_sessionmaker]:
    engine = make_engine(settings.database_url)  # `client` emptied the tables
    yield make_sessionmaker(engine)
    await engine.dispose()


async def _post(sessions, entry, reference: str = "r1") -> str | None:
    async with sessions() as db:
        entry_id = await ledger.post(db, entry, reference=reference, at=AT, actor=None)
        await db.commit()
        return entry_id


async def _verified(sessions):
    """The trial balance, after checking that no entry is unbalanced."""
    async with sessions() as db:
        assert await ledger.unbalanced_entries(db) == []
        tb = await ledger.trial_balance(db)
    assert tb.total_debit == tb.total_credit
    return tb


async def test_an_entry_posts_with_its_lines_and_an_audit_event(sessions):
    entry_id = await _post(sessions, funding(C, "org-funder", 1_000_000))
    assert entry_id is not None
    async with sessions() as db:
        columns = (LedgerLine.account, LedgerLine.party, LedgerLine.debit_fen,
                   LedgerLine.credit_fen)  # fmt: skip
        query = sa.select(*columns).where(LedgerLine.entry_id == entry_id)
        lines = (await db.execute(query.order_by(LedgerLine.id))).all()
        events = list(await db.scalars(
            sa.select(AuditEvent).where(AuditEvent.action == "ledger.posted")
        ))  # fmt: skip
        balances = await ledger.contract_balances(db, C)
    assert [tuple(x) for x in lines] == [
        ("cash", None, 1_000_000, 0), ("funder_payable", "org-funder", 0, 1_000_000),
    ]  # fmt: skip
    assert len(events) == 1 and events[0].entity_id == C
    assert json.loads(events[0].detail)["entry_id"] == entry_id
    assert balances == {Account.CASH: 1_000_000, Account.FUNDER_PAYABLE: 1_000_000}
    tb = await _verified(sessions)
    assert tb.total_debit == 1_000_000


async def test_the_same_business_event_posts_once(sessions):
    first = await _post(sessions, funding(C, "org-funder", 500))
    again = await _post(sessions, funding(C, "org-funder", 500))
    other = await _post(sessions, funding(C, "org-funder", 500), reference="r2")
    assert first is not None and again is None and other not in (None, first)
    async with sessions() as db:
        assert await db.scalar(sa.select(sa.func.count()).select_from(LedgerEntry)) == 2
        posted = await db.scalar(sa.select(sa.func.count()).select_from(AuditEvent)
                                 .where(AuditEvent.action == "ledger.posted"))  # fmt: skip
    assert posted == 2  # the repeat wrote no audit event either
    assert (await _verified(sessions)).total_debit == 1000


async def test_ten_concurrent_posts_of_one_event_post_one_entry(sessions):
    entry = funding(C, "org-funder", 777)
    gate = asyncio.Event()

    async def racer() -> str | None:
        async with sessions() as db:
            await db.execute(sa.select(1))  # every racer holds a connection before any posts
            await gate.wait()
            entry_id = await ledger.post(db, entry, reference="wire-1", at=AT, actor=None)
            await db.commit()
            return entry_id

    async def start() -> None:
        await asyncio.sleep(0)
        gate.set()

    results, _ = await asyncio.gather(asyncio.gather(*(racer() for _ in range(10))), start())
    assert len([r for r in results if r is not None]) == 1
    async with sessions() as db:
        assert await db.scalar(sa.select(sa.func.count()).select_from(LedgerEntry)) == 1
        assert await db.scalar(sa.select(sa.func.count()).select_from(LedgerLine)) == 2
    assert (await _verified(sessions)).total_debit == 777


async def test_a_reference_that_does_not_fit_its_column_is_refused(sessions):
    with pytest.raises(DomainError) as err:
        await _post(sessions, funding(C, "org-funder", 1), reference="r" * 101)
    assert err.value.code == "ledger_reference_invalid"


def _random_ops(rng: random.Random, count: int) -> list[Op]:
    ops: list[Op] = []
    for _ in range(count):
        c, ref = rng.choice(CONTRACTS), rng.choice(REFERENCES)
        kind = rng.randrange(3)
        if kind == 0:
            ops.append(Fund(c, rng.choice(FUNDERS), rng.randint(1, 10**10), ref))
        elif kind == 1:
            ops.append(Disburse(c, rng.choice(DEALERS), rng.randint(1, 10**10), ref))
        else:
            fees = rng.choice([0, rng.randint(1, 10**6)])
            ops.append(Activate(
                c, rng.choice(DEALERS), rng.randint(1, 10**10), rng.choice([0, 10**6]),
                rng.randint(0, 10**9), rng.choice([0, 3 * 10**5]), fees, rng.randint(0, fees), ref,
            ))  # fmt: skip
    return ops


@pytest.mark.parametrize("seed", [1, 2, 3])
async def test_after_every_operation_the_books_balance_as_the_entries_say(sessions, seed):
    """A smaller sequence than the pure property test's, on the database: after each operation
    no entry is unbalanced and the stored trial balance is that of the entries that should have
    posted (repeated events dropped)."""
    ops = _random_ops(random.Random(seed), 12)
    for n, op in enumerate(ops, 1):
        async with sessions() as db:
            for entry in op.entries():
                await ledger.post(db, entry, reference=op.reference, at=AT, actor=None)
            await db.commit()
        tb = await _verified(sessions)
        posted = first_postings(ops[:n])
        assert tb == trial_balance(x for entry, _ in posted for x in entry.lines)
    async with sessions() as db:
        assert await db.scalar(sa.select(sa.func.count()).select_from(LedgerEntry)) == len(posted)


async def _write_line(sessions, **line) -> None:
    async with sessions() as db:
        entry_id = await _post(sessions, funding(C, "org-funder", 1), reference=str(line))
        values = {"entry_id": entry_id, "account": "cash", "debit_fen": 1, "credit_fen": 0} | line
        await db.execute(sa.insert(LedgerLine).values(values))
        await db.commit()


@pytest.mark.parametrize(
    "line",
    [
        {"debit_fen": 5, "credit_fen": 5},
        {"debit_fen": 0, "credit_fen": 0},
        {"debit_fen": -5, "credit_fen": 0},
        {"debit_fen": 5, "credit_fen": -5},
        {"account": "petty_cash"},
    ],
)
async def test_the_database_refuses_a_bad_line_written_directly(sessions, line):
    with pytest.raises(IntegrityError):
        await _write_line(sessions, **line)


async def test_every_account_of_the_chart_passes_the_databases_check(sessions):
    for account in Account:  # the migration's chart is a copy: it must not drift
        await _write_line(sessions, account=account.value)


async def test_the_verification_query_finds_an_entry_written_around_post(sessions):
    await _write_line(sessions)  # a good line added to a balanced entry: now it is not
    async with sessions() as db:
        orphan = LedgerEntry(contract_id=C, kind="funding", reference="x", memo="", posted_at=AT)
        db.add(orphan)
        await db.commit()
        bad = await ledger.unbalanced_entries(db)
        (entry_id,) = await db.scalars(
            sa.select(LedgerLine.entry_id).group_by(LedgerLine.entry_id)
            .having(sa.func.count() == 3)
        )  # fmt: skip
    assert sorted(bad) == sorted([entry_id, orphan.id])
