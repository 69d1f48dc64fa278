"""Our own books as the applicant's repayment history (fast lane F11): once a customer has a
contract with us, its instalments — paid on time, late, overdue now — are the history the
rules read, in place of the history source's answer."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select, update

from backend.db.models import Contract, ContractInstalment
from backend.db.session import make_engine, make_sessionmaker
from backend.intake.applications import load
from backend.risk.facts import own_records
from common.provider_answers import RepaymentRecord
from tests.backend.helpers import login
from tests.backend.risk.helpers import CLEAN, file_application
from tests.backend.risk.test_own_records import RISK
from tests.backend.servicing.active import MOBILE, active_contract

NOW = datetime.now(UTC)
TODAY = NOW.date()  # the test runs far from midnight in Shanghai or not: only order matters


async def _shape_history(db, contract_id: str) -> None:  # type: ignore[no-untyped-def]
    """Nine rents behind the contract: 1-5 paid on the day, 6 ten days late, 7-9 on time;
    the tenth falls due in five days."""
    rows = list(await db.scalars(
        select(ContractInstalment).where(ContractInstalment.contract_id == contract_id)
        .order_by(ContractInstalment.number)
    ))  # fmt: skip
    shift = rows[9].due_date - (TODAY + timedelta(days=5))
    for row in rows:
        due = row.due_date - shift
        settled: date | None = None
        if row.number <= 9:
            settled = due + timedelta(days=10) if row.number == 6 else due
        await db.execute(
            update(ContractInstalment).where(ContractInstalment.id == row.id)
            .values(due_date=due, settled_on=settled)
        )  # fmt: skip
    await db.commit()


async def test_the_books_answer_for_a_customer_who_leases_from_us(client, settings):
    contract, _ = await active_contract(client, settings)
    staff = await login(client, "staff")
    second = await file_application(client, staff, CLEAN, mobile=MOBILE)
    engine = make_engine(settings.database_url)
    async with make_sessionmaker(engine)() as db:
        await _shape_history(db, contract["id"])
        records = await own_records(db, await load(db, RISK, second), NOW)
        assert records.books == RepaymentRecord(
            contracts_count=1, on_time_streak=3, current_overdue_days=0, overdue_count_ever=1
        )
        # Overdue now: the sweep's days past due, and a rent unpaid past its grace is late.
        await db.execute(
            update(Contract).where(Contract.id == contract["id"]).values(days_past_due=12)
        )
        await db.execute(
            update(ContractInstalment)
            .where(ContractInstalment.contract_id == contract["id"],
                   ContractInstalment.number == 9)
            .values(settled_on=None, due_date=TODAY - timedelta(days=12))
        )  # fmt: skip
        await db.commit()
        records = await own_records(db, await load(db, RISK, second), NOW)
        assert records.books == RepaymentRecord(1, 0, 12, 2)  # the rent overdue ends the streak
    await engine.dispose()


async def test_a_customer_new_to_us_has_no_books_and_the_source_answers(client, settings):
    staff = await login(client, "staff")
    app_id = await file_application(client, staff, CLEAN, mobile=MOBILE)
    engine = make_engine(settings.database_url)
    async with make_sessionmaker(engine)() as db:
        records = await own_records(db, await load(db, RISK, app_id), NOW)
    await engine.dispose()
    assert records.books is None
