"""The money maths' refusals through the API: a 422 with a stable code, never a 500, from
POST /api/quotes and from the application routes that build a quote."""

from __future__ import annotations

import pytest

from tests.backend.helpers import login, quote_request

REFUSED = [
    # flat takes no annual rate
    (
        {"method": "flat", "flat_monthly_rate_percent": "0.25", "term_months": 120,
         "deposit": "10000", "annual_rate_percent": "100"},
        "rate_invalid",
    ),
    # a rate of return beyond any disclosure (was InvalidOperation)
    (
        {"annual_rate_percent": "0", "term_months": 1,
         "fees": [{"name": "fee", "amount": "99999.99", "month": 0}]},
        "rate_of_return_out_of_range",
    ),
    # the rent at signing forgotten by the validation (was "cash flows need both signs")
    (
        {"term_months": 2, "timing": "advance", "deposit": "49000",
         "fees": [{"name": "fee", "amount": "900", "month": 0}]},
        "deposit_invalid",
    ),
    ({"start_date": "9999-01-15"}, "date_invalid"),
    ({"first_due_date": "2026-02-10", "due_day": 25}, "date_invalid"),
    ({"method": "balloon", "balloon": "30000", "balloon_timing": "with_last_rent"},
     "balloon_invalid"),
]  # fmt: skip


@pytest.fixture
async def staff(client):
    return await login(client, "staff")


@pytest.mark.parametrize(("over", "code"), REFUSED)
async def test_impossible_quotes_are_422_with_a_code(client, staff, over, code):
    r = await client.post("/api/quotes", headers=staff, json=quote_request(**over))
    assert r.status_code == 422, r.text
    assert r.json()["code"] == code


@pytest.mark.parametrize(("over", "code"), REFUSED)
async def test_an_application_with_an_impossible_quote_is_422_with_a_code(
    client, staff, over, code
):
    r = await client.post("/api/applications", headers=staff, json={"quote": quote_request(**over)})
    assert r.status_code == 422, r.text
    assert r.json()["code"] == code
    assert (await client.get("/api/applications", headers=staff)).json() == []


async def test_the_issue_figures_through_the_api(client, staff):
    post = client.post
    r = await post("/api/quotes", headers=staff, json=quote_request(
        annual_rate_percent="60", term_months=360, timing="advance"))  # fmt: skip
    assert r.json()["last_payment"] == "4761.91"
    r = await post("/api/quotes", headers=staff, json=quote_request(
        term_months=12, start_date="2026-02-28", due_day=31))  # fmt: skip
    assert r.json()["annualised_rate_percent"] == "6.00"
    r = await post("/api/quotes", headers=staff, json=quote_request(
        method="balloon", balloon="30000", timing="advance"))  # fmt: skip
    q = r.json()
    assert q["monthly_payment"] == "2268.19" and q["balloon_timing"] == "term_end"
    assert q["instalments"][-1]["kind"] == "balloon"
    assert q["instalments"][-1]["due_date"] == q["term_end_date"] == "2029-01-15"


async def test_the_openapi_documents_the_conventions(client, staff):
    schema = (await client.get("/docs/openapi.json", headers=staff)).text
    assert "paid at the END of the term" in schema
    assert "smallest non-negative rate" in schema
