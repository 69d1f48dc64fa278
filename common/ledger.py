"""The double-entry ledger 总账 in integer fen: the chart of accounts, entries, posting rules.

Balance is enforced in one place, `Entry.__post_init__`: an entry has at least one line, every
line is one-sided (one of debit and credit positive, the other zero, neither negative, both
integer fen) and its debits equal its credits. The posting rules below only build entries from
figures, so an inconsistent set of figures (a total payment that is not principal + interest)
fails there as ``entry_unbalanced``; the database repeats the line rule in CHECK constraints.

Posting conventions (the lessor's books; one contract per entry, `party` names the
counterparty a receivable or payable is owed by or to):

- Funding 资金方放款 (`funding`): the funder's money arrives. Dr cash / Cr funder_payable.
- Activation 起租 (`activation`), one entry per business fact so each posts once:
  - `lease_booked`: the schedule is booked in full. Dr lease_receivable the total payment (every
    rent and the balloon, principal + interest, fees excluded) / Cr unearned_interest the total
    interest / Cr dealer_payable the principal (the lessor buys the vehicle from the dealer).
    Interest is recognised later, rent by rent (Dr unearned_interest / Cr interest_income, in
    servicing), so lease_receivable - unearned_interest is always the principal outstanding.
  - `down_payment` 首付: collected by the lessor at signing and owed on to the dealer, so the
    dealer is owed the whole price. Dr cash / Cr dealer_payable. `price` must equal principal +
    down payment (``activation_inconsistent`` otherwise).
  - `deposit` 保证金: Dr cash / Cr deposit_liability; refunded or offset at the end (servicing).
  - `fees_charged` 手续费: every fee of the contract (GPS, service, notary ...) is charged and
    recognised as income at activation. Dr fees_receivable / Cr fee_income.
  - `fees_received`: the fees collected at signing (`fees_at_signing`, the schedule's upfront
    fees) are received at once. Dr cash / Cr fees_receivable. Fees due with later rents stay
    receivable until they are paid.
- Disbursement 放款给经销商 (`disbursement`): the lessor pays the dealer. Dr dealer_payable /
  Cr cash.

- Repayment 收到租金 (`repayment`), one entry per payment (its reference): Dr the source (cash,
  or deposit_liability when the deposit offsets a rent 保证金抵扣, or advance_receipts when an
  earlier overpayment is applied) the amount; Cr lease_receivable the principal and interest
  repaid; Cr fees_receivable, penalty_receivable the fees and penalty repaid; Cr
  advance_receipts what is left over (溢缴款). The interest repaid is earned at the same time:
  Dr unearned_interest / Cr interest_income.
- Penalty 罚息 (`penalty_accrued`), per contract and day: Dr penalty_receivable /
  Cr penalty_income.

- Floor plan 库存融资 (`common.floorplan`; the entry's contract is the unit, the party the dealer):
  - `floorplan_drawdown`: the lessor pays the OEM or distributor for a VIN. Dr
    floorplan_receivable / Cr cash.
  - `floorplan_interest`: interest billed at a month end or at the payoff. Dr
    floorplan_interest_receivable / Cr floorplan_interest_income.
  - `floorplan_repayment` (a curtailment) and `floorplan_payoff`: Dr the source (cash; or
    floorplan_clearing when the unit is repaid by set-off on a lease's funding) / Cr
    floorplan_interest_receivable the interest, floorplan_receivable the principal.
  - `floorplan_set_off`, on the lease contract: what the lessor owes the dealer for the sold
    vehicle repays the unit instead. Dr dealer_payable / Cr floorplan_clearing; the unit's
    payoff clears it, so the lease's and the unit's books each balance to nought.

- Variable rent 可变租金 (`common.revenue_share`; charging-pile leases), per contract and month
  (reference = the month, "2026-03"; a correction's charge "2026-03#v2"):
  - `variable_rent`: the share of the month's electricity revenue above the floor. Dr
    fees_receivable / Cr variable_rent_income. Income when earned (IFRS 16: a variable payment
    not in the lease receivable). The receivable is the one of the instalment's other charges
    because the charge is added to an instalment's fees: every path that settles those
    (allocation, payoff, an extension's capitalisation, lifting rents paid ahead) credits
    fees_receivable, so a receivable of its own would be relieved wrongly by each of them.
  - `variable_rent_reversed`: a correction undoes the earlier charge, line for line.

A figure of zero (no deposit, no fees, no down payment) posts no entry: an entry is never empty.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from common.errors import DomainError

# Column sizes, read by the database models so the schema and these checks agree.
CONTRACT_ID_LENGTH = 32
PARTY_LENGTH = 32
KIND_LENGTH = 32
MEMO_LENGTH = 200
REFERENCE_LENGTH = 100
MAX_FEN = 2**63 - 1  # BIGINT


class Side(StrEnum):
    DEBIT = "debit"  # 借
    CREDIT = "credit"  # 贷


class Account(StrEnum):
    """The chart of accounts 会计科目; each has a normal side and a Chinese label."""

    LEASE_RECEIVABLE = "lease_receivable"
    UNEARNED_INTEREST = "unearned_interest"
    INTEREST_INCOME = "interest_income"
    FEES_RECEIVABLE = "fees_receivable"
    FEE_INCOME = "fee_income"
    DEPOSIT_LIABILITY = "deposit_liability"
    CASH = "cash"
    DEALER_PAYABLE = "dealer_payable"
    FUNDER_PAYABLE = "funder_payable"
    PENALTY_RECEIVABLE = "penalty_receivable"
    PENALTY_INCOME = "penalty_income"
    ADVANCE_RECEIPTS = "advance_receipts"
    COMMISSION_EXPENSE = "commission_expense"
    DEALER_RECEIVABLE = "dealer_receivable"
    FUNDER_CAPITAL = "funder_capital"
    FUNDING_COST = "funding_cost"
    FLOORPLAN_RECEIVABLE = "floorplan_receivable"
    FLOORPLAN_INTEREST_RECEIVABLE = "floorplan_interest_receivable"
    FLOORPLAN_INTEREST_INCOME = "floorplan_interest_income"
    FLOORPLAN_CLEARING = "floorplan_clearing"
    VARIABLE_RENT_INCOME = "variable_rent_income"
    CLIENT_PAYABLE = "client_payable"  # a receivable financed: the advance owed to the client

    @property
    def normal_side(self) -> Side:
        return _CHART[self][0]

    @property
    def label(self) -> str:
        return _CHART[self][1]

    def balance(self, debit_fen: int, credit_fen: int) -> int:
        """The balance on the account's normal side (negative: the other side is larger)."""
        if self.normal_side is Side.DEBIT:
            return debit_fen - credit_fen
        return credit_fen - debit_fen


_CHART: dict[Account, tuple[Side, str]] = {
    Account.LEASE_RECEIVABLE: (Side.DEBIT, "应收融资租赁款"),
    Account.UNEARNED_INTEREST: (Side.CREDIT, "未实现融资收益"),  # contra-asset of the receivable
    Account.INTEREST_INCOME: (Side.CREDIT, "利息收入"),
    Account.FEES_RECEIVABLE: (Side.DEBIT, "应收手续费"),
    Account.FEE_INCOME: (Side.CREDIT, "手续费收入"),
    Account.DEPOSIT_LIABILITY: (Side.CREDIT, "保证金"),
    Account.CASH: (Side.DEBIT, "银行存款"),
    Account.DEALER_PAYABLE: (Side.CREDIT, "应付经销商款"),
    Account.CLIENT_PAYABLE: (Side.CREDIT, "应付融资款（保理/垫付客户）"),
    Account.FUNDER_PAYABLE: (Side.CREDIT, "应付资金方款"),
    Account.PENALTY_RECEIVABLE: (Side.DEBIT, "应收罚息"),
    Account.PENALTY_INCOME: (Side.CREDIT, "罚息收入"),
    Account.ADVANCE_RECEIPTS: (Side.CREDIT, "预收款项"),  # paid beyond every due: 溢缴款
    Account.COMMISSION_EXPENSE: (Side.DEBIT, "经销商佣金支出"),
    Account.DEALER_RECEIVABLE: (Side.DEBIT, "应收经销商款"),  # e.g. a commission clawed back
    # Co-lending (common.colending): the funder's share still in its contracts, and its yield.
    Account.FUNDER_CAPITAL: (Side.CREDIT, "资金方出资份额"),
    Account.FUNDING_COST: (Side.DEBIT, "资金方收益支出"),
    Account.FLOORPLAN_RECEIVABLE: (Side.DEBIT, "应收库存融资款"),
    Account.FLOORPLAN_INTEREST_RECEIVABLE: (Side.DEBIT, "应收库存融资利息"),
    Account.FLOORPLAN_INTEREST_INCOME: (Side.CREDIT, "库存融资利息收入"),
    # A sale's set-off in transit between the lease's books and the unit's: nought once done.
    Account.FLOORPLAN_CLEARING: (Side.DEBIT, "库存融资结算"),
    Account.VARIABLE_RENT_INCOME: (Side.CREDIT, "可变租金收入"),  # 电费分账 above the floor
}


class EntryKind(StrEnum):
    FUNDING = "funding"
    LEASE_BOOKED = "lease_booked"
    DOWN_PAYMENT = "down_payment"
    DEPOSIT = "deposit"
    FEES_CHARGED = "fees_charged"
    FEES_RECEIVED = "fees_received"
    DISBURSEMENT = "disbursement"
    REPAYMENT = "repayment"
    PENALTY_ACCRUED = "penalty_accrued"
    COMMISSION_EARNED = "commission_earned"
    COMMISSION_SET_OFF = "commission_set_off"
    COMMISSION_PAID = "commission_paid"
    COMMISSION_CLAWBACK = "commission_clawback"
    FLOORPLAN_DRAWDOWN = "floorplan_drawdown"
    FLOORPLAN_INTEREST = "floorplan_interest"
    FLOORPLAN_REPAYMENT = "floorplan_repayment"
    FLOORPLAN_PAYOFF = "floorplan_payoff"
    FLOORPLAN_SET_OFF = "floorplan_set_off"
    VARIABLE_RENT = "variable_rent"
    VARIABLE_RENT_REVERSED = "variable_rent_reversed"


def _refuse(code: str, zh: str, en: str) -> DomainError:
    return DomainError(code, zh, en)


def _is_fen(x: object) -> bool:
    return type(x) is int  # not bool, not float, not Decimal: integer fen only


@dataclass(frozen=True, slots=True)
class Line:
    """One line of an entry: exactly one of debit and credit is positive."""

    account: Account
    debit_fen: int
    credit_fen: int
    party: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.account, Account):
            raise _refuse("line_account_unknown", "会计科目不存在", "no such account")
        d, c = self.debit_fen, self.credit_fen
        if not (_is_fen(d) and _is_fen(c)) or max(d, c) > MAX_FEN:
            raise _refuse("line_not_fen", "分录金额须为整数分", "amounts must be integer fen")
        if d < 0 or c < 0:
            raise _refuse("line_negative", "分录金额不能为负", "a line amount is negative")
        if (d > 0) == (c > 0):
            raise _refuse(
                "line_two_sided" if d else "line_zero",
                "每行分录须且只能借或贷一方有金额",
                "a line must have exactly one of debit and credit",
            )
        if self.party is not None and not 0 < len(self.party) <= PARTY_LENGTH:
            raise _refuse("line_party_invalid", "往来单位编号无效", "invalid party")


def debit(account: Account, fen: int, party: str | None = None) -> Line:
    return Line(account, fen, 0, party)


def credit(account: Account, fen: int, party: str | None = None) -> Line:
    return Line(account, 0, fen, party)


@dataclass(frozen=True, slots=True)
class Entry:
    """A balanced journal entry 记账凭证 of one contract. THE place balance is enforced."""

    kind: str
    contract_id: str
    lines: tuple[Line, ...]
    memo: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "lines", tuple(self.lines))  # a list could change after checks
        if not 0 < len(self.contract_id) <= CONTRACT_ID_LENGTH:
            raise _refuse("entry_contract_invalid", "合同编号无效", "invalid contract id")
        if not 0 < len(self.kind) <= KIND_LENGTH or len(self.memo) > MEMO_LENGTH:
            raise _refuse("entry_invalid", "凭证类型或摘要无效", "invalid kind or memo")
        if not self.lines or not all(isinstance(x, Line) for x in self.lines):
            raise _refuse("entry_empty", "凭证没有分录", "an entry needs lines")
        if self.total_debit != self.total_credit:
            raise _refuse("entry_unbalanced", "借贷不平衡", "debits and credits differ")

    @property
    def total_debit(self) -> int:
        return sum(x.debit_fen for x in self.lines)

    @property
    def total_credit(self) -> int:
        return sum(x.credit_fen for x in self.lines)


def _pair(kind: EntryKind, contract_id: str, dr: Line, cr: Line, memo: str) -> Entry:
    """The common case: one debit, one credit."""
    return Entry(kind, contract_id, (dr, cr), memo)


def funding(contract_id: str, funder_id: str, amount: int) -> Entry:
    """资金方放款: the funder's money arrives. Dr cash / Cr funder_payable."""
    return _pair(
        EntryKind.FUNDING, contract_id, debit(Account.CASH, amount),
        credit(Account.FUNDER_PAYABLE, amount, funder_id), "资金方放款到账",
    )  # fmt: skip


def disbursement(
    contract_id: str, dealer_id: str, amount: int, payee: Account = Account.DEALER_PAYABLE
) -> Entry:
    """放款: the lessor pays the dealer (Dr dealer_payable / Cr cash), or advances a financed
    receivable to the client (Dr client_payable / Cr cash)."""
    memo = "支付经销商车款" if payee is Account.DEALER_PAYABLE else "向客户发放融资款"
    return _pair(
        EntryKind.DISBURSEMENT, contract_id, debit(payee, amount, dealer_id),
        credit(Account.CASH, amount), memo,
    )  # fmt: skip


def commission(contract_id: str, dealer_id: str, amount: int, owed_back: int) -> tuple[Entry, ...]:
    """佣金: earned on funding (Dr commission_expense / Cr dealer_payable), what the dealer owes
    back from earlier clawbacks set off against it (Dr dealer_payable / Cr dealer_receivable, at
    most the commission), and the rest paid (Dr dealer_payable / Cr cash)."""
    if not (_is_fen(amount) and _is_fen(owed_back)) or amount <= 0 or owed_back < 0:
        raise _refuse("line_not_fen", "分录金额须为整数分", "amounts must be integer fen")
    set_off = min(amount, owed_back)
    entries = [_pair(
        EntryKind.COMMISSION_EARNED, contract_id, debit(Account.COMMISSION_EXPENSE, amount),
        credit(Account.DEALER_PAYABLE, amount, dealer_id), "经销商佣金（放款时计提）",
    )]  # fmt: skip
    if set_off:
        entries.append(_pair(
            EntryKind.COMMISSION_SET_OFF, contract_id,
            debit(Account.DEALER_PAYABLE, set_off, dealer_id),
            credit(Account.DEALER_RECEIVABLE, set_off, dealer_id), "以佣金抵扣经销商欠款",
        ))  # fmt: skip
    if amount > set_off:
        entries.append(_pair(
            EntryKind.COMMISSION_PAID, contract_id,
            debit(Account.DEALER_PAYABLE, amount - set_off, dealer_id),
            credit(Account.CASH, amount - set_off), "支付经销商佣金",
        ))  # fmt: skip
    return tuple(entries)


def commission_clawback(contract_id: str, dealer_id: str, amount: int) -> Entry:
    """佣金追回: the lease defaulted early; the dealer owes the commission back (Dr
    dealer_receivable / Cr commission_expense), set off against its next commissions."""
    return _pair(
        EntryKind.COMMISSION_CLAWBACK, contract_id,
        debit(Account.DEALER_RECEIVABLE, amount, dealer_id),
        credit(Account.COMMISSION_EXPENSE, amount), "早期违约追回经销商佣金",
    )  # fmt: skip


def activation(
    contract_id: str,
    *,
    lessee_id: str,
    dealer_id: str,
    price: int,
    principal: int,
    down_payment: int,
    total_payment: int,
    total_interest: int,
    deposit: int,
    fees: int,
    fees_at_signing: int = 0,
    payee: Account = Account.DEALER_PAYABLE,
) -> tuple[Entry, ...]:
    """起租: the entries that book an activated contract (conventions in the module docstring).

    `total_payment` and `total_interest` are the schedule's (rents and balloon, fees excluded);
    `fees` every fee of the contract, `fees_at_signing` the part collected at signing. The
    principal is owed to `dealer_id` on `payee`: the dealer who sold the car, or, for a financed
    receivable, the client itself (CLIENT_PAYABLE, the client's id)."""
    figures = (price, principal, down_payment, total_payment, total_interest, deposit, fees)
    if not all(_is_fen(x) for x in (*figures, fees_at_signing)):
        raise _refuse("line_not_fen", "分录金额须为整数分", "amounts must be integer fen")
    if price != principal + down_payment or not 0 <= fees_at_signing <= fees:
        raise _refuse(
            "activation_inconsistent",
            "起租金额不一致：车价须等于融资额加首付，签约时费用不超过总费用",
            "price must be principal + down payment, fees at signing at most the fees",
        )  # fmt: skip
    booked = [debit(Account.LEASE_RECEIVABLE, total_payment, lessee_id)]
    if total_interest:
        booked.append(credit(Account.UNEARNED_INTEREST, total_interest, lessee_id))
    booked.append(credit(payee, principal, dealer_id))
    entries = [Entry(EntryKind.LEASE_BOOKED, contract_id, tuple(booked), "起租确认应收融资租赁款")]
    c = contract_id
    if down_payment:
        entries.append(_pair(
            EntryKind.DOWN_PAYMENT, c, debit(Account.CASH, down_payment),
            credit(Account.DEALER_PAYABLE, down_payment, dealer_id), "收取首付款",
        ))  # fmt: skip
    if deposit:
        entries.append(_pair(
            EntryKind.DEPOSIT, c, debit(Account.CASH, deposit),
            credit(Account.DEPOSIT_LIABILITY, deposit, lessee_id), "收取保证金",
        ))  # fmt: skip
    if fees:
        entries.append(_pair(
            EntryKind.FEES_CHARGED, c, debit(Account.FEES_RECEIVABLE, fees, lessee_id),
            credit(Account.FEE_INCOME, fees), "确认手续费收入",
        ))  # fmt: skip
    if fees_at_signing:
        entries.append(_pair(
            EntryKind.FEES_RECEIVED, c, debit(Account.CASH, fees_at_signing),
            credit(Account.FEES_RECEIVABLE, fees_at_signing, lessee_id), "签约时收取手续费",
        ))  # fmt: skip
    return tuple(entries)


def repayment(
    contract_id: str,
    lessee_id: str,
    *,
    amount: int,
    principal: int,
    interest: int,
    fees: int = 0,
    penalty: int = 0,
    unapplied: int = 0,
    source: Account = Account.CASH,
    memo: str = "收到租金",
) -> Entry:
    """收到租金: a payment of `amount` allocated over principal, interest, fees and penalty,
    the rest `unapplied` (conventions in the module docstring)."""
    parts = (principal, interest, fees, penalty, unapplied)
    if not all(_is_fen(x) for x in (amount, *parts)):
        raise _refuse("line_not_fen", "分录金额须为整数分", "amounts must be integer fen")
    if amount != sum(parts):
        raise _refuse(
            "repayment_inconsistent", "还款金额须等于各项冲抵之和",
            "the amount must be the sum of what it pays",
        )  # fmt: skip
    lines = [debit(source, amount, None if source is Account.CASH else lessee_id)]
    if interest:
        lines.append(debit(Account.UNEARNED_INTEREST, interest, lessee_id))
    for account, fen in (
        (Account.LEASE_RECEIVABLE, principal + interest),
        (Account.INTEREST_INCOME, interest),
        (Account.FEES_RECEIVABLE, fees),
        (Account.PENALTY_RECEIVABLE, penalty),
        (Account.ADVANCE_RECEIPTS, unapplied),
    ):
        if fen:
            party = None if account is Account.INTEREST_INCOME else lessee_id
            lines.append(credit(account, fen, party))
    return Entry(EntryKind.REPAYMENT, contract_id, tuple(lines), memo)


def penalty_accrual(contract_id: str, lessee_id: str, amount: int) -> Entry:
    """罚息计提: Dr penalty_receivable / Cr penalty_income."""
    return _pair(
        EntryKind.PENALTY_ACCRUED, contract_id,
        debit(Account.PENALTY_RECEIVABLE, amount, lessee_id),
        credit(Account.PENALTY_INCOME, amount), "计提逾期罚息",
    )  # fmt: skip


def floorplan_drawdown(unit_id: str, dealer_id: str, amount: int, payee: str) -> Entry:
    """库存融资放款: the lessor pays `payee` (OEM / distributor) for the dealer's vehicle."""
    return _pair(
        EntryKind.FLOORPLAN_DRAWDOWN, unit_id,
        debit(Account.FLOORPLAN_RECEIVABLE, amount, dealer_id), credit(Account.CASH, amount),
        f"库存融资放款 付{payee}"[:MEMO_LENGTH],
    )  # fmt: skip


def floorplan_interest(unit_id: str, dealer_id: str, amount: int, memo: str) -> Entry:
    """库存融资计息: Dr floorplan_interest_receivable / Cr floorplan_interest_income."""
    return _pair(
        EntryKind.FLOORPLAN_INTEREST, unit_id,
        debit(Account.FLOORPLAN_INTEREST_RECEIVABLE, amount, dealer_id),
        credit(Account.FLOORPLAN_INTEREST_INCOME, amount), memo,
    )  # fmt: skip


def floorplan_repayment(
    unit_id: str, dealer_id: str, *, principal: int, interest: int, payoff: bool,
    source: Account = Account.CASH,
) -> Entry:  # fmt: skip
    """还本 (a curtailment) or 结清 (`payoff`): the dealer's money, or the set-off of a sale
    (source floorplan_clearing), repays interest billed and principal."""
    if not (_is_fen(principal) and _is_fen(interest)):
        raise _refuse("line_not_fen", "分录金额须为整数分", "amounts must be integer fen")
    party = None if source is Account.CASH else dealer_id
    lines = [debit(source, principal + interest, party)]
    if interest:
        lines.append(credit(Account.FLOORPLAN_INTEREST_RECEIVABLE, interest, dealer_id))
    if principal:
        lines.append(credit(Account.FLOORPLAN_RECEIVABLE, principal, dealer_id))
    kind = EntryKind.FLOORPLAN_PAYOFF if payoff else EntryKind.FLOORPLAN_REPAYMENT
    memo = "库存融资结清" if payoff else "库存融资还本"
    return Entry(kind, unit_id, tuple(lines), memo)


def floorplan_set_off(contract_id: str, dealer_id: str, amount: int, vin: str) -> Entry:
    """售车抵扣: on the lease contract, what is owed to the dealer repays the unit (`vin`)."""
    return _pair(
        EntryKind.FLOORPLAN_SET_OFF, contract_id,
        debit(Account.DEALER_PAYABLE, amount, dealer_id),
        credit(Account.FLOORPLAN_CLEARING, amount, dealer_id), f"车款抵扣库存融资 {vin}",
    )  # fmt: skip


def variable_rent(contract_id: str, lessee_id: str, amount: int, period: str) -> Entry:
    """可变租金: the month's share of the revenue above the floor, charged to the lessee."""
    return _pair(
        EntryKind.VARIABLE_RENT, contract_id, debit(Account.FEES_RECEIVABLE, amount, lessee_id),
        credit(Account.VARIABLE_RENT_INCOME, amount), f"可变租金（电费分账）{period}",
    )  # fmt: skip


def variable_rent_reversed(charge: Entry, period: str) -> Entry:
    """冲销可变租金: a corrected report undoes the month's earlier charge."""
    return reversal(charge, EntryKind.VARIABLE_RENT_REVERSED, f"冲销可变租金（更正报送）{period}")


def _signed(account: Account, fen: int, party: str | None, *, credit_side: bool) -> list[Line]:
    """A line on its usual side, or on the other when the figure is negative (none for 0)."""
    if fen == 0:
        return []
    on_credit = credit_side == (fen > 0)
    return [credit(account, abs(fen), party) if on_credit else debit(account, abs(fen), party)]


PAYOFF_KIND = "payoff"
PREPAYMENT_KIND = "prepayment"


def payoff(
    contract_id: str,
    lessee_id: str,
    *,
    cash: int,
    deposit_offset: int,
    advance_offset: int,
    receivable: int,
    unearned: int,
    interest_income: int,
    fees: int,
    penalty_booked: int,
    penalty_extra: int,
    fee_income: int,
    deposit_refund: int = 0,
    kind: str = PAYOFF_KIND,
    memo: str = "提前结清",
) -> Entry:
    """提前结清 (and, with kind=prepayment, 部分提前还款): the lessee's `cash`, the deposit's
    `deposit_offset` and the earlier overpayment's `advance_offset` settle the contract.

    Cr lease_receivable `receivable` (every booked rent still open, principal + interest) with
    Dr unearned_interest `unearned` (their interest not yet earned); Cr interest_income the
    interest earned to the settlement date (`interest_income`), so the interest forgiven
    (unearned - interest_income) nets to Dr unearned_interest / Cr lease_receivable; Cr
    fees_receivable `fees`, penalty_receivable `penalty_booked`, penalty_income `penalty_extra`
    (penalty accrued to the settlement date beyond what was booked); Cr fee_income `fee_income`
    (the prepayment penalty 违约金 and the 留购价). A deposit left over is paid back with the
    settlement: Dr deposit_liability / Cr cash `deposit_refund`."""
    figures = (cash, deposit_offset, advance_offset, receivable, unearned, interest_income, fees,
               penalty_booked, penalty_extra, fee_income, deposit_refund)  # fmt: skip
    if not all(_is_fen(x) for x in figures):
        raise _refuse("line_not_fen", "分录金额须为整数分", "amounts must be integer fen")
    lines: list[Line] = []
    lines += _signed(Account.CASH, cash, None, credit_side=False)
    lines += _signed(Account.DEPOSIT_LIABILITY, deposit_offset, lessee_id, credit_side=False)
    lines += _signed(Account.ADVANCE_RECEIPTS, advance_offset, lessee_id, credit_side=False)
    lines += _signed(Account.UNEARNED_INTEREST, unearned, lessee_id, credit_side=False)
    lines += _signed(Account.LEASE_RECEIVABLE, receivable, lessee_id, credit_side=True)
    lines += _signed(Account.INTEREST_INCOME, interest_income, None, credit_side=True)
    lines += _signed(Account.FEES_RECEIVABLE, fees, lessee_id, credit_side=True)
    lines += _signed(Account.PENALTY_RECEIVABLE, penalty_booked, lessee_id, credit_side=True)
    lines += _signed(Account.PENALTY_INCOME, penalty_extra, None, credit_side=True)
    lines += _signed(Account.FEE_INCOME, fee_income, None, credit_side=True)
    if deposit_refund:
        lines += [debit(Account.DEPOSIT_LIABILITY, deposit_refund, lessee_id),
                  credit(Account.CASH, deposit_refund)]  # fmt: skip
    return Entry(kind, contract_id, tuple(lines), memo)


EXTENSION_BOOKED = "extension_booked"
EXTENSION_REVERSED = "extension_reversed"


def extension_booked(
    contract_id: str,
    lessee_id: str,
    *,
    interest_added: int,
    arrears_interest: int,
    arrears_fees: int,
    penalty_booked: int,
    penalty_extra: int,
    fee: int = 0,
) -> Entry:
    """展期: the schedule is re-booked. Dr lease_receivable / Cr unearned_interest by the
    interest the new schedule adds (`interest_added`, new rents' interest less the old rents'
    still to come; negative the other way round). The arrears are capitalised into the new
    principal: their interest becomes principal, so it is earned now (Dr unearned_interest /
    Cr interest_income `arrears_interest`), and their fees and penalty (booked, and accrued to
    the day beyond it: `penalty_extra`) become lease receivable (Dr lease_receivable / Cr
    fees_receivable, penalty_receivable, penalty_income). The extension fee: Dr fees_receivable
    / Cr fee_income. All figures zero: entry_empty (the caller posts nothing then)."""
    figures = (interest_added, arrears_interest, arrears_fees, penalty_booked, penalty_extra, fee)
    if not all(_is_fen(x) for x in figures):
        raise _refuse("line_not_fen", "分录金额须为整数分", "amounts must be integer fen")
    into_principal = arrears_fees + penalty_booked + penalty_extra
    lines: list[Line] = []
    lines += _signed(Account.LEASE_RECEIVABLE, interest_added, lessee_id, credit_side=False)
    lines += _signed(Account.UNEARNED_INTEREST, interest_added, lessee_id, credit_side=True)
    lines += _signed(Account.LEASE_RECEIVABLE, into_principal, lessee_id, credit_side=False)
    lines += _signed(Account.UNEARNED_INTEREST, arrears_interest, lessee_id, credit_side=False)
    lines += _signed(Account.INTEREST_INCOME, arrears_interest, None, credit_side=True)
    lines += _signed(Account.FEES_RECEIVABLE, arrears_fees, lessee_id, credit_side=True)
    lines += _signed(Account.PENALTY_RECEIVABLE, penalty_booked, lessee_id, credit_side=True)
    lines += _signed(Account.PENALTY_INCOME, penalty_extra, None, credit_side=True)
    lines += _signed(Account.FEES_RECEIVABLE, fee, lessee_id, credit_side=False)
    lines += _signed(Account.FEE_INCOME, fee, None, credit_side=True)
    return Entry(EXTENSION_BOOKED, contract_id, tuple(lines), "展期重排还款计划")


RENT_LIFTED = "rent_lifted"


def rent_lifted(contract_id: str, lessee_id: str, *, principal: int, interest: int,
                fees: int) -> Entry:  # fmt: skip
    """预付租金转溢缴款: before a schedule is rebuilt, what was paid on the rents not yet due
    goes back to advance receipts (the mirror of a repayment of those parts from them), so the
    rebuilt rows start unpaid and the money is applied to them afresh."""
    paid = repayment(
        contract_id, lessee_id, amount=principal + interest + fees, principal=principal,
        interest=interest, fees=fees, source=Account.ADVANCE_RECEIPTS,
    )  # fmt: skip
    return reversal(paid, RENT_LIFTED, "预付租金转溢缴款")


def reversal(entry: Entry, kind: str, memo: str) -> Entry:
    """The entry that undoes `entry`: every line on the other side."""
    lines = tuple(Line(x.account, x.credit_fen, x.debit_fen, x.party) for x in entry.lines)
    return Entry(kind, entry.contract_id, lines, memo)


# Co-lending 联合贷款 (common.colending; entries of a contract funded under an agreement).
FUNDER_PARTICIPATION = "funder_participation"
FUNDER_ALLOCATION = "funder_allocation"
FUNDER_REMITTANCE = "funder_remittance"


def funder_participation(contract_id: str, funder_id: str, amount: int) -> Entry:
    """出资转份额: posted with the `funding` of a contract under an agreement. The funder's money
    is no longer owed back at call: it is its share of the contract, owed as the lessee repays.
    Dr funder_payable / Cr funder_capital (party = funder)."""
    return Entry(FUNDER_PARTICIPATION, contract_id, (
        debit(Account.FUNDER_PAYABLE, amount, funder_id),
        credit(Account.FUNDER_CAPITAL, amount, funder_id),
    ), "资金方出资转为合同份额")  # fmt: skip


def funder_allocation(contract_id: str, funder_id: str, *, principal: int, yield_: int) -> Entry:
    """还款分配给资金方: a repayment's part for the funder becomes owed to it now. Its share of the
    principal repaid comes out of its capital (Dr funder_capital); its yield is the lessor's
    cost of the funds (Dr funding_cost); Cr funder_payable the two (party = funder). The lessee's
    repayment entry is untouched: the lessor earned all the interest, and pays this part on."""
    if not (_is_fen(principal) and _is_fen(yield_)) or min(principal, yield_) < 0:
        raise _refuse("line_not_fen", "分录金额须为整数分", "amounts must be integer fen")
    lines = []
    if principal:
        lines.append(debit(Account.FUNDER_CAPITAL, principal, funder_id))
    if yield_:
        lines.append(debit(Account.FUNDING_COST, yield_))
    lines.append(credit(Account.FUNDER_PAYABLE, principal + yield_, funder_id))
    return Entry(FUNDER_ALLOCATION, contract_id, tuple(lines), "还款分配给资金方")


def funder_remittance(contract_id: str, funder_id: str, amount: int) -> Entry:
    """向资金方划款: what the lessor owed the funder on the contract is paid out.
    Dr funder_payable / Cr cash."""
    return Entry(FUNDER_REMITTANCE, contract_id, (
        debit(Account.FUNDER_PAYABLE, amount, funder_id), credit(Account.CASH, amount),
    ), "向资金方划付回款")  # fmt: skip


@dataclass(frozen=True, slots=True)
class TrialBalanceRow:
    account: Account
    debit_fen: int
    credit_fen: int
    balance_fen: int  # on the account's normal side


@dataclass(frozen=True, slots=True)
class TrialBalance:
    """试算平衡表: every account of the chart, in chart order, and the column totals."""

    rows: tuple[TrialBalanceRow, ...]
    total_debit: int
    total_credit: int

    @property
    def balanced(self) -> bool:
        return self.total_debit == self.total_credit

    @classmethod
    def from_sums(cls, sums: Mapping[Account, tuple[int, int]]) -> TrialBalance:
        """From (debit, credit) sums per account; accounts not named have none."""
        rows = []
        for account in Account:
            d, c = sums.get(account, (0, 0))
            rows.append(TrialBalanceRow(account, d, c, account.balance(d, c)))
        return cls(tuple(rows), sum(r.debit_fen for r in rows), sum(r.credit_fen for r in rows))


def trial_balance(lines: Iterable[Line]) -> TrialBalance:
    sums: dict[Account, tuple[int, int]] = {}
    for x in lines:
        d, c = sums.get(x.account, (0, 0))
        sums[x.account] = (d + x.debit_fen, c + x.credit_fen)
    return TrialBalance.from_sums(sums)
