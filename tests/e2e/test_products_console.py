"""A risk officer on a phone sees the products on sale, takes one off sale with a reason and puts
it back (the cold-chain product: no other browser test quotes it)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from tests.e2e import browser as b
from tests.e2e.test_risk_flow import sign_in

pytestmark = pytest.mark.e2e
COLD_CHAIN = "p-cold-chain"


def _change(page: Page, reason: str) -> None:
    b.tap(page, f"product-{COLD_CHAIN}-change")
    b.type_into(page, "product-change-reason", reason)
    b.tap(page, "product-change-confirm")


def test_a_risk_officer_retires_a_product_and_puts_it_back(phone: Page) -> None:
    sign_in(phone, "risk", "risk-products")
    b.tap(phone, "risk-products")
    card = b.wait_text(phone, f"product-{COLD_CHAIN}", lambda t: "在售" in t)
    assert "冷链车融资租赁" in card and "首付" in card and "期 ·" in card
    for other in ("p-new-direct-36", "p-used-leaseback", "p-nev-promo"):
        b.wait_for(phone, f"product-{other}")
    b.screenshot(phone, "risk-products-zh")

    _change(phone, "冷链车残值模型复核")
    b.wait_text(phone, f"product-{COLD_CHAIN}", lambda t: "已停售" in t)
    _change(phone, "复核完成")
    b.wait_text(phone, f"product-{COLD_CHAIN}", lambda t: "在售" in t and "已停售" not in t)
