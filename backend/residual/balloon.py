"""The balloon's limit from the residual model 尾款与残值: what the vehicle is predicted to fetch
at term end, at the low end of its interval."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from backend.intake.catalogue import Catalogue
from backend.residual import store
from backend.residual.vehicles import to_value
from common.errors import DomainError
from common.lease_terms import Method
from common.valuation import value_at_term_end


def residual_low(
    catalogue: Catalogue, model_id: str | None, model_year: int | None, mileage_km: int,
    region_code: str | None, start: date, term_months: int, method: Method,
) -> Decimal | None:  # fmt: skip
    """The predicted low value at the end of a balloon lease from `start`; None when there is
    no balloon or no catalogue vehicle to value (then only the product's share applies)."""
    model = catalogue.get(model_id) if model_id else None
    if method is not Method.BALLOON or model is None or model_year is None:
        return None
    vehicle = to_value(model, model_year, mileage_km, region_code=region_code)
    try:
        return value_at_term_end(store.load(), vehicle, start, term_months).low
    except DomainError:  # a region the model does not know: valued without it
        return value_at_term_end(store.load(), to_value(model, model_year, mileage_km), start,
                                 term_months).low  # fmt: skip
