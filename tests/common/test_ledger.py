"""The ledger's pure core: entries always balance, the posting rules book what the figures say."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings

from common.errors import DomainError
from common.lease_terms import Fee, LeaseTerms, Method
from common.ledger import (
    Account,
    Entry,
    EntryKind,
    Line,
    Side,
    activation,
    credit,
    debit,
    disbursement,
    funding,
    trial_balance,
)
from common.money import to_fen
from common.schedule import build_schedule
from tests.common.ledger_ops import Op, expected_balances, operations

C = "c" * 32
D = Decimal


def _code(fn, *args, **kw) -> str:
    with pytest.raises(DomainError) as err:
        fn(*args, **kw)
    return err.value.code


def test_the_chart_names_every_account_with_a_side_and_a_chinese_label():
    assert Account.LEASE_RECEIVABLE.label == "应收融资租赁款"
    assert Account.UNEARNED_INTEREST.normal_side is Side.CREDIT
    assert Account.CASH.normal_side is Side.DEBIT
    assert all(a.label and a.normal_side for a in Account)
    assert Account.DEALER_PAYABLE.balance(30, 100) == 70
    assert Account.CASH.balance(30, 100) == -70


@pytest.mark.parametrize(
    ("debit_fen", "credit_fen", "code"),
    [
        (-1, 0, "line_negative"),
        (0, -5, "line_negative"),
        (5, 5, "line_two_sided"),
        (0, 0, "line_zero"),
        (1.5, 0, "line_not_fen"),
        (True, 0, "line_not_fen"),
        (D(1), 0, "line_not_fen"),
        (2**63, 0, "line_not_fen"),
    ],
)
def test_a_bad_line_is_refused(debit_fen, credit_fen, code):
    assert _code(Line, Account.CASH, debit_fen, credit_fen) == code


def test_an_account_outside_the_chart_is_refused():
    assert _code(Line, "petty_cash", 1, 0) == "line_account_unknown"


def test_an_unbalanced_entry_is_refused():
    lines = (debit(Account.CASH, 100), credit(Account.FUNDER_PAYABLE, 99))
    assert _code(Entry, "funding", C, lines) == "entry_unbalanced"


def test_an_empty_entry_is_refused():
    assert _code(Entry, "funding", C, ()) == "entry_empty"


@pytest.mark.parametrize("contract_id", ["", "c" * 33])
def test_an_entry_needs_a_contract_id_that_fits_the_column(contract_id):
    lines = (debit(Account.CASH, 1), credit(Account.FUNDER_PAYABLE, 1))
    assert _code(Entry, "funding", contract_id, lines) == "entry_contract_invalid"


def test_an_entry_given_a_list_keeps_an_immutable_copy():
    lines = [debit(Account.CASH, 1), credit(Account.FUNDER_PAYABLE, 1)]
    entry = Entry("funding", C, lines)  # type: ignore[arg-type]
    lines.append(debit(Account.CASH, 1))
    assert entry.lines == tuple(lines[:2])


def test_funding_and_disbursement_move_cash():
    f = funding(C, "org-funder", 500)
    assert f.kind == EntryKind.FUNDING
    assert f.lines == (
        Line(Account.CASH, 500, 0),
        Line(Account.FUNDER_PAYABLE, 0, 500, "org-funder"),
    )
    d = disbursement(C, "org-shop", 300)
    assert d.lines == (
        Line(Account.DEALER_PAYABLE, 300, 0, "org-shop"),
        Line(Account.CASH, 0, 300),
    )
    assert _code(funding, C, "org-funder", 0) == "line_zero"
    assert _code(disbursement, C, "org-shop", -1) == "line_negative"


def _activation(**over):
    figures = dict(
        lessee_id="lessee", dealer_id="shop", price=12_500_000, principal=10_000_000,
        down_payment=2_500_000, total_payment=11_114_400, total_interest=1_114_400,
        deposit=300_000, fees=350_000, fees_at_signing=200_000,
    )  # fmt: skip
    figures.update(over)
    return activation(C, **figures)


def test_activation_books_the_schedule_the_down_payment_the_deposit_and_the_fees():
    entries = {e.kind: e for e in _activation()}
    assert list(entries) == [
        EntryKind.LEASE_BOOKED, EntryKind.DOWN_PAYMENT, EntryKind.DEPOSIT,
        EntryKind.FEES_CHARGED, EntryKind.FEES_RECEIVED,
    ]  # fmt: skip
    assert entries[EntryKind.LEASE_BOOKED].lines == (
        Line(Account.LEASE_RECEIVABLE, 11_114_400, 0, "lessee"),
        Line(Account.UNEARNED_INTEREST, 0, 1_114_400, "lessee"),
        Line(Account.DEALER_PAYABLE, 0, 10_000_000, "shop"),
    )
    tb = {r.account: r.balance_fen for r in trial_balance(_lines(_activation())).rows}
    assert tb[Account.DEALER_PAYABLE] == 12_500_000  # the dealer is owed the price
    assert tb[Account.CASH] == 2_500_000 + 300_000 + 200_000
    assert tb[Account.FEES_RECEIVABLE] == 150_000  # the fee due with a later rent
    assert tb[Account.FEE_INCOME] == 350_000
    assert tb[Account.DEPOSIT_LIABILITY] == 300_000


def test_activation_without_deposit_fees_or_down_payment_posts_only_the_schedule():
    entries = _activation(price=10_000_000, down_payment=0, deposit=0, fees=0, fees_at_signing=0)
    assert [e.kind for e in entries] == [EntryKind.LEASE_BOOKED]


def test_activation_with_a_zero_rate_books_no_unearned_interest():
    (booked,) = _activation(
        price=10_000_000, down_payment=0, deposit=0, fees=0, fees_at_signing=0,
        total_payment=10_000_000, total_interest=0,
    )  # fmt: skip
    assert {x.account for x in booked.lines} == {Account.LEASE_RECEIVABLE, Account.DEALER_PAYABLE}


@pytest.mark.parametrize(
    ("over", "code"),
    [
        ({"total_payment": 11_114_401}, "entry_unbalanced"),  # not principal + interest
        ({"price": 12_500_001}, "activation_inconsistent"),
        ({"fees_at_signing": 350_001}, "activation_inconsistent"),
        ({"deposit": -1}, "line_negative"),
        ({"fees": 350_000.0}, "line_not_fen"),
    ],
)
def test_inconsistent_activation_figures_are_refused(over, code):
    assert _code(_activation, **over) == code


@pytest.mark.parametrize("method", [Method.ANNUITY, Method.EQUAL_PRINCIPAL, Method.BALLOON])
def test_the_lease_receivable_equals_the_schedules_total_payment(method):
    terms = LeaseTerms(
        principal=D("100000"), annual_rate_percent=D("6.99"), term_months=36,
        start_date=date(2026, 1, 15), method=method, deposit=D("3000"),
        balloon=D("30000") if method is Method.BALLOON else D(0),
        fees=(Fee("GPS费", D("1500")), Fee("服务费", D("2000"), 12)),
    )  # fmt: skip
    s = build_schedule(terms)
    entries = activation(
        C, lessee_id="lessee", dealer_id="shop", price=to_fen(D("125000")),
        principal=to_fen(terms.principal), down_payment=to_fen(D("25000")),
        total_payment=to_fen(s.total_payment), total_interest=to_fen(s.total_interest),
        deposit=to_fen(terms.deposit), fees=to_fen(s.total_fees),
        fees_at_signing=to_fen(s.upfront_fees),
    )  # fmt: skip
    tb = trial_balance(_lines(entries))
    rows = {r.account: r.balance_fen for r in tb.rows}
    assert tb.balanced
    assert rows[Account.LEASE_RECEIVABLE] == to_fen(s.total_payment)
    net = rows[Account.LEASE_RECEIVABLE] - rows[Account.UNEARNED_INTEREST]
    assert net == to_fen(terms.principal)  # net investment 租赁投资净额 = principal outstanding
    assert rows[Account.FEES_RECEIVABLE] == 200_000


def test_a_trial_balance_lists_the_whole_chart_and_its_totals():
    tb = trial_balance(_lines([funding(C, "f", 700), disbursement(C, "d", 200)]))
    assert [r.account for r in tb.rows] == list(Account)
    assert (tb.total_debit, tb.total_credit, tb.balanced) == (900, 900, True)
    cash = tb.rows[list(Account).index(Account.CASH)]
    assert (cash.debit_fen, cash.credit_fen, cash.balance_fen) == (700, 200, 500)


def _lines(entries) -> list[Line]:
    return [x for e in entries for x in e.lines]


@settings(max_examples=300, deadline=None, derandomize=True)
@given(operations)
def test_after_every_operation_the_books_balance_and_say_what_the_figures_say(ops: list[Op]):
    lines: list[Line] = []
    for n, op in enumerate(ops, 1):
        for entry in op.entries():
            assert entry.total_debit == entry.total_credit
            lines += entry.lines
        tb = trial_balance(lines)
        assert tb.total_debit == tb.total_credit
        expected = expected_balances(ops[:n])
        assert {r.account: r.balance_fen for r in tb.rows} == {a: expected[a] for a in Account}


def test_a_payoff_clears_the_receivable_and_reverses_the_interest_forgiven():
    from common.ledger import payoff

    # 1,000.00 of principal and 80.00 of interest open; 5.00 of it earned to the day; the
    # deposit of 300.00 offsets; penalty 2.00 booked + 0.50 more; 30.00 违约金 + 100.00 留购价.
    e = payoff(
        "c1", "l1", cash=100000 + 500 + 250 + 13000 - 30000, deposit_offset=30000,
        advance_offset=0, receivable=108000, unearned=8000, interest_income=500, fees=0,
        penalty_booked=200, penalty_extra=50, fee_income=13000,
    )  # fmt: skip
    side = {(x.account, x.debit_fen > 0): x.debit_fen or x.credit_fen for x in e.lines}
    assert side[(Account.LEASE_RECEIVABLE, False)] == 108000
    assert side[(Account.UNEARNED_INTEREST, True)] == 8000
    assert side[(Account.DEPOSIT_LIABILITY, True)] == 30000
    assert side[(Account.INTEREST_INCOME, False)] == 500
    assert e.kind == "payoff" and e.total_debit == e.total_credit


def test_a_payoff_refunds_a_deposit_left_over_and_refuses_figures_that_do_not_add_up():
    from common.ledger import payoff

    e = payoff(
        "c1", "l1", cash=0, deposit_offset=1000, advance_offset=0, receivable=1000, unearned=0,
        interest_income=0, fees=0, penalty_booked=0, penalty_extra=0, fee_income=0,
        deposit_refund=500,
    )  # fmt: skip
    assert [(x.account, x.debit_fen, x.credit_fen) for x in e.lines][-2:] == [
        (Account.DEPOSIT_LIABILITY, 500, 0), (Account.CASH, 0, 500),
    ]  # fmt: skip
    with pytest.raises(DomainError) as bad:
        payoff(
            "c1",
            "l1",
            cash=1,
            deposit_offset=0,
            advance_offset=0,
            receivable=2,
            unearned=0,
            interest_income=0,
            fees=0,
            penalty_booked=0,
            penalty_extra=0,
            fee_income=0,
        )
    assert bad.value.code == "entry_unbalanced"
    # interest paid ahead beyond what is earned is given back: a debit of interest income
    e = payoff("c1", "l1", cash=900, deposit_offset=0, advance_offset=0, receivable=1000,
               unearned=0, interest_income=-100, fees=0, penalty_booked=0, penalty_extra=0,
               fee_income=0)  # fmt: skip
    assert (Account.INTEREST_INCOME, 100, 0) in [(x.account, x.debit_fen, x.credit_fen)
                                                 for x in e.lines]  # fmt: skip


def test_an_extension_books_the_interest_it_adds_and_moves_the_arrears_into_principal():
    from common.ledger import EXTENSION_REVERSED, extension_booked, reversal

    e = extension_booked(
        "c1", "l1", interest_added=5000, arrears_interest=300, arrears_fees=100,
        penalty_booked=40, penalty_extra=10, fee=2000,
    )  # fmt: skip
    lines = [(x.account, x.debit_fen, x.credit_fen) for x in e.lines]
    assert (Account.LEASE_RECEIVABLE, 5000, 0) in lines
    assert (Account.UNEARNED_INTEREST, 0, 5000) in lines
    assert (Account.LEASE_RECEIVABLE, 150, 0) in lines  # fees and penalty become receivable
    assert (Account.INTEREST_INCOME, 0, 300) in lines  # the arrears' interest, now principal
    assert e.kind == "extension_booked" and e.total_debit == e.total_credit
    undo = reversal(e, EXTENSION_REVERSED, "撤销展期")
    after = trial_balance([*e.lines, *undo.lines])
    assert all(row.balance_fen == 0 for row in after.rows)
    less = extension_booked("c1", "l1", interest_added=-700, arrears_interest=0, arrears_fees=0,
                            penalty_booked=0, penalty_extra=0)  # fmt: skip
    assert [(x.account, x.debit_fen, x.credit_fen) for x in less.lines] == [
        (Account.LEASE_RECEIVABLE, 0, 700), (Account.UNEARNED_INTEREST, 700, 0),
    ]  # fmt: skip
    with pytest.raises(DomainError) as empty:
        extension_booked("c1", "l1", interest_added=0, arrears_interest=0, arrears_fees=0,
                         penalty_booked=0, penalty_extra=0)  # fmt: skip
    assert empty.value.code == "entry_empty"


def test_rent_paid_ahead_is_lifted_back_to_advance_receipts_as_a_paid_rent_would_be_undone():
    from common.ledger import RENT_LIFTED, rent_lifted, repayment

    paid = repayment("c1", "l1", amount=16017, principal=12023, interest=3994)
    lifted = rent_lifted("c1", "l1", principal=12023, interest=3994, fees=0)
    assert lifted.kind == RENT_LIFTED and lifted.total_debit == lifted.total_credit
    after = trial_balance([*paid.lines, *lifted.lines])
    left = {row.account: row.balance_fen for row in after.rows if row.balance_fen}
    # the receivable and its unearned interest are back; the cash now sits as 溢缴款
    assert left == {Account.CASH: 16017, Account.ADVANCE_RECEIPTS: 16017}
