"""The servicing rules of a product 租后规则: penalty interest, allocation order, the payoff
and prepayment terms, reminders, extension limits. One policy today (`STANDARD`), the same
for every product; a product version will name its own when products carry one."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time
from decimal import Decimal

from common.servicing.allocation import DEFAULT_ORDER, Component
from common.servicing.delinquency import PenaltyRule
from common.servicing.payoff import InterestTo, PayoffPolicy, PercentOfPrincipal


@dataclass(frozen=True, slots=True)
class ServicingPolicy:
    penalty: PenaltyRule
    order: tuple[Component, ...] = DEFAULT_ORDER
    payoff: PayoffPolicy = field(default_factory=PayoffPolicy)
    min_payment_fen: int = 100  # a custom amount below ¥1.00 is refused (unless it clears all)
    # Reminders 还款提醒: days relative to the due date; quiet hours in Asia/Shanghai.
    reminder_days: tuple[int, ...] = (-3, 0, 1, 3, 7)
    mandatory_reminder_days: tuple[int, ...] = (1, 7)  # overdue notices cannot be opted out of
    quiet_from: time = time(21, 0)
    quiet_until: time = time(8, 0)
    max_extension_months: int = 12
    extension_fee_fen: int = 0


# 万分之五 per day after 3 days' grace, capped at 24 % a year (the judicial-protection line
# lessors use); 3 % / 2 % / 1 % of the principal repaid early by year; ¥100.00 留购价.
STANDARD = ServicingPolicy(
    penalty=PenaltyRule(Decimal("0.05"), grace_days=3, annual_cap_percent=Decimal("24")),
    payoff=PayoffPolicy(
        penalty=PercentOfPrincipal(((0, Decimal(3)), (12, Decimal(2)), (24, Decimal(1)))),
        interest_to=InterestTo.QUOTE_DATE,
        purchase_price=Decimal("100.00"),
        validity_days=7,
        penalty_rule=PenaltyRule(Decimal("0.05"), grace_days=3, annual_cap_percent=Decimal("24")),
    ),
)


def policy_for(product_name: str) -> ServicingPolicy:
    return STANDARD
