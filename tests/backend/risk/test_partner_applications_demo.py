"""The partner demo 产业链合作方演示: one company per partner family files through the real intake
and is approved by its family's own rule set; the companies are masked and encrypted as usual."""

from __future__ import annotations

from sqlalchemy import select

from backend.db.models import Customer, RiskDecision, RuleSetVersion
from backend.db.session import make_engine, make_sessionmaker
from backend.risk.partner_demo import CASES, seed_demo_partner_applications


async def test_each_partner_family_has_an_approved_demo_application_decided_by_its_own_set(
    client, settings
):
    engine = make_engine(settings.database_url)
    async with make_sessionmaker(engine)() as db:
        decided = await seed_demo_partner_applications(db, settings, client.app.state.risk)
        await db.commit()
        families = dict(
            (
                await db.execute(
                    select(RiskDecision.application_id, RuleSetVersion.family).join(
                        RuleSetVersion, RuleSetVersion.id == RiskDecision.ruleset_id
                    )
                )
            ).all()
        )
        sealed = list(await db.scalars(select(Customer.name_enc)))
    await engine.dispose()
    assert [(a.product_family, a.status.value) for a in decided] == [
        (c.family, "approved") for c in CASES
    ], [a.decision.reasons if a.decision else None for a in decided]
    assert [families[a.id] for a in decided] == [c.family.value for c in CASES]
    for view, case in zip(decided, CASES, strict=True):
        assert view.customer is not None and view.customer.name != case.company  # masked
        assert view.asset is not None
    assert not any(case.company in text for text in sealed for case in CASES)  # encrypted
