"""The product step's form 融资方案: which product, and the clerk's choice within it.

The clerk types no rate: the product brings its rate table, deposit and fees. The down payment
stays the string typed (yuan); `check` says on the field why a choice is outside the product
(e.g. a down payment above the price, bug 6) with the same `common.products` check the server
applies, and `to_request` gives the quote request once every figure parses.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

import msgspec

from common.api.products import ProductQuoteRequest, ProductView, product_of
from common.errors import DomainError
from common.lease_terms import Method, Timing
from common.products import Choice, Product, check_choice, default_choice

DOWN_PAYMENT_CODES = ("down_payment_invalid", "down_payment_above_price",
                      "down_payment_below_minimum", "down_payment_above_maximum",
                      "financed_below_minimum", "financed_above_maximum")  # fmt: skip


def parse_amount(raw: str) -> Decimal | None:
    """Yuan with at most two decimals, >= 0; None when empty or not such a number."""
    text = raw.strip().replace(",", "").replace("¥", "")
    if not text or not text.isascii():
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    if not value.is_finite() or value < 0 or value != value.quantize(Decimal("0.01")):
        return None
    return value


def products_of(views: list[ProductView]) -> list[Product]:
    return [product_of(v.definition, v.id, v.version) for v in views]


@dataclass
class ProductForm:
    product_id: str = ""
    name_zh: str = ""  # of the product chosen, for the review after a reload
    name_en: str = ""
    lease_type: str = "direct_lease"
    term_months: int = 0
    down_payment: str = ""
    method: str = Method.ANNUITY.value
    timing: str = Timing.ARREARS.value
    balloon: str = ""
    down_payment_auto: bool = True  # still the product's default: it follows the price

    def choose(self, product: Product, price: str) -> None:
        """Pick a product with its defaults: usual term, smallest down payment, first method."""
        self.product_id, self.lease_type = product.id, product.lease_type
        self.name_zh, self.name_en = product.name_zh, product.name_en
        amount = parse_amount(price)
        start = date(2000, 1, 1)  # the defaults do not depend on the day
        c = default_choice(product, amount or Decimal(0), start)
        self.term_months, self.method = c.term_months, c.method.value
        self.timing = (c.timing or product.timings[0]).value
        self.down_payment = str(c.down_payment) if amount else ""
        self.down_payment_auto = True
        self.balloon = str(c.balloon) if c.method is Method.BALLOON and amount else ""

    def rechoose_down_payment(self, product: Product, price: str) -> None:
        """A new price moves the default down payment with it (the band is a share of the price)."""
        amount = parse_amount(price)
        if amount and self.down_payment_auto:
            self.down_payment = str(product.down_payment_band(amount)[0])

    def choice(self, price: str, start_date: date) -> Choice | None:
        amount, down = parse_amount(price), parse_amount(self.down_payment)
        balloon = parse_amount(self.balloon) if self.method == Method.BALLOON.value else Decimal(0)
        if not amount or down is None or balloon is None or not self.term_months:
            return None
        return Choice(
            price=amount, down_payment=down, term_months=self.term_months,
            start_date=start_date, method=Method(self.method), timing=Timing(self.timing),
            balloon=balloon,
        )  # fmt: skip

    def check(self, product: Product | None, price: str, language: str) -> dict[str, str]:
        """Field -> why the choice is not possible (empty when it is): shown on the field."""
        if product is None:
            return {"product": "请选择金融产品" if language == "zh" else "Choose a product"}
        if self.down_payment.strip() and parse_amount(self.down_payment) is None:
            return {
                "down_payment": "请输入有效金额" if language == "zh" else "Enter a valid amount"
            }
        choice = self.choice(price, date(2000, 1, 1))
        if choice is None:
            return {}
        try:
            check_choice(product, choice)
        except DomainError as exc:
            field = "down_payment" if exc.code in DOWN_PAYMENT_CODES else next(iter(exc.fields))
            return {field: exc.message if language == "zh" else exc.message_en}
        return {}

    def problems(self) -> list[str]:
        """What keeps the clerk on the step before any product is known (Chinese)."""
        if not self.product_id:
            return ["请选择金融产品"]
        if parse_amount(self.down_payment) is None:
            return ["首付款：请输入有效金额"]
        if self.method == Method.BALLOON.value and not parse_amount(self.balloon):
            return ["弹性尾款方案须填写尾款"]
        return []

    def to_request(self, vehicle_price: str, start_date: date) -> ProductQuoteRequest | None:
        """The quote request, or None while the price or any figure is not valid yet."""
        choice = self.choice(vehicle_price, start_date)
        if not self.product_id or choice is None:
            return None
        try:
            return ProductQuoteRequest(
                product_id=self.product_id,
                price=str(choice.price),
                down_payment=str(choice.down_payment),
                term_months=choice.term_months,
                start_date=start_date,
                method=choice.method,
                timing=choice.timing,
                balloon=str(choice.balloon),
            )
        except (ValueError, TypeError, msgspec.ValidationError, DomainError):
            return None
