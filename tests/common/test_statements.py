"""Dealer statements, pure: the range rules, rows with a running balance, the totals that make
opening + movements = closing, the labels, and the monthly statements."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from common.errors import DomainError
from common.statements import (
    MAX_RANGE_DAYS,
    Movement,
    StatementRange,
    build_statement,
    kind_label,
    last_month,
    month_range,
    monthly,
    this_month,
)

T0 = datetime(2026, 3, 1, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai


def move(net: int, at: datetime = T0, kind: str = "lease_booked", n: int = 0) -> Movement:
    return Movement(f"e{n}", at, kind, f"AL{n:04d}", "memo", net)


def test_a_range_is_business_dates_both_ends_included_in_shanghai():
    r = StatementRange.parse("2026-03-01", "2026-03-31")
    assert r.since == datetime(2026, 2, 28, 16, 0, tzinfo=UTC)  # 00:00 Shanghai
    assert r.until == datetime(2026, 3, 31, 16, 0, tzinfo=UTC)  # 00:00 on April 1st


@pytest.mark.parametrize(
    ("start", "end", "code"),
    [
        ("2026-03-02", "2026-03-01", "statement_range_inverted"),
        ("2025-01-01", "2026-01-02", "statement_range_too_long"),
        ("2026-3-1", "2026-03-31", "statement_date_invalid"),
        ("2026-02-30", "2026-03-31", "statement_date_invalid"),
        ("２０２６-03-01", "2026-03-31", "statement_date_invalid"),  # full-width digits
        ("", "2026-03-31", "statement_date_invalid"),
    ],
)
def test_bad_ranges_are_refused_with_a_stable_code(start, end, code):
    with pytest.raises(DomainError) as refused:
        StatementRange.parse(start, end)
    assert refused.value.code == code


def test_a_whole_leap_year_is_allowed_and_a_day_more_is_not():
    assert StatementRange(date(2028, 1, 1), date(2028, 12, 31))  # 366 days
    with pytest.raises(DomainError):
        StatementRange(date(2028, 1, 1), date(2028, 1, 1) + timedelta(days=MAX_RANGE_DAYS))


def test_rows_carry_the_running_balance_and_the_totals_tie():
    period = StatementRange.parse("2026-03-01", "2026-03-31")
    s = build_statement("dealer", period, 500, [
        move(100_000_00, n=1), move(25_000_00, kind="down_payment", n=2),
        move(-125_000_00, kind="disbursement", n=3),
    ])  # fmt: skip
    assert [(r.credit_fen, r.debit_fen, r.balance_fen) for r in s.rows] == [
        (100_000_00, 0, 100_000_00 + 500),
        (25_000_00, 0, 125_000_00 + 500),
        (0, 125_000_00, 500),
    ]
    assert (s.total_credit_fen, s.total_debit_fen, s.closing_fen) == (125_000_00, 125_000_00, 500)
    assert [r.label for r in s.rows] == ["起租应付车款", "代收首付款", "支付车款"]
    assert s.rows[0].business_date == date(2026, 3, 1)


def test_an_unknown_kind_shows_as_words():
    assert kind_label("fee_rebate") == "fee rebate"
    assert kind_label("disbursement") == "支付车款"


@given(opening=st.integers(-(10**12), 10**12), nets=st.lists(st.integers(-(10**12), 10**12)))
def test_opening_plus_movements_is_the_closing_and_the_last_running_balance(opening, nets):
    period = StatementRange.parse("2026-03-01", "2026-03-31")
    s = build_statement("d", period, opening, [move(x, n=k) for k, x in enumerate(nets)])
    assert s.closing_fen == opening + sum(nets)
    assert s.closing_fen == (s.rows[-1].balance_fen if s.rows else opening)
    assert all(r.credit_fen >= 0 and r.debit_fen >= 0 for r in s.rows)
    assert all(min(r.credit_fen, r.debit_fen) == 0 for r in s.rows)


def test_the_default_ranges_this_month_and_last_month():
    assert this_month(date(2026, 3, 17)) == StatementRange(date(2026, 3, 1), date(2026, 3, 17))
    assert last_month(date(2026, 3, 17)) == StatementRange(date(2026, 2, 1), date(2026, 2, 28))
    assert last_month(date(2026, 1, 5)) == month_range(2025, 12)
    assert month_range(2025, 12).end == date(2025, 12, 31)


def test_monthly_statements_are_the_closed_months_with_activity_newest_first():
    shanghai_new_year = datetime(2025, 12, 31, 16, 30, tzinfo=UTC)  # 00:30 on 2026-01-01
    moves = [
        (datetime(2025, 11, 3, 2, tzinfo=UTC), 1000),
        (datetime(2025, 11, 20, 2, tzinfo=UTC), -400),
        (shanghai_new_year, 50),
        (datetime(2026, 3, 2, 2, tzinfo=UTC), 7),  # the current month: not closed yet
    ]
    months = monthly(moves, date(2026, 3, 17))
    assert [(m.period.start, m.opening_fen, m.credit_fen, m.debit_fen, m.closing_fen, m.rows)
            for m in months] == [
        (date(2026, 1, 1), 600, 50, 0, 650, 1),
        (date(2025, 11, 1), 0, 1000, 400, 600, 2),
    ]  # fmt: skip
