"""The demo dealer, on a phone at night, opens its statement: this month's funded lease is on
it (booked, down payment, disbursement) between the opening and closing balances; exporting a
CSV opens the file through a short-lived link, and the file is the statement, BOM and all."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from playwright.sync_api import Page

from tests.e2e import browser as b
from tests.e2e.server import RunningBackend
from tests.e2e.test_risk_flow import open_route, sign_in

pytestmark = pytest.mark.e2e


def test_the_dealer_opens_its_statement_and_exports_a_csv(
    phone: Page, backend: RunningBackend, contract: dict[str, Any]
) -> None:
    sign_in(phone, "dealer", "home-new-application")  # the dealer's home (the shop's, for now)
    open_route(phone, backend, "/dealer/statements", "stm-closing")
    assert "-01" in b.text_of(phone, "stm-period")  # this month, from its first day
    b.wait_for(phone, "stm-row-2")
    rows = " ".join(b.text_of(phone, f"stm-row-{k}") for k in range(3))
    for words in ("起租应付车款", "代收首付款", "支付车款"):
        assert words in rows, rows
    assert "¥0.00" in b.text_of(phone, "stm-closing")  # booked and paid: nothing owed
    b.screenshot(phone, "dealer-statement")
    with phone.context.expect_event(
        "request", lambda r: "/api/dealer/statements?" in r.url and "format=csv" in r.url
    ) as opened:
        b.tap(phone, "stm-export-csv")
    url = opened.value.url
    assert "token=" in url
    got = httpx.get(url)  # the link works without the bearer, like the browser's download
    assert got.status_code == 200 and got.content.startswith(b"\xef\xbb\xbf")
    text = got.content.decode("utf-8-sig")
    assert contract["number"] in text and "期末余额" in text
    b.screenshot(phone, "dealer-statement-exported")
