"""Dealer commissions 经销商佣金 as data: per product, a percentage of the financed amount or a
fixed amount, earned and paid when the lease is funded, clawed back when the lease defaults early
(its days past due reach `clawback_days_past_due` within `clawback_months` of funding).

A rule set is a list of rules; the rule for a product is its own, else the `*` rule, else none
(no commission). Pure: the service stores versions of a rule set and posts what these say."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

import msgspec

from common.daycount import add_months
from common.money import div_half_up

ANY_PRODUCT = "*"
MAX_PERCENT = Decimal("10")  # a commission above 10 % of the financed amount is a typo
MAX_FIXED_FEN = 10_000_000  # ¥100,000
_PERCENT_RE = re.compile(r"\d{1,2}(?:\.\d{1,4})?", re.ASCII)


class CommissionBasis(StrEnum):
    PERCENT = "percent"  # of the financed amount
    FIXED = "fixed"  # per funded lease


class CommissionRule(msgspec.Struct, frozen=True, forbid_unknown_fields=True, kw_only=True):
    product_id: str = ANY_PRODUCT
    basis: CommissionBasis
    percent: str | None = None  # "1.50": 1.5 % of the financed amount
    fixed_fen: int | None = None
    clawback_months: int = 6
    clawback_days_past_due: int = 60


def problems(rules: Sequence[CommissionRule]) -> dict[str, str]:
    """What is wrong with a rule set, by field (`rules[2].percent`); empty when it is sound."""
    found: dict[str, str] = {}
    seen: set[str] = set()
    for k, r in enumerate(rules):
        at = f"rules[{k}]"
        if not r.product_id.strip() or len(r.product_id) > 40:
            found[f"{at}.product_id"] = "commission_product_invalid"
        elif r.product_id in seen:
            found[f"{at}.product_id"] = "commission_product_repeated"
        seen.add(r.product_id)
        if r.basis is CommissionBasis.PERCENT:
            pct = _percent(r.percent)
            if pct is None or not Decimal(0) < pct <= MAX_PERCENT or r.fixed_fen is not None:
                found[f"{at}.percent"] = "commission_percent_invalid"
        elif r.fixed_fen is None or not 0 < r.fixed_fen <= MAX_FIXED_FEN or r.percent is not None:
            found[f"{at}.fixed_fen"] = "commission_fixed_invalid"
        if not 0 <= r.clawback_months <= 36:
            found[f"{at}.clawback_months"] = "commission_clawback_invalid"
        if not 1 <= r.clawback_days_past_due <= 365:
            found[f"{at}.clawback_days_past_due"] = "commission_clawback_invalid"
    return found


def _percent(text: str | None) -> Decimal | None:
    """A plain decimal with at most four places ("1.5", "0.0125"); None for anything else."""
    if text is None or not _PERCENT_RE.fullmatch(text):
        return None
    return Decimal(text)


def rule_for(rules: Sequence[CommissionRule], product_id: str) -> CommissionRule | None:
    own = next((r for r in rules if r.product_id == product_id), None)
    return own or next((r for r in rules if r.product_id == ANY_PRODUCT), None)


def commission_fen(rule: CommissionRule, financed_fen: int) -> int:
    """What the dealer earns on a lease financing `financed_fen`, to the fen (half up)."""
    if rule.basis is CommissionBasis.FIXED:
        return int(rule.fixed_fen or 0)
    numerator, denominator = (Decimal(rule.percent or "0") / 100).as_integer_ratio()
    return div_half_up(financed_fen * numerator, denominator)


def defaulted_on(as_of: date, days_past_due: int, threshold_days: int) -> date | None:
    """The day a lease `days_past_due` late on `as_of` reached `threshold_days` past due."""
    if days_past_due < threshold_days:
        return None
    return as_of - timedelta(days=days_past_due - threshold_days)


def clawed_back(
    funded_on: date, as_of: date, days_past_due: int, *, months: int, threshold_days: int
) -> bool:
    """Whether the commission comes back: the lease reached `threshold_days` past due within
    `months` of its funding (the window the rule had when the commission was earned)."""
    default = defaulted_on(as_of, days_past_due, threshold_days)
    return default is not None and default < add_months(funded_on, months)
