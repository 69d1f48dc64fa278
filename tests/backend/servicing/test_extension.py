"""Extension 展期: previewed against the current terms, filed and decided by the extension rule
set (rules as data: a published version changes the outcome), referred ones decided by a risk
officer; approval writes a schedule revision and the extension_booked entry, and reversing is
allowed only while that revision is the latest and unpaid — then the books return exactly."""

from __future__ import annotations

import msgspec
import pytest

from backend.db.models import Contract
from backend.servicing import dues, eligibility, quotes
from common.ledger import Account
from common.money import parse_money, to_fen
from tests.backend.auth.lessee_helpers import session
from tests.backend.contracts.flow import approved, contract_for, lessee_login
from tests.backend.helpers import login
from tests.backend.risk.helpers import CLEAN_2
from tests.backend.servicing.helpers import MovableClock, active, balances
from tests.backend.servicing.test_prepayment import books_match_rows, oldest_first


@pytest.fixture
def clock() -> MovableClock:
    return MovableClock()


def fen(s: str) -> int:
    return to_fen(parse_money(s))


async def test_a_preview_compares_the_terms_and_says_what_the_rules_would_decide(client, settings):
    contract, lessee = await active(client, settings)
    url = f"/api/contracts/{contract['id']}/extensions/preview"
    r = await client.post(url, json={"months_to_add": 6}, headers=lessee)
    assert r.status_code == 200, r.text
    p = r.json()
    assert p["current"]["term_months"] == contract["term_months"]
    assert p["proposed"]["term_months"] == contract["term_months"] + 6
    assert fen(p["proposed"]["rent"]) < fen(p["current"]["rent"])
    assert p["proposed"]["end_date"] > p["current"]["end_date"]
    # like for like: the rate of what remains (no fees from today on either side), not the
    # signed rate that also prices the fees paid at signing; same nominal rate, longer term
    assert p["current"]["annualised_rate_percent"] != contract["annualised_rate_percent"]
    now, then = (float(p[k]["annualised_rate_percent"]) for k in ("current", "proposed"))
    assert abs(now - then) < 0.05
    assert len(p["schedule"]) == contract["term_months"] + 6 and p["schedule"][0]["number"] == 1
    assert sum(fen(x["principal"]) for x in p["schedule"]) == fen(contract["principal"])
    assert p["decision"]["outcome"] == "referred"  # early in the term: a person decides
    assert [x["code"] for x in p["decision"]["reasons"]] == ["early_in_term"]
    same = await client.post(url, json={"new_term_months": contract["term_months"] + 6},
                             headers=lessee)  # fmt: skip
    assert same.json()["proposed"] == p["proposed"]
    for body in ({}, {"months_to_add": 0}, {"months_to_add": 6, "new_term_months": 42},
                 {"new_term_months": 12}, {"months_to_add": 6, "extra": 1}):  # fmt: skip
        r = await client.post(url, json=body, headers=lessee)
        assert r.status_code in (400, 422), (body, r.text)
    r = await client.post(url, json={"months_to_add": 13}, headers=lessee)
    assert r.json()["decision"]["outcome"] == "declined"  # beyond the policy's 12 months


async def test_referred_approved_by_a_risk_officer_then_reversed(client, settings):
    contract, lessee = await active(client, settings)
    async with session(settings) as db:
        before = await balances(db, contract["id"])
    r = await client.post(
        f"/api/contracts/{contract['id']}/extensions",
        json={"months_to_add": 6, "reason": "收入下降"},
        headers=lessee,
    )
    assert r.status_code == 201, r.text
    ext = r.json()
    assert ext["status"] == "referred" and ext["revision"] is None
    risk = await login(client, "risk")
    queue = await client.get("/api/extensions", params={"status": "referred"}, headers=risk)
    assert [e["id"] for e in queue.json()] == [ext["id"]]
    r = await client.post(f"/api/extensions/{ext['id']}/decision", json={"approve": True},
                          headers=lessee)  # fmt: skip
    assert r.status_code == 403
    r = await client.post(f"/api/extensions/{ext['id']}/decision", json={"approve": True},
                          headers=risk)  # fmt: skip
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "approved" and r.json()["revision"] == 2
    again = await client.post(f"/api/extensions/{ext['id']}/decision", json={"approve": True},
                              headers=risk)  # fmt: skip
    assert again.status_code == 409
    async with session(settings) as db:
        c = await db.get(Contract, contract["id"])
        assert c.revision == 2
        rows = await dues.instalments(db, c)
        assert len(rows) == contract["term_months"] + 6
        quotes.check_rows(await quotes.schedule_for(db, c), rows)
        await books_match_rows(db, c)
        during = await balances(db, c.id)
        assert during[Account.UNEARNED_INTEREST] > before[Account.UNEARNED_INTEREST]
    r = await client.post(f"/api/extensions/{ext['id']}/reverse", headers=risk)
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "reversed"
    async with session(settings) as db:
        c = await db.get(Contract, contract["id"])
        assert c.revision == 1
        assert await balances(db, c.id) == before
        await books_match_rows(db, c)
    assert (
        await client.post(f"/api/extensions/{ext['id']}/reverse", headers=risk)
    ).status_code == 409
    # a second extension takes the next revision number; the reversed one keeps its own
    r = await client.post(f"/api/contracts/{contract['id']}/extensions",
                          json={"months_to_add": 3}, headers=lessee)  # fmt: skip
    second = r.json()
    r = await client.post(f"/api/extensions/{second['id']}/decision", json={"approve": True},
                          headers=risk)  # fmt: skip
    assert r.json()["revision"] == 3


async def test_an_extension_with_payments_on_it_cannot_be_reversed(client, settings, clock):
    contract, lessee = await active(client, settings)
    risk = await login(client, "risk")
    ext = (await client.post(f"/api/contracts/{contract['id']}/extensions",
                             json={"months_to_add": 6}, headers=lessee)).json()  # fmt: skip
    await client.post(f"/api/extensions/{ext['id']}/decision", json={"approve": True},
                      headers=risk)  # fmt: skip
    async with session(settings) as db:
        c = await dues.locked(db, contract["id"])
        rows = await dues.instalments(db, c)
        await dues.apply(db, c, rows[0].principal_fen, reference="RENT-1",
                         paid_on=rows[0].due_date, at=clock())  # fmt: skip
        await db.commit()
    r = await client.post(f"/api/extensions/{ext['id']}/reverse", headers=risk)
    assert r.status_code == 409 and r.json()["code"] == "extension_not_reversible"


async def test_rent_paid_ahead_is_applied_to_the_extended_rows(client, settings, clock):
    contract, lessee = await active(client, settings)
    async with session(settings) as db:
        c = await dues.locked(db, contract["id"])
        ahead = dues.state((await dues.instalments(db, c))[0]).total  # the next rent, early
        await dues.apply(db, c, ahead, reference="RENT-AHEAD", paid_on=clock().date(),
                         at=clock())  # fmt: skip
        await db.commit()
    url = f"/api/contracts/{contract['id']}/extensions"
    p = (await client.post(f"{url}/preview", json={"months_to_add": 6}, headers=lessee)).json()
    assert fen(p["paid_ahead"]) == ahead
    ext = (await client.post(url, json={"months_to_add": 6}, headers=lessee)).json()
    risk = await login(client, "risk")
    r = await client.post(f"/api/extensions/{ext['id']}/decision", json={"approve": True},
                          headers=risk)  # fmt: skip
    assert r.status_code == 200, r.text
    async with session(settings) as db:
        c = await db.get(Contract, contract["id"])
        states = [dues.state(r) for r in await dues.instalments(db, c)]
        assert sum(s.paid for s in states) == ahead  # the lower new rent, then the next
        assert states[0].settled and oldest_first(states)
        await books_match_rows(db, c)
        assert (await balances(db, c.id)).get(Account.ADVANCE_RECEIPTS, 0) == 0
    # money now sits on the new rows: the extension stays
    r = await client.post(f"/api/extensions/{ext['id']}/reverse", headers=risk)
    assert r.status_code == 409 and r.json()["code"] == "extension_not_reversible"


async def test_a_published_rule_set_changes_the_outcome(client, settings):
    contract, lessee = await active(client, settings)
    risk = await login(client, "risk")
    shown = await client.get("/api/extension-rules", headers=risk)
    assert shown.status_code == 200 and shown.json()["version"] == 1
    body = msgspec.to_builtins(eligibility.DEFAULT)
    for p in body["parameters"]:
        if p["name"] in ("min_months_elapsed", "min_on_time"):
            p["value"] = 0
    r = await client.post("/api/extension-rules", json={"ruleset": body, "note": "试点"},
                          headers=risk)  # fmt: skip
    assert r.status_code == 201, r.text
    assert r.json()["version"] == 2
    bad = dict(body, rules=[dict(body["rules"][0], when={"kind": "cond", "field": "bureau.score",
                                                           "op": "gt", "value": 1})])  # fmt: skip
    r = await client.post("/api/extension-rules", json={"ruleset": bad}, headers=risk)
    assert r.status_code == 422 and r.json()["code"] == "ruleset_invalid"
    staff = await login(client, "staff")
    assert (await client.post("/api/extension-rules", json={"ruleset": body},
                              headers=staff)).status_code == 403  # fmt: skip
    r = await client.post(f"/api/contracts/{contract['id']}/extensions",
                          json={"months_to_add": 6}, headers=lessee)  # fmt: skip
    assert r.json()["status"] == "approved" and r.json()["revision"] == 2
    assert r.json()["decision"]["ruleset_version"] == 2
    async with session(settings) as db:
        await books_match_rows(db, await db.get(Contract, contract["id"]))


async def test_another_lessees_or_an_inactive_contract(client, settings):
    contract, _ = await active(client, settings)
    pending = await contract_for(client, await approved(client, CLEAN_2, mobile="13912340002"))
    other = await lessee_login(client, "13912340002", CLEAN_2)
    body = {"months_to_add": 6}
    r = await client.post(f"/api/contracts/{contract['id']}/extensions", json=body, headers=other)
    assert r.status_code == 404
    r = await client.post(f"/api/contracts/{pending['id']}/extensions/preview", json=body,
                          headers=other)  # fmt: skip
    assert r.status_code == 409
    risk = await login(client, "risk")
    assert (await client.post("/api/extensions/nope/reverse", headers=risk)).status_code == 404


def test_the_default_rules_decide_by_the_facts():
    facts = eligibility.ExtensionFacts(
        days_past_due=0, bucket="M0", months_elapsed=8, months_to_add=6, on_time_payments=8,
        previous_extensions=0, months_added_before=0, new_term_months=42,
        months_beyond_policy=0, months_beyond_max_term=0,
    )  # fmt: skip
    assert eligibility.evaluate(eligibility.DEFAULT, facts).outcome == "approved"
    late = msgspec.structs.replace(facts, days_past_due=20, bucket="M1")
    assert eligibility.evaluate(eligibility.DEFAULT, late).outcome == "referred"
    deep = msgspec.structs.replace(facts, days_past_due=91, bucket="M4")
    assert eligibility.evaluate(eligibility.DEFAULT, deep).outcome == "declined"
    often = msgspec.structs.replace(facts, previous_extensions=2)
    d = eligibility.evaluate(eligibility.DEFAULT, often)
    assert d.outcome == "declined" and d.reasons[0].code == "too_many_extensions"


async def test_filing_twice_with_one_idempotency_key_files_once(client, settings):
    contract, lessee = await active(client, settings)
    url = f"/api/contracts/{contract['id']}/extensions"
    headers = {**lessee, "Idempotency-Key": "ext-1"}
    first = await client.post(url, json={"months_to_add": 6}, headers=headers)
    again = await client.post(url, json={"months_to_add": 6}, headers=headers)
    assert first.status_code == again.status_code == 201
    assert again.json()["id"] == first.json()["id"]
    listed = await client.get(f"/api/contracts/{contract['id']}/extensions", headers=lessee)
    assert [e["id"] for e in listed.json()] == [first.json()["id"]]
