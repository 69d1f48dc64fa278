"""Residual-value model benchmark (issue 16).

Prints, for the shipped artefact (assets/residual/) on a fresh synthetic market it never saw
(another seed): the calibrated 80 % interval's coverage (and the raw quantiles'), the median
absolute % error of the median, the interval's mean width, per segment too; then prediction
latency per request, p50/p99: one valuation (3 forests), one valuation with drivers (64 more
rows) and a three-year path (7 rows) — and the same figures the artefact recorded at training.

Run: .venv/bin/python bench/residual.py [--sales 10000] [--seed 7] [--requests 2000]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from backend.intake.catalogue import Catalogue
from backend.residual import store
from backend.residual.catalogue_market import market_models
from backend.residual.train import evaluate, matrix
from backend.residual.vehicles import to_value
from common.residual.market import simulate
from common.valuation import valuation_path, value_vehicle


def accuracy(sales: int, seed: int) -> None:
    model = store.load()
    market = simulate(market_models(Catalogue.load()), sales, seed)
    rows, target, _ = matrix(market)
    m = evaluate(model, rows, target)
    print(f"model {model.version}: {sales} fresh sales (seed {seed})")
    print(f"  interval coverage {m['coverage']:.3f} (wanted {model.coverage:.2f};"
          f" raw quantiles {m['coverage_raw']:.3f})   MdAPE {m['mdape_percent']:.2f} %"
          f"   mean width {m['width_percent']:.1f} % of the value")  # fmt: skip
    kinds = np.array([s.vehicle.vehicle_type for s in market])
    for kind in ("passenger", "nev", "light_truck", "heavy_truck", "cold_chain"):
        chosen = kinds == kind
        if chosen.sum() < 50:
            continue
        k = evaluate(model, rows[chosen], target[chosen])
        print(f"  {kind:<12} n={int(chosen.sum()):>5}  coverage {k['coverage']:.3f}  MdAPE"
              f" {k['mdape_percent']:5.2f} %  width {k['width_percent']:4.1f} %")  # fmt: skip
    t = model.metrics
    print(
        f"  as recorded at training (its own test split of {t['rows_test']}): coverage "
        f"{t['coverage']:.3f} (raw {t['coverage_raw']:.3f}), MdAPE {t['mdape_percent']:.2f} %"
    )


def timed(label: str, call: Callable[[int], object], n: int) -> None:
    for i in range(50):
        call(i)  # warm up
    samples = []
    for i in range(n):
        start = time.perf_counter_ns()
        call(i)
        samples.append((time.perf_counter_ns() - start) / 1000)
    samples.sort()
    p99 = samples[min(len(samples) - 1, int(len(samples) * 0.99))]
    print(f"  {label:<34} p50 {statistics.median(samples):8.1f} µs   p99 {p99:8.1f} µs"
          f"   (n={n})")  # fmt: skip


def latency(n: int) -> None:
    model = store.load()
    catalogue = Catalogue.load()
    models = catalogue.models
    today = date(2026, 7, 1)

    def vehicle(i: int):  # type: ignore[no-untyped-def]
        m = models[i % len(models)]
        return to_value(m, m.years[i % len(m.years)], 10_000 * (i % 15), region_code="440100")

    print("prediction latency, one request at a time:")
    timed("valuation (value, interval)", lambda i: value_vehicle(model, vehicle(i), today), n)
    timed("valuation with drivers", lambda i: value_vehicle(model, vehicle(i), today,
                                                            explain=True), n // 4)  # fmt: skip
    timed("three-year path (7 points)", lambda i: valuation_path(
        model, vehicle(i), today, [0, 6, 12, 18, 24, 30, 36]), n)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sales", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--requests", type=int, default=2000)
    args = parser.parse_args()
    accuracy(args.sales, args.seed)
    latency(args.requests)


if __name__ == "__main__":
    main()
