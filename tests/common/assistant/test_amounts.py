"""Amounts, shares and terms as people type them in a chat."""

from __future__ import annotations

from decimal import Decimal

import pytest

from common.assistant.amounts import chinese_int, share, term_months, yuan


@pytest.mark.parametrize(
    ("text", "expected"),
    [("12万", "120000"), ("十二万", "120000"), ("12.5万元", "125000"), ("120,000", "120000"),
     ("8000元", "8000"), ("三十五万", "350000"), ("大概15w", "150000"), ("8千", "8000"),
     ("一百二十万", "1200000"), ("两万五千", "25000")],
)  # fmt: skip
def test_an_amount_is_read_in_yuan(text, expected):
    assert yuan(text) == Decimal(expected)


def test_no_amount_is_none():
    assert yuan("很贵") is None
    assert chinese_int("十二a") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [("30%", "0.3"), ("３０％", None), ("百分之三十", "0.3"), ("3成", "0.3"), ("两成", "0.2"),
     ("零首付", "0"), ("3万", None)],
)  # fmt: skip
def test_a_share_of_the_price(text, expected):
    assert share(text) == (None if expected is None else Decimal(expected))


@pytest.mark.parametrize(
    ("text", "expected"),
    [("36期", 36), ("24个月", 24), ("3年", 36), ("两年", 24), ("36", 36), ("3", 36),
     ("随便", None)],
)  # fmt: skip
def test_a_term_in_months(text, expected):
    assert term_months(text) == expected
