"""Valuations 车辆估值 on request: which catalogue model and model year (from a VIN or as given),
then the residual model's value, interval, drivers and path as the wire's `Valuation`."""

from __future__ import annotations

from datetime import date

from backend.intake.catalogue import Catalogue, Model
from common.api.intake import Valuation
from common.api.limits import model_year_ok
from common.api.residual import ValuationDriver, ValuationPoint
from common.errors import DomainError, NotFound
from common.identity import validate_vin
from common.residual.drivers import LABELS
from common.residual.model import ResidualModel
from common.residual.vehicle import Condition
from common.valuation import VehicleToValue, valuation_path, value_vehicle

METHOD = "residual_quantile_gbm"
PATH_MONTHS = [0, 6, 12, 18, 24, 30, 36]
UNKNOWN_MODEL = NotFound("catalogue_model_unknown", "车型不在车型库中", "Unknown catalogue model")


def _year_refused() -> DomainError:
    return DomainError(
        "valuation_input_invalid", "年款或里程不合理", "Model year or mileage out of range",
        fields={"model_year": "valuation_input_invalid"},
    )  # fmt: skip


def resolve(
    catalogue: Catalogue, vin: str | None, model_id: str | None, model_year: int | None,
    as_of: date,
) -> tuple[Model, int]:  # fmt: skip
    """The model and model year to value: a VIN gives its year and the models its maker builds
    (one of them, or the one named); without a VIN both must be given."""
    if vin is None and model_id is None:
        raise DomainError(
            "valuation_vehicle_missing", "请提供车架号或车型", "Give a VIN or a catalogue model",
            fields={"vin": "valuation_vehicle_missing", "model_id": "valuation_vehicle_missing"},
        )  # fmt: skip
    model = None
    if model_id is not None:
        model = catalogue.get(model_id)
        if model is None:
            raise UNKNOWN_MODEL
    if vin is not None:
        check = validate_vin(vin[:40], as_of=as_of)
        check.raise_if_invalid("vin")
        assert check.facts is not None  # a valid VIN decodes
        if model_year is not None and model_year != check.facts.model_year:
            raise DomainError(
                "valuation_model_year_differs", "年款与车架号不符",
                f"the VIN says model year {check.facts.model_year}",
                fields={"model_year": "valuation_model_year_differs"},
            )  # fmt: skip
        model_year = check.facts.model_year
        fitting = catalogue.for_vin(check.facts.vin, model_year)
        if model is not None and model not in fitting:
            raise DomainError(
                "vin_maker_mismatch", "车架号厂商与车型不符", "the VIN's maker does not build it",
                fields={"model_id": "vin_maker_mismatch"},
            )  # fmt: skip
        if model is None and not fitting:
            raise UNKNOWN_MODEL
        if model is None and len(fitting) > 1:
            names = "、".join(m.name for m in fitting)
            raise DomainError(
                "valuation_model_ambiguous", f"该车架号对应多个车型（{names}），请选择车型",
                "Several catalogue models fit this VIN: give model_id",
                fields={"model_id": "valuation_model_ambiguous"},
            )  # fmt: skip
        model = model or fitting[0]
    if model_year is None:
        raise _year_refused()
    assert model is not None
    if not model_year_ok(model_year, as_of):
        raise _year_refused()
    return model, model_year


def view(
    residual: ResidualModel, model: Model, vehicle: VehicleToValue, as_of: date,
    *, inspection_score: int | None = None,
) -> Valuation:  # fmt: skip
    v = value_vehicle(residual, vehicle, as_of, explain=True)
    path = valuation_path(residual, vehicle, as_of, PATH_MONTHS)
    return Valuation(
        model_id=model.id, value=str(v.value), low=str(v.low), high=str(v.high),
        age_years=str(v.age_years), method=METHOD, model_version=v.model_version,
        coverage=f"{residual.coverage:.2f}", condition=Condition(vehicle.condition),
        inspection_score=inspection_score,
        drivers=[ValuationDriver(factor=d.factor, label=LABELS[d.factor],
                                 effect=f"{d.effect:.0f}") for d in v.drivers],
        path=[ValuationPoint(on=on, value=str(p.value), low=str(p.low), high=str(p.high))
              for on, p in path],
    )  # fmt: skip
