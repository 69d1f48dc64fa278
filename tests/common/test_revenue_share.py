"""Revenue sharing 电费分账, the pure rule: the month's rent is max(floor, share × revenue), the
variable rent is the part above the floor, the share is rounded to the fen half up; reports are
by calendar month over the months the rents fall due in."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from common import ledger
from common.api.revenue_share import PileRevenue, RevenueReportBody, report_of
from common.daycount import add_months
from common.errors import DomainError
from common.revenue_share import (
    Period,
    ReportStatus,
    RevenueShareTerms,
    ScheduledRent,
    carrier,
    check_period,
    floor_of,
    lease_periods,
    month_rent,
    months,
    parse_period,
    share_of,
    status_of,
    terms_problems,
)

TERMS = RevenueShareTerms(Decimal("15"), 10)
percents = st.decimals(min_value="0.0001", max_value="100", places=4)
fen = st.integers(min_value=0, max_value=10**12)


def half_up(x: Fraction) -> int:
    """The oracle: the nearest integer, ties away from zero (x is never negative here)."""
    whole = x.numerator // x.denominator
    return whole + (1 if x - whole >= Fraction(1, 2) else 0)


def schedule(start: date, n: int, rent: int = 300_000) -> list[ScheduledRent]:
    """`n` monthly rents in arrears, anchored on the start's day."""
    return [ScheduledRent(i, add_months(start, i), "rent", rent) for i in range(1, n + 1)]


@given(fen, fen, percents)
def test_the_months_rent_is_the_larger_of_floor_and_share(floor, revenue, pct):
    terms = RevenueShareTerms(pct, 10)
    m = month_rent(floor, revenue, terms)
    assert m.share_fen == half_up(Fraction(revenue) * Fraction(pct) / 100)
    assert m.rent_fen == max(floor, m.share_fen)
    assert m.variable_fen == max(0, m.share_fen - floor) >= 0
    assert m.floor_fen == floor  # the floor is owed whatever is reported


@given(fen, fen, percents)
def test_more_revenue_never_lowers_the_rent(revenue, more, pct):
    terms = RevenueShareTerms(pct, 10)
    assert share_of(revenue + more, terms) >= share_of(revenue, terms)
    assert (
        month_rent(500_000, revenue + more, terms).rent_fen
        >= month_rent(500_000, revenue, terms).rent_fen
    )


def test_the_share_rounds_to_the_fen_half_up():
    third = RevenueShareTerms(Decimal("15"), 10)
    assert share_of(1, third) == 0  # 0.15 fen
    assert share_of(10, third) == 2  # 1.5 fen: the tie goes up
    assert share_of(2_000_000, third) == 300_000  # ¥20,000 × 15 % = ¥3,000
    m = month_rent(300_000, 2_500_000, third)  # ¥25,000 × 15 % = ¥3,750 above a ¥3,000 floor
    assert (m.share_fen, m.variable_fen, m.rent_fen) == (375_000, 75_000, 375_000)
    assert month_rent(300_000, 1_000_000, third).variable_fen == 0  # below the floor: none


@given(
    st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 12, 31)),
    st.integers(min_value=1, max_value=72),
)
def test_every_rent_falls_in_exactly_one_report_month(start, n):
    rents = schedule(start, n)
    periods = lease_periods(rents)
    assert periods == sorted(set(periods))
    for a, b in itertools.pairwise(periods):
        assert b == a.next()  # contiguous
    assert sum(floor_of(p, rents) for p in periods) == sum(r.rent_fen for r in rents)
    assert Period.of(rents[0].due_date) == periods[0]
    assert Period.of(rents[-1].due_date) == periods[-1]


def test_a_balloon_is_not_part_of_the_floor():
    rents = [*schedule(date(2026, 1, 15), 2), ScheduledRent(3, date(2026, 3, 15), "balloon", 9)]
    assert floor_of(Period(2026, 3), rents) == 300_000
    assert lease_periods(rents) == [Period(2026, 2), Period(2026, 3)]


def test_a_report_is_for_an_ended_month_within_the_lease():
    rents = schedule(date(2026, 1, 15), 12)  # rents 2026-02-15 .. 2027-01-15
    today = date(2026, 6, 3)
    check_period(Period(2026, 5), rents, today)
    check_period(Period(2026, 2), rents, today)
    for period, code in (
        (Period(2026, 1), "revenue_period_before_start"),
        (Period(2027, 2), "revenue_period_after_end"),
        (Period(2026, 6), "revenue_period_not_ended"),
        (Period(2026, 7), "revenue_period_not_ended"),
    ):
        with pytest.raises(DomainError) as e:
            check_period(period, rents, today)
        assert e.value.code == code and e.value.status == 422
    check_period(Period(2026, 5), rents, date(2026, 6, 1))  # the day after its last day


@given(st.dates(min_value=date(2020, 1, 1), max_value=date(2035, 1, 1)), st.integers(1, 28))
def test_a_month_is_overdue_only_after_its_due_date_without_a_report(day, due_days):
    terms = RevenueShareTerms(Decimal("10"), due_days)
    p = Period.of(day)
    due = p.last_day + timedelta(days=due_days)
    assert p.report_due(terms) == due
    assert status_of(p, terms, False, due) is ReportStatus.NOT_YET_DUE
    assert status_of(p, terms, False, due + timedelta(days=1)) is ReportStatus.OVERDUE
    assert status_of(p, terms, True, due + timedelta(days=400)) is ReportStatus.REPORTED


def test_the_months_list_shows_each_begun_month_with_its_report():
    rents = schedule(date(2026, 1, 15), 12)
    lines = months(TERMS, rents=rents, reported={Period(2026, 3): 3_000_000},
                   today=date(2026, 4, 20))  # fmt: skip
    assert [str(x.period) for x in lines] == ["2026-02", "2026-03", "2026-04"]
    feb, mar, apr = lines
    assert feb.status is ReportStatus.OVERDUE and feb.rent is None  # nothing estimated
    assert mar.status is ReportStatus.REPORTED and mar.rent is not None
    assert mar.rent.variable_fen == 450_000 - 300_000
    assert apr.status is ReportStatus.NOT_YET_DUE and apr.floor_fen == 300_000


@given(st.dates(min_value=date(2025, 1, 1), max_value=date(2030, 1, 1)))
def test_a_charge_goes_on_an_instalment_not_yet_due_when_there_is_one(today):
    rents = schedule(date(2026, 1, 31), 24)
    number = carrier(rents, today)
    chosen = next(r for r in rents if r.number == number)
    if today <= rents[-1].due_date:
        assert chosen.due_date >= today
        assert all(r.due_date < today for r in rents if r.number < number)
    else:
        assert number == rents[-1].number


@pytest.mark.parametrize(
    ("text", "ok"),
    [("2026-03", True), ("2026-12", True), (" 2026-01 ", True), ("2026-13", False),
     ("2026-00", False), ("2026-3", False), ("26-03", False), ("２０２６-03", False),
     ("0000-01", False), ("2026/03", False)],
)  # fmt: skip
def test_a_period_is_written_yyyy_mm(text, ok):
    if ok:
        assert str(parse_period(text)) == text.strip()
    else:
        with pytest.raises(DomainError) as e:
            parse_period(text)
        assert e.value.code == "period_invalid"


def test_the_products_terms_are_checked():
    assert terms_problems(TERMS, "revenue_share") == []
    bad = terms_problems(RevenueShareTerms(Decimal("0"), 0), "revenue_share")
    assert [(p, c) for p, c, _, _ in bad] == [
        ("revenue_share.share_percent", "revenue_share_invalid"),
        ("revenue_share.report_due_days", "report_due_days_invalid"),
    ]
    assert terms_problems(RevenueShareTerms(Decimal("100.01"), 29), "x") != []


def _body(**kw):  # type: ignore[no-untyped-def]
    return RevenueReportBody(**{"period": "2026-03", "revenue": "1000.50", "kwh": "800.125", **kw})


def test_a_report_parses_revenue_in_fen_and_energy_in_watt_hours():
    piles = [PileRevenue(serial="P-1", revenue="600.50", kwh="500"),
             PileRevenue(serial="P-2", revenue="400", kwh="300.125")]  # fmt: skip
    r = report_of(_body(piles=piles))
    assert (r.revenue_fen, r.wh, len(r.piles)) == (100_050, 800_125, 2)


@pytest.mark.parametrize(
    ("kw", "code"),
    [({"revenue": "-1"}, "revenue_negative"), ({"revenue": "1e3"}, "money_invalid"),
     ({"revenue": "1.001"}, "money_invalid"), ({"kwh": "-5"}, "kwh_invalid"),
     ({"kwh": "1.0001"}, "kwh_invalid"), ({"kwh": "NaN"}, "kwh_invalid"),
     ({"period": "2026-3x"}, "period_invalid"),
     ({"piles": [PileRevenue(serial="A", revenue="1", kwh="1")]}, "revenue_piles_mismatch"),
     ({"revenue": "2", "kwh": "2", "piles": [PileRevenue(serial="A", revenue="1", kwh="1"),
                                             PileRevenue(serial="A", revenue="1", kwh="1")]},
      "pile_repeated")],
)  # fmt: skip
def test_bad_figures_are_refused_with_a_code(kw, code):
    with pytest.raises(DomainError) as e:
        report_of(_body(**kw))
    assert e.value.code == code and e.value.status == 422


def test_a_charge_and_its_reversal_balance_and_cancel():
    charge = ledger.variable_rent("c1", "lessee-1", 75_000, "2026-03")
    undo = ledger.variable_rent_reversed(charge, "2026-03")
    tb = ledger.trial_balance([*charge.lines, *undo.lines])
    assert tb.balanced and all(r.balance_fen == 0 for r in tb.rows)
    income = ledger.trial_balance(charge.lines).rows
    by = {r.account: r.balance_fen for r in income}
    assert by[ledger.Account.VARIABLE_RENT_INCOME] == by[ledger.Account.FEES_RECEIVABLE] == 75_000
    assert by[ledger.Account.LEASE_RECEIVABLE] == 0  # never in the lease receivable


def _definition(**share):  # type: ignore[no-untyped-def]
    from backend.products.seeded import PRODUCTS, USED_LEASEBACK

    return {**PRODUCTS[USED_LEASEBACK], "revenue_share": share}


def test_a_product_carries_its_revenue_share_and_reports_its_problems_with_the_others():
    import msgspec

    from common.api.products import ProductDefinition, product_of

    d = msgspec.convert(_definition(share_percent="15", report_due_days=10), ProductDefinition)
    assert product_of(d, "p", 1).revenue_share == TERMS
    plain = {k: v for k, v in _definition().items() if k != "revenue_share"}
    assert product_of(msgspec.convert(plain, ProductDefinition), "p", 1).revenue_share is None
    with pytest.raises(DomainError) as e:
        msgspec.convert({**_definition(share_percent="x", report_due_days=40),
                         "deposit_percent": "-"}, ProductDefinition)  # fmt: skip
    assert e.value.code == "product_invalid"
    assert e.value.fields == {
        "deposit_percent": "percent_invalid",
        "revenue_share.share_percent": "percent_invalid",
        "revenue_share.report_due_days": "report_due_days_invalid",
    }
