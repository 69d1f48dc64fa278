"""Quotes on a product 按产品报价: the clerk's choice checked against the product's active version,
priced by the schedule engine; the same check again on submit against the version quoted."""

from __future__ import annotations

import functools
from datetime import date

import msgspec
from sqlalchemy.ext.asyncio import AsyncSession

from backend.products import service
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
from common.products import Product, check_choice, lease_terms
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
) -> tuple[QuoteRequest, ProductQuoteResponse]:
    """The priced terms (as the typed-rate request the schedule reads) and the response; raises
    `DomainError` (422) for a choice outside the product."""
    choice = choice_of(req)
    check_choice(product, choice, is_new=is_new, vehicle_type=vehicle_type)
    terms = request_of(lease_terms(product, choice, quoted_on))
    quote = quote_for(msgspec.json.encode(terms))
    return terms, ProductQuoteResponse(
        product=ref_of(product), price=choice.price, down_payment=choice.down_payment, quote=quote
    )


async def quote(db: AsyncSession, req: ProductQuoteRequest, today: date) -> ProductQuoteResponse:
    _, product = await service.for_quote(db, req.product_id)
    return priced(product, req, today, is_new=req.is_new, vehicle_type=req.vehicle_type)[1]
