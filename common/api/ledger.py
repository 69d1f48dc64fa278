"""Wire types of the ledger 总账: the trial balance (GET /api/ledger/trial-balance).

Amounts are yuan as decimal strings ("12500.00"; msgspec encodes `Decimal` as a string), made
from the ledger's integer fen exactly by `from_fen`.
"""

from __future__ import annotations

from decimal import Decimal

import msgspec

from common.ledger import Account, Side, TrialBalance
from common.money import from_fen


class TrialBalanceRowView(msgspec.Struct):
    account: Account
    label: str  # the account's Chinese name 科目名称
    normal_side: Side
    debit: Decimal
    credit: Decimal
    balance: Decimal  # on the normal side; negative when the other side is larger


class TrialBalanceView(msgspec.Struct):
    rows: list[TrialBalanceRowView]  # every account of the chart, in chart order
    total_debit: Decimal
    total_credit: Decimal
    balanced: bool


def trial_balance_view(tb: TrialBalance) -> TrialBalanceView:
    rows = [
        TrialBalanceRowView(
            r.account,
            r.account.label,
            r.account.normal_side,
            from_fen(r.debit_fen),
            from_fen(r.credit_fen),
            from_fen(r.balance_fen),
        )
        for r in tb.rows
    ]
    return TrialBalanceView(rows, from_fen(tb.total_debit), from_fen(tb.total_credit), tb.balanced)
