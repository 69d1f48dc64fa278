"""Microseconds per 36-month schedule for each method, against numpy-financial pmt+ipmt+ppmt.

Run: .venv/bin/python bench/schedule.py  [--repeat N]
The IRR (annualised rate) is computed lazily, so it is timed on its own line.
"""

from __future__ import annotations

import argparse
import timeit
from datetime import date
from decimal import Decimal

import numpy as np
import numpy_financial as npf

from common.schedule import LeaseTerms, Method, build_schedule

D = Decimal


def best_us(fn: object, number: int, repeat: int) -> float:
    return min(timeit.repeat(fn, number=number, repeat=repeat)) / number * 1e6  # type: ignore[arg-type]


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
    print(f"{'method':<16}{'schedule us':>12}{'ratio to npf':>14}{'+ IRR us':>10}")
    for method in Method:
        terms = LeaseTerms(
            principal=D("100000"), annual_rate_percent=D("6"), term_months=36,
            start_date=date(2026, 1, 15), method=method,
            balloon=D("30000") if method is Method.BALLOON else D("0"),
            flat_monthly_rate_percent=D("0.5") if method is Method.FLAT else D("0"),
        )  # fmt: skip
        us = best_us(lambda t=terms: build_schedule(t), a.number, a.repeat)
        irr_us = best_us(
            lambda t=terms: build_schedule(t).annualised_rate_percent, a.number // 4, a.repeat
        )
        print(f"{method.value:<16}{us:12.1f}{us / npf_us:14.2f}{irr_us:10.1f}")


if __name__ == "__main__":
    main()
