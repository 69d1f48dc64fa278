"""Allocation, penalty interest and delinquency buckets."""

from datetime import date
from decimal import Decimal

import pytest

from common.errors import DomainError
from common.servicing import (
    Bucket,
    Component,
    Dues,
    PenaltyRule,
    allocate,
    bucket_for,
    delinquency_bucket,
    penalty_interest,
)

D = Decimal
OLD = Dues(5, date(2026, 6, 15), principal=D("2500"), interest=D("500"), penalty=D("20"))
NEW = Dues(6, date(2026, 7, 15), principal=D("2510"), interest=D("490"), fees=D("100"))


def test_default_order_is_penalty_then_interest_then_principal_oldest_first() -> None:
    a = allocate(D("3100"), [NEW, OLD])
    assert [(ln.number, ln.component, ln.amount) for ln in a.lines] == [
        (5, Component.PENALTY, D("20")),
        (5, Component.INTEREST, D("500")),
        (5, Component.PRINCIPAL, D("2500")),
        (6, Component.FEES, D("80")),
    ]
    assert a.unapplied == 0


def test_vertical_allocation_takes_each_component_across_instalments_first() -> None:
    order = (Component.INTEREST, Component.PENALTY, Component.FEES, Component.PRINCIPAL)
    a = allocate(D("1000"), [OLD, NEW], order, instalment_first=False)
    assert a.total(Component.INTEREST) == D("990")
    assert a.total(Component.PENALTY) == D("10")
    assert a.total(Component.PRINCIPAL) == 0


def test_an_overpayment_is_left_unapplied() -> None:
    a = allocate(D("7000"), [OLD, NEW])
    assert a.total() == OLD.total + NEW.total
    assert a.unapplied == D("7000") - OLD.total - NEW.total


@pytest.mark.parametrize(
    ("amount", "order", "code"),
    [
        (D("0"), None, "money_invalid"),
        (D("1.001"), None, "money_invalid"),
        (D("10"), (Component.PENALTY, Component.INTEREST), "allocation_order_invalid"),
        (D("10"), (Component.PENALTY,) * 4, "allocation_order_invalid"),
    ],
)
def test_bad_allocations_are_refused(
    amount: Decimal, order: tuple[Component, ...] | None, code: str
) -> None:
    with pytest.raises(DomainError) as caught:
        allocate(amount, [OLD], order) if order else allocate(amount, [OLD])
    assert caught.value.code == code


@pytest.mark.parametrize(
    ("as_of", "rule", "penalty"),
    [
        (date(2026, 7, 15), PenaltyRule(D("0.05")), "0.00"),  # on the due date
        (date(2026, 7, 25), PenaltyRule(D("0.05")), "15.00"),  # 3000 x 0.05 % x 10
        (date(2026, 7, 18), PenaltyRule(D("0.05"), grace_days=3), "0.00"),  # within grace
        (date(2026, 7, 19), PenaltyRule(D("0.05"), grace_days=3), "6.00"),  # from the due date
        # capped at 14.8 % a year (4 x LPR 3.7 %): 3000 x 14.8 % / 360 x 10
        (date(2026, 7, 25), PenaltyRule(D("0.05"), annual_cap_percent=D("14.8")), "12.33"),
    ],
)
def test_penalty_interest_per_day(as_of: date, rule: PenaltyRule, penalty: str) -> None:
    assert penalty_interest(D("3000"), date(2026, 7, 15), as_of, rule) == D(penalty)


@pytest.mark.parametrize(
    ("days", "bucket"),
    [(0, "M0"), (1, "M1"), (30, "M1"), (31, "M2"), (90, "M3"), (91, "M4"), (180, "M6"),
     (181, "M7"), (2000, "M7")],
)  # fmt: skip
def test_delinquency_buckets(days: int, bucket: str) -> None:
    assert bucket_for(days) == Bucket(bucket)


def test_bucket_of_a_contract_comes_from_its_oldest_unpaid_due_date() -> None:
    assert delinquency_bucket(None, date(2026, 9, 1)) is Bucket.M0
    assert delinquency_bucket(date(2026, 6, 15), date(2026, 9, 1)) is Bucket.M3
