"""Money, rates and dates as the app shows them; texts in Chinese by default, English on switch."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from app_mobile.i18n import TEXTS, Translator, format_date, format_money, format_percent


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        ("3042.19", "¥3,042.19"),
        ("3042.185", "¥3,042.19"),  # half up, once, at display
        (Decimal("1000000"), "¥1,000,000.00"),
        ("0", "¥0.00"),
        ("-12.5", "-¥12.50"),
        (None, ""),
        ("", ""),
        ("abc", "abc"),
    ],
)
def test_money_is_yuan_with_thousands_and_two_decimals(amount: object, shown: str) -> None:
    assert format_money(amount) == shown  # type: ignore[arg-type]


def test_rates_are_percent_with_two_decimals() -> None:
    assert format_percent("8.2512") == "8.25%"
    assert format_percent(None) == ""


def test_dates_are_iso_on_the_shanghai_business_date() -> None:
    assert format_date(date(2026, 11, 30)) == "2026-11-30"
    # 2026-11-30 17:00 UTC is already 12-01 in Shanghai
    assert format_date(datetime(2026, 11, 30, 17, 0, tzinfo=UTC)) == "2026-12-01"


def test_chinese_by_default_and_english_on_switch() -> None:
    t = Translator()
    assert t("sign_in") == "登录"
    t.toggle()
    assert t("sign_in") == "Sign in"
    assert t("step_of", n=2, total=5) == "Step 2 of 5"


def test_every_text_has_both_languages() -> None:
    assert all(zh and en for zh, en in TEXTS.values())


def test_an_unknown_language_falls_back_to_chinese() -> None:
    assert Translator("fr")("sign_in") == "登录"


def test_a_line_of_parts_leaves_out_what_is_not_there():
    from app_mobile.i18n import dotted

    assert dotted("比亚迪 秦PLUS", "LC0659NM3S9498873") == "比亚迪 秦PLUS · LC0659NM3S9498873"
    assert dotted("充电桩设备", "") == "充电桩设备"  # a partner's contract has no VIN
    assert dotted(None, "") == ""
