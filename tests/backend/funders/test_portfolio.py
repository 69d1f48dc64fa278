"""The funder's portfolio against a hand-made book: two contracts co-lent by the demo bank (one
repaid a rent, one two buckets behind) and one by another bank; the same view for its API key
and its user in the app; another funder's contract answers 404, other roles 401/403."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select

from backend.db.models import Contract, FunderAllocation
from backend.servicing import dues
from tests.backend.funders.helpers import agree, colent, funder_key, other_funder, pay, session
from tests.backend.helpers import login
from tests.backend.risk.helpers import CLEAN_2, FAST_LANE


def _y(fen: int) -> str:
    return f"{Decimal(fen) / 100:.2f}"


async def test_the_portfolio_adds_up_its_own_contracts_only(client, settings):
    await agree(client)
    key = await funder_key(settings)
    other_key = await other_funder(settings)
    await agree(client, "org-funder-2", {"share_percent": "100", "yield_percent": "5"})
    current = await colent(client, settings, key)
    behind = await colent(client, settings, key, id_number=FAST_LANE, mobile="13912340002",
                          idem="k2")  # fmt: skip
    theirs = await colent(client, settings, other_key, id_number=CLEAN_2, mobile="13912340003",
                          idem="k3", share="1")  # fmt: skip
    async with session(settings) as db:
        c = await db.get(Contract, current["id"])
        assert c is not None
        first = (await dues.instalments(db, c))[0]
        await pay(db, c.id, dues.state(first).lessee_owes, "RENT-1")
        late = await db.get(Contract, behind["id"])
        assert late is not None
        late.bucket, late.days_past_due = "M2", 45
        await db.commit()
        got = await db.scalar(select(FunderAllocation).where(FunderAllocation.contract_id
                                                             == c.id))  # fmt: skip
        assert got is not None
        principal_in, yield_in = got.principal_fen, got.yield_fen

    by_key = await client.get("/api/funder/portfolio", headers=key)
    assert by_key.status_code == 200, by_key.text
    p = by_key.json()
    by_user = await client.get("/api/funder/portfolio", headers=await login(client, "funder"))
    assert by_user.json() == p
    assert p["funder_id"] == "org-funder" and p["contracts"] == 2
    ids = {x["id"] for x in p["items"]}
    assert ids == {current["id"], behind["id"]} and theirs["id"] not in ids
    financed = Decimal(current["principal"]) + Decimal(behind["principal"])
    assert Decimal(p["financed"]) == financed
    items = {x["id"]: x for x in p["items"]}
    assert Decimal(p["funded"]) == sum(Decimal(x["funded"]) for x in items.values())
    assert items[current["id"]]["received_principal"] == _y(principal_in)
    assert items[current["id"]]["received_yield"] == _y(yield_in)
    assert Decimal(items[current["id"]]["outstanding"]) == Decimal(current["principal"]) - Decimal(
        _y(first.principal_fen)
    )
    assert Decimal(items[current["id"]]["funder_outstanding"]) == Decimal(
        items[current["id"]]["funded"]) - Decimal(_y(principal_in))  # fmt: skip
    assert p["owed_now"] == _y(principal_in + yield_in)
    assert (p["received_principal"], p["received_yield"]) == (_y(principal_in), _y(yield_in))
    buckets = {b["bucket"]: b for b in p["buckets"]}
    assert list(buckets) == ["M0", "M1", "M2", "M3", "M4", "M5", "M6", "M7"]
    assert (buckets["M0"]["count"], buckets["M2"]["count"], buckets["M1"]["count"]) == (1, 1, 0)
    assert buckets["M2"]["outstanding"] == behind["principal"]
    assert buckets["M2"]["funder_outstanding"] == items[behind["id"]]["funded"]
    this_month = p["months"][-1]
    assert len(p["months"]) == 12 and this_month["repayments"] == 1
    assert (this_month["principal"], this_month["yield"]) == (_y(principal_in), _y(yield_in))
    assert p["agreement"]["share_percent"] == "80.0000"
    for item in items.values():
        assert "*" in item["lessee"]  # masked, nothing else about the lessee
        assert set(item) >= {"bucket", "days_past_due", "share_percent", "yield_percent"}

    detail = await client.get(f"/api/funder/portfolio/contracts/{current['id']}", headers=key)
    assert detail.status_code == 200
    d = detail.json()
    assert d["owed_now"] == p["owed_now"] and [a["reference"] for a in d["allocations"]] == [
        "RENT-1"]  # fmt: skip
    theirs_seen = await client.get(f"/api/funder/portfolio/contracts/{theirs['id']}",
                                   headers=key)  # fmt: skip
    assert theirs_seen.status_code == 404 and theirs_seen.json()["code"] == "contract_not_found"
    assert (await client.get("/api/funder/portfolio/contracts/" + "x" * 300,
                             headers=key)).status_code == 404  # fmt: skip
    mine = (await client.get("/api/funder/portfolio", headers=other_key)).json()
    assert [x["id"] for x in mine["items"]] == [theirs["id"]] and mine["owed_now"] == "0.00"


async def test_only_funders_see_a_portfolio(client, settings):
    assert (await client.get("/api/funder/portfolio")).status_code == 401
    bad_key = await client.get("/api/funder/portfolio", headers={"X-Api-Key": "alf_nope"})
    assert bad_key.status_code == 401
    for who in ("dealer", "staff", "lessee", "risk", "monitor", "admin"):
        r = await client.get("/api/funder/portfolio", headers=await login(client, who))
        assert r.status_code == 403, who
        r = await client.get("/api/funder/portfolio/contracts/abc",
                             headers=await login(client, who))  # fmt: skip
        assert r.status_code == 403, who
    # The funder user reaches no lessor route.
    funder = await login(client, "funder")
    for path in ("/api/contracts", "/api/dealer/summary", "/api/funder/agreements/org-funder"):
        assert (await client.get(path, headers=funder)).status_code == 403, path
