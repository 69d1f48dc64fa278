"""Training: reproducible from its seed, calibrated to cover 80 % on sales it never saw, and
exported to arrays that predict exactly what scikit-learn predicts."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from sklearn.ensemble import HistGradientBoostingRegressor

from backend.residual import store
from backend.residual.export import forest_of, layout_of
from backend.residual.train import Config, evaluate, matrix, save, train
from common.residual.forest import Forest, Layout
from common.residual.market import MarketModel, Sale, simulate
from common.residual.model import ResidualModel
from common.residual.vehicle import CATEGORICAL

TINY = Config(seed=3, max_iter=15)


def test_the_same_sales_and_seed_give_the_same_model_and_another_seed_another(
    sales: list[Sale],
) -> None:
    first = train(sales[:1500], TINY, trained_on="t")
    again = train(sales[:1500], TINY, trained_on="t")
    assert json.dumps(first) == json.dumps(again)
    other = train(sales[:1500], Config(seed=4, max_iter=15), trained_on="t")
    assert other["model_version"] != first["model_version"]


def test_the_calibrated_interval_covers_80_percent_of_held_out_sales(
    small_artefact: dict[str, Any],
) -> None:
    m = small_artefact["metrics"]
    assert m["rows_test"] == 1200
    assert m["coverage"] == pytest.approx(0.80, abs=0.05)
    assert m["coverage_raw"] < m["coverage"]  # the raw quantiles under-cover
    assert m["mdape_percent"] < 10
    assert small_artefact["margin"] > 0


def test_on_a_fresh_market_the_interval_still_covers_80_percent(
    small_artefact: dict[str, Any], models: list[MarketModel]
) -> None:
    fresh = simulate(models, 2000, seed=99)
    rows, target, _ = matrix(fresh)
    metrics = evaluate(ResidualModel.of(small_artefact), rows, target)
    assert metrics["coverage"] == pytest.approx(0.80, abs=0.05)
    assert metrics["mdape_percent"] < 10


def test_the_exported_forest_predicts_what_scikit_learn_predicts(sales: list[Sale]) -> None:
    rows, target, _ = matrix(sales[:3000])
    rows[::7, 9] = np.nan  # no region given
    rows[::11, 9] = 71  # no province has this index: taken as missing
    rows[::13, 8] = np.nan  # no battery report
    model = HistGradientBoostingRegressor(
        loss="quantile", quantile=0.9, max_iter=25, categorical_features=list(CATEGORICAL),
        random_state=0, early_stopping=False,
    ).fit(rows[:2000], target[:2000])  # fmt: skip
    layout = Layout.of(layout_of(model, rows.shape[1]))
    forest = Forest.of(forest_of(model), layout.known_masks())
    probe = rows[2000:].copy()
    probe[::5, 9] = 33.0  # an unseen category at prediction
    ours = forest.predict(layout.prepare(probe))
    assert np.allclose(ours, model.predict(probe), rtol=0, atol=1e-6)


def test_the_three_forests_walked_as_one_predict_what_each_predicts_alone(
    sales: list[Sale],
) -> None:
    model = store.load()
    rows, _, _ = matrix(sales[:400])
    rows[::7, 9] = np.nan
    prepared = model.layout.prepare(rows)
    low, mid, high = model.log_ratios(rows)
    alone = model.median.predict(prepared)
    assert np.array_equal(mid, alone)
    assert np.array_equal(low, np.minimum(model.low.predict(prepared) - model.margin, alone))
    assert np.array_equal(high, np.maximum(model.high.predict(prepared) + model.margin, alone))


def test_a_saved_artefact_loads_as_the_same_model(
    small_artefact: dict[str, Any], tmp_path: Path, sales: list[Sale]
) -> None:
    path = tmp_path / "m.json"
    save(small_artefact, path)
    rows, _, _ = matrix(sales[:50])
    loaded = ResidualModel.of(json.loads(path.read_text(encoding="utf-8")))
    shipped = ResidualModel.of(small_artefact)
    assert np.array_equal(loaded.log_ratios(rows)[1], shipped.log_ratios(rows)[1])


def test_the_shipped_model_says_what_it_was_trained_on_and_how_well_it_does() -> None:
    model = store.load()
    assert model.version.startswith("residual-v1+")
    assert model.coverage == 0.8
    assert model.metrics["coverage"] == pytest.approx(0.80, abs=0.03)
    assert model.metrics["mdape_percent"] < 8
    assert store.load() is model  # loaded once per process


def test_too_few_sales_are_refused(sales: list[Sale]) -> None:
    with pytest.raises(ValueError, match="too few"):
        train(sales[:100], TINY, trained_on="t")
