"""The facts the rules judge, as the draft API stores them: new or used, model year, mileage,
region; and the birth dates and ages an application is refused for (issue 11)."""

from __future__ import annotations

import pytest

from tests.backend.helpers import VALID_VIN, login, person

OLD_VIN = "LNB1444X099318672"  # model year code 9: 2009


@pytest.fixture
async def staff(client):
    return await login(client, "staff")


async def draft(client, headers, **body):
    r = await client.post("/api/applications", json=body, headers=headers)
    assert r.status_code == 201, r.text
    return r.json()


async def test_an_old_car_left_unsaid_is_stored_as_used(client, staff) -> None:
    view = await draft(client, staff, vehicle={"vin": OLD_VIN})
    assert (view["vehicle"]["model_year"], view["vehicle"]["is_new"]) == (2009, False)


async def test_new_used_mileage_and_the_stated_year_are_kept_as_said(client, staff) -> None:
    vehicle = {"vin": VALID_VIN, "model_year": 2021, "is_new": False, "mileage_km": 42000}
    view = await draft(client, staff, vehicle=vehicle)
    got = view["vehicle"]
    assert (got["model_year"], got["is_new"], got["mileage_km"]) == (2021, False, 42000)


async def test_a_model_year_after_next_year_is_refused_with_nothing_written(client, staff) -> None:
    r = await client.post(
        "/api/applications", json={"vehicle": {"vin": VALID_VIN, "model_year": 2099}},
        headers=staff,
    )  # fmt: skip
    assert r.status_code == 422 and r.json()["code"] == "model_year_invalid"
    listed = await client.get("/api/applications", headers=staff)
    assert listed.json() == []


async def test_the_customers_region_is_kept_with_the_version_filed(client, staff) -> None:
    view = await draft(client, staff, customer=person(region_code="440304"))
    assert view["customer"]["region_code"] == "440304"


@pytest.mark.parametrize(
    ("id_number", "code", "english"),
    [
        ("440304203006153213", "id_birth_date", "The birth date in the ID number is invalid"),
        ("110105201001010010", "applicant_under_age", "The applicant is under 18"),
    ],
)
async def test_an_unborn_or_under_age_applicant_cannot_be_submitted(
    client, staff, id_number, code, english
) -> None:
    view = await draft(client, staff, customer=person(id_number=id_number))
    gaps = {m["field"]: m for m in view["missing"]}
    assert gaps["customer.id_number"]["code"] == code
    assert gaps["customer.id_number"]["message_en"] == english
    r = await client.post(f"/api/applications/{view['id']}/submit", headers=staff)
    assert r.status_code == 422 and r.json()["code"] == "application_incomplete"
    assert "customer.id_number" in r.json()["fields"]


async def test_a_typed_vin_decodes_to_no_year_in_the_future(client, staff) -> None:
    r = await client.get("/api/vin/JTDJDYZW8YL403135", headers=staff)
    assert r.status_code == 200 and r.json()["model_year"] == 2000
