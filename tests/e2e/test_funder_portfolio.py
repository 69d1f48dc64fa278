"""The bank's portfolio manager signs in on a phone (set to dark) and sees the funder's
portfolio: the headline figures, delinquency by bucket, the months' chart and the contract it
funded; the contract opens its figures. (Funded whole here: the session's other tests fund
without an agreement, so this one leaves the demo bank's terms alone.)"""

from __future__ import annotations

from typing import Any

import pytest

from tests.e2e import browser as b
from tests.e2e.server import RunningBackend
from tests.e2e.test_risk_flow import sign_in

pytestmark = pytest.mark.e2e


def test_the_funder_sees_its_portfolio(
    chromium: Any, backend: RunningBackend, contract: dict[str, Any]
) -> None:
    """The session's active contract (funded by the demo bank): a fresh one for the same lessee
    would be referred by then, the session having filed several for them."""
    context = chromium.new_context(viewport=b.PHONE, device_scale_factor=1, color_scheme="dark")
    phone = context.new_page()
    phone.goto(backend.app_url)
    b.wait_ready(phone)
    sign_in(phone, "funder", "funder-contracts")
    b.wait_text(phone, "funder-contracts", lambda t: t.split()[-1] != "0")
    for bucket in ("M0", "M7"):
        b.wait_for(phone, f"funder-bucket-{bucket}")
    b.wait_for(phone, "funder-chart-received")
    b.wait_for(phone, f"funder-contract-{contract['id']}")
    phone.wait_for_timeout(600)
    b.screenshot(phone, "funder-portfolio-dark")
    b.tap(phone, f"funder-contract-{contract['id']}")
    b.wait_text(phone, "funder-contract", lambda t: contract["number"] in t)
    phone.wait_for_timeout(600)
    b.screenshot(phone, "funder-contract-dark")
    context.close()
