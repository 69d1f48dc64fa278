"""Lease products 金融产品: what a lessor offers, checked once, and a clerk's choice within it.

A `Product` is one immutable version of a product definition: the vehicles it covers, the terms
it offers with a nominal rate each (a rate table, with an optional promotional rate until a
date), the down-payment band, the deposit, the balloon, the methods and timings allowed, and the
fees. `check_choice` refuses a choice outside the product with a stable code and the field to
fix; `lease_terms` turns product + choice into the `LeaseTerms` the schedule engine prices.

Percentages are of the vehicle price (down payment, balloon) or of the financed amount (deposit,
fees given as a percentage): the two bases lessors quote them in.

A product belongs to a family 产品类别: the vehicle leases, and the partner products of the industry
chain on the same engines. For a receivable (supplier finance, freight advance) the price is the
receivable's amount and the down-payment band reads as the advance rate 融资比例: financed is at
most (100 - min) % of the receivable.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Literal

from common.errors import DomainError
from common.lease_terms import Fee, LeaseTerms, Method, Timing
from common.money import ZERO, format_cny, round_fen
from common.revenue_share import RevenueShareTerms

# The values of common.api.intake's LeaseType and VehicleType (a test keeps them equal): the wire
# types of intake refer to products, so products cannot import them back.
LeaseTypeName = Literal["direct_lease", "sale_leaseback"]
VehicleKind = Literal["passenger", "light_truck", "heavy_truck", "cold_chain", "nev"]
HUNDRED = Decimal(100)
PASSENGER = "passenger"  # the vehicle type assumed without a catalogue model (as the facts do)


class ProductFamily(StrEnum):
    VEHICLE = "vehicle"  # 车辆融资租赁: everything a vehicle lease is
    SUPPLIER_FINANCE = "supplier_finance"  # 供应链应收账款融资: a parts supplier's receivable
    FREIGHT_ADVANCE = "freight_advance"  # 运费垫付: a waybill's freight, repaid by the shipper
    CHARGING_PILE = "charging_pile"  # 充电桩设备租赁: an equipment lease to a charging operator


# The families whose asset is a receivable: repaid in one go from the debtor's payment.
RECEIVABLE_FAMILIES = frozenset({ProductFamily.SUPPLIER_FINANCE, ProductFamily.FREIGHT_ADVANCE})
FAMILY_NAMES = {
    ProductFamily.VEHICLE: ("车辆融资租赁", "Vehicle lease"),
    ProductFamily.SUPPLIER_FINANCE: ("供应链应收账款融资", "Supplier receivable finance"),
    ProductFamily.FREIGHT_ADVANCE: ("运费垫付", "Freight advance"),
    ProductFamily.CHARGING_PILE: ("充电桩设备租赁", "Charging-pile equipment lease"),
}


class Condition(StrEnum):
    NEW = "new"  # 新车
    USED = "used"  # 二手车


class FeeKind(StrEnum):
    GPS = "gps"  # GPS费
    SERVICE = "service"  # 服务费
    NOTARY = "notary"  # 公证费


FEE_NAMES = {FeeKind.GPS: "GPS费", FeeKind.SERVICE: "服务费", FeeKind.NOTARY: "公证费"}


class FeeBasis(StrEnum):
    AMOUNT = "amount"  # a fixed amount, yuan
    PERCENT = "percent"  # a percentage of the financed amount


class FeeCollection(StrEnum):
    AT_SIGNING = "at_signing"  # 签约时收取
    WITH_FIRST_RENT = "with_first_rent"  # 随首期租金收取


@dataclass(frozen=True, slots=True)
class Rate:
    term_months: int
    annual_rate_percent: Decimal  # nominal, the list rate
    promo_rate_percent: Decimal | None = None  # until the product's promo_until


@dataclass(frozen=True, slots=True)
class FeeRule:
    kind: FeeKind
    basis: FeeBasis
    value: Decimal
    collected: FeeCollection = FeeCollection.AT_SIGNING

    def amount(self, financed: Decimal) -> Decimal:
        return (
            self.value
            if self.basis is FeeBasis.AMOUNT
            else round_fen(financed * self.value / HUNDRED)
        )


@dataclass(frozen=True, kw_only=True)
class Product:
    """One version of a product; `problems` says what is wrong with a definition."""

    id: str
    version: int
    name_zh: str
    name_en: str
    lease_type: LeaseTypeName  # direct_lease 直租 | sale_leaseback 售后回租
    conditions: frozenset[Condition]
    vehicle_types: frozenset[str]
    rates: tuple[Rate, ...]
    default_term_months: int
    min_down_payment_percent: Decimal
    max_down_payment_percent: Decimal
    deposit_percent: Decimal
    balloon_max_percent: Decimal  # 0: no balloon
    methods: tuple[Method, ...]
    timings: tuple[Timing, ...]
    fees: tuple[FeeRule, ...]
    min_financed: Decimal
    max_financed: Decimal
    min_applicant_age: int | None = None
    promo_until: date | None = None
    revenue_share: RevenueShareTerms | None = None  # 电费分账: the scheduled rent is the floor
    family: ProductFamily = ProductFamily.VEHICLE

    @property
    def terms(self) -> tuple[int, ...]:
        return tuple(r.term_months for r in self.rates)

    def rate(self, term_months: int) -> Rate | None:
        return next((r for r in self.rates if r.term_months == term_months), None)

    def rate_on(self, rate: Rate, on: date) -> Decimal:
        """The nominal rate of a term on a day: the promotional one while the promotion runs."""
        promo = rate.promo_rate_percent
        if promo is not None and self.promo_until is not None and on <= self.promo_until:
            return promo
        return rate.annual_rate_percent

    def fits(self, is_new: bool, vehicle_type: str | None) -> bool:
        if self.family is not ProductFamily.VEHICLE:
            return False  # a partner product covers an asset, never a vehicle
        condition = Condition.NEW if is_new else Condition.USED
        return condition in self.conditions and (vehicle_type or PASSENGER) in self.vehicle_types

    def down_payment_band(self, price: Decimal) -> tuple[Decimal, Decimal]:
        """The smallest and largest down payment on ``price``, in whole fen inside the band."""
        low = _ceil_fen(price * self.min_down_payment_percent / HUNDRED)
        high = _floor_fen(price * self.max_down_payment_percent / HUNDRED)
        return low, high


def _ceil_fen(x: Decimal) -> Decimal:
    return -_floor_fen(-x)


def _floor_fen(x: Decimal) -> Decimal:
    return Decimal(int((x * 100).to_integral_value(rounding="ROUND_FLOOR"))).scaleb(-2)


@dataclass(frozen=True, kw_only=True)
class Choice:
    """What the clerk chose within a product: amounts in yuan, validated as money already."""

    price: Decimal
    down_payment: Decimal
    term_months: int
    start_date: date
    method: Method = Method.ANNUITY
    timing: Timing | None = None  # None: the product's first timing
    balloon: Decimal = ZERO


@dataclass(frozen=True)
class DealLimits:
    """The product limits the risk rules compare a deal with (facts ``deal.product_*``)."""

    min_down_payment_ratio: Decimal
    max_term_months: int
    max_principal: Decimal


def deal_limits(product: Product) -> DealLimits:
    return DealLimits(
        product.min_down_payment_percent / HUNDRED, max(product.terms), product.max_financed
    )


def _refuse(code: str, field: str, zh: str, en: str) -> DomainError:
    return DomainError(code, zh, en, fields={field: code})


def _pct(d: Decimal) -> str:
    return f"{d.normalize():f}%"


def check_choice(
    product: Product, choice: Choice, *, is_new: bool | None = None, vehicle_type: str | None = None
) -> None:
    """Refuse a choice outside the product (422, a stable code, the field to fix). The vehicle is
    checked when it is known."""
    if is_new is not None and not product.fits(is_new, vehicle_type):
        raise _refuse(
            "product_not_for_vehicle", "product_id", f"“{product.name_zh}”不适用于该车辆",
            f"{product.name_en} does not cover this vehicle",
        )  # fmt: skip
    if choice.price <= 0:
        raise _refuse("price_invalid", "price", "车价应大于0", "Price must be positive")
    if product.rate(choice.term_months) is None:
        offered = "、".join(str(t) for t in product.terms)
        raise _refuse(
            "product_term_not_offered", "term_months", f"该产品的期限为{offered}期",
            f"This product offers terms of {', '.join(map(str, product.terms))} months",
        )  # fmt: skip
    _check_down_payment(product, choice)
    if choice.method not in product.methods:
        raise _refuse(
            "method_not_offered", "method", "该产品不提供此还款方式",
            "This product does not offer this repayment method",
        )  # fmt: skip
    if choice.timing is not None and choice.timing not in product.timings:
        raise _refuse(
            "timing_not_offered", "timing", "该产品不提供此租金支付时间（先付/后付）",
            "This product does not offer rents at this time (advance / arrears)",
        )  # fmt: skip
    if choice.method is Method.BALLOON:
        most = _floor_fen(choice.price * product.balloon_max_percent / HUNDRED)
        if choice.balloon > most:
            raise _refuse(
                "balloon_above_maximum", "balloon",
                f"尾款最多为车价的{_pct(product.balloon_max_percent)}（{format_cny(most)}）",
                f"The balloon is at most {_pct(product.balloon_max_percent)} of the price"
                f" ({format_cny(most)})",
            )  # fmt: skip


def balloon_limit(product: Product, choice: Choice, residual_low: Decimal | None) -> Decimal:
    """The largest balloon 尾款上限: the product's share of the price, and no more than what the
    vehicle is predicted to fetch at term end at the low end of its interval (the residual
    model's 10 % quantile, calibrated): a balloon above it is a bet on the car the lessor
    should not make, since the lessee would rather hand the car back than pay it."""
    most = _floor_fen(choice.price * product.balloon_max_percent / HUNDRED)
    return most if residual_low is None else min(most, _floor_fen(residual_low))


def check_balloon_residual(choice: Choice, residual_low: Decimal | None) -> None:
    """Refuse a balloon above the vehicle's predicted low value at term end (422)."""
    if choice.method is not Method.BALLOON or residual_low is None:
        return
    low = _floor_fen(residual_low)
    if choice.balloon > low:
        raise _refuse(
            "balloon_above_residual", "balloon",
            f"尾款不得高于租期结束时车辆残值预测的低值（{format_cny(low)}）",
            f"The balloon may not exceed the vehicle's predicted low value at term end"
            f" ({format_cny(low)})",
        )  # fmt: skip


def _check_down_payment(product: Product, choice: Choice) -> None:
    price, down = choice.price, choice.down_payment
    if down < 0:
        raise _refuse("down_payment_invalid", "down_payment", "首付不能为负数",
                      "The down payment cannot be negative")  # fmt: skip
    if down >= price:  # bug 6: said on the field, never a silent "—"
        raise _refuse(
            "down_payment_above_price", "down_payment",
            f"首付须低于车价（{format_cny(price)}）",
            f"Must be below the price ({format_cny(price)})",
        )  # fmt: skip
    low, high = product.down_payment_band(price)
    if down < low:
        raise _refuse(
            "down_payment_below_minimum", "down_payment",
            f"首付至少为车价的{_pct(product.min_down_payment_percent)}（{format_cny(low)}）",
            f"At least {_pct(product.min_down_payment_percent)} of the price ({format_cny(low)})",
        )  # fmt: skip
    if down > high:
        raise _refuse(
            "down_payment_above_maximum", "down_payment",
            f"首付最多为车价的{_pct(product.max_down_payment_percent)}（{format_cny(high)}）",
            f"At most {_pct(product.max_down_payment_percent)} of the price ({format_cny(high)})",
        )  # fmt: skip
    financed = price - down
    if financed < product.min_financed:
        raise _refuse(
            "financed_below_minimum", "down_payment",
            f"融资额至少为{format_cny(product.min_financed)}，请减少首付",
            f"The financed amount is at least {format_cny(product.min_financed)}:"
            " lower the down payment",
        )  # fmt: skip
    if financed > product.max_financed:
        raise _refuse(
            "financed_above_maximum", "down_payment",
            f"融资额最多为{format_cny(product.max_financed)}，请增加首付",
            f"The financed amount is at most {format_cny(product.max_financed)}:"
            " raise the down payment",
        )  # fmt: skip


def check_applicant_age(product: Product, age: int) -> None:
    if product.min_applicant_age is not None and age < product.min_applicant_age:
        raise _refuse(
            "applicant_below_minimum_age", "customer.id_number",
            f"该产品要求承租人年满{product.min_applicant_age}周岁",
            f"This product requires a lessee aged {product.min_applicant_age} or over",
        )  # fmt: skip


def lease_terms(product: Product, choice: Choice, quoted_on: date) -> LeaseTerms:
    """The terms the schedule engine prices: the product's rate for the term on ``quoted_on``,
    its deposit and fees on the financed amount. Raises `DomainError` (422) for a choice outside
    the product, or for terms the engine refuses (e.g. a deposit that eats the financed amount)."""
    check_choice(product, choice)
    rate = product.rate(choice.term_months)
    assert rate is not None  # check_choice refused other terms
    financed = choice.price - choice.down_payment
    months = {FeeCollection.AT_SIGNING: 0, FeeCollection.WITH_FIRST_RENT: 1}
    return LeaseTerms(
        principal=financed,
        annual_rate_percent=product.rate_on(rate, quoted_on),
        term_months=choice.term_months,
        start_date=choice.start_date,
        method=choice.method,
        timing=choice.timing or product.timings[0],
        balloon=choice.balloon if choice.method is Method.BALLOON else ZERO,
        fees=tuple(
            Fee(FEE_NAMES[f.kind], f.amount(financed), months[f.collected]) for f in product.fees
        ),
        deposit=round_fen(financed * product.deposit_percent / HUNDRED),
    )


def default_choice(product: Product, price: Decimal, start_date: date) -> Choice:
    """What the intake pre-selects: the product's usual term, its smallest down payment, its first
    method and timing; a balloon, if that is the first method, at its largest."""
    method = product.methods[0]
    balloon = (
        _floor_fen(price * product.balloon_max_percent / HUNDRED)
        if method is Method.BALLOON
        else ZERO
    )
    low, _ = product.down_payment_band(price)
    return Choice(
        price=price,
        down_payment=low,
        term_months=product.default_term_months,
        start_date=start_date,
        method=method,
        timing=product.timings[0],
        balloon=balloon,
    )


def fitting(products: list[Product], is_new: bool, vehicle_type: str | None) -> list[Product]:
    return [p for p in products if p.fits(is_new, vehicle_type)]


def check_family(product: Product, family: ProductFamily) -> None:
    """A draft is quoted only on a product of its own family (422 ``product_family_differs``)."""
    if product.family is not family:
        zh, en = FAMILY_NAMES[family]
        raise _refuse(
            "product_family_differs", "product_id", f"“{product.name_zh}”不适用于{zh}申请",
            f"{product.name_en} is not a product for a {en.lower()} application",
        )  # fmt: skip
