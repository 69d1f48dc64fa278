"""Bad revenue reports, on SQLite and PostgreSQL: each answers a 4xx with a stable code and
writes nothing (no report, no ledger entry, no change to an instalment)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from backend.db.models import LedgerEntry
from common.revenue_share import Period
from tests.backend.helpers import login
from tests.backend.payments.helpers import sessions_of
from tests.backend.revenue_share.helpers import (
    after_first_rent_month,
    body,
    report,
    report_count,
    rows_of,
    sharing_lease,
    today_of,
)
from tests.backend.risk.helpers import CLEAN_2
from tests.backend.servicing.helpers import active

OTHER_MOBILE = "13912340002"


async def _state(client, contract_id: str) -> tuple[int, int, list[tuple[int, int]]]:  # type: ignore[no-untyped-def]
    async with sessions_of(client)() as db:
        entries = int(await db.scalar(select(func.count()).select_from(LedgerEntry)) or 0)
    fees = [(r.number, r.fees_fen) for r in await rows_of(client, contract_id)]
    return await report_count(client), entries, fees


async def test_bad_reports_are_refused_and_write_nothing(client, settings, clock):
    contract, lessee = await sharing_lease(client, settings)
    cid = contract["id"]
    plain, other = await active(client, settings, CLEAN_2, OTHER_MOBILE)  # no revenue share
    period = await after_first_rent_month(client, clock, cid)
    this_month = Period.of(today_of(clock))
    before = await _state(client, cid)
    cases = [
        (body(this_month, "100"), 422, "revenue_period_not_ended"),
        (body(this_month.next(), "100"), 422, "revenue_period_not_ended"),
        (body(Period.of(period.first_day - timedelta(days=1)), "100"), 422,
         "revenue_period_before_start"),
        (body("2099-01", "100"), 422, "revenue_period_after_end"),
        (body("2026-13", "100"), 422, "period_invalid"),
        (body("abcdefg", "100"), 422, "period_invalid"),
        (body(period, "-5.00"), 422, "revenue_negative"),
        (body(period, "12.345"), 422, "money_invalid"),
        (body(period, "1e5"), 422, "money_invalid"),
        (body(period, "abc"), 422, "money_invalid"),
        (body(period, "100", kwh="-1"), 422, "kwh_invalid"),
        (body(period, "100", kwh="1,000"), 422, "kwh_invalid"),
        (body(period, "100", piles=[{"serial": "A", "revenue": "99", "kwh": "12000.5"}]),
         422, "revenue_piles_mismatch"),
        (body(period, "100", rebate="1"), 400, "unknown_field"),
        (body(period, "100", note="含\x00空字符"), 400, "invalid_input"),
        (body("2026-3", "100"), 400, "invalid_input"),
        ({"period": str(period), "revenue": 100, "kwh": "1"}, 400, "invalid_input"),
    ]  # fmt: skip
    got = []
    for payload, _, _ in cases:
        r = await report(client, lessee, cid, payload)
        got.append((r.status_code, r.json().get("code")))
    assert got == [(status, code) for _, status, code in cases]

    good = body(period, "100000")
    r = await client.post(f"/api/contracts/{cid}/revenue-reports", json=good, headers=lessee)
    assert (r.status_code, r.json()["code"]) == (400, "idempotency_key_required")
    # Another lessee's contract is not there; a lease whose product has no revenue share says so.
    for target, headers, status, code in (
        (cid, other, 404, "contract_not_found"),
        ("x" * 40, lessee, 404, "contract_not_found"),
        (plain["id"], other, 422, "revenue_share_not_offered"),
        (plain["id"], lessee, 404, "contract_not_found"),
    ):
        r = await report(client, headers, target, good)
        assert (r.status_code, r.json()["code"]) == (status, code), (target, r.text)
        g = await client.get(f"/api/contracts/{target}/revenue-reports", headers=headers)
        assert (g.status_code, g.json()["code"]) == (status, code), (target, g.text)
    for role in ("staff", "dealer", "risk", "funder"):  # not the operator nor the lessor's desk
        r = await report(client, await login(client, role), cid, good)
        assert r.status_code == 403, (role, r.text)
    r = await client.get("/api/revenue-share/reports", headers=await login(client, "staff"))
    assert r.status_code == 403
    assert await _state(client, cid) == before

    # The same Idempotency-Key with another body is refused, and the first answer stands.
    first = await report(client, lessee, cid, good, key="k-1")
    assert first.status_code == 201, first.text
    reused = await report(client, lessee, cid, body(period, "200000"), key="k-1")
    assert (reused.status_code, reused.json()["code"]) == (409, "idempotency_key_reused")
    listed = (await client.get(f"/api/contracts/{cid}/revenue-reports", headers=lessee)).json()
    assert listed["months"][0]["revenue"] == "100000.00" and listed["months"][0]["version"] == 1


async def test_the_largest_figures_accepted_fit_their_columns(client, settings, clock):
    contract, lessee = await sharing_lease(client, settings)
    period = await after_first_rent_month(client, clock, contract["id"])
    biggest = body(period, "999999999999999.99", kwh="999999999999.999", note="备" * 2000,
                   piles=[{"serial": "P" * 40, "revenue": "999999999999999.99",
                           "kwh": "999999999999.999"}])  # fmt: skip
    r = await report(client, lessee, contract["id"], biggest)
    assert r.status_code == 201, r.text
    assert r.json()["revenue"] == "999999999999999.99" and r.json()["kwh"] == "999999999999.999"
    assert (await client.get(f"/api/contracts/{contract['id']}/revenue-reports",
                             headers=lessee)).status_code == 200  # fmt: skip
