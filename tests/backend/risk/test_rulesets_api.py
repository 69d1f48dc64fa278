"""Rule management 规则管理: drafts, edits with optimistic locking, refused invalid sets,
simulation, publish and rollback, the change history, and who may do it."""

from __future__ import annotations

import copy

import pytest
from sqlalchemy import select

from backend.db.models import AuditEvent, RuleSetVersion
from backend.db.session import make_engine, make_sessionmaker
from tests.backend.helpers import login
from tests.backend.risk.helpers import (
    CLEAN,
    CLEAN_2,
    CLEAN_3,
    THIN_FILE,
    codes,
    file_application,
    submit,
)


@pytest.fixture
async def risk(client):
    return await login(client, "risk")


@pytest.fixture
async def staff(client):
    return await login(client, "staff")


def with_param(ruleset, name, value):
    body = copy.deepcopy(ruleset)
    next(p for p in body["parameters"] if p["name"] == name)["value"] = value
    return body


async def new_draft(client, headers, **body):
    r = await client.post("/api/risk/rulesets", json=body, headers=headers)
    assert r.status_code == 201, r.text
    return r.json()


async def edit(client, headers, draft, ruleset, lock=None):
    s = draft["summary"]
    return await client.put(
        f"/api/risk/rulesets/{s['id']}",
        json={"lock_version": s["lock_version"] if lock is None else lock, "ruleset": ruleset},
        headers=headers,
    )


async def test_the_seeded_default_is_published_version_1_and_active(client, risk):
    versions = (await client.get("/api/risk/rulesets", headers=risk)).json()
    assert [(v["version"], v["status"], v["active"]) for v in versions] == [(1, "published", True)]
    detail = (await client.get(f"/api/risk/rulesets/{versions[0]['id']}", headers=risk)).json()
    assert len(detail["ruleset"]["rules"]) >= 20


async def test_a_draft_is_a_copy_of_the_active_set_and_edits_bump_its_lock(client, risk):
    draft = await new_draft(client, risk)
    assert draft["summary"]["version"] == 2 and draft["summary"]["status"] == "draft"
    assert not draft["summary"]["active"]
    r = await edit(client, risk, draft, with_param(draft["ruleset"], "approve_min_score", 700))
    assert r.status_code == 200, r.text
    edited = r.json()
    assert edited["summary"]["lock_version"] == draft["summary"]["lock_version"] + 1
    assert (
        next(p for p in edited["ruleset"]["parameters"] if p["name"] == "approve_min_score")[
            "value"
        ]
        == 700
    )


async def test_a_concurrent_edit_of_one_draft_gets_409(client, risk):
    draft = await new_draft(client, risk)
    first = await edit(client, risk, draft, with_param(draft["ruleset"], "max_dti", "0.50"))
    assert first.status_code == 200
    second = await edit(client, risk, draft, with_param(draft["ruleset"], "max_dti", "0.60"))
    assert second.status_code == 409 and second.json()["code"] == "version_conflict"
    kept = (await client.get(f"/api/risk/rulesets/{draft['summary']['id']}", headers=risk)).json()
    assert next(p for p in kept["ruleset"]["parameters"] if p["name"] == "max_dti")["value"] == (
        "0.50"
    )


@pytest.mark.parametrize(
    ("mutate", "path_part"),
    [
        (lambda rs: rs["rules"][0]["when"].update(field="applicant.shoe_size"), "rules[0]"),
        (lambda rs: rs["rules"][1]["when"].update(op="starts_with"), "rules[1]"),
        (
            lambda rs: rs["rules"][1]["when"].update(value={"kind": "param", "name": "nope"}),
            "rules",
        ),
        (lambda rs: rs["parameters"][0].update(value="eighteen"), "parameters[0]"),
        (lambda rs: rs.update(rules="not a list"), "rules"),
    ],
)
async def test_a_rule_set_that_does_not_compile_is_refused_at_save(client, risk, mutate, path_part):
    draft = await new_draft(client, risk)
    broken = copy.deepcopy(draft["ruleset"])
    mutate(broken)
    r = await edit(client, risk, draft, broken)
    assert r.status_code == 422, r.text
    problem = r.json()
    assert problem["code"] == "ruleset_invalid"
    assert any(path_part in path for path in problem["fields"]), problem["fields"]
    unchanged = await client.get(f"/api/risk/rulesets/{draft['summary']['id']}", headers=risk)
    assert unchanged.json()["ruleset"] == draft["ruleset"]
    created = await client.post("/api/risk/rulesets", json={"ruleset": broken}, headers=risk)
    assert created.status_code == 422 and created.json()["code"] == "ruleset_invalid"


async def test_a_published_version_cannot_be_edited(client, risk):
    active = (await client.get("/api/risk/rulesets", headers=risk)).json()[0]
    detail = (await client.get(f"/api/risk/rulesets/{active['id']}", headers=risk)).json()
    r = await edit(client, risk, detail, detail["ruleset"])
    assert r.status_code == 409 and r.json()["code"] == "ruleset_published"


async def test_simulate_publish_and_rollback_apply_to_the_next_decision(client, risk, staff):
    decided = await file_application(client, staff, CLEAN)
    assert (await submit(client, staff, decided))["status"] == "approved"  # score 680
    referred = await file_application(client, staff, THIN_FILE)
    await submit(client, staff, referred)
    v1 = (await client.get("/api/risk/rulesets", headers=risk)).json()[0]

    draft = await new_draft(client, risk)
    draft = (
        await edit(client, risk, draft, with_param(draft["ruleset"], "approve_min_score", 700))
    ).json()
    sim = await client.post(
        f"/api/risk/rulesets/{draft['summary']['id']}/simulate", json={"last_n": 50}, headers=risk
    )
    assert sim.status_code == 200, sim.text
    result = sim.json()
    assert result["total"] == 2 and result["changed_count"] == 1
    assert result["approval_rate_before"] == "0.5000" and result["approval_rate_after"] == "0.0000"
    assert result["changed"][0]["application_id"] == decided
    changed = result["changed"][0]  # named as a person reads it: masked customer, vehicle
    assert (changed["customer_name"], changed["model_year"]) == ("测**户", 2021)
    assert (changed["maker"], changed["model_name"]) == ("上汽大众 SAIC Volkswagen", "朗逸 Lavida")
    assert (result["changed"][0]["before"], result["changed"][0]["after"]) == (
        "approved",
        "referred",
    )

    r = await client.post(
        f"/api/risk/rulesets/{draft['summary']['id']}/publish",
        json={"reason": "收紧自动通过线"},
        headers=risk,
    )
    assert r.status_code == 200, r.text
    assert r.json()["summary"]["active"] and r.json()["summary"]["status"] == "published"
    after_publish = await submit(client, staff, await file_application(client, staff, CLEAN_2))
    assert after_publish["status"] == "in_review" and "score_refer" in codes(after_publish)
    assert after_publish["decision"]["ruleset_version"] == 2

    again = await client.post(
        f"/api/risk/rulesets/{draft['summary']['id']}/publish", json={"reason": "x"}, headers=risk
    )
    assert again.status_code == 409 and again.json()["code"] == "ruleset_published"

    back = await client.post(
        f"/api/risk/rulesets/{v1['id']}/rollback", json={"reason": "误伤过多，回滚"}, headers=risk
    )
    assert back.status_code == 200 and back.json()["summary"]["active"]
    after_rollback = await submit(client, staff, await file_application(client, staff, CLEAN_3))
    assert after_rollback["status"] == "approved"
    assert after_rollback["decision"]["ruleset_version"] == 1
    active = [v["version"] for v in (await client.get("/api/risk/rulesets", headers=risk)).json()
              if v["active"]]  # fmt: skip
    assert active == [1]


async def test_rollback_needs_an_earlier_published_version(client, risk):
    v1 = (await client.get("/api/risk/rulesets", headers=risk)).json()[0]
    r = await client.post(f"/api/risk/rulesets/{v1['id']}/rollback", json={"reason": "x"},
                          headers=risk)  # fmt: skip
    assert r.status_code == 409 and r.json()["code"] == "ruleset_already_active"
    draft = await new_draft(client, risk)
    r = await client.post(
        f"/api/risk/rulesets/{draft['summary']['id']}/rollback", json={"reason": "x"}, headers=risk
    )
    assert r.status_code == 409 and r.json()["code"] == "ruleset_not_published"
    r = await client.post(
        f"/api/risk/rulesets/{draft['summary']['id']}/publish", json={"reason": ""}, headers=risk
    )
    assert r.status_code == 400  # a publish needs a reason


async def test_every_change_is_in_the_history_and_the_audit_chain(client, risk, settings):
    draft = await new_draft(client, risk)
    draft = (
        await edit(client, risk, draft, with_param(draft["ruleset"], "max_dti", "0.50"))
    ).json()
    await client.post(
        f"/api/risk/rulesets/{draft['summary']['id']}/publish",
        json={"reason": "负债收入比收紧"},
        headers=risk,
    )
    entries = (await client.get("/api/risk/history", headers=risk)).json()
    assert [e["action"] for e in entries] == ["published", "edited", "created", "published"]
    published, edited = entries[0], entries[1]
    assert published["actor_name"] == "周敏（风控经理）" and published["reason"] == "负债收入比收紧"
    assert (published["before"], published["after"]) == ({"active_version": 1},
                                                          {"active_version": 2})  # fmt: skip
    assert [(c["before"], c["after"]) for c in edited["changes"]] == [("0.55", "0.50")]
    assert "max_dti" in edited["changes"][0]["path"]
    engine = make_engine(settings.database_url)
    async with make_sessionmaker(engine)() as db:
        vehicle = select(RuleSetVersion.id).where(RuleSetVersion.family == "vehicle")
        audited = {
            e.seq: e.action
            for e in await db.scalars(
                select(AuditEvent).where(
                    AuditEvent.entity_type == "ruleset", AuditEvent.entity_id.in_(vehicle)
                )
            )
        }
    await engine.dispose()
    # every change, the seeded version 1 included, is on the chain (the vehicles' history; each
    # partner family has its own)
    assert {e["audit_seq"]: f"ruleset.{e['action']}" for e in entries} == audited


@pytest.mark.parametrize("user", ["staff", "dealer", "lessee", "monitor"])
async def test_only_risk_officers_and_admins_touch_rules(client, user):
    headers = await login(client, user)
    admin = await login(client, "admin")
    draft = await new_draft(client, admin)  # admins may
    rid = draft["summary"]["id"]
    calls = [
        client.get("/api/risk/rulesets", headers=headers),
        client.post("/api/risk/rulesets", json={}, headers=headers),
        client.get(f"/api/risk/rulesets/{rid}", headers=headers),
        client.put(f"/api/risk/rulesets/{rid}", json={"lock_version": 1, "ruleset": {}},
                   headers=headers),
        client.post(f"/api/risk/rulesets/{rid}/simulate", json={}, headers=headers),
        client.post(f"/api/risk/rulesets/{rid}/publish", json={"reason": "x"}, headers=headers),
        client.post(f"/api/risk/rulesets/{rid}/rollback", json={"reason": "x"}, headers=headers),
        client.get("/api/risk/history", headers=headers),
        client.get("/api/risk/region-flags", headers=headers),
    ]  # fmt: skip
    for call in calls:
        r = await call
        assert r.status_code == 403 and r.json()["code"] == "forbidden"
