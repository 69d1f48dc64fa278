"""The lessor's overview 分账报送总览 reads every revenue-sharing lease in a fixed number of
statements, however many there are, and says of each lease's months exactly what the lease's own
listing says: months reported, overdue and not yet due; a lease on a rebuilt schedule (its
revision in force, not the old rows); a lease activated before the sub-ledger (no rows yet: its
signed schedule)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import sqlalchemy as sa
from sqlalchemy import event

from backend.db.base import new_id
from backend.db.models import Application, Contract
from backend.db.session import make_engine, make_sessionmaker
from backend.revenue_share import views
from backend.servicing import dues
from common.business_day import business_date
from common.money import from_fen
from common.revenue_share import Period, ReportStatus
from tests.backend.helpers import login
from tests.backend.payments.helpers import sessions_of
from tests.backend.revenue_share.helpers import body, report, rows_of, sharing_lease, today_of

OVERVIEW = "/api/revenue-share/reports"


def _copy(row: Any, **changes: Any) -> Any:
    """A new row of the same table with the same columns, but for `changes`."""
    mapper = sa.inspect(row).mapper
    values = {a.key: getattr(row, a.key) for a in mapper.column_attrs}
    return mapper.class_(**{**values, **changes})


async def _more_leases(client, contract_id: str, n: int, *, rebuilt: bool = False,
                       legacy: bool = False) -> list[str]:  # fmt: skip
    """`n` more active leases like this one (each its own application and contract number):
    `rebuilt` ones on a revision 2 whose rents are half the old ones; `legacy` ones without
    instalment rows, as a contract activated before the sub-ledger existed."""
    made = []
    async with sessions_of(client)() as db:
        contract = await db.get(Contract, contract_id)
        assert contract is not None
        application = await db.get(Application, contract.application_id)
        rows = await dues.instalments(db, contract)
        for _ in range(n):
            app = _copy(application, id=new_id())
            number = f"ZL{new_id()[:12].upper()}"
            c = _copy(contract, id=new_id(), application_id=app.id, number=number,
                      revision=2 if rebuilt else 1)  # fmt: skip
            db.add(app)
            await db.flush()  # the application before the contract that names it
            db.add(c)
            await db.flush()
            if not legacy:
                db.add_all(_copy(r, id=new_id(), contract_id=c.id) for r in rows)
            if rebuilt:
                db.add_all(_copy(r, id=new_id(), contract_id=c.id, revision=2,
                                 principal_fen=r.principal_fen // 2,
                                 interest_fen=r.interest_fen // 2) for r in rows)  # fmt: skip
            made.append(c.id)
        await db.commit()
    return made


async def _as_each_lease_says(client, admin: dict, ids: list[str], today: Any,
                              status: str | None) -> list[dict[str, Any]]:  # fmt: skip
    """The overview as each lease's own months listing reads: lease by lease."""
    out = []
    for cid in ids:
        lease = await client.get(f"/api/contracts/{cid}/revenue-reports", headers=admin)
        assert lease.status_code == 200, lease.text
        async with sessions_of(client)() as db:
            contract = await db.get(Contract, cid)
            assert contract is not None
            number = contract.number
        for m in lease.json()["months"]:
            if status is not None and m["status"] != status:
                continue
            due = date.fromisoformat(m["report_due"])
            late = (today - due).days if m["status"] == "overdue" else 0
            out.append({"contract_id": cid, "contract_number": number, "period": m["period"],
                        "report_due": due.isoformat(), "status": m["status"],
                        "status_label": m["status_label"], "days_late": late,
                        "floor": m["floor"]})  # fmt: skip
    out.sort(key=lambda v: (-v["days_late"], v["report_due"], v["contract_number"]))
    return out


async def _statements(settings, now) -> int:
    """How many statements the overview's service sends to the database."""
    engine = make_engine(settings.database_url)
    sent: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany) -> None:  # type: ignore[no-untyped-def]
        sent.append(statement)

    try:
        async with make_sessionmaker(engine)() as db:
            await db.execute(sa.select(1))  # connected (and SQLite's pragmas set) before counting
            event.listen(engine.sync_engine, "before_cursor_execute", count)
            found = await views.overview(db, ReportStatus.OVERDUE, now)
            assert found
    finally:
        await engine.dispose()
    return len(sent)


async def test_the_overview_reads_any_number_of_leases_in_the_same_statements(
    client, settings, clock
):
    contract, _ = await sharing_lease(client, settings)
    first = contract["id"]
    # Two months after the first rent's month, and eleven days: two months overdue, one begun.
    month = Period.of((await rows_of(client, first))[0].due_date)
    target = month.next().last_day + timedelta(days=11)
    clock.move((target - business_date(clock())).days)
    today = today_of(clock)
    admin = await login(client, "admin")

    async def reported(cid: str, *months: Period) -> None:
        """The months reported, at 1.2 times their floor (variable rent charged)."""
        rows = await rows_of(client, cid)
        for p in months:
            fen = sum(r.principal_fen + r.interest_fen for r in rows
                      if Period.of(r.due_date) == p)  # fmt: skip
            r = await report(client, admin, cid, body(p, f"{from_fen(fen * 8):.2f}"))
            assert r.status_code == 201, r.text

    leases = [first, *await _more_leases(client, first, 1)]
    await reported(leases[1], month)
    few = await _statements(settings, clock())
    more = [*await _more_leases(client, first, 2),
            *await _more_leases(client, first, 2, rebuilt=True)]  # fmt: skip
    await reported(more[0], month, month.next())
    await reported(more[2], month)  # on its rebuilt schedule
    leases += more
    assert len(leases) == 6
    assert await _statements(settings, clock()) == few  # not one more for four more leases

    # The legacy lease has no rows until its own listing writes them (the first round below):
    # the overview reads its signed schedule meanwhile.
    leases += await _more_leases(client, first, 1, legacy=True)
    for status in (None, "overdue", "reported", "not_yet_due"):
        seen = await client.get(OVERVIEW, params={"status": status} if status else {},
                                headers=admin)  # fmt: skip
        assert seen.status_code == 200, seen.text
        assert seen.json() == await _as_each_lease_says(client, admin, leases, today, status)
        if status is None:
            assert {x["contract_id"] for x in seen.json()} == set(leases)
            assert {x["status"] for x in seen.json()} == {"overdue", "reported", "not_yet_due"}
