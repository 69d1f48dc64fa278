"""The pre-screen's effects 融资预审: an indicative quote on the lessor's products, the rule
engine's pre-screen subset on the visitor's answers, and the draft handed to a shop nearby.

Nothing here decides an application: the quote is the intake's own pricing (backend.products),
the pre-check the subset of the active vehicle rule set that a visitor's answers can decide
(common.rules.prescreen), and the draft waits for the shop's clerk to complete and submit it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.principal import Principal
from backend.db.models import Application, Organisation, RegionFlag, User
from backend.intake import applications
from backend.intake.catalogue import Catalogue
from backend.products import quotes
from backend.products import service as products
from backend.residual import store
from backend.residual.vehicles import to_value
from backend.risk import rulesets
from backend.risk.cache import active_id
from common.api.assistant import Precheck, PrecheckOutcome, QuoteSummary
from common.api.auth import OrganisationKind, Role
from common.api.intake import LeaseType
from common.api.products import ProductQuoteRequest
from common.assistant.prescreen import Need, VehicleModel
from common.money import format_cny
from common.products import Product, deal_limits, fitting
from common.rules import CompiledRuleSet, RuleSet, compile_ruleset, evaluate
from common.rules.facts import Deal, Region, Vehicle
from common.rules.prescreen import prescreen_facts, prescreen_subset
from common.valuation import value_vehicle
from common.vehicle_facts import stated_age_years

ASSISTANT_USERNAME = "assistant"  # the account drafts from the assistant are filed under
NO_PASSWORD = "!assistant-never-signs-in"  # noqa: S105 - no argon2 hash: nothing verifies
_SUBSETS: dict[str, tuple[int, CompiledRuleSet, int]] = {}  # rule-set id -> (number, subset, n)
_PLACES = Decimal("0.0001")
OUTCOMES = {
    "approved": PrecheckOutcome.LIKELY,
    "referred": PrecheckOutcome.REVIEW,
    "declined": PrecheckOutcome.UNLIKELY,
}


def models_of(catalogue: Catalogue) -> list[VehicleModel]:
    return [VehicleModel(m.id, m.name, m.maker, m.years) for m in catalogue.models]


@dataclass(frozen=True)
class Priced:
    product: Product
    request: ProductQuoteRequest
    summary: QuoteSummary
    notes: list[str]  # where the quote differs from what the visitor said, and why


async def _products(db: AsyncSession) -> list[Product]:
    return [products.product_from(v) for _, v in await products.active(db)]


def _term(product: Product, term: int) -> int:
    """The term asked, else the product's nearest (the longer of two as near)."""
    return term if term in product.terms else min(product.terms, key=lambda t: (abs(t - term), -t))


def _band(product: Product, price: Decimal, down: Decimal) -> Decimal:
    """The down payment within the product's band and financed limits."""
    low, high = product.down_payment_band(price)
    low = max(low, price - product.max_financed)
    high = min(high, price - product.min_financed)
    return min(max(down, low), high)


def _priced(product: Product, need: Need, vehicle_type: str, today: date) -> Priced | None:
    assert need.price  # the flow asked them all
    assert need.down_payment
    assert need.term_months
    price, asked = Decimal(need.price), Decimal(need.down_payment)
    term, down = _term(product, need.term_months), _band(product, price, asked)
    if down >= price or down < 0:
        return None  # the product cannot finance this price at all
    notes = []
    if term != need.term_months:
        notes.append(f"“{product.name_zh}”没有{need.term_months}期，按{term}期计算")
    if down != asked:
        notes.append(f"“{product.name_zh}”的首付须在产品范围内，按首付{format_cny(down)}计算")
    request = ProductQuoteRequest(
        product_id=product.id,
        price=str(price),
        down_payment=str(down),
        term_months=term,
        start_date=today,
        method=product.methods[0],
        is_new=bool(need.is_new),
        vehicle_type=vehicle_type,  # type: ignore[arg-type]  # a catalogue type is a VehicleKind
    )
    _, response = quotes.priced(product, request, today, is_new=request.is_new,
                                vehicle_type=vehicle_type)  # fmt: skip
    q = response.quote
    summary = QuoteSummary(
        product_id=product.id,
        product_name=product.name_zh,
        price=str(price),
        down_payment=str(down),
        financed=str(q.principal),
        term_months=term,
        monthly_payment=str(q.monthly_payment),
        annualised_rate_percent=str(q.annualised_rate_percent),
        total_cost=str(q.total_cost),
    )
    return Priced(product, request, summary, notes)


async def quote(db: AsyncSession, catalogue: Catalogue, need: Need, today: date) -> Priced | None:
    """An indicative quote on the product that fits the vehicle at the lowest annualised rate
    (IRR, fees included), the term and down payment as asked where it offers them; None when
    no product fits."""
    model = catalogue.get(need.model_id or "")
    assert model is not None
    kind = model.vehicle_type.value
    found = fitting(await _products(db), bool(need.is_new), kind)
    offers = [p for p in (_priced(x, need, kind, today) for x in found) if p is not None]
    if not offers:
        return None
    # what the visitor asked first (term and down payment as said), then the cheapest
    return min(offers, key=lambda p: (len(p.notes), Decimal(p.summary.annualised_rate_percent)))


async def _subset(db: AsyncSession) -> tuple[int, CompiledRuleSet, int]:
    """The active vehicle rule set's pre-screen subset, compiled once per published version."""
    ruleset_id = await active_id(db)
    if ruleset_id is None:
        await rulesets.ensure_default(db)
        ruleset_id = await active_id(db)
    assert ruleset_id is not None
    hit = _SUBSETS.get(ruleset_id)
    if hit is None:
        row = await rulesets.load_version(db, ruleset_id)
        subset = prescreen_subset(msgspec.convert(row.body, RuleSet))
        hit = (row.number, compile_ruleset(subset), len(subset.rules) + len(subset.tables))
        if len(_SUBSETS) > 16:
            _SUBSETS.clear()
        _SUBSETS[ruleset_id] = hit
    return hit


async def precheck(
    db: AsyncSession, catalogue: Catalogue, need: Need, priced: Priced | None, today: date
) -> Precheck:
    """The subset on what the visitor said (their down payment and term, not the quote's)."""
    model = catalogue.get(need.model_id or "")
    assert model is not None
    assert need.price  # the flow asked them all
    assert need.down_payment
    assert need.term_months
    price, down = Decimal(need.price), Decimal(need.down_payment)
    year = need.model_year or today.year
    # the residual model's valuation, as the decision's facts take it (backend.risk.facts)
    valued = value_vehicle(store.load(), to_value(model, year, 0, region_code=need.region_code),
                           today, is_new=bool(need.is_new))  # fmt: skip
    valuation = valued.value
    vehicle = Vehicle(
        vin_valid=True,
        vin_check_digit_valid=True,
        maker_matches_catalogue=True,
        model_year_matches_age=True,
        in_catalogue=True,
        vehicle_type=model.vehicle_type.value,
        model_code=model.id.upper(),
        age_years=stated_age_years(year, today),
        valuation=valuation,
        price_asked=price,
        price_to_valuation=_ratio(price, valuation),
        valuation_low=valued.low,
        valuation_high=valued.high,
        price_to_valuation_low=_ratio(price, valued.low),
        price_to_valuation_high=_ratio(price, valued.high),
        under_active_lease=False,
        under_pledge=False,
    )
    limits = deal_limits(priced.product) if priced else None
    rate = Decimal(priced.summary.annualised_rate_percent) / 100 if priced else Decimal(0)
    deal = Deal(
        principal=price - down,
        down_payment_ratio=_ratio(down, price),
        term_months=need.term_months,
        annual_rate=rate.quantize(_PLACES),
        product_min_down_payment_ratio=limits.min_down_payment_ratio if limits else Decimal(0),
        product_max_term_months=limits.max_term_months if limits else need.term_months,
        product_max_principal=limits.max_principal if limits else price,
    )
    code = need.region_code or ""
    flagged = bool(
        await db.scalar(select(RegionFlag.flagged).where(RegionFlag.region_code == code))
    )
    number, compiled, checks = await _subset(db)
    decision = evaluate(
        compiled, prescreen_facts(vehicle, deal, Region(code=code, adaptive_flag=flagged))
    )
    reasons = [r.zh for r in decision.reasons] + [f"需要{g.zh}" for g in decision.gates]
    return Precheck(
        outcome=OUTCOMES[decision.outcome], reasons=reasons, ruleset_version=number, checks=checks
    )


def _ratio(a: Decimal, b: Decimal) -> Decimal:
    return (a / b).quantize(_PLACES) if b else Decimal(0)


def _shared_prefix(a: str, b: str) -> int:
    for n in (6, 4, 2):
        if a[:n] == b[:n]:
            return n
    return 0


async def nearest_shop(db: AsyncSession, region_code: str) -> Organisation | None:
    """The shop in the visitor's district, else city, else province; None: none in the
    province (the lessor's service team takes the need then)."""
    shops = list(
        await db.scalars(
            select(Organisation)
            .where(Organisation.kind == OrganisationKind.DEALER.value)
            .order_by(Organisation.created_at, Organisation.id)
        )
    )
    ranked = [(_shared_prefix(s.region_code or "", region_code), s) for s in shops]
    best = max((n for n, _ in ranked), default=0)
    return next((s for n, s in ranked if n == best), None) if best else None


async def assistant_account(db: AsyncSession) -> User:
    """The account drafts from the assistant are filed under: it cannot sign in."""
    user = await db.scalar(select(User).where(User.username == ASSISTANT_USERNAME))
    if user is None:
        lessor = await db.scalar(
            select(Organisation).where(Organisation.kind == OrganisationKind.LESSOR.value).limit(1)
        )
        assert lessor is not None, "the lessor is seeded"
        user = User(
            username=ASSISTANT_USERNAME,
            display_name="智能客服",
            role=Role.STAFF.value,
            organisation_id=lessor.id,
            active=False,
            password_hash=NO_PASSWORD,
        )
        db.add(user)
        await db.flush()
    return user


async def draft_for(
    db: AsyncSession,
    catalogue: Catalogue,
    shop: Organisation,
    need: Need,
    priced: Priced,
    detail: dict[str, Any],
) -> Application:
    """The need as a draft in ``shop``'s applications, filed by the assistant's account."""
    user = await assistant_account(db)
    filer = Principal(user.id, user.username, Role.STAFF, shop.id, "")
    assert need.model_id is not None
    return await applications.create_lead(
        db,
        catalogue,
        filer,
        model_id=need.model_id,
        model_year=need.model_year or 0,
        is_new=bool(need.is_new),
        lease_type=LeaseType(priced.product.lease_type),
        quote=priced.request,
        detail=detail,
    )
