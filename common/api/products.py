"""Wire types of lease products 金融产品 and of a quote on a product (POST /api/quotes).

Percentages and money travel as decimal strings (msgspec cannot constrain `Decimal`, upstream
#683); `product_of` parses a definition and reports every problem at once (``product_invalid``
with the path of each), `choice_of` parses a clerk's choice (``money_invalid`` naming the field).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated

import msgspec

from common.api import limits
from common.api.quotes import FeeIn, QuoteRequest, QuoteResponse
from common.api.revenue_share import RevenueShareIn, terms_of
from common.lease_terms import MAX_TERM_MONTHS, LeaseTerms, Method, Timing
from common.money import parse_money
from common.product_checks import Problem, raise_if_invalid
from common.products import (
    Choice,
    Condition,
    FeeBasis,
    FeeCollection,
    FeeKind,
    FeeRule,
    LeaseTypeName,
    Product,
    ProductFamily,
    Rate,
    VehicleKind,
)

_PERCENT_RE = re.compile(r"[0-9]{1,3}(?:\.[0-9]{1,4})?")  # ASCII digits only
Percent = Annotated[str, msgspec.Meta(max_length=12, description='a percentage, e.g. "7.5"')]
Name = Annotated[str, limits.line(limits.PRODUCT_NAME, min_length=1)]
ProductId = Annotated[str, limits.line(limits.PRODUCT_ID, min_length=1)]
Money = Annotated[str, limits.line(40)]


class RateRow(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """One row of the rate table 利率表: a term offered and its nominal annual rate."""

    term_months: Annotated[int, limits.int_range(1, MAX_TERM_MONTHS)]
    annual_rate_percent: Percent
    promo_rate_percent: Percent | None = None  # while the product's promotion runs


class ProductFee(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    kind: FeeKind
    basis: FeeBasis  # amount in yuan, or percent of the financed amount
    value: Money
    collected: FeeCollection = FeeCollection.AT_SIGNING


class ProductDefinition(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """A product as the lessor defines it; each saved definition is an immutable version."""

    name_zh: Name
    name_en: Name
    lease_type: LeaseTypeName
    # the vehicles covered; empty (and only then) for a partner family, which covers its asset
    conditions: Annotated[list[Condition], msgspec.Meta(max_length=2)]
    vehicle_types: Annotated[list[VehicleKind], msgspec.Meta(max_length=5)]
    rates: Annotated[list[RateRow], msgspec.Meta(min_length=1, max_length=limits.PRODUCT_MAX_TERMS)]
    default_term_months: Annotated[int, limits.int_range(1, MAX_TERM_MONTHS)]
    min_down_payment_percent: Percent
    max_down_payment_percent: Percent
    deposit_percent: Percent = "0"
    balloon_max_percent: Annotated[Percent, msgspec.Meta(description="0: no balloon")] = "0"
    methods: Annotated[list[Method], msgspec.Meta(min_length=1, max_length=4)]
    timings: Annotated[list[Timing], msgspec.Meta(min_length=1, max_length=2)]
    fees: Annotated[list[ProductFee], msgspec.Meta(max_length=limits.PRODUCT_MAX_FEES)] = (
        msgspec.field(default_factory=list)
    )
    min_financed: Money
    max_financed: Money
    min_applicant_age: Annotated[int, limits.int_range(0, 200)] | None = None
    promo_until: date | None = None  # promotional rates apply to quotes up to this day
    revenue_share: RevenueShareIn | None = None  # 电费分账 (common.revenue_share)
    # 产品类别; for a receivable the down-payment band is the advance rate 融资比例
    family: ProductFamily = ProductFamily.VEHICLE

    def __post_init__(self) -> None:
        product_of(self, "", 0)  # raises product_invalid naming every problem


class ProductCreate(msgspec.Struct, forbid_unknown_fields=True):
    definition: ProductDefinition
    reason: Annotated[str, limits.paragraph(limits.NOTE, min_length=1)]


class ProductNewVersion(msgspec.Struct, forbid_unknown_fields=True):
    definition: ProductDefinition
    based_on_version: limits.Version  # the version the editor saw: another's edit answers 409
    reason: Annotated[str, limits.paragraph(limits.NOTE, min_length=1)]


class ProductActivate(msgspec.Struct, forbid_unknown_fields=True):
    version: limits.Version
    reason: Annotated[str, limits.paragraph(limits.NOTE, min_length=1)]


class TermOffer(msgspec.Struct):
    term_months: int
    annual_rate_percent: Decimal  # the rate a quote gets today
    list_rate_percent: Decimal
    promo: bool


class ProductView(msgspec.Struct, kw_only=True):
    id: str
    version: int
    active_version: int  # the version quotes use; ``version`` may be an older one
    retired: bool
    definition: ProductDefinition
    terms: list[TermOffer]
    created_at: datetime
    created_by: str | None
    reason: str | None


class ProductRef(msgspec.Struct, kw_only=True):
    """The product version a quote was made on."""

    id: str
    version: int
    name_zh: str
    name_en: str
    lease_type: LeaseTypeName
    family: ProductFamily = ProductFamily.VEHICLE


QuotedModelYear = Annotated[int, limits.int_range(limits.MODEL_YEAR_MIN, limits.MODEL_YEAR_MAX)]


class ProductQuoteRequest(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """A clerk's choice within a product; the rate, deposit and fees come from the product."""

    product_id: ProductId
    price: Money  # the vehicle's agreed price (a partner product: the asset's amount), yuan
    down_payment: Money
    term_months: Annotated[int, limits.int_range(1, MAX_TERM_MONTHS)]
    start_date: date
    method: Method = Method.ANNUITY
    timing: Timing | None = None  # None: the product's first
    balloon: Money = "0"
    # The vehicle the product must cover; an application's draft uses its own vehicle instead.
    is_new: bool | None = None
    vehicle_type: VehicleKind | None = None
    # The catalogue vehicle, when known: a balloon is then held to its predicted low value at
    # term end (the residual model). A draft uses its own vehicle instead.
    catalogue_model_id: Annotated[str, limits.line(limits.CATALOGUE_ID, min_length=1)] | None = None
    model_year: (
        Annotated[int, limits.int_range(limits.MODEL_YEAR_MIN, limits.MODEL_YEAR_MAX)] | None
    ) = None
    mileage_km: Annotated[int, limits.int_range(0, limits.MILEAGE_KM_MAX)] = 0
    region_code: Annotated[str, limits.line(6, min_length=2)] | None = None

    def __post_init__(self) -> None:
        for name in ("price", "down_payment", "balloon"):
            parse_money(getattr(self, name), field=name)


class ProductQuoteResponse(msgspec.Struct, kw_only=True):
    product: ProductRef
    price: Decimal
    down_payment: Decimal
    quote: QuoteResponse  # financed amount (principal), rent, fees, deposit, rate by IRR
    # The largest balloon for this choice (a balloon product): its share of the price, and no
    # more than the vehicle's predicted low value at term end when the vehicle is known.
    balloon_limit: Decimal | None = None


def _percent(raw: str, path: str, found: list[Problem]) -> Decimal:
    if not _PERCENT_RE.fullmatch(raw.strip()):
        found.append((path, "percent_invalid", "百分比格式不正确（最多四位小数）",
                      "A percentage is a number with at most four decimals"))  # fmt: skip
        return Decimal(0)
    return Decimal(raw.strip())


def _money(raw: str, path: str, found: list[Problem]) -> Decimal:
    try:
        return parse_money(raw, field=path)
    except Exception:  # DomainError money_invalid: reported with the others
        found.append((path, "money_invalid", "金额格式不正确", "An amount is malformed"))
        return Decimal(0)


def product_of(d: ProductDefinition, product_id: str, version: int) -> Product:
    """The checked `Product` of a definition; raises ``product_invalid`` naming every problem."""
    found: list[Problem] = []
    rates = tuple(
        Rate(
            r.term_months,
            _percent(r.annual_rate_percent, f"rates[{i}].annual_rate_percent", found),
            None
            if r.promo_rate_percent is None
            else _percent(r.promo_rate_percent, f"rates[{i}].promo_rate_percent", found),
        )
        for i, r in enumerate(d.rates)
    )
    fees = tuple(
        FeeRule(
            f.kind,
            f.basis,
            _percent(f.value, f"fees[{i}].value", found)
            if f.basis is FeeBasis.PERCENT
            else _money(f.value, f"fees[{i}].value", found),
            f.collected,
        )
        for i, f in enumerate(d.fees)
    )
    product = Product(
        id=product_id,
        version=version,
        name_zh=d.name_zh.strip(),
        name_en=d.name_en.strip(),
        lease_type=d.lease_type,
        conditions=frozenset(d.conditions),
        vehicle_types=frozenset(d.vehicle_types),
        rates=rates,
        default_term_months=d.default_term_months,
        min_down_payment_percent=_percent(
            d.min_down_payment_percent, "min_down_payment_percent", found
        ),
        max_down_payment_percent=_percent(
            d.max_down_payment_percent, "max_down_payment_percent", found
        ),
        deposit_percent=_percent(d.deposit_percent, "deposit_percent", found),
        balloon_max_percent=_percent(d.balloon_max_percent, "balloon_max_percent", found),
        methods=tuple(d.methods),
        timings=tuple(d.timings),
        fees=fees,
        min_financed=_money(d.min_financed, "min_financed", found),
        max_financed=_money(d.max_financed, "max_financed", found),
        min_applicant_age=d.min_applicant_age,
        promo_until=d.promo_until,
        revenue_share=None if d.revenue_share is None
        else terms_of(d.revenue_share, "revenue_share", found),
        family=d.family,
    )  # fmt: skip
    if len({c for c in d.conditions}) != len(d.conditions) or len(set(d.vehicle_types)) != len(
        d.vehicle_types
    ):
        found.append(
            ("vehicle_types", "vehicles_repeated", "车辆类别重复", "A vehicle kind repeats")
        )
    return raise_if_invalid(product, found)


def choice_of(req: ProductQuoteRequest) -> Choice:
    return Choice(
        price=parse_money(req.price, field="price"),
        down_payment=parse_money(req.down_payment, field="down_payment"),
        term_months=req.term_months,
        start_date=req.start_date,
        method=req.method,
        timing=req.timing,
        balloon=parse_money(req.balloon, field="balloon"),
    )


def ref_of(product: Product) -> ProductRef:
    return ProductRef(
        id=product.id,
        version=product.version,
        name_zh=product.name_zh,
        name_en=product.name_en,
        lease_type=product.lease_type,
        family=product.family,
    )


def terms_offered(product: Product, on: date) -> list[TermOffer]:
    return [
        TermOffer(
            term_months=r.term_months,
            annual_rate_percent=product.rate_on(r, on),
            list_rate_percent=r.annual_rate_percent,
            promo=product.rate_on(r, on) != r.annual_rate_percent,
        )
        for r in product.rates
    ]


def request_of(terms: LeaseTerms) -> QuoteRequest:
    """The priced terms as a typed-rate request: what the application keeps and the schedule,
    contract and risk facts read (the product's rate, deposit and fees written out)."""
    return QuoteRequest(
        principal=str(terms.principal),
        term_months=terms.term_months,
        start_date=terms.start_date,
        annual_rate_percent=str(terms.annual_rate_percent),
        method=terms.method,
        timing=terms.timing,
        balloon=str(terms.balloon),
        fees=[FeeIn(name=f.name, amount=str(f.amount), month=f.month) for f in terms.fees],
        deposit=str(terms.deposit),
    )
