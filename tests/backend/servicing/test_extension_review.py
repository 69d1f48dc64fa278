"""The risk officer's side of extensions 展期审核: the queue carries what a reviewer decides on
(contract number, the lessee's masked name, the facts, the rules' reasons, current vs proposed
terms), and a candidate rule set is simulated on the stored facts of past requests — checked
as publishing checks it, compared with the rules in force, and nothing written."""

from __future__ import annotations

from typing import Any

import msgspec
from sqlalchemy import func, select

from backend.db.models import ExtensionRequest, ExtensionRuleSet
from backend.servicing import eligibility
from tests.backend.auth.lessee_helpers import session
from tests.backend.helpers import login
from tests.backend.servicing.helpers import active

SIMULATE = "/api/extension-rules/simulate"


def relaxed() -> dict[str, Any]:
    """The default rules with no wait before an automatic approval."""
    body: dict[str, Any] = msgspec.to_builtins(eligibility.DEFAULT)
    for p in body["parameters"]:
        if p["name"] in ("min_months_elapsed", "min_on_time"):
            p["value"] = 0
    return body


async def filed(client, contract: dict[str, Any], lessee: dict[str, str], months: int,
                reason: str = "") -> dict[str, Any]:  # fmt: skip
    body = {"months_to_add": months, "reason": reason}
    r = await client.post(f"/api/contracts/{contract['id']}/extensions", json=body, headers=lessee)
    assert r.status_code == 201, r.text
    return r.json()  # type: ignore[no-any-return]


async def test_a_relaxed_candidate_turns_the_early_request_into_an_approval(client, settings):
    contract, lessee = await active(client, settings)
    early = await filed(client, contract, lessee, 6)  # early in the term: referred
    too_long = await filed(client, contract, lessee, 13)  # beyond the policy's 12: declined
    assert (early["status"], too_long["status"]) == ("referred", "declined")
    risk = await login(client, "risk")
    r = await client.post(SIMULATE, json={"ruleset": relaxed()}, headers=risk)
    assert r.status_code == 200, r.text
    sim = r.json()
    assert (sim["active_version"], sim["draft_version"]) == (1, 2)
    assert (sim["total"], sim["skipped"], sim["changed_count"]) == (2, 0, 1)
    assert sim["outcomes_before"] == {"approved": 0, "referred": 1, "declined": 1}
    assert sim["outcomes_after"] == {"approved": 1, "referred": 0, "declined": 1}
    assert (sim["approval_rate_before"], sim["approval_rate_after"]) == ("0.0000", "0.5000")
    (case,) = sim["changed"]
    assert case["extension_id"] == early["id"] and case["contract_id"] == contract["id"]
    assert case["contract_number"] == contract["number"]
    assert "*" in case["lessee_name"]  # masked, never the name in full
    assert (case["months_to_add"], case["status"]) == (6, "referred")
    assert (case["before"], case["after"]) == ("referred", "approved")
    assert [x["code"] for x in case["reasons_before"]] == ["early_in_term"]
    assert [x["code"] for x in case["reasons_after"]] == ["good_standing"]
    assert case["reasons_after"][0]["text"] == "按时还款，自动通过"
    # the rules in force against themselves change nothing; last_n takes the newest only
    same = msgspec.to_builtins(eligibility.DEFAULT)
    r = await client.post(SIMULATE, json={"ruleset": same}, headers=risk)
    assert r.json()["changed_count"] == 0 and r.json()["total"] == 2
    r = await client.post(SIMULATE, json={"ruleset": relaxed(), "last_n": 1}, headers=risk)
    assert r.json()["total"] == 1 and r.json()["changed"] == []  # the 13-month one only
    # nothing was written: no new version, the requests as they were
    shown = await client.get("/api/extension-rules", headers=risk)
    assert shown.json()["version"] == 1
    async with session(settings) as db:
        assert await db.scalar(select(func.count(ExtensionRuleSet.id))) == 0
        assert (await db.get(ExtensionRequest, early["id"])).status == "referred"


async def test_simulate_compares_with_the_published_version_in_force(client, settings):
    contract, lessee = await active(client, settings)
    risk = await login(client, "risk")
    r = await client.post("/api/extension-rules", json={"ruleset": relaxed(), "note": "试点"},
                          headers=risk)  # fmt: skip
    assert r.status_code == 201
    approved = await filed(client, contract, lessee, 3)
    assert approved["status"] == "approved"
    strict = relaxed()
    for rule in strict["rules"]:
        if rule["id"] == "good_payer":
            rule["enabled"] = False
    sim = (await client.post(SIMULATE, json={"ruleset": strict}, headers=risk)).json()
    assert (sim["active_version"], sim["draft_version"]) == (2, 3)
    assert [(c["before"], c["after"]) for c in sim["changed"]] == [("approved", "referred")]
    assert [x["code"] for x in sim["changed"][0]["reasons_after"]] == ["no_rule_matched"]


async def test_an_invalid_candidate_is_refused_with_the_places_at_fault(client, settings):
    risk = await login(client, "risk")
    body = relaxed()
    unknown = dict(body, rules=[dict(body["rules"][0], when={
        "kind": "cond", "field": "bureau.score", "op": "gt", "value": 1})])  # fmt: skip
    r = await client.post(SIMULATE, json={"ruleset": unknown}, headers=risk)
    assert r.status_code == 422 and r.json()["code"] == "ruleset_invalid"
    assert "rules[0].when.field" in r.json()["fields"]
    wrong_type = dict(body, rules=[dict(body["rules"][0], id=7)])
    r = await client.post(SIMULATE, json={"ruleset": wrong_type}, headers=risk)
    assert r.status_code == 422 and r.json()["code"] == "ruleset_invalid"
    assert list(r.json()["fields"]) == ["rules[0].id"]
    bad_param = relaxed()
    bad_param["parameters"][0]["value"] = "ninety"
    r = await client.post(SIMULATE, json={"ruleset": bad_param}, headers=risk)
    assert r.status_code == 422 and r.json()["code"] == "ruleset_invalid"
    # publishing answers the same for the same document
    r = await client.post("/api/extension-rules", json={"ruleset": wrong_type}, headers=risk)
    assert r.status_code == 422 and list(r.json()["fields"]) == ["rules[0].id"]
    for extra in ({"last_n": 0}, {"last_n": 5001}, {"other": 1}):
        r = await client.post(SIMULATE, json={"ruleset": body, **extra}, headers=risk)
        assert r.status_code == 400, (extra, r.text)
    r = await client.post(SIMULATE, json={"ruleset": []}, headers=risk)
    assert r.status_code == 400


async def test_only_risk_officers_and_admins_simulate(client, settings):
    _, lessee = await active(client, settings)
    body = {"ruleset": relaxed()}
    for who in ("staff", "dealer", "monitor"):
        headers = await login(client, who)
        assert (await client.post(SIMULATE, json=body, headers=headers)).status_code == 403, who
    assert (await client.post(SIMULATE, json=body, headers=lessee)).status_code == 403
    assert (await client.post(SIMULATE, json=body)).status_code == 401
    for who in ("risk", "admin"):
        headers = await login(client, who)
        assert (await client.post(SIMULATE, json=body, headers=headers)).status_code == 200, who


async def test_the_queue_carries_what_a_reviewer_decides_on(client, settings):
    contract, lessee = await active(client, settings)
    first = await filed(client, contract, lessee, 6, "收入下降")
    second = await filed(client, contract, lessee, 3)
    risk = await login(client, "risk")
    r = await client.get("/api/extensions", params={"status": "referred"}, headers=risk)
    assert [e["id"] for e in r.json()] == [first["id"], second["id"]]  # oldest first
    r = await client.get("/api/extensions", params={"status": "referred", "newest": "true"},
                         headers=risk)  # fmt: skip
    assert [e["id"] for e in r.json()] == [second["id"], first["id"]]
    case = r.json()[1]
    assert case["contract_number"] == contract["number"]
    assert "*" in case["lessee_name"]
    assert (case["months_to_add"], case["reason"]) == (6, "收入下降")
    facts = {f["field"]: f for f in case["facts"]}
    assert set(facts) == set(eligibility.EXTENSION_FIELDS)
    assert facts["extension.months_to_add"]["value"] == 6
    assert facts["extension.days_past_due"]["label_zh"] == "逾期天数"
    assert [x["code"] for x in case["reasons"]] == ["early_in_term"]
    p = case["preview"]
    assert p["proposed"]["term_months"] == p["current"]["term_months"] + 6
    assert len(p["schedule"]) == p["proposed"]["term_months"]
    # the lessee's own view of the request carries no reviewer's material
    mine = await client.get(f"/api/contracts/{contract['id']}/extensions", headers=lessee)
    assert mine.json()[0]["facts"] == [] and mine.json()[0]["months_to_add"] == 6
    decline = {"approve": False, "note": "收入证明不足"}
    r = await client.post(f"/api/extensions/{first['id']}/decision", json=decline, headers=risk)
    assert r.status_code == 200 and r.json()["status"] == "declined"
    r = await client.get("/api/extensions", params={"newest": "true", "limit": 1}, headers=risk)
    assert [e["id"] for e in r.json()] == [second["id"]]
    r = await client.get("/api/extensions", params={"status": "declined"}, headers=risk)
    assert r.json()[0]["reviewer_note"] == "收入证明不足"
    for limit in ("0", "201"):
        r = await client.get("/api/extensions", params={"limit": limit}, headers=risk)
        assert r.status_code == 400


async def test_the_rules_come_with_the_fields_they_may_read(client, settings):
    risk = await login(client, "risk")
    shown = (await client.get("/api/extension-rules", headers=risk)).json()
    fields = {f["path"]: f for f in shown["fields"]}
    assert set(fields) == set(eligibility.EXTENSION_FIELDS)
    assert fields["extension.bucket"]["kind"] == "enum"
    assert fields["extension.bucket"]["choices"][:2] == ["M0", "M1"]
    assert fields["extension.days_past_due"]["kind"] == "int"
    assert all(f["label_zh"] and f["label_en"] for f in fields.values())
