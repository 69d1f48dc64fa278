"""Valuation HTTP 车辆估值: `GET /api/valuation` by VIN or catalogue model. Thin: the service
resolves the vehicle, `common.valuation` values it."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated

from litestar import Controller, get
from litestar.params import Parameter

from backend.intake.catalogue import Catalogue
from backend.residual import valuation
from backend.residual.vehicles import to_value
from common.api import limits
from common.api.auth import Role
from common.api.intake import Valuation
from common.api.residual import Accident, Condition
from common.business_day import business_date
from common.residual.model import ResidualModel

READERS = (Role.STAFF, Role.DEALER_ADMIN, Role.RISK_OFFICER, Role.ADMIN)


class ValuationController(Controller):
    path = "/api/valuation"
    tags = ["residual"]  # noqa: RUF012

    @get("/", opt={"roles": READERS})
    async def show(
        self,
        catalogue: Catalogue,
        residual: ResidualModel,
        now: datetime,
        vin: Annotated[str | None, Parameter(max_length=limits.VIN_INPUT)] = None,
        model_id: Annotated[str | None, Parameter(max_length=limits.CATALOGUE_ID)] = None,
        model_year: Annotated[
            int | None, Parameter(ge=limits.MODEL_YEAR_MIN, le=limits.MODEL_YEAR_MAX)
        ] = None,
        mileage_km: Annotated[int, Parameter(ge=0, le=limits.MILEAGE_KM_MAX)] = 0,
        region_code: Annotated[
            str | None, Parameter(min_length=2, max_length=6, pattern=r"^[0-9]+$")
        ] = None,
        condition: Condition = Condition.GOOD,
        accident: Accident = Accident.NONE,
        battery_soh: Annotated[int | None, Parameter(ge=30, le=100)] = None,
    ) -> Valuation:
        """The used vehicle's value today with its 80 % interval (10 %-90 %), the main drivers
        and the path over the next three years. `vin` gives the model year and the maker's
        models; `model_id` names the model (needed when the maker builds several)."""
        as_of = business_date(now)
        model, year = valuation.resolve(catalogue, vin, model_id, model_year, as_of)
        vehicle = to_value(
            model, year, mileage_km, region_code=region_code, condition=condition,
            accident=accident, battery_soh=None if battery_soh is None else Decimal(battery_soh),
        )  # fmt: skip
        return valuation.view(residual, model, vehicle, as_of)


RESIDUAL_ROUTES = [ValuationController]
