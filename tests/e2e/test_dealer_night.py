"""The dealer checks its account at night on a phone set to dark: the home shows this month's
funded volume, the commission earned on the lease just funded, the deals by stage and the year
in charts, in the dark theme; a stage opens its deals and a deal its application."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.e2e import browser as b
from tests.e2e.server import RunningBackend
from tests.e2e.test_hall_payment import _active_contract, _backdate_codes
from tests.e2e.test_monitor_console import _login
from tests.e2e.test_risk_flow import sign_in

pytestmark = pytest.mark.e2e


def test_the_dealer_sees_its_account_in_the_dark(chromium: Any, backend: RunningBackend) -> None:
    r = httpx.put(f"{backend.base_url}/api/dealer/commission-rules",
                  json={"rules": [{"basis": "percent", "percent": "1.5"}]},
                  headers=_login(backend, "admin"))  # fmt: skip
    assert r.status_code == 200, r.text
    _backdate_codes(backend)  # the lessee signed other contracts a moment ago
    contract = _active_contract(backend)  # funded under the rules: a commission earned
    context = chromium.new_context(viewport=b.PHONE, device_scale_factor=1, color_scheme="dark")
    phone = context.new_page()
    phone.goto(backend.app_url)
    b.wait_ready(phone)
    sign_in(phone, "dealer", "dealer-funded-month")
    b.wait_text(phone, "dealer-commission", lambda t: "¥" in t and "0.00" not in t.split()[1])
    for chart in ("funded", "approval", "commission"):
        b.wait_for(phone, f"dealer-chart-{chart}")
    b.screenshot(phone, "dealer-home-dark")
    b.tap(phone, "dealer-stage-active")
    b.wait_for(phone, f"dealer-deal-{contract['application_id']}")
    b.screenshot(phone, "dealer-deals-dark")
    b.tap(phone, f"dealer-deal-{contract['application_id']}")
    b.wait_for(phone, "application-contract")
    context.close()
