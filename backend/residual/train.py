"""Training the residual-value model 残值模型训练: three quantile gradient-boosting models
(scikit-learn's HistGradientBoostingRegressor, loss="quantile", at 10 %, 50 % and 90 %) on
log(price / new price), a split-conformal margin from sales they never saw, and the metrics on a
third split, all written into one artefact (JSON) that `common.residual.model` serves.

Reproducible: the split and the boosting are seeded, early stopping is off, and the same sales
with the same seed give the same artefact, byte for byte (tests/backend/residual/test_train.py).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.ensemble import HistGradientBoostingRegressor

from backend.residual.export import forest_of, layout_of
from common.residual import conformal
from common.residual.forest import Floats
from common.residual.market import Sale
from common.residual.model import FORMAT, ResidualModel
from common.residual.vehicle import CATEGORICAL, FEATURE_NAMES, encode

VERSION = "residual-v1"
# A car is worth less older, further driven, in worse condition, after an accident, of a weaker
# tier, and more with a healthier battery: the trees are held to it (1 rises, -1 falls), so a
# path never climbs back with age where sales are few.
DIRECTION = {"tier": -1, "age_months": -1, "mileage_km": -1, "condition": -1, "accident": -1,
             "battery_soh": 1}  # fmt: skip
MONOTONIC = tuple(DIRECTION.get(name, 0) for name in FEATURE_NAMES)
QUANTILES = (0.1, 0.5, 0.9)


@dataclass(frozen=True)
class Config:
    seed: int = 20260901
    max_iter: int = 150
    learning_rate: float = 0.1
    max_leaf_nodes: int = 15
    min_samples_leaf: int = 40
    coverage: float = 0.8  # the interval's wanted coverage (10 %-90 %)
    calibration_share: float = 0.2
    test_share: float = 0.2


def matrix(sales: Sequence[Sale]) -> tuple[Floats, Floats, Floats]:
    """Feature rows, targets log(price / new price), and new prices."""
    rows = np.array([encode(s.vehicle) for s in sales], dtype=np.float64)
    new = np.array([s.vehicle.new_price for s in sales], dtype=np.float64)
    prices = np.array([s.price for s in sales], dtype=np.float64)
    return rows, np.log(prices / new), new


def _fit(rows: Floats, target: Floats, quantile: float, config: Config) -> dict[str, Any]:
    model = HistGradientBoostingRegressor(
        loss="quantile", quantile=quantile, max_iter=config.max_iter,
        learning_rate=config.learning_rate, max_leaf_nodes=config.max_leaf_nodes,
        min_samples_leaf=config.min_samples_leaf, categorical_features=list(CATEGORICAL),
        early_stopping=False, random_state=config.seed, monotonic_cst=list(MONOTONIC),
    )  # fmt: skip
    model.fit(rows, target)
    return {"layout": layout_of(model, rows.shape[1]), "forest": forest_of(model)}


def _split(n: int, config: Config) -> tuple[Any, Any, Any]:
    order = np.random.default_rng(config.seed).permutation(n)
    n_test = int(n * config.test_share)
    n_cal = int(n * config.calibration_share)
    return order[n_test + n_cal :], order[n_test : n_test + n_cal], order[:n_test]


def _version(body: dict[str, Any]) -> str:
    digest = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).hexdigest()
    return f"{VERSION}+{digest[:8]}"


def evaluate(model: ResidualModel, rows: Floats, target: Floats) -> dict[str, float]:
    """Coverage of the calibrated interval (and of the raw one), median absolute % error of the
    median, and the interval's mean width relative to the value, on these sales."""
    low, mid, high = model.log_ratios(rows)
    raw_low = model.low.predict(model.layout.prepare(rows))
    raw_high = model.high.predict(model.layout.prepare(rows))
    errors = np.abs(np.exp(mid - target) - 1)
    return {
        "coverage": conformal.covered(list(low), list(high), list(target)),
        "coverage_raw": conformal.covered(list(raw_low), list(raw_high), list(target)),
        "mdape_percent": float(np.median(errors) * 100),
        "width_percent": float(np.mean(np.exp(high - mid) - np.exp(low - mid)) * 100),
    }


def train(sales: Sequence[Sale], config: Config, *, trained_on: str) -> dict[str, Any]:
    """The artefact: forests, layout, conformal margin, metrics on the held-out test split."""
    if len(sales) < 200:
        raise ValueError(f"{len(sales)} sales are too few to train on (200 at least)")
    rows, target, _ = matrix(sales)
    fit, cal, test = _split(len(sales), config)
    fitted = [_fit(rows[fit], target[fit], q, config) for q in QUANTILES]
    body: dict[str, Any] = {
        "format": FORMAT,
        "features": list(FEATURE_NAMES),
        "layout": fitted[0]["layout"],
        "quantiles": list(QUANTILES),
        "forests": [f["forest"] for f in fitted],
        "coverage": config.coverage,
        "margin": 0.0,
    }
    uncalibrated = ResidualModel.of({**body, "model_version": VERSION})
    prepared = uncalibrated.layout.prepare(rows[cal])
    scores = conformal.scores(
        list(uncalibrated.low.predict(prepared)), list(uncalibrated.high.predict(prepared)),
        list(target[cal]),
    )  # fmt: skip
    body["margin"] = conformal.margin(scores, config.coverage)
    version = _version(body)
    model = ResidualModel.of({**body, "model_version": version})
    metrics = {
        **evaluate(model, rows[test], target[test]),
        "rows_fit": len(fit), "rows_calibration": len(cal), "rows_test": len(test),
        "margin": body["margin"],
    }  # fmt: skip
    training = {"trained_on": trained_on, "rows": len(sales), **asdict(config)}
    return {"model_version": version, **body, "metrics": metrics, "training": training}


def save(artefact: dict[str, Any], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(artefact, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    path.write_text(text + "\n", encoding="utf-8")


def summary(artefact: dict[str, Any]) -> str:
    m = artefact["metrics"]
    return (
        f"{artefact['model_version']}: {m['rows_fit']} + {m['rows_calibration']} + "
        f"{m['rows_test']} sales; held-out coverage {m['coverage']:.3f} "
        f"(raw {m['coverage_raw']:.3f}), MdAPE {m['mdape_percent']:.2f} %, "
        f"mean width {m['width_percent']:.1f} %"
    )
