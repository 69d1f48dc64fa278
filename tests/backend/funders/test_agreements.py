"""A funder's agreement is the admin's, versioned and audited; a share outside 0–100 % or a
yield with more than four decimals is refused with the field named, and nothing is written."""

from __future__ import annotations

from sqlalchemy import func, select

from backend.db.models import AuditEvent, FunderAgreement
from tests.backend.funders.helpers import AGREEMENT, agree, session
from tests.backend.helpers import login


async def _count(settings) -> tuple[int, int]:
    async with session(settings) as db:
        rows = await db.scalar(select(func.count()).select_from(FunderAgreement))
        events = await db.scalar(select(func.count()).select_from(AuditEvent)
                                 .where(AuditEvent.action == "funder.agreement_saved"))  # fmt: skip
        return int(rows or 0), int(events or 0)


async def test_an_admin_saves_versions_and_each_is_audited(client, settings):
    r = await agree(client)
    assert r.status_code == 200, r.text
    assert r.json() | {"created_at": None} == {
        "funder_id": "org-funder", "version": 1, "share_percent": "80.0000",
        "yield_percent": "4.2000", "created_at": None}  # fmt: skip
    r = await agree(client, body={"share_percent": "70.5", "yield_percent": "3.9875"})
    assert r.json()["version"] == 2
    admin = await login(client, "admin")
    now = await client.get("/api/funder/agreements/org-funder", headers=admin)
    assert now.json()["share_percent"] == "70.5000" and now.json()["version"] == 2
    assert await _count(settings) == (2, 2)


async def test_only_an_admin_and_only_for_a_funder(client, settings):
    for who in ("dealer", "staff", "risk", "monitor", "funder"):
        r = await client.put("/api/funder/agreements/org-funder", json=AGREEMENT,
                             headers=await login(client, who))  # fmt: skip
        assert r.status_code == 403, who
    assert (await agree(client, "org-shop-east")).status_code == 404
    assert (await agree(client, "x" * 300)).status_code == 404
    assert await _count(settings) == (0, 0)


async def test_wrong_figures_are_named_and_nothing_is_written(client, settings):
    cases = [
        ({"share_percent": "100.01", "yield_percent": "4.2"}, {"share_percent"}),
        ({"share_percent": "0", "yield_percent": "4.2"}, {"share_percent"}),
        ({"share_percent": "-5", "yield_percent": "4.2"}, {"share_percent"}),
        ({"share_percent": "80", "yield_percent": "4.21255"}, {"yield_percent"}),
        ({"share_percent": "abc", "yield_percent": "1e1"}, {"share_percent", "yield_percent"}),
    ]
    for body, fields in cases:
        r = await agree(client, body=body)
        assert r.status_code == 422, (body, r.text)
        assert r.json()["code"] == "funder_agreement_invalid"
        assert set(r.json()["fields"]) == fields, body
    too_long = await agree(client, body={"share_percent": "8" * 13, "yield_percent": "4"})
    assert too_long.status_code == 400
    unknown = await agree(client, body={**AGREEMENT, "grace_days": 3})
    assert unknown.status_code == 400
    reason = await agree(client, body={**AGREEMENT, "reason": "长" * 201})
    assert reason.status_code == 400
    assert await _count(settings) == (0, 0)
