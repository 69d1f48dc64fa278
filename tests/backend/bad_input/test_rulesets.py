"""Rule sets too large, too deep or with numbers out of range are refused at save (422
``ruleset_invalid`` naming the path); whatever still fails at decision time refers the case to a
person (``engine_error``), logged — never a 500, never a draft left behind."""

from __future__ import annotations

import copy
import json
import logging
from typing import Any

import msgspec
import pytest
from sqlalchemy import select

import common.submission as submission
from backend.db.models import ActiveRuleSet, RuleSetVersion
from backend.db.session import make_engine, make_sessionmaker
from common.rules import default_ruleset
from tests.backend.helpers import login
from tests.backend.risk.helpers import CLEAN, file_application


def nested_not(depth: int) -> dict[str, Any]:
    cond: dict[str, Any] = {"kind": "cond", "field": "applicant.id_valid", "op": "is_false"}
    for _ in range(depth):
        cond = {"kind": "not", "of": cond}
    return cond


def nested_calc(depth: int) -> dict[str, Any]:
    expr: dict[str, Any] = {"kind": "field", "path": "deal.principal"}
    for _ in range(depth):
        expr = {"kind": "calc", "op": "add", "args": [expr, 1]}
    return expr


def _set(path: list[Any], value: Any):
    def mutate(rs: dict[str, Any]) -> None:
        target = rs
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value

    return mutate


SAVE_CASES = [
    pytest.param(_set(["scorecard", "base"], 10**30), "scorecard.base", id="base-1e30"),
    pytest.param(_set(["scorecard", "base"], 10**7), "scorecard.base", id="base-1e7"),
    pytest.param(_set(["scorecard", "approve_min"], -(10**30)), "scorecard.approve_min",
                 id="approve-min-minus-1e30"),
    pytest.param(_set(["scorecard", "characteristics", 0, "bins", 0, "points"], 2**63),
                 "scorecard.characteristics[0].bins[0].points", id="bin-points-2^63"),
    pytest.param(_set(["scorecard", "characteristics", 0, "bins", 0, "value"], 10**30),
                 "scorecard.characteristics[0].bins[0].value", id="bin-value-1e30"),
    pytest.param(_set(["parameters", 0, "value"], 10**30), "parameters[0].value",
                 id="parameter-1e30"),
    pytest.param(_set(["parameters", 0, "value"],
                      {"kind": "calc", "op": "mul", "args": [10**12, 10**12]}),
                 "parameters[0].value", id="parameter-product-1e24"),
    pytest.param(_set(["derived", 0, "expr"], {"kind": "calc", "op": "add", "args": [1, 1e300]}),
                 "derived[0].expr.args[1]", id="derived-literal-1e300"),
    pytest.param(_set(["rules", 0, "when"], nested_not(200)), "rules[0].when.of", id="not-200"),
    pytest.param(_set(["rules", 0, "when"], nested_not(33)), "rules[0].when.of", id="not-33"),
    pytest.param(_set(["derived", 0, "expr"], nested_calc(40)), "derived[0].expr.args[0]",
                 id="calc-40"),
    pytest.param(_set(["derived", 0, "expr"], {"kind": "calc", "op": "add", "args": [1] * 100}),
                 "derived[0].expr.args", id="calc-100-args"),
    pytest.param(_set(["name"], "v2\u0000"), "$.name", id="name-nul"),
    pytest.param(_set(["name"], "v" * 201), "$.name", id="name-201"),
    pytest.param(_set(["rules", 0, "label", "zh"], "身份\u001b证"), "$.rules[0].label.zh",
                 id="label-escape"),
]  # fmt: skip


@pytest.fixture
async def risk(client):
    return await login(client, "risk")


async def active_body(client, risk) -> dict[str, Any]:
    active = (await client.get("/api/risk/rulesets", headers=risk)).json()[0]
    detail = (await client.get(f"/api/risk/rulesets/{active['id']}", headers=risk)).json()
    return copy.deepcopy(detail["ruleset"])


@pytest.mark.parametrize(("mutate", "path"), SAVE_CASES)
async def test_a_rule_set_out_of_bounds_is_refused_at_save(client, rows, risk, mutate, path):
    body = await active_body(client, risk)
    mutate(body)
    before = await rows()
    created = await client.post("/api/risk/rulesets", json={"ruleset": body}, headers=risk)
    assert created.status_code == 422, created.text
    problem = created.json()
    assert problem["code"] == "ruleset_invalid"
    assert any(p.startswith(path) for p in problem["fields"]), problem["fields"]
    assert await rows() == before
    draft = (await client.post("/api/risk/rulesets", json={}, headers=risk)).json()
    before = await rows()
    edited = await client.put(
        f"/api/risk/rulesets/{draft['summary']['id']}",
        json={"lock_version": draft["summary"]["lock_version"], "ruleset": body},
        headers=risk,
    )
    assert (edited.status_code, edited.json()["code"]) == (422, "ruleset_invalid"), edited.text
    assert await rows() == before


@pytest.mark.parametrize("depth", [130, 900])
async def test_a_calc_nested_hundreds_deep_is_refused_before_it_is_decoded(
    client, rows, risk, depth
):
    body = await active_body(client, risk)
    body["derived"][0]["expr"] = "DEEP"
    deep = '{"kind":"field","path":"deal.principal"}'
    for _ in range(depth):  # too deep for json.dumps: written out by hand
        deep = '{"kind":"calc","op":"add","args":[' + deep + ",1]}"
    raw = json.dumps({"ruleset": body}).replace('"DEEP"', deep).encode()
    before = await rows()
    r = await client.post(
        "/api/risk/rulesets",
        content=raw,
        headers={**risk, "Content-Type": "application/json"},
    )
    assert (r.status_code, r.json()["code"]) == (400, "invalid_json"), r.text
    assert await rows() == before


async def _activate_unchecked(settings, mutate) -> None:
    """Store and activate a published version as an older release might have let through."""
    body = msgspec.to_builtins(default_ruleset())
    mutate(body)
    engine = make_engine(settings.database_url)
    async with make_sessionmaker(engine)() as db:
        row = RuleSetVersion(number=99, name="unchecked", status="published", body=body)
        db.add(row)
        await db.flush()
        pointer = await db.scalar(select(ActiveRuleSet))
        assert pointer is not None
        pointer.ruleset_id = row.id
        await db.commit()
    await engine.dispose()


async def _submit_and_expect_engine_error(client, caplog) -> dict[str, Any]:
    staff = await login(client, "staff")
    app_id = await file_application(client, staff, CLEAN)
    logger = logging.getLogger("autolease")  # does not propagate to the root logger
    logger.addHandler(caplog.handler)
    try:
        r = await client.post(f"/api/applications/{app_id}/submit", headers=staff)
    finally:
        logger.removeHandler(caplog.handler)
    assert r.status_code == 200, r.text
    view = r.json()
    assert view["status"] == "in_review"
    assert view["decision"]["outcome"] == "referred"
    assert "engine_error" in [x["code"] for x in view["decision"]["reasons"]]
    assert any(app_id in rec.getMessage() for rec in caplog.records if rec.levelname == "ERROR")
    queue = (await client.get("/api/reviews", headers=await login(client, "risk"))).json()
    assert app_id in [a["id"] for a in queue]
    return view


async def test_a_stored_rule_set_that_no_longer_compiles_refers_the_case(client, settings, caplog):
    await _activate_unchecked(settings, _set(["scorecard", "base"], 10**30))
    view = await _submit_and_expect_engine_error(client, caplog)
    assert view["decision"]["ruleset_version"] == 99


@pytest.mark.parametrize(
    "failure",
    [
        pytest.param(ZeroDivisionError("boom"), id="raises"),
        pytest.param("overflow", id="score-beyond-the-column"),
    ],
)
async def test_an_engine_failure_at_decision_time_refers_the_case(
    client, caplog, monkeypatch, failure
):
    real = submission.evaluate

    def broken(compiled, facts):
        if failure == "overflow":
            return msgspec.structs.replace(real(compiled, facts), score=10**30)
        raise failure

    monkeypatch.setattr(submission, "evaluate", broken)
    await _submit_and_expect_engine_error(client, caplog)
