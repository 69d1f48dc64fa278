"""The knowledge base is data staff edit 知识库: each save a new version, in use at once, on the
audit chain with who, when, before, after and why; a stale or broken version is refused whole."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from backend.audit import service as audit
from backend.audit.chain import digest
from backend.db.models import AuditEvent
from backend.db.session import make_engine, make_sessionmaker
from tests.backend.assistant.helpers import say
from tests.backend.helpers import login

NEW_ANSWER = "GPS费在签约时一次性收取，本月起新能源车免收GPS费。"


def _edited(kb: dict[str, Any]) -> dict[str, Any]:
    for topic in kb["entries"]:
        if topic["id"] == "gps_fee":
            topic["answer"] = NEW_ANSWER
    return kb


async def test_an_admin_saves_a_version_that_answers_at_once_and_is_audited(client, settings):
    admin = await login(client, "admin")
    shipped = (await client.get("/api/assistant/knowledge", headers=admin)).json()
    assert shipped["version"] == 1
    assert len(shipped["knowledge"]["entries"]) >= 46  # the seed's six and at least 40 more
    body = {"knowledge": _edited(shipped["knowledge"]), "based_on": 1, "reason": "GPS费调整"}
    r = await client.post("/api/assistant/knowledge", json=body, headers=admin)
    assert r.status_code == 201, r.text
    assert r.json()["version"] == 2
    assert (await say(client, "GPS费多少钱"))["answer"] == NEW_ANSWER
    versions = (await client.get("/api/assistant/knowledge/versions", headers=admin)).json()
    assert [(v["version"], v["reason"]) for v in versions] == [
        (2, "GPS费调整"),
        (1, "出厂知识库 shipped default"),
    ]
    engine = make_engine(settings.database_url)
    async with make_sessionmaker(engine)() as db:
        await audit.link_pending(db)
        await db.commit()
        (event,) = await db.scalars(
            select(AuditEvent).where(AuditEvent.action == "assistant_knowledge.saved")
        )
        assert event.actor_role == "admin"
        assert event.before_digest is not None
        assert event.after_digest == digest(r.json()["knowledge"])  # version 2 as saved
        assert "GPS费调整" in event.detail
        assert event.hash is not None  # linked into the chain
    await engine.dispose()


async def test_a_stale_save_conflicts_and_a_broken_one_is_refused_with_every_problem(client):
    admin = await login(client, "admin")
    kb = (await client.get("/api/assistant/knowledge", headers=admin)).json()["knowledge"]
    ok = {"knowledge": kb, "based_on": 1, "reason": "第一次"}
    assert (
        await client.post("/api/assistant/knowledge", json=ok, headers=admin)
    ).status_code == 201
    r = await client.post("/api/assistant/knowledge", json=ok | {"reason": "过期的"}, headers=admin)
    assert (r.status_code, r.json()["code"]) == (409, "knowledge_version_conflict")
    broken = dict(kb, entries=[*kb["entries"], kb["entries"][0]])
    r = await client.post(
        "/api/assistant/knowledge",
        json={"knowledge": broken, "based_on": 2, "reason": "重复"},
        headers=admin,
    )
    assert (r.status_code, r.json()["code"]) == (422, "knowledge_invalid")
    assert "主题编号重复" in r.json()["title"]
    dangling = dict(
        kb, entries=[dict(kb["entries"][0], follow_ups=["no_such_topic"]), *kb["entries"][1:]]
    )
    r = await client.post(
        "/api/assistant/knowledge",
        json={"knowledge": dangling, "based_on": 2, "reason": "x"},
        headers=admin,
    )
    assert "no_such_topic" in r.json()["title"]
    bad_shape = dict(kb, entries=[dict(kb["entries"][0], id="Not An Id")])
    r = await client.post(
        "/api/assistant/knowledge",
        json={"knowledge": bad_shape, "based_on": 2, "reason": "x"},
        headers=admin,
    )
    assert r.status_code == 400
    versions = (await client.get("/api/assistant/knowledge/versions", headers=admin)).json()
    assert [v["version"] for v in versions] == [2, 1]  # nothing half-written


async def test_only_admins_edit_the_knowledge_base(client):
    for user in ("staff", "risk", "lessee"):
        headers = await login(client, user)
        assert (await client.get("/api/assistant/knowledge", headers=headers)).status_code == 403
    assert (await client.get("/api/assistant/knowledge")).status_code == 401
