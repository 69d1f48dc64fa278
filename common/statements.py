"""Dealer statements 对账单: a dealer's account with the lessor over a date range, from the ledger.

A dealer's account is every ledger line whose `party` is the dealer organisation on one of the
dealer-facing accounts, `DEALER_ACCOUNTS` — THE one place that set is kept (commission and
floor-plan accounts join it as they are added to the chart). The balance is "what the lessor owes
the dealer": Σ(credit − debit) over those lines, whatever an account's normal side (negative: the
dealer owes the lessor, e.g. on a floor-plan line).

A statement has one row per ledger entry, its dealer lines netted: credit (the lessor owes the
dealer more: a lease booked, a down payment collected for the dealer, a commission earned) or
debit (the lessor owes less: a disbursement paid to the dealer, a clawback, interest the dealer
owes). Opening balance = every line before the range; closing = opening + the range's movements,
and the rows carry the running balance. Ranges are Asia/Shanghai business dates, both ends
included, at most `MAX_RANGE_DAYS` long.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from common.business_day import BUSINESS_TZ, business_date
from common.errors import DomainError
from common.ledger import Account, EntryKind

# The dealer-facing accounts 经销商往来科目. Extend here (and only here) when the chart grows.
DEALER_ACCOUNTS: frozenset[Account] = frozenset(
    {
        Account.DEALER_PAYABLE, Account.DEALER_RECEIVABLE,  # owed to the dealer; owed back by it
        # the floor plan 库存融资: what the dealer owes on its units (principal, interest billed);
        # floorplan_clearing is the lessor's own transit account and stays out
        Account.FLOORPLAN_RECEIVABLE, Account.FLOORPLAN_INTEREST_RECEIVABLE,
    }
)  # fmt: skip

# 业务类型: a Chinese label per entry kind that can touch a dealer's account. An unknown kind
# still shows, as its own words (`kind_label`).
KIND_LABELS: dict[str, str] = {
    EntryKind.LEASE_BOOKED: "起租应付车款",
    EntryKind.DOWN_PAYMENT: "代收首付款",
    EntryKind.DISBURSEMENT: "支付车款",
    EntryKind.FUNDING: "资金方放款",
    EntryKind.REPAYMENT: "收到租金",
    EntryKind.COMMISSION_EARNED: "佣金计提",
    EntryKind.COMMISSION_SET_OFF: "佣金抵扣欠款",
    EntryKind.COMMISSION_PAID: "支付佣金",
    EntryKind.COMMISSION_CLAWBACK: "佣金追回",
    "floorplan_drawdown": "库存融资放款",
    "floorplan_interest": "库存融资利息",
    "floorplan_curtailment": "库存融资本金偿还",
    "floorplan_payoff": "库存融资结清",
    EntryKind.FLOORPLAN_REPAYMENT: "库存融资还本",
    EntryKind.FLOORPLAN_SET_OFF: "车款抵扣库存融资",
}

MAX_RANGE_DAYS = 366  # a year, leap or not: longer ranges are refused, not paged


def kind_label(kind: str) -> str:
    """The kind's Chinese label; an unknown kind as readable words ("fee_rebate" → "fee rebate")."""
    return KIND_LABELS.get(kind) or kind.replace("_", " ").strip() or kind


def _bad_date(field: str) -> DomainError:
    return DomainError(
        "statement_date_invalid", "日期格式不正确，应为 YYYY-MM-DD",
        "dates are YYYY-MM-DD", fields={field: "statement_date_invalid"},
    )  # fmt: skip


def _parse_day(text: str, field: str) -> date:
    if not isinstance(text, str) or len(text) != 10 or not text.isascii():
        raise _bad_date(field)
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise _bad_date(field) from None


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=BUSINESS_TZ)


@dataclass(frozen=True, slots=True)
class StatementRange:
    """Business dates `start` to `end`, both included."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise DomainError(
                "statement_range_inverted", "结束日期不能早于开始日期",
                "`to` is before `from`", fields={"to": "statement_range_inverted"},
            )  # fmt: skip
        if (self.end - self.start).days + 1 > MAX_RANGE_DAYS:
            raise DomainError(
                "statement_range_too_long", f"对账期间最长 {MAX_RANGE_DAYS} 天，请缩短日期范围",
                f"a statement covers at most {MAX_RANGE_DAYS} days",
                fields={"to": "statement_range_too_long"},
            )  # fmt: skip

    @classmethod
    def parse(cls, start: str, end: str) -> StatementRange:
        return cls(_parse_day(start, "from"), _parse_day(end, "to"))

    @property
    def since(self) -> datetime:
        """The first instant of the range (00:00 Shanghai on `start`), aware."""
        return _start_of(self.start)

    @property
    def until(self) -> datetime:
        """The first instant after the range (00:00 Shanghai the day after `end`), aware."""
        return _start_of(self.end + timedelta(days=1))


def month_range(year: int, month: int) -> StatementRange:
    first = date(year, month, 1)
    following = date(year + month // 12, month % 12 + 1, 1)
    return StatementRange(first, following - timedelta(days=1))


def this_month(as_of: date) -> StatementRange:
    """From the first of `as_of`'s month to `as_of` (the app's default range)."""
    return StatementRange(as_of.replace(day=1), as_of)


def last_month(as_of: date) -> StatementRange:
    previous = as_of.replace(day=1) - timedelta(days=1)
    return month_range(previous.year, previous.month)


@dataclass(frozen=True, slots=True)
class Movement:
    """One ledger entry's dealer lines, netted (what the query hands over)."""

    entry_id: str
    posted_at: datetime  # aware
    kind: str
    document: str  # the contract's number, or the entry's contract_id when it is no contract
    memo: str
    net_fen: int  # Σ(credit − debit) of the entry's lines on the dealer's accounts


@dataclass(frozen=True, slots=True)
class StatementRow:
    entry_id: str
    business_date: date
    kind: str
    label: str
    document: str
    memo: str
    credit_fen: int  # the lessor owes the dealer more 应付经销商增加
    debit_fen: int  # paid to the dealer, or owed by it 已付经销商/经销商应付
    balance_fen: int  # running: what the lessor owes the dealer after this row


@dataclass(frozen=True, slots=True)
class Statement:
    dealer_id: str
    period: StatementRange
    opening_fen: int
    rows: tuple[StatementRow, ...]
    total_credit_fen: int
    total_debit_fen: int

    @property
    def closing_fen(self) -> int:
        return self.opening_fen + self.total_credit_fen - self.total_debit_fen


def build_statement(
    dealer_id: str, period: StatementRange, opening_fen: int, movements: Iterable[Movement]
) -> Statement:
    """Rows in the given order (the ledger's posting order) with the running balance."""
    rows: list[StatementRow] = []
    balance, credits, debits = opening_fen, 0, 0
    for m in movements:
        credit, debit = max(m.net_fen, 0), max(-m.net_fen, 0)
        balance += m.net_fen
        credits += credit
        debits += debit
        rows.append(StatementRow(
            m.entry_id, business_date(m.posted_at), m.kind, kind_label(m.kind), m.document,
            m.memo, credit, debit, balance,
        ))  # fmt: skip
    return Statement(dealer_id, period, opening_fen, tuple(rows), credits, debits)


@dataclass(frozen=True, slots=True)
class MonthSummary:
    """A closed month's statement in figures 月度对账单."""

    period: StatementRange
    opening_fen: int
    credit_fen: int
    debit_fen: int
    closing_fen: int
    rows: int


def monthly(movements: Sequence[tuple[datetime, int]], as_of: date) -> list[MonthSummary]:
    """The closed months (before `as_of`'s month) with activity, newest first, each with its
    opening and closing. `movements`: every (posted_at, net fen) of the dealer, in order."""
    balance = 0
    found: dict[tuple[int, int], list[int]] = {}  # month -> [opening, credit, debit, rows]
    current = (as_of.year, as_of.month)
    for posted_at, net in movements:
        day = business_date(posted_at)
        key = (day.year, day.month)
        if key >= current:
            break  # movements come in order: nothing after this is closed
        month = found.setdefault(key, [balance, 0, 0, 0])
        month[1] += max(net, 0)
        month[2] += max(-net, 0)
        month[3] += 1
        balance += net
    return [
        MonthSummary(month_range(*key), opening, credit, debit, opening + credit - debit, rows)
        for key, (opening, credit, debit, rows) in sorted(found.items(), reverse=True)
    ]
