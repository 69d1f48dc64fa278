"""Adaptive mode (F12): a synthetic spike in a region's used-car volume flags the region (visible
and audited, idempotent), and new applications from it get the two extra verification gates."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from backend.clock import fixed_clock
from backend.db.models import Application, AuditEvent, User
from backend.db.session import make_engine, make_sessionmaker
from backend.jobs.adaptive import AdaptiveConfig, daily_volumes, run_adaptive
from common.business_day import business_day_start
from tests.backend.helpers import login
from tests.backend.risk.helpers import CLEAN_2, file_application, submit

WEST = "310104"  # org-shop-west's region; its applications here carry no customer


async def add_volume(db, per_day: dict[int, int], now: datetime) -> None:
    """``per_day``: days ago -> number of submitted used-car applications from the west shop."""
    clerk = await db.scalar(select(User.id).where(User.username == "staff2"))
    for days_ago, count in per_day.items():
        for i in range(count):
            db.add(
                Application(
                    organisation_id="org-shop-west",
                    created_by_id=clerk,
                    status="approved",
                    is_new=False,
                    submitted_at=now - timedelta(days=days_ago, minutes=i),
                    photos=[],
                )
            )
    await db.commit()


# Noon of today's business day: minutes-apart test rows never straddle midnight. The service runs
# at that instant too (the `clock` fixture), so no test depends on the hour it happens to run.
NOON = business_day_start(datetime.now(UTC)) + timedelta(hours=12)


def midday() -> datetime:
    return NOON


@pytest.fixture
def clock():
    return fixed_clock(NOON)


@pytest.fixture
async def db(client, settings):
    engine = make_engine(settings.database_url)
    async with make_sessionmaker(engine)() as session:
        yield session
    await engine.dispose()


def spike(now: datetime) -> dict[int, int]:
    history = {d: 1 + d % 2 for d in range(1, 15)}  # one or two a day for two weeks
    return {**history, 0: 12}


async def test_volumes_are_counted_per_region_and_business_day(db):
    now = midday()
    await add_volume(db, {3: 2, 1: 1, 0: 4}, now)
    [west] = await daily_volumes(db, now, 28)
    assert west.region_code == WEST and west.today == 4
    assert west.history == [2, 0, 1]


async def test_a_volume_spike_flags_the_region_once_and_new_applications_get_two_gates(client, db):
    now = midday()
    await add_volume(db, spike(now), now)
    changed = await run_adaptive(db, now, AdaptiveConfig(threshold=3.5))
    assert [(f.region_code, f.flagged) for f in changed] == [(WEST, True)]
    assert await run_adaptive(db, now) == []  # a second run changes nothing
    raised = await db.scalars(select(AuditEvent).where(AuditEvent.action == "region_flag.raised"))
    assert [e.entity_id for e in raised] == [WEST]

    risk = await login(client, "risk")
    flags = (await client.get("/api/risk/region-flags", headers=risk)).json()
    assert [(f["region_code"], f["flagged"], f["today_count"]) for f in flags] == [(WEST, True, 12)]
    assert float(flags[0]["z_score"]) > 3.5

    staff = await login(client, "staff")
    view = await submit(client, staff, await file_application(client, staff, CLEAN_2))
    assert view["decision"]["gates"] and {g["code"] for g in view["decision"]["gates"]} == {
        "video_interview",
        "field_visit",
    }
    elsewhere = await submit(
        client, staff, await file_application(client, staff, CLEAN_2, region_code="110105")
    )
    assert elsewhere["decision"]["gates"] == []


async def test_the_flag_clears_when_the_volume_is_back_to_normal(db):
    now = midday()
    await add_volume(db, spike(now), now)
    await run_adaptive(db, now)
    tomorrow = now + timedelta(days=1)  # no applications at all that day: back within baseline
    [cleared] = await run_adaptive(db, tomorrow)
    assert not cleared.flagged and cleared.cleared_at is not None
    events = await db.scalars(
        select(AuditEvent.action).where(AuditEvent.entity_type == "region_flag")
    )
    assert list(events) == ["region_flag.raised", "region_flag.cleared"]


async def test_a_quiet_region_without_a_baseline_is_never_flagged(db):
    now = midday()
    await add_volume(db, {0: 30}, now)
    assert await run_adaptive(db, now) == []


async def test_risk_officers_can_run_the_job_now(client, db):
    now = midday()
    await add_volume(db, spike(now), now)
    r = await client.post("/api/risk/region-flags/refresh", headers=await login(client, "admin"))
    assert r.status_code == 200 and [f["region_code"] for f in r.json() if f["flagged"]] == [WEST]
