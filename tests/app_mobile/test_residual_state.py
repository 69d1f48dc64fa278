"""The residual screens' state: a valuation and a unit's sell timing as chart series, the
drivers as lines, and the vehicle step's valuation query."""

from __future__ import annotations

from datetime import date

from app_mobile.state.residual import driver_lines, sell_series, valuation_query, valuation_series
from common.api.intake import Valuation
from common.api.residual import SellMonth, SellTiming, ValuationDriver, ValuationPoint

TODAY = date(2026, 7, 1)


def _valuation() -> Valuation:
    points = [ValuationPoint(on=date(2026 + k // 2, 1 + 6 * (k % 2), 1),
                             value=str(100_000 - 9_000 * k), low=str(88_000 - 8_000 * k),
                             high=str(114_000 - 10_000 * k))
              for k in range(7)]  # fmt: skip
    return Valuation(
        model_id="m", value="100000", low="88000", high="114000", age_years="3.0", method="x",
        drivers=[ValuationDriver(factor="age", label="车龄", effect="-52000"),
                 ValuationDriver(factor="region", label="地区", effect="1200")],
        path=points,
    )  # fmt: skip


def test_a_valuation_path_is_charted_in_ten_thousands_within_its_frame() -> None:
    s = valuation_series(_valuation())
    assert s.labels[:2] == ["26/01", "26/07"] and s.median[0] == 10.0 and s.low[-1] == 4.0
    assert (s.bottom, s.top, s.step) == (4, 12, 2)  # whole steps of a round size
    assert s.net == [] and s.marked is None


def test_drivers_read_with_their_sign() -> None:
    assert driver_lines(_valuation()) == ["车龄 −¥52,000", "地区 +¥1,200"]


def test_a_sell_timing_marks_the_best_month_and_charts_what_selling_leaves() -> None:
    months = [SellMonth(months=m, on=date(2026, 7 + m, 10), value=str(150_000 + 1000 * m),
                        low="140000", high="160000", interest=f"{800 * m}.00",
                        curtailments="0.00", net=str(150_000 + 200 * m), gain=str(200 * m))
              for m in range(3)]  # fmt: skip
    timing = SellTiming(vin="V", model_id=None, model_version="v", as_of=date(2026, 7, 10),
                        best_months=2, best_on=date(2026, 9, 10), hold_until=date(2026, 9, 10),
                        months=months, note="")  # fmt: skip
    s = sell_series(timing)
    assert s.marked == 2 and s.net == [15.0, 15.02, 15.04] and s.labels[0] == "07/10"


def test_the_vehicle_steps_query_waits_for_model_year_and_mileage() -> None:
    assert valuation_query("", 2021, "60000", "", "good", TODAY) is None
    assert valuation_query("m", None, "60000", "", "good", TODAY) is None
    assert valuation_query("m", 2021, "", "", "good", TODAY) is None  # a used car has kilometres
    assert valuation_query("m", 2021, "6万", "", "good", TODAY) is None
    q = valuation_query("m", 2021, "60,000", "440305", "fair", TODAY)
    assert q == {"model_id": "m", "model_year": 2021, "mileage_km": 60_000, "condition": "fair",
                 "region_code": "440305"}  # fmt: skip
    assert "region_code" not in (valuation_query("m", 2021, "1", "44", "good", TODAY) or {})


def test_the_live_quote_carries_the_catalogue_vehicle_for_the_balloon_limit() -> None:
    from app_mobile.state.intake import IntakeState
    from app_mobile.state.product import ProductForm

    form = ProductForm(product_id="p", term_months=36, down_payment="30000", method="balloon",
                       balloon="20000")  # fmt: skip
    state = IntakeState(catalogue_model_id="geely-emgrand", model_year=2021, mileage="90,000",
                        price="60000", region_code="110105", product=form)  # fmt: skip
    request = state.live_quote_request(TODAY)
    assert request is not None
    assert (request.catalogue_model_id, request.model_year, request.mileage_km,
            request.region_code) == ("geely-emgrand", 2021, 90_000, "110105")  # fmt: skip
    draft_quote = state.to_draft(TODAY).quote  # the draft is held to its own vehicle instead
    assert draft_quote is not None and draft_quote.catalogue_model_id is None
