"""A unit's best time to sell 最佳出手时机 (`common.residual.sell_timing`): the vehicle as the
residual model sees it — the catalogue model its VIN's maker builds under the unit's model name
(else valued on its invoice amount as the new price), aged from its drawdown (a car in stock is
not on the road yet), not driven, in the dealer's region — against the unit's floor-plan terms."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.principal import Principal
from backend.db.models import FloorplanUnit, Organisation
from backend.floorplan import units
from backend.intake.catalogue import Catalogue, Model
from common import floorplan as fp
from common.api.residual import SellMonth, SellTiming
from common.errors import Conflict
from common.identity import decode_vin
from common.money import yuan_text
from common.residual.model import ResidualModel
from common.residual.sell_timing import SellPlan, sell_plan
from common.residual.vehicle import PROVINCES, Fuel, UsedVehicle
from common.valuation import yuan

NOT_IN_STOCK = Conflict(
    "floorplan_unit_not_in_stock", "该车辆已售出或已结清，无需判断出手时机",
    "The unit is sold or paid off",
)  # fmt: skip
DAYS_PER_MONTH = 365.25 / 12


def catalogue_model(catalogue: Catalogue, unit: FloorplanUnit, today: date) -> Model | None:
    """The catalogue model of the unit: one its VIN's maker builds whose name shares a word with
    the unit's model name (速腾 Sagitar matches 速腾 Sagitar, and 速腾 alone)."""
    year = decode_vin(unit.vin, as_of=today).model_year
    words = {w.lower() for w in unit.model.split()}
    for model in catalogue.for_vin(unit.vin, year):
        if words & {w.lower() for w in model.name.split()}:
            return model
    return None


def vehicle_of(model: Model | None, unit: FloorplanUnit, region: str, today: date) -> UsedVehicle:
    return UsedVehicle(
        new_price=float(model.new_price_mid if model else unit.principal_fen / 100),
        vehicle_type=model.vehicle_type.value if model else "passenger",
        fuel=Fuel(model.fuel) if model else None, tier=model.tier if model else "B",
        age_months=fp.age_days(units.figures(unit, []), today) / DAYS_PER_MONTH,
        mileage_km=0.0, sold_on=today, region_code=region if region[:2] in PROVINCES else "",
    )  # fmt: skip


def _note(plan: SellPlan) -> str:
    best = plan.best_month
    if best.months == 0:
        return "建议现在出售：此后每月的贬值与融资利息都多于价格可能的回升。"
    gain = yuan(plan.gain(best))
    return (
        f"建议约{best.months}个月后（{best.on:%Y年%m月%d日}前后）出售：到那时预计多得¥{gain:,}"
        "（旺季价格回升扣除利息），之后继续持有不再划算。"
    )


def view(unit: FloorplanUnit, model: Model | None, plan: SellPlan, version: str, today: date
         ) -> SellTiming:  # fmt: skip
    best = plan.best_month
    return SellTiming(
        vin=unit.vin, model_id=model.id if model else None, model_version=version, as_of=today,
        best_months=best.months, best_on=best.on, hold_until=best.on,
        months=[SellMonth(
            months=m.months, on=m.on, value=str(yuan(m.value.value)), low=str(yuan(m.value.low)),
            high=str(yuan(m.value.high)), interest=yuan_text(m.interest_fen),
            curtailments=yuan_text(m.curtailments_fen), net=str(yuan(m.net)),
            gain=str(yuan(plan.gain(m))),
        ) for m in plan.months],
        note=_note(plan),
    )  # fmt: skip


async def sell_timing(
    db: AsyncSession, catalogue: Catalogue, residual: ResidualModel, caller: Principal, vin: str,
    today: date,
) -> SellTiming:  # fmt: skip
    unit = await units.owned_unit(db, caller, vin)
    if unit.status not in units.OWED:
        raise NOT_IN_STOCK
    dealer = await db.get(Organisation, unit.dealer_id)
    model = catalogue_model(catalogue, unit, today)
    vehicle = vehicle_of(model, unit, (dealer.region_code if dealer else None) or "", today)
    figures = await units.figures_of(db, unit)
    plan = sell_plan(residual, vehicle, figures, units.terms_of(unit), today)
    return view(unit, model, plan, residual.version, today)
