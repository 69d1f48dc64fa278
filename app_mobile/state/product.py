"""The product step's form 融资方案: lease type, term, amounts, method and fees, as typed.

Amounts stay the strings the clerk typed (yuan); they become a `QuoteRequest` only when every one
parses, so a half-typed figure never reaches the server.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

import msgspec

from common.api.quotes import FeeIn, QuoteRequest
from common.errors import DomainError

TERMS = (12, 24, 36, 48, 60)
METHODS = ("annuity", "equal_principal", "interest_only", "balloon")
_RATE = re.compile(r"\d{1,2}(?:\.\d{1,4})?")
TIMINGS = ("arrears", "advance")
LEASE_TYPES = ("direct_lease", "sale_leaseback")


def parse_amount(raw: str) -> Decimal | None:
    """Yuan with at most two decimals, >= 0; None when empty or not such a number."""
    text = raw.strip().replace(",", "").replace("¥", "")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    if not value.is_finite() or value < 0 or value != value.quantize(Decimal("0.01")):
        return None
    return value


@dataclass
class ProductForm:
    lease_type: str = "direct_lease"
    term_months: int = 36
    down_payment: str = ""
    deposit: str = ""
    balloon: str = ""
    annual_rate_percent: str = "8"  # the product's nominal rate; the quote shows the real cost
    method: str = "annuity"
    timing: str = "arrears"
    gps_fee: str = ""
    service_fee: str = ""

    def amount_fields(self) -> dict[str, str]:
        return {
            "down_payment": self.down_payment,
            "deposit": self.deposit,
            "balloon": self.balloon,
            "gps_fee": self.gps_fee,
            "service_fee": self.service_fee,
        }

    def field_error(self, name: str) -> str:
        """Chinese message for one amount field, or empty when it is fine (empty means 0)."""
        raw = self.amount_fields()[name]
        if raw.strip() and parse_amount(raw) is None:
            return "请输入有效金额（最多两位小数）"
        return ""

    def rate_error(self) -> str:
        if not _RATE.fullmatch(self.annual_rate_percent.strip()):
            return "请输入有效利率（百分数，最多四位小数）"
        return ""

    def problems(self) -> list[str]:
        problems = [
            f"{name}: {msg}" for name in self.amount_fields() if (msg := self.field_error(name))
        ]
        if self.rate_error():
            problems.append(self.rate_error())
        if self.method == "balloon" and not parse_amount(self.balloon):
            problems.append("弹性尾款方案须填写尾款")
        return problems

    def amount(self, name: str) -> Decimal:
        return parse_amount(self.amount_fields()[name]) or Decimal(0)

    def financed(self, vehicle_price: str) -> Decimal | None:
        """融资额: the price less the down payment; None unless that is a positive amount."""
        price = parse_amount(vehicle_price)
        if not price:
            return None
        principal = price - self.amount("down_payment")
        return principal if principal > 0 else None

    def to_request(self, vehicle_price: str, start_date: date) -> QuoteRequest | None:
        """The quote request, or None while the price or any figure is not valid yet."""
        principal = self.financed(vehicle_price)
        if principal is None or self.problems():
            return None
        balloon = self.amount("balloon") if self.method == "balloon" else Decimal(0)
        fees = [
            FeeIn(name=name, amount=str(amount), month=0)
            for name, amount in (
                ("GPS费", self.amount("gps_fee")),
                ("服务费", self.amount("service_fee")),
            )
            if amount > 0
        ]
        try:
            return QuoteRequest(
                principal=str(principal),
                term_months=self.term_months,
                start_date=start_date,
                annual_rate_percent=self.annual_rate_percent.strip(),
                method=self.method,  # type: ignore[arg-type]
                timing=self.timing,  # type: ignore[arg-type]
                balloon=str(balloon),
                fees=fees,
                deposit=str(self.amount("deposit")),
            )
        except (ValueError, TypeError, msgspec.ValidationError, DomainError):
            return None
