"""The seeded vehicle catalogue (assets/catalogue/vehicles.json), loaded once per process."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from common.api.intake import CatalogueModel, VehicleType

CATALOGUE_FILE = Path(__file__).resolve().parents[2] / "assets" / "catalogue" / "vehicles.json"


@dataclass(frozen=True)
class Model:
    id: str
    maker: str
    wmi: tuple[str, ...]
    name: str
    vehicle_type: VehicleType
    new_price_min: Decimal
    new_price_max: Decimal
    years: tuple[int, ...]
    fuel: str = "petrol"  # common.residual.Fuel
    tier: str = "B"  # the brand's retention tier 保值梯队 (A holds value best)

    @property
    def new_price_mid(self) -> Decimal:
        return (self.new_price_min + self.new_price_max) / 2

    def view(self) -> CatalogueModel:
        return CatalogueModel(
            id=self.id,
            maker=self.maker,
            name=self.name,
            vehicle_type=self.vehicle_type,
            new_price_min=str(self.new_price_min),
            new_price_max=str(self.new_price_max),
            years=list(self.years),
        )


class Catalogue:
    def __init__(self, models: list[Model]) -> None:
        self.models = models
        self._by_id = {m.id: m for m in models}

    @classmethod
    def load(cls, path: Path = CATALOGUE_FILE) -> Catalogue:
        raw = json.loads(path.read_text(encoding="utf-8"))
        return cls(
            [
                Model(
                    id=m["id"],
                    maker=m["maker"],
                    wmi=tuple(m["wmi"]),
                    name=m["name"],
                    vehicle_type=VehicleType(m["vehicle_type"]),
                    new_price_min=Decimal(m["new_price_min"]),
                    new_price_max=Decimal(m["new_price_max"]),
                    years=tuple(m["years"]),
                    fuel=m.get("fuel", "petrol"),
                    tier=m.get("tier", "B"),
                )
                for m in raw["models"]
            ]
        )

    def get(self, model_id: str) -> Model | None:
        return self._by_id.get(model_id)

    def for_vin(self, vin: str, model_year: int | None = None) -> list[Model]:
        """Models whose maker builds under this VIN's WMI (and, when known, in that model year)."""
        wmi = vin[:3].upper()
        return [
            m for m in self.models if wmi in m.wmi and (model_year is None or model_year in m.years)
        ]

    def search(self, maker: str | None = None, q: str | None = None) -> list[Model]:
        found = self.models
        if maker:
            found = [m for m in found if maker.lower() in m.maker.lower()]
        if q:
            ql = q.lower()
            found = [m for m in found if ql in m.name.lower() or ql in m.id]
        return found
