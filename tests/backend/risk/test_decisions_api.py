"""Decisions on submit 秒批: approved, referred (to the review queue), declined — with reasons in
plain Chinese, the trace and the facts stored; the manual review is audited."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from backend.db.models import AuditEvent, RiskDecision
from backend.db.session import make_engine, make_sessionmaker
from tests.backend.helpers import login
from tests.backend.risk.helpers import (
    BLACKLISTED,
    BUREAU_DOWN,
    CLEAN,
    FAST_LANE,
    LIVENESS_FAILS,
    NEW_MOBILE,
    THIN_FILE,
    WEAK_FACE,
    codes,
    file_application,
    submit,
)


@pytest.fixture
async def staff(client):
    return await login(client, "staff")


@pytest.fixture
async def risk(client):
    return await login(client, "risk")


async def audit_actions(settings, entity_id):
    engine = make_engine(settings.database_url)
    async with make_sessionmaker(engine)() as db:
        rows = await db.scalars(
            select(AuditEvent).where(AuditEvent.entity_id == entity_id).order_by(AuditEvent.seq)
        )
        actions = [e.action for e in rows]
    await engine.dispose()
    return actions


@pytest.mark.parametrize(
    ("id_number", "price_factor", "status", "outcome", "reason"),
    [
        (CLEAN, "1", "approved", "approved", None),
        (FAST_LANE, "1", "approved", "approved", "fast_lane"),
        (THIN_FILE, "1", "in_review", "referred", "bureau_missing"),
        (NEW_MOBILE, "1", "in_review", "referred", "mobile_new"),
        # the intake takes the customer's face, so face match and liveness decide
        (WEAK_FACE, "1", "in_review", "referred", "face_match_weak"),
        (LIVENESS_FAILS, "1", "declined", "declined", "liveness_failed"),
        (BUREAU_DOWN, "1", "in_review", "referred", "provider_unavailable"),
        (BLACKLISTED, "1", "declined", "declined", "blacklist_hit"),
        (CLEAN, "4", "declined", "declined", "price_outside_valuation_band"),  # the toy car
    ],
)
async def test_submit_decides_at_once_with_reasons(
    client, staff, settings, id_number, price_factor, status, outcome, reason
):
    app_id = await file_application(client, staff, id_number, price_factor=price_factor)
    view = await submit(client, staff, app_id)
    assert view["status"] == status
    decision = view["decision"]
    assert decision["outcome"] == outcome and decision["ruleset_version"] == 1
    if reason is not None:
        assert reason in codes(view)
        said = next(r for r in decision["reasons"] if r["code"] == reason)
        assert said["zh"] and not said["zh"].isascii()  # plain Chinese for staff
    else:
        assert decision["reasons"] == []
    shown = (await client.get(f"/api/applications/{app_id}", headers=staff)).json()
    assert shown["status"] == status and shown["decision"]["outcome"] == outcome
    actions = await audit_actions(settings, app_id)
    assert actions[-2:] == ["application.submitted", "application.decided"]


async def test_the_facts_snapshot_and_trace_are_stored(client, staff, settings):
    app_id = await file_application(client, staff, CLEAN)
    await submit(client, staff, app_id)
    engine = make_engine(settings.database_url)
    async with make_sessionmaker(engine)() as db:
        row = await db.scalar(select(RiskDecision).where(RiskDecision.application_id == app_id))
        facts = await db.scalar(select(RiskDecision.facts).where(RiskDecision.id == row.id))
    await engine.dispose()
    assert facts["vehicle"]["in_catalogue"] is True and facts["applicant"]["id_valid"] is True
    assert facts["region"] == {"code": "110105", "adaptive_flag": False}
    # the intake takes the customer's face: it was compared with the ID photo
    assert facts["identity"]["face_checked"] is True
    assert any(step[0] == "rule" and step[1] == "id_invalid" for step in row.trace)


async def test_submitting_twice_decides_once(client, staff, settings):
    app_id = await file_application(client, staff, CLEAN)
    first = await submit(client, staff, app_id)
    again = await submit(client, staff, app_id)
    assert first["decision"] == again["decision"]
    assert (await audit_actions(settings, app_id)).count("application.decided") == 1


async def test_referred_cases_wait_in_the_review_queue_with_photos_and_trace(client, staff, risk):
    referred = await file_application(client, staff, THIN_FILE)
    approved = await file_application(client, staff, CLEAN)
    await submit(client, staff, referred)
    await submit(client, staff, approved)
    queue = (await client.get("/api/reviews", headers=risk)).json()
    assert [a["id"] for a in queue] == [referred]
    item = queue[0]
    assert {p["kind"] for p in item["photos"]} >= {"id_front", "vehicle"}
    assert all(p["url"].startswith("/api/photos/") for p in item["photos"])
    trace = item["decision"]["trace"]
    assert any(s["id"] == "bureau_missing" and s["hit"] and s["applied"] for s in trace)
    assert (await client.get(item["photos"][0]["url"], headers=risk)).status_code == 200


async def test_a_risk_officer_approves_a_referred_case_with_a_note(client, staff, risk, settings):
    app_id = await file_application(client, staff, THIN_FILE)
    await submit(client, staff, app_id)
    r = await client.post(
        f"/api/reviews/{app_id}",
        json={"decision": "approve", "note": "收入流水已核实"},
        headers=risk,
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["status"] == "approved"
    assert body["decision"]["outcome"] == "referred"  # the engine's verdict stays on record
    assert body["decision"]["review"]["decision"] == "approve"
    assert body["decision"]["review"]["note"] == "收入流水已核实"
    assert (await client.get("/api/reviews", headers=risk)).json() == []
    assert "application.reviewed" in await audit_actions(settings, app_id)
    twice = await client.post(
        f"/api/reviews/{app_id}", json={"decision": "decline", "note": "x"}, headers=risk
    )
    assert twice.status_code == 409 and twice.json()["code"] == "review_not_pending"


async def test_a_decline_on_review_declines_the_application(client, staff, risk):
    app_id = await file_application(client, staff, NEW_MOBILE)
    await submit(client, staff, app_id)
    r = await client.post(
        f"/api/reviews/{app_id}",
        json={"decision": "decline", "note": "视频面签非本人"},
        headers=risk,
    )
    assert r.status_code == 200 and r.json()["status"] == "declined"
    seen = (await client.get(f"/api/applications/{app_id}", headers=staff)).json()
    assert seen["status"] == "declined" and seen["decision"]["review"]["decision"] == "decline"


async def test_a_review_needs_a_decision_and_a_note(client, staff, risk):
    app_id = await file_application(client, staff, THIN_FILE)
    await submit(client, staff, app_id)
    for body in ({"decision": "approve", "note": ""}, {"decision": "maybe", "note": "x"}, {}):
        r = await client.post(f"/api/reviews/{app_id}", json=body, headers=risk)
        assert r.status_code == 400, body


async def test_reviewing_an_application_that_is_not_referred_is_a_conflict(client, staff, risk):
    app_id = await file_application(client, staff, CLEAN)
    await submit(client, staff, app_id)
    r = await client.post(
        f"/api/reviews/{app_id}", json={"decision": "decline", "note": "x"}, headers=risk
    )
    assert r.status_code == 409 and r.json()["code"] == "review_not_pending"
    missing = await client.post(
        "/api/reviews/nope", json={"decision": "decline", "note": "x"}, headers=risk
    )
    assert missing.status_code == 404


@pytest.mark.parametrize("user", ["staff", "dealer", "lessee", "monitor"])
async def test_only_risk_officers_and_admins_work_the_queue(client, user):
    headers = await login(client, user)
    assert (await client.get("/api/reviews", headers=headers)).status_code == 403
    r = await client.post(
        "/api/reviews/any", json={"decision": "approve", "note": "x"}, headers=headers
    )
    assert r.status_code == 403
