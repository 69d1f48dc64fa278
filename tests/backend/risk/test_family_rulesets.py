"""Own rule sets per product family 按产品类别的规则集: each family has its active set, numbered
from its own v1; publishing one family's set decides that family's applications only."""

from __future__ import annotations

import pytest

from tests.backend.helpers import login
from tests.backend.intake.test_partner_applications import (
    CASES,
    company,
    draft,
    photos,
)
from tests.backend.risk.helpers import CLEAN, file_application, submit
from tests.backend.risk.test_rulesets_api import edit, new_draft, with_param


@pytest.fixture
async def risk(client):
    return await login(client, "risk")


@pytest.fixture
async def staff(client):
    return await login(client, "staff")


async def supplier_application(client, staff) -> str:
    uscc, asset, chosen, document = CASES["supplier_finance"]
    view = await draft(
        client, staff, "supplier_finance", asset=asset, customer=company(uscc), quote=chosen
    )
    kinds = ["business_licence", "id_front", "id_back", "customer_face", document]
    await photos(client, staff, view["id"], kinds)
    app_id: str = view["id"]
    return app_id


async def test_each_family_has_its_own_published_v1_and_the_default_list_is_the_vehicles(
    client, risk
):
    vehicle = (await client.get("/api/risk/rulesets", headers=risk)).json()
    assert [(v["family"], v["version"], v["active"]) for v in vehicle] == [("vehicle", 1, True)]
    for family in ("supplier_finance", "freight_advance", "charging_pile"):
        r = await client.get("/api/risk/rulesets", params={"family": family}, headers=risk)
        versions = r.json()
        assert [(v["family"], v["version"], v["status"], v["active"]) for v in versions] == [
            (family, 1, "published", True)
        ]
        detail = (await client.get(f"/api/risk/rulesets/{versions[0]['id']}", headers=risk)).json()
        reasons = detail["ruleset"]["reasons"]
        assert reasons and all(t["zh"] and t["en"] for t in reasons.values())


async def test_publishing_a_supplier_finance_set_leaves_vehicle_decisions_alone(
    client, risk, staff
):
    car_before = await submit(client, staff, await file_application(client, staff, CLEAN))
    assert car_before["status"] == "approved"
    base = await new_draft(client, risk, family="supplier_finance")
    assert base["summary"]["family"] == "supplier_finance" and base["summary"]["version"] == 2
    stricter = with_param(base["ruleset"], "max_advance_ratio", "0.5")
    edited = await edit(client, risk, base, stricter)
    assert edited.status_code == 200, edited.text
    r = await client.post(
        f"/api/risk/rulesets/{base['summary']['id']}/publish",
        json={"reason": "融资比例收紧至50%"}, headers=risk,
    )  # fmt: skip
    assert r.status_code == 200, r.text
    vehicle = (await client.get("/api/risk/rulesets", headers=risk)).json()
    assert [(v["version"], v["active"]) for v in vehicle] == [(1, True)]
    car_after = await submit(client, staff, await file_application(client, staff, CLEAN))
    assert car_after["status"] == "approved"
    assert car_after["decision"]["ruleset_version"] == car_before["decision"]["ruleset_version"]
    supplier = await submit(client, staff, await supplier_application(client, staff))
    assert supplier["status"] == "declined"
    assert supplier["decision"]["ruleset_version"] == 2
    assert [x["code"] for x in supplier["decision"]["reasons"]] == ["advance_ratio_high"]


async def test_a_copy_keeps_the_family_of_the_set_it_copies(client, risk):
    vehicle = (await client.get("/api/risk/rulesets", headers=risk)).json()[0]
    r = await client.post(
        "/api/risk/rulesets", json={"from_id": vehicle["id"], "family": "charging_pile"},
        headers=risk,
    )  # fmt: skip
    assert (r.status_code, r.json()["code"]) == (422, "ruleset_family_differs")
    copy = await new_draft(client, risk, from_id=vehicle["id"])
    assert copy["summary"]["family"] == "vehicle" and copy["summary"]["version"] == 2


async def test_simulation_replays_the_familys_own_decisions_only(client, risk, staff):
    await submit(client, staff, await file_application(client, staff, CLEAN))
    await submit(client, staff, await supplier_application(client, staff))
    base = await new_draft(client, risk, family="supplier_finance")
    r = await client.post(
        f"/api/risk/rulesets/{base['summary']['id']}/simulate", json={}, headers=risk
    )
    assert r.status_code == 200, r.text
    assert r.json()["total"] == 1 and r.json()["active_version"] == 1


async def test_the_history_is_per_family(client, risk):
    vehicle = (await client.get("/api/risk/history", headers=risk)).json()
    supplier = (
        await client.get("/api/risk/history", params={"family": "supplier_finance"}, headers=risk)
    ).json()
    assert [e["action"] for e in vehicle] == ["published"] == [e["action"] for e in supplier]
    assert vehicle[0]["ruleset_id"] != supplier[0]["ruleset_id"]
    one = (
        await client.get(
            "/api/risk/history", params={"ruleset_id": supplier[0]["ruleset_id"]}, headers=risk
        )
    ).json()
    assert [e["id"] for e in one] == [supplier[0]["id"]]
