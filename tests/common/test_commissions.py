"""A dealer earns a percentage of the financed amount or a fixed amount per funded lease, by the
product's own rule or the catch-all; the commission comes back when the lease defaults within
the rule's window; a rule set with a typo is refused field by field."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from common.commissions import (
    CommissionBasis,
    CommissionRule,
    clawed_back,
    commission_fen,
    defaulted_on,
    problems,
    rule_for,
)

PCT = CommissionRule(basis=CommissionBasis.PERCENT, percent="1.5")
FIXED = CommissionRule(product_id="p-used", basis=CommissionBasis.FIXED, fixed_fen=80_000,
                       clawback_months=3, clawback_days_past_due=30)  # fmt: skip


def test_a_percentage_of_the_financed_amount_to_the_fen_half_up() -> None:
    assert commission_fen(PCT, 10_000_000) == 150_000  # ¥100,000 → ¥1,500
    assert commission_fen(PCT, 33) == 0  # 0.495 fen
    assert commission_fen(PCT, 34) == 1  # 0.51 fen
    assert commission_fen(CommissionRule(basis=CommissionBasis.PERCENT, percent="0.0001"),
                          5_000_000) == 5  # fmt: skip


@given(st.integers(min_value=0, max_value=10**12))
def test_a_percentage_is_exact_to_half_a_fen(financed: int) -> None:
    exact = financed * 15 / 1000
    assert abs(commission_fen(PCT, financed) - exact) <= 0.5


def test_the_products_own_rule_then_the_catch_all() -> None:
    rules = [PCT, FIXED]
    assert rule_for(rules, "p-used") is FIXED
    assert rule_for(rules, "p-new") is PCT
    assert rule_for([FIXED], "p-new") is None
    assert commission_fen(FIXED, 123_456_789) == 80_000


def test_clawed_back_when_the_default_comes_within_the_window() -> None:
    funded, window = date(2026, 1, 15), {"months": 6, "threshold_days": 60}
    # 60 days past due reached on 2026-07-14: inside six months of funding
    assert defaulted_on(date(2026, 7, 14), 60, 60) == date(2026, 7, 14)
    assert clawed_back(funded, date(2026, 7, 14), 60, **window)
    assert clawed_back(funded, date(2026, 7, 20), 66, **window)  # the same default, seen later
    # reached on 2026-07-15, six months to the day: outside
    assert not clawed_back(funded, date(2026, 7, 15), 60, **window)
    assert not clawed_back(funded, date(2026, 3, 1), 59, **window)  # not yet a default


@pytest.mark.parametrize(
    ("rule", "field"),
    [
        (CommissionRule(basis=CommissionBasis.PERCENT, percent="12"), "rules[0].percent"),
        (CommissionRule(basis=CommissionBasis.PERCENT, percent="abc"), "rules[0].percent"),
        (CommissionRule(basis=CommissionBasis.PERCENT, percent="1e1"), "rules[0].percent"),
        (CommissionRule(basis=CommissionBasis.PERCENT, percent="0"), "rules[0].percent"),
        (CommissionRule(basis=CommissionBasis.FIXED), "rules[0].fixed_fen"),
        (CommissionRule(basis=CommissionBasis.FIXED, fixed_fen=5, percent="1"),
         "rules[0].fixed_fen"),
        (CommissionRule(basis=CommissionBasis.PERCENT, percent="1", clawback_months=99),
         "rules[0].clawback_months"),
        (CommissionRule(product_id=" ", basis=CommissionBasis.FIXED, fixed_fen=1),
         "rules[0].product_id"),
    ],
)  # fmt: skip
def test_a_rule_with_a_typo_is_named_by_its_field(rule: CommissionRule, field: str) -> None:
    assert field in problems([rule])


def test_a_product_has_one_rule() -> None:
    assert problems([PCT, FIXED]) == {}
    assert problems([PCT, PCT]) == {"rules[1].product_id": "commission_product_repeated"}
