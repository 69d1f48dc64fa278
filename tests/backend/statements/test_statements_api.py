"""GET /api/dealer/statements: the dealer reads its own account (a funded lease: booked, down
payment, disbursement), an admin names the dealer, no one reads another dealer's; bad ranges
and formats are 422 with a stable code; the monthly statements; a browser link opens the one
statement it was made for."""

from __future__ import annotations

from calendar import monthrange
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from urllib.parse import urlsplit

from backend.ledger import service as ledger
from common.business_day import business_date
from common.ledger import disbursement
from tests.backend.auth.lessee_helpers import session
from tests.backend.helpers import login
from tests.backend.servicing.helpers import active

URL = "/api/dealer/statements"


def _today() -> str:
    return business_date(datetime.now(UTC)).isoformat()


def _month_start() -> str:
    return business_date(datetime.now(UTC)).replace(day=1).isoformat()


async def test_the_dealer_sees_the_funded_lease_on_its_statement(client, settings):
    contract, _ = await active(client, settings)
    dealer = await login(client, "dealer")
    r = await client.get(URL, params={"from": _month_start(), "to": _today()}, headers=dealer)
    assert r.status_code == 200, r.text
    s = r.json()
    assert (s["dealer_id"], s["from"], s["to"]) == ("org-shop-east", _month_start(), _today())
    principal = Decimal(contract["principal"])
    kinds = [(x["kind"], x["label"], x["document"]) for x in s["rows"]]
    assert kinds == [
        ("lease_booked", "起租应付车款", contract["number"]),
        ("down_payment", "代收首付款", contract["number"]),
        ("disbursement", "支付车款", contract["number"]),
    ]
    booked, down, paid = s["rows"]
    assert Decimal(booked["credit"]) == principal and Decimal(booked["debit"]) == 0
    assert Decimal(paid["debit"]) == principal + Decimal(down["credit"])
    assert [x["balance"] for x in s["rows"]][-1] == s["closing"] == "0.00"
    assert s["opening"] == "0.00" and s["total_credit"] == paid["debit"]
    # the other dealer's statement has none of it
    west = await login(client, "dealer2")
    r = await client.get(URL, params={"from": _month_start(), "to": _today()}, headers=west)
    assert r.status_code == 200 and r.json()["rows"] == []


async def test_an_admin_names_the_dealer_and_others_are_not_found(client, settings):
    await active(client, settings)
    q = {"from": _month_start(), "to": _today()}
    admin = await login(client, "admin")
    r = await client.get(URL, params={**q, "dealer_id": "org-shop-east"}, headers=admin)
    assert r.status_code == 200 and len(r.json()["rows"]) == 3
    for who, dealer_id in (("admin", None), ("admin", "org-funder"), ("admin", "nope"),
                           ("dealer2", "org-shop-east"), ("dealer", "x" * 64)):  # fmt: skip
        params = q if dealer_id is None else {**q, "dealer_id": dealer_id}
        r = await client.get(URL, params=params, headers=await login(client, who))
        assert r.status_code == 404 and r.json()["code"] == "dealer_not_found", (who, r.text)
    for who in ("staff", "risk", "monitor"):
        r = await client.get(URL, params=q, headers=await login(client, who))
        assert r.status_code == 403, who
    assert (await client.get(URL, params=q)).status_code == 401


async def test_bad_ranges_and_formats_are_refused_with_their_codes(client):
    dealer = await login(client, "dealer")
    for params, code in (
        ({"from": "2025-01-01", "to": "2026-01-02"}, "statement_range_too_long"),
        ({"from": "2026-03-02", "to": "2026-03-01"}, "statement_range_inverted"),
        ({"from": "2026-13-01", "to": "2026-12-31"}, "statement_date_invalid"),
        ({"from": "2026-03-01", "to": "2026-03-31", "format": "docx"}, "statement_format_invalid"),
    ):
        r = await client.get(URL, params=params, headers=dealer)
        assert r.status_code == 422 and r.json()["code"] == code, (params, r.text)
    r = await client.get(URL, params={"to": "2026-03-31"}, headers=dealer)
    assert r.status_code == 400  # `from` is required


async def test_the_monthly_statements_are_the_closed_months_with_their_balances(client, settings):
    today = business_date(datetime.now(UTC))
    first_of_month = today.replace(day=1)
    two_months_ago = (first_of_month - timedelta(days=40)).replace(day=10)
    at = datetime.combine(two_months_ago, datetime.min.time(), tzinfo=UTC) + timedelta(hours=4)
    async with session(settings) as db:
        for k, fen in enumerate((300_00, 200_00)):
            entry = disbursement(f"c-{k}", "org-shop-east", fen)
            await ledger.post(db, entry, reference="r", at=at + timedelta(days=k), actor=None)
        await db.commit()
    await active(client, settings)  # this month: not closed, not listed
    r = await client.get(f"{URL}/months", headers=await login(client, "dealer"))
    assert r.status_code == 200, r.text
    assert r.json() == [{
        "month": f"{two_months_ago:%Y-%m}", "from": two_months_ago.replace(day=1).isoformat(),
        "to": two_months_ago.replace(day=monthrange(two_months_ago.year,
                                                    two_months_ago.month)[1]).isoformat(),
        "opening": "0.00", "total_credit": "0.00", "total_debit": "500.00",
        "closing": "-500.00", "rows": 2,
    }]  # fmt: skip
    r = await client.get(f"{URL}/months", headers=await login(client, "dealer2"))
    assert r.json() == []


async def test_a_download_link_opens_that_statement_only(client, settings):
    contract, _ = await active(client, settings)
    dealer = await login(client, "dealer")
    body = {"from": _month_start(), "to": _today(), "format": "csv"}
    r = await client.post(f"{URL}/link", json=body, headers=dealer)
    assert r.status_code == 200, r.text
    url = urlsplit(r.json()["url"])
    assert r.json()["url"].startswith(settings.public_url)
    got = await client.get(f"{url.path}?{url.query}")  # no bearer: the browser
    assert got.status_code == 200, got.text
    assert got.headers["content-type"].startswith("text/csv")
    assert got.content.startswith(b"\xef\xbb\xbf") and contract["number"] in got.text
    token = url.query.rsplit("token=", 1)[1]
    for other in (
        f"{URL}?from=2020-01-01&to=2020-01-31&format=csv&token={token}",  # another range
        f"/api/contracts/{contract['id']}/pdf?token={token}",  # not a contract's link
    ):
        assert (await client.get(other)).status_code == 404, other
    for bad, code in (({**body, "format": "json"}, 422), ({**body, "extra": 1}, 400),
                      ({**body, "dealer_id": "org-shop-west"}, 404),
                      ({**body, "dealer_id": "org\x00east"}, 400),  # PostgreSQL refuses NUL
                      ({**body, "dealer_id": "o" * 33}, 400), ({**body, "from": "x" * 11}, 400),
                      ({**body, "from": "2026-02-30"}, 422)):  # fmt: skip
        r = await client.post(f"{URL}/link", json=bad, headers=dealer)
        assert r.status_code == code, (bad, r.text)
    admin = await login(client, "admin")
    r = await client.post(f"{URL}/link", json={**body, "dealer_id": "org\x00"}, headers=admin)
    assert r.status_code == 400, r.text


async def test_a_statement_downloads_in_each_format(client, settings):
    await active(client, settings)
    dealer = await login(client, "dealer")
    q = {"from": _month_start(), "to": _today()}
    for fmt, magic in (("csv", b"\xef\xbb\xbf"), ("xlsx", b"PK"), ("pdf", b"%PDF")):
        r = await client.get(URL, params={**q, "format": fmt}, headers=dealer)
        assert r.status_code == 200 and r.content.startswith(magic), fmt
        assert "attachment" in r.headers["content-disposition"]
        assert f"{date.fromisoformat(q['from']):%Y%m%d}" in r.headers["content-disposition"]
