"""The dealer's home: its deals by stage with counts and amounts, the month's funded volume,
approval rate and commissions, what each side owes — its own only; a deal list for drill-down;
another dealer's figures answer 404, an admin names the dealer."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from common.business_day import business_date
from tests.backend.helpers import login
from tests.backend.risk.helpers import BLACKLISTED, CLEAN, file_application, submit
from tests.backend.servicing.helpers import active

PERCENT = {"rules": [{"basis": "percent", "percent": "1.5"}]}


async def _summary(client, who="dealer", **params):
    r = await client.get("/api/dealer/summary", params=params, headers=await login(client, who))
    return r


async def test_the_dealers_home_counts_its_deals_and_what_they_earned(client, settings):
    admin = await login(client, "admin")
    assert (await client.put("/api/dealer/commission-rules", json=PERCENT,
                             headers=admin)).status_code == 200  # fmt: skip
    contract, _lessee = await active(client, settings)
    staff = await login(client, "staff")
    draft = await file_application(client, staff, CLEAN, mobile="13912340009")
    declined = await file_application(client, staff, BLACKLISTED)
    assert (await submit(client, staff, declined))["status"] == "declined"
    r = await _summary(client)
    assert r.status_code == 200, r.text
    s = r.json()
    assert s["dealer_id"] == "org-shop-east" and s["deals"] == 3
    stages = {x["stage"]: x for x in s["stages"]}
    assert stages["active"]["count"] == 1 and stages["active"]["amount"] == contract["principal"]
    assert stages["draft"]["count"] == 1 and stages["declined"]["count"] == 1
    assert sum(x["count"] for x in s["stages"]) == 3
    principal = Decimal(contract["principal"])
    commission = (principal * Decimal("0.015")).quantize(Decimal("0.01"))
    assert s["commissions"] == {"earned": str(commission), "paid": str(commission),
                                "set_off": "0.00", "clawed_back": "0.00"}  # fmt: skip
    assert s["owed_to_dealer"] == "0.00" and s["owed_by_dealer"] == "0.00"
    this_month = s["months"][-1]
    assert len(s["months"]) == 12 and this_month["month"] == s["as_of"][:7]
    assert this_month["funded_count"] == 1 and this_month["funded_amount"] == str(principal)
    assert (this_month["decided"], this_month["approved"]) == (2, 1)
    assert this_month["approval_rate_percent"] == "50.00"
    assert this_month["commission_earned"] == str(commission)
    assert draft  # filed, never decided: not in the approval rate

    deals = await client.get("/api/dealer/deals", params={"stage": "active"},
                             headers=await login(client, "dealer"))  # fmt: skip
    [deal] = deals.json()
    assert deal["contract_id"] == contract["id"] and deal["commission"] == str(commission)
    assert "*" in deal["lessee"]  # masked
    for stage, app_id in (("declined", declined), ("draft", draft)):
        found = await client.get("/api/dealer/deals", params={"stage": stage},
                                 headers=await login(client, "dealer"))  # fmt: skip
        assert [d["application_id"] for d in found.json()] == [app_id], stage
        assert found.json()[0]["amount"] != "0.00"  # the quote's financed amount
    everything = await client.get("/api/dealer/deals", headers=await login(client, "dealer"))
    assert len(everything.json()) == 3
    month = business_date(datetime.now(UTC))
    funded = await client.get("/api/dealer/deals", params={"month": month.strftime("%Y-%m")},
                              headers=await login(client, "dealer"))  # fmt: skip
    assert [d["contract_id"] for d in funded.json()] == [contract["id"]]


async def test_a_dealer_sees_only_its_own_and_an_admin_names_the_dealer(client, settings):
    await active(client, settings)
    other = (await _summary(client, "dealer2")).json()
    assert other["dealer_id"] == "org-shop-west" and other["deals"] == 0
    r = await _summary(client, "dealer2", dealer_id="org-shop-east")
    assert r.status_code == 404 and r.json()["code"] == "dealer_not_found"
    r = await client.get("/api/dealer/deals", params={"dealer_id": "org-shop-east"},
                         headers=await login(client, "dealer2"))  # fmt: skip
    assert r.status_code == 404
    r = await _summary(client, "admin")
    assert r.status_code == 422 and r.json()["code"] == "dealer_id_required"
    assert (await _summary(client, "admin", dealer_id="org-funder")).status_code == 404
    assert (await _summary(client, "admin", dealer_id="x" * 300)).status_code == 404
    r = await _summary(client, "admin", dealer_id="org-shop-east")
    assert r.status_code == 200 and r.json()["deals"] == 1
    for who in ("staff", "lessee", "monitor", "risk"):
        assert (await _summary(client, who)).status_code in (401, 403), who


async def test_a_bad_stage_or_month_is_refused(client, settings):
    dealer = await login(client, "dealer")
    for params, code in (({"stage": "nope"}, "deal_stage_invalid"),
                         ({"month": "2026-13"}, "deal_month_invalid"),
                         ({"month": "26-1"}, "deal_month_invalid")):  # fmt: skip
        r = await client.get("/api/dealer/deals", params=params, headers=dealer)
        assert r.status_code == 422 and r.json()["code"] == code, params
