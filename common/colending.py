"""Co-lending 联合贷款 as data: a funder's share of the contracts it funds and the yield its
share earns, and what each repayment owes it. Pure: figures in, figures out.

A funding agreement says two numbers, both percentages with at most four decimals, held here as
integer "e4" (the percentage times 10,000: 80 % is 800_000, 4.2 % is 42_000):

- `share`: the part of each contract's financed amount the funder puts up, 0 < share <= 100. It
  funds ``floor(share x financed)``; the lessor funds the rest, the odd fen included.
- `yield_rate` 资金方收益率: the simple annual rate the funder's share earns (ACT/365), usually
  below the lease's own rate; the lessor keeps the difference (its margin) and all fees and
  penalty interest.

For each repayment applied to the contract's instalments (`allocate`):

- **principal**: the funder is owed its share of the principal repaid to date, less what it was
  allocated before: ``floor(share x repaid_after) - allocated_before``, with ``repaid_after =
  financed - outstanding_after`` (clamped to 0..financed). Taken cumulatively, so the rounding
  never accumulates: once the contract is repaid the funder has had exactly its funded share;
  and a principal paid ahead, lifted back to 溢缴款 and re-applied (a prepayment, an extension)
  is never counted twice.
- **yield**: for each row whose interest this repayment pays, the funder's share of the row's
  opening principal at the yield rate for the row's period, in proportion to the part of the row's
  interest paid: ``share x opening x yield x days / 365 x interest_paid / row_interest``. Summed
  exactly, truncated once, and never more than the interest paid: the funder is paid its yield
  out of the interest the lessee pays, never topped up by the lessor.
- **rent lifted**: when a reschedule (a prepayment, an extension, a renewal) lifts the rent paid
  ahead back to 溢缴款, the interest it paid on the old rows is no longer earned there, so the
  yield allocated on it is taken back (`yield_lifted`); applied again to the new rows, it earns
  yield there on their interest, as any repayment does. Each period's yield is given once.

Both funder parts are truncated to the fen (exact integer division, on purpose not the house's
half-up `common.money.div_half_up`): the rounding residue always goes to the lessor, so the
funder's and the lessor's parts add up to what was paid, to the fen, and neither is negative.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

E4 = 10_000  # a percentage with four decimals, as an integer
WHOLE = 100 * E4  # 100 %
DAYS_IN_YEAR = 365  # ACT/365 fixed
MAX_YIELD_E4 = 36 * E4  # above 36 % a year is no yield a court would uphold: a typo
_PERCENT_RE = re.compile(r"\d{1,3}(?:\.\d{1,4})?", re.ASCII)


def percent_e4(text: str) -> int | None:
    """ "80", "4.2", "4.2125" -> the percentage times 10,000; None unless a plain decimal with at
    most four places."""
    if not _PERCENT_RE.fullmatch(text):
        return None
    return int(Decimal(text) * E4)


def percent_text(e4: int) -> str:
    """The wire form: 800_000 -> "80.0000"."""
    return f"{Decimal(e4) / E4:.4f}"


def agreement_problems(share_percent: str, yield_percent: str) -> dict[str, str]:
    """What is wrong with an agreement's figures, by field; empty when they are sound."""
    found: dict[str, str] = {}
    share = percent_e4(share_percent)
    if share is None or not 0 < share <= WHOLE:
        found["share_percent"] = "funder_share_invalid"
    rate = percent_e4(yield_percent)
    if rate is None or not 0 <= rate <= MAX_YIELD_E4:
        found["yield_percent"] = "funder_yield_invalid"
    return found


@dataclass(frozen=True, slots=True)
class Terms:
    """An agreement's figures, as frozen on a contract when it is funded."""

    share_e4: int
    yield_e4: int

    def __post_init__(self) -> None:
        if not 0 < self.share_e4 <= WHOLE or not 0 <= self.yield_e4 <= MAX_YIELD_E4:
            raise ValueError("share must be in (0, 100] %, yield in [0, 36] %")


def funded_share(terms: Terms, financed: int) -> int:
    """What the funder puts up of a contract financing `financed` fen (truncated: the odd fen is
    the lessor's)."""
    return financed * terms.share_e4 // WHOLE


@dataclass(frozen=True, slots=True)
class Period:
    """A schedule row as the yield sees it: the principal outstanding at its start (as
    scheduled), the days it covers, and its interest."""

    number: int
    opening: int
    days: int
    interest: int


def periods(rows: Sequence[tuple[int, date, int, int]], start: date) -> list[Period]:
    """The periods of a schedule's rows (number, due date, principal, interest), by number; the
    first row's period starts on `start` (the value date), each other on the previous due date."""
    ordered = sorted(rows)
    out, opening, since = [], sum(r[2] for r in ordered), start
    for number, due, principal, interest in ordered:
        out.append(Period(number, opening, max(0, (due - since).days), interest))
        opening -= principal
        since = max(since, due)
    return out


@dataclass(frozen=True, slots=True)
class Allocation:
    """One repayment's split: the funder's principal and yield; the lessor's, the rest."""

    paid: int
    funder_principal: int
    funder_yield: int

    @property
    def funder(self) -> int:
        return self.funder_principal + self.funder_yield

    @property
    def lessor(self) -> int:
        return self.paid - self.funder


def allocate(
    terms: Terms,
    *,
    paid: int,
    principal: int,
    interest_by_row: Mapping[int, int],
    schedule: Sequence[Period],
    financed: int,
    outstanding_after: int,
    allocated_before: int,
) -> Allocation:
    """The split of a repayment of `paid` fen that repaid `principal` and, row by row, the
    interest in `interest_by_row` (conventions in the module docstring). `outstanding_after`:
    the contract's principal outstanding once it is applied; `allocated_before`: the principal
    the funder was allocated by the contract's earlier repayments."""
    interest = sum(interest_by_row.values())
    if min(paid, principal, interest, financed, allocated_before) < 0:
        raise ValueError("figures are never negative")
    if principal + interest > paid:
        raise ValueError("the principal and interest repaid are part of what was paid")
    repaid_after = min(financed, max(0, financed - outstanding_after))
    owed = repaid_after * terms.share_e4 // WHOLE - allocated_before
    funder_principal = min(principal, max(0, owed))
    return Allocation(paid, funder_principal, yield_on(terms, interest_by_row, schedule))


def yield_on(terms: Terms, interest_by_row: Mapping[int, int], schedule: Sequence[Period]) -> int:
    """The funder's yield on the interest paid row by row in `interest_by_row` (conventions in
    the module docstring): summed exactly, truncated once, never more than that interest."""
    by_number = {p.number: p for p in schedule}
    earned = Fraction(0)
    for number, fen in interest_by_row.items():
        row = by_number.get(number)
        if row is None or fen <= 0 or row.interest <= 0:
            continue
        full = Fraction(terms.share_e4 * row.opening * terms.yield_e4 * row.days,
                        WHOLE * WHOLE * DAYS_IN_YEAR)  # fmt: skip
        earned += full * Fraction(min(fen, row.interest), row.interest)
    # int() truncates a positive Fraction: the floor
    return min(sum(interest_by_row.values()), int(earned))


def yield_lifted(
    terms: Terms, *, allocated: int, interest_by_row: Mapping[int, int],
    lifted: Collection[int], schedule: Sequence[Period],
) -> int:  # fmt: skip
    """Of the yield `allocated` on a repayment that paid `interest_by_row`, the part on the rows
    in `lifted` (their interest lifted back to 溢缴款 by a reschedule, so no longer earned on
    them): what was allocated less what the rows it keeps would have been allocated alone. So a
    reversal takes back exactly what was given on those rows, its truncation included — never
    more than was allocated, and nothing on the rows kept."""
    kept = {n: fen for n, fen in interest_by_row.items() if n not in lifted}
    return min(allocated, max(0, allocated - yield_on(terms, kept, schedule)))
