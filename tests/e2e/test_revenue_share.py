"""Revenue sharing on a phone: the lessor's admin sees the charging lease's overdue month in its
overview; the operator's lease in the hall offers 电费分账报送, the months show the floor, what
was reported and the variable rent, and it reports the overdue month, the screen saying what it
charged."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from playwright.sync_api import Page

from tests.e2e import browser as b
from tests.e2e.server import RunningBackend, in_own_thread
from tests.e2e.test_risk_flow import sign_in

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def charging_lease(backend: RunningBackend) -> str:
    """The demo's charging-pile lease (backend/revenue_share/demo.py), on the e2e database."""

    async def work() -> str:
        from backend.db.session import make_engine, make_sessionmaker
        from backend.intake.catalogue import Catalogue
        from backend.revenue_share.demo import seed_demo_revenue_share
        from backend.risk.partner_demo import seed_demo_partner_applications
        from backend.risk.service import engine_for
        from backend.security.pii import PiiCipher
        from common.api.intake import ProductFamily

        settings = backend.settings
        pii = PiiCipher(settings.pii_key_bytes(), settings.lookup_key_bytes())
        engine = make_engine(settings.database_url)
        async with make_sessionmaker(engine)() as db:
            risk = engine_for(settings, pii, Catalogue.load())
            filed = await seed_demo_partner_applications(db, settings, risk)
            charging = next(a for a in filed if a.product_family == ProductFamily.CHARGING_PILE)
            assert await seed_demo_revenue_share(db, settings, pii, risk.catalogue, charging.id,
                                                 datetime.now(UTC))  # fmt: skip
            await db.commit()
        await engine.dispose()
        return charging.id

    return in_own_thread(work)


def test_the_lessor_sees_the_overdue_month(phone: Page, charging_lease: str) -> None:
    sign_in(phone, "admin", "admin-revenue")
    b.wait_text(phone, "admin-revenue", lambda t: "逾期未报" in t)
    b.tap(phone, "admin-revenue")
    phone.locator('[flt-semantics-identifier^="rev-overdue-"]').first.wait_for(state="attached")
    b.screenshot(phone, "admin-revenue-overdue")


def test_the_operator_reports_the_overdue_month_from_the_hall(
    phone: Page, charging_lease: str
) -> None:
    sign_in(phone, "operator", "hall-reminders")
    revenue = phone.locator('[flt-semantics-identifier^="hall-revenue-"]').first
    revenue.wait_for(state="attached")
    revenue.locator("[flt-tappable]").first.dispatch_event("click")
    b.wait_for(phone, "rev-send")
    b.screenshot(phone, "operator-revenue-share")
    b.type_into(phone, "rev-revenue", "-5")
    b.tap(phone, "rev-send")
    b.wait_text(phone, "rev-revenue", lambda t: "不小于0" in t)  # said on the field
    b.type_into(phone, "rev-revenue", "250000")  # 15 %: above the floor
    b.type_into(phone, "rev-kwh", "82500")
    b.tap(phone, "rev-send")
    b.wait_text(phone, "error-banner", lambda t: "已报送" in t and "随下期租金收取" in t)
    b.wait_text(phone, "rev-send", lambda t: True)  # the form stays for the month still due
    b.screenshot(phone, "operator-revenue-reported")
