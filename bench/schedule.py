"""Microseconds per 36-month schedule for each method, against numpy-financial pmt+ipmt+ppmt.

Run: .venv/bin/python bench/schedule.py  [--number N] [--repeat N]

Columns, each timed in this one run, best of `repeat`:
- schedule: `build_schedule` (the fen-exact principal and interest parts of every row, the level
  rent, totals and the cash flows in fen), and its ratio to numpy-financial (target <= 0.3);
- + IRR: the same plus the annualised rate (IRR on the whole-period axis), and its ratio
  (target <= 1.0);
- rows: the same plus the `Instalment` rows as `Decimal` yuan (what the API renders), for the
  record: not a target.
"""

from __future__ import annotations

import argparse
import timeit
from collections.abc import Callable
from datetime import date
from decimal import Decimal

import numpy as np
import numpy_financial as npf

from common.schedule import LeaseTerms, Method, build_schedule

D = Decimal


def best_us(fn: Callable[[], object], number: int, repeat: int) -> float:
    return min(timeit.repeat(fn, number=number, repeat=repeat)) / number * 1e6


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--number", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=5)
    a = parser.parse_args()

    rate, n, pv = 0.06 / 12, 36, 100000.0
    periods = np.arange(1, n + 1)

    def oracle() -> None:
        npf.pmt(rate, n, pv)
        npf.ipmt(rate, periods, n, pv)
        npf.ppmt(rate, periods, n, pv)

    npf_us = best_us(oracle, a.number // 4, a.repeat)
    print(f"numpy-financial pmt+ipmt+ppmt (36 periods, float): {npf_us:8.1f} us")
    head = ("method", "schedule us", "ratio", "+ IRR us", "ratio", "+ rows us")
    print(f"{head[0]:<16}{head[1]:>12}{head[2]:>7}{head[3]:>10}{head[4]:>7}{head[5]:>11}")
    for method in Method:
        flat = method is Method.FLAT
        terms = LeaseTerms(
            principal=D("100000"), annual_rate_percent=D("0") if flat else D("6"),
            term_months=36, start_date=date(2026, 1, 15), method=method,
            balloon=D("30000") if method is Method.BALLOON else D("0"),
            flat_monthly_rate_percent=D("0.5") if flat else D("0"),
        )  # fmt: skip
        us = best_us(lambda t=terms: build_schedule(t), a.number, a.repeat)  # type: ignore[misc]
        irr_us = best_us(
            lambda t=terms: build_schedule(t).annualised_rate_percent,  # type: ignore[misc]
            a.number // 2,
            a.repeat,
        )
        rows_us = best_us(
            lambda t=terms: build_schedule(t).instalments,  # type: ignore[misc]
            a.number // 4,
            a.repeat,
        )
        print(
            f"{method.value:<16}{us:12.1f}{us / npf_us:7.2f}{irr_us:10.1f}{irr_us / npf_us:7.2f}"
            f"{rows_us:11.1f}"
        )


if __name__ == "__main__":
    main()
