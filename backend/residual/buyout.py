"""The car's predicted value at the end of a contract, beside its buy-out 留购与残值."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.db.models import Application, Contract, CustomerVersion
from backend.intake.catalogue import Catalogue
from backend.residual.vehicles import to_value
from common.api.servicing import VehicleValueAtEnd
from common.errors import DomainError
from common.money import from_fen, yuan_text
from common.residual.buyout import advice
from common.residual.model import ResidualModel
from common.valuation import valuation_path


async def value_at_end(
    db: AsyncSession, catalogue: Catalogue, residual: ResidualModel, contract: Contract,
    last_due: date, buyout_total_fen: int,
) -> VehicleValueAtEnd | None:  # fmt: skip
    """The car as filed (model, year, mileage, the lessee's region), driven on at its own rate
    from the contract's start to the last due date; None for a partner asset or a car the
    catalogue does not know."""
    row = await db.execute(
        select(Application.catalogue_model_id, Application.model_year, Application.mileage_km,
               CustomerVersion.region_code)
        .outerjoin(CustomerVersion, CustomerVersion.id == Application.customer_version_id)
        .where(Application.id == contract.application_id)
    )  # fmt: skip
    found = row.first()
    model = catalogue.get(found[0]) if found and found[0] else None
    if found is None or model is None or found[1] is None:
        return None
    start = date.fromisoformat(str(contract.document["terms"]["start_date"]))
    vehicle = to_value(model, found[1], found[2] or 0, region_code=found[3])
    try:
        months = (last_due.year - start.year) * 12 + last_due.month - start.month
        ((_, v),) = valuation_path(residual, vehicle, start, [max(0, months)])
    except DomainError:
        return None
    total = from_fen(buyout_total_fen)
    verdict = advice(total, v.value, v.low, v.high)
    return VehicleValueAtEnd(
        on=last_due, value=str(v.value), low=str(v.low), high=str(v.high),
        model_version=v.model_version, buyout_total=yuan_text(buyout_total_fen),
        equity=f"{verdict.equity:.2f}", verdict=verdict.verdict,
        note=verdict.note,
    )  # fmt: skip
