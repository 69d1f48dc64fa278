"""The demo 演示数据: every case files as a clerk would and is decided the way its label says —
the command a newcomer runs first must never fail on it."""

from __future__ import annotations

from backend.db.session import make_engine, make_sessionmaker
from backend.risk.demo import CASES, seed_demo_applications

EXPECTED = {"自动通过": "approved", "转人工": "in_review", "拒绝": "declined"}


def _expected(label: str) -> str:
    return next(status for word, status in EXPECTED.items() if word in label)


async def test_every_demo_case_is_filed_complete_and_decided_as_its_label_says(client, settings):
    engine = make_engine(settings.database_url)
    async with make_sessionmaker(engine)() as db:
        decided = await seed_demo_applications(db, settings, client.app.state.risk)
        await db.commit()
    await engine.dispose()
    assert [a.status.value for a in decided] == [_expected(c.label) for c in CASES], [
        (c.label, a.status.value, [r.code for r in a.decision.reasons] if a.decision else None)
        for c, a in zip(CASES, decided, strict=True)
    ]
