"""Best time to sell 最佳出手时机: a floor-plan unit's predicted sale price month by month against
what holding it costs, and the month where holding stops paying.

Selling `m` months from today brings the predicted median price then, less the floor plan's
interest from today to that day (what was accrued before today is owed whenever it sells). The
curtailments 分期还本 the plan asks meanwhile are taken as paid on their days: they lower the
interest, and they tie up the dealer's cash (shown, but not a cost: the sale repays principal
either way). The best month is the one with the most left; holding pays up to it and no longer
after it. The car in stock is not driven: it only ages, and meets another season.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from common import floorplan as fp
from common.daycount import add_months
from common.residual.model import Estimate, ResidualModel
from common.residual.path import value_path
from common.residual.vehicle import UsedVehicle

HORIZON_MONTHS = 12


@dataclass(frozen=True, slots=True)
class HoldingMonth:
    months: int
    on: date
    value: Estimate  # yuan
    interest_fen: int  # from today to `on`
    curtailments_fen: int  # principal the plan asks before `on`

    @property
    def net(self) -> float:
        """What selling on `on` brings, in yuan, before the principal is repaid."""
        return self.value.value - self.interest_fen / 100


@dataclass(frozen=True, slots=True)
class SellPlan:
    months: tuple[HoldingMonth, ...]
    best: int  # index into months (0: sell now)

    @property
    def best_month(self) -> HoldingMonth:
        return self.months[self.best]

    def gain(self, month: HoldingMonth) -> float:
        return month.net - self.months[0].net


def on_schedule(unit: fp.UnitFigures, terms: fp.LineTerms, today: date) -> fp.UnitFigures:
    """The unit with the plan's curtailments from today on paid on their days (one overdue is
    paid today)."""
    repaid, extra = unit.principal_repaid_fen, []
    for c in fp.curtailment_plan(unit, terms):
        if c.cumulative_fen > repaid and c.due_on < fp.maturity(unit, terms):
            extra.append(fp.Repayment(max(c.due_on, today), c.cumulative_fen - repaid))
            repaid = c.cumulative_fen
    return replace(unit, repaid=(*unit.repaid, *extra))


def best_month(months: list[HoldingMonth]) -> int:
    """The first month with the most left after interest."""
    return max(range(len(months)), key=lambda i: (months[i].net, -i))


def sell_plan(
    model: ResidualModel, vehicle: UsedVehicle, unit: fp.UnitFigures, terms: fp.LineTerms,
    today: date, horizon: int = HORIZON_MONTHS,
) -> SellPlan:  # fmt: skip
    """Month 0 (today) up to `horizon` months on, none past the unit's maturity (when the
    whole principal is due)."""
    end = fp.maturity(unit, terms)
    days = [m for m in range(horizon + 1) if m == 0 or add_months(today, m) <= end]
    planned = on_schedule(unit, terms, today)
    start = fp.interest_to(planned, terms, today)
    values = value_path(model, vehicle, days, km_a_month=0.0)
    out = []
    for m, value in zip(days, values, strict=True):
        on = add_months(today, m)
        paid = sum(r.principal_fen for r in planned.repaid[len(unit.repaid) :] if r.on < on)
        out.append(HoldingMonth(m, on, value, fp.interest_to(planned, terms, on) - start, paid))
    return SellPlan(tuple(out), best_month(out))
