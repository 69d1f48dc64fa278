"""The catalogue's models as the synthetic market sells them."""

from __future__ import annotations

from backend.intake.catalogue import Catalogue, Model
from common.residual.market import MarketModel
from common.residual.vehicle import Fuel


def fuel_of(model: Model) -> Fuel:
    return Fuel(model.fuel)


def market_models(catalogue: Catalogue) -> list[MarketModel]:
    return [
        MarketModel(
            id=m.id,
            vehicle_type=m.vehicle_type.value,
            fuel=fuel_of(m),
            tier=m.tier,
            new_price_min=float(m.new_price_min),
            new_price_max=float(m.new_price_max),
            years=m.years,
        )
        for m in catalogue.models
    ]
