"""Quotes on a product 按产品报价: the clerk's choice checked against the product's active version,
priced by the schedule engine; the same check again on submit against the version quoted."""

from __future__ import annotations

import functools
from datetime import date
from decimal import Decimal

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

from backend.intake.catalogue import Catalogue
from backend.products import service
from backend.residual import balloon
from common.api.products import (
    ProductQuoteRequest,
    ProductQuoteResponse,
    choice_of,
    ref_of,
    request_of,
)
from common.api.quotes import (
    QuoteRequest,
    QuoteResponse,
    response_from_schedule,
    terms_from_request,
)
from common.lease_terms import Method
from common.products import (
    Product,
    balloon_limit,
    check_balloon_residual,
    check_choice,
    lease_terms,
)
from common.schedule import build_schedule


@functools.lru_cache(maxsize=512)
def quote_for(request: bytes) -> QuoteResponse:
    """A quote is a pure function of its priced terms: built (IRR and all) once per distinct
    request, not on every view of a draft. Raises DomainError for inconsistent terms (not
    cached)."""
    terms = terms_from_request(msgspec.json.decode(request, type=QuoteRequest))
    return response_from_schedule(build_schedule(terms))


def priced(
    product: Product,
    req: ProductQuoteRequest,
    quoted_on: date,
    *,
    is_new: bool | None,
    vehicle_type: str | None,
    residual_low: Decimal | None = None,
) -> tuple[QuoteRequest, ProductQuoteResponse]:
    """The priced terms (as the typed-rate request the schedule reads) and the response; raises
    `DomainError` (422) for a choice outside the product, or a balloon above `residual_low`
    (the vehicle's predicted low value at term end, when it is known)."""
    choice = choice_of(req)
    check_choice(product, choice, is_new=is_new, vehicle_type=vehicle_type)
    check_balloon_residual(choice, residual_low)
    terms = request_of(lease_terms(product, choice, quoted_on))
    quote = quote_for(msgspec.json.encode(terms))
    limit = (
        balloon_limit(product, choice, residual_low) if Method.BALLOON in product.methods else None
    )
    return terms, ProductQuoteResponse(
        product=ref_of(product), price=choice.price, down_payment=choice.down_payment, quote=quote,
        balloon_limit=limit,
    )  # fmt: skip


async def quote(
    db: AsyncSession, catalogue: Catalogue, req: ProductQuoteRequest, today: date
) -> ProductQuoteResponse:
    """A quote on the product's active version; with the catalogue vehicle, a balloon is held to
    its predicted low value at term end."""
    _, product = await service.for_quote(db, req.product_id)
    low = balloon.residual_low(
        catalogue, req.catalogue_model_id, req.model_year, req.mileage_km, req.region_code,
        req.start_date, req.term_months, req.method,
    )  # fmt: skip
    return priced(
        product, req, today, is_new=req.is_new, vehicle_type=req.vehicle_type, residual_low=low
    )[1]
