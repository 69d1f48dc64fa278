"""`autolease residual train --csv FILE`: the documented layout read back, bad rows refused with
their line, and the synthetic market written in the same layout."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from backend.cli import main
from backend.residual.sales_csv import COLUMNS, SalesFileError, read_sales, write_sales
from common.residual.market import Sale
from common.residual.vehicle import Accident, Condition, Fuel

HEADER = ",".join(COLUMNS)
ROW = "130000,passenger,petrol,B,2023-03-01,2026-03-01,45000,76000,440100,fair,minor,"


def test_a_row_becomes_a_sale_with_its_age_from_the_registration_date() -> None:
    (sale,) = read_sales(f"\ufeff{HEADER}\n{ROW}\n")
    v = sale.vehicle
    assert sale.price == 76_000 and v.new_price == 130_000
    assert v.age_months == pytest.approx(36, abs=0.1)
    assert (v.fuel, v.condition, v.accident) == (Fuel.PETROL, Condition.FAIR, Accident.MINOR)
    assert v.region_code == "440100" and v.battery_soh is None


def test_optional_columns_may_be_left_out() -> None:
    header = ",".join(COLUMNS[:8])
    (sale,) = read_sales(f"{header}\n130000,nev,bev,A,2024-01-10,2026-01-10,30000,150000\n")
    assert sale.vehicle.condition is Condition.GOOD and sale.vehicle.accident is Accident.NONE


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (ROW.replace("petrol", "coal"), "line 2: fuel must be petrol"),
        (ROW.replace("2026-03-01", "2026-13-01"), "line 2: sold_on is not a YYYY-MM-DD date"),
        (ROW.replace(",45000,", ",-5,"), "line 2: mileage_km must be a number >= 0"),
        (ROW.replace("2023-03-01", "2027-03-01"), "line 2: sold_on is before first_registered"),
        (ROW.replace("passenger", "tank"), "line 2: vehicle_type"),
        (ROW.replace(",76000,", ",0,"), "line 2: price must be positive"),
    ],
)
def test_a_bad_row_is_refused_with_its_line(row: str, message: str) -> None:
    with pytest.raises(SalesFileError, match=message):
        read_sales(f"{HEADER}\n{row}\n")


def test_a_header_without_the_required_columns_is_refused() -> None:
    with pytest.raises(SalesFileError, match="the header lacks price"):
        read_sales("new_price,vehicle_type,fuel,tier,first_registered,sold_on,mileage_km\n")


def test_the_written_market_reads_back_sale_for_sale(sales: list[Sale]) -> None:
    back = read_sales(write_sales(sales[:300]))
    assert [s.price for s in back] == [s.price for s in sales[:300]]
    assert all(
        abs(a.vehicle.age_months - b.vehicle.age_months) < 0.6
        and a.vehicle.battery_soh == b.vehicle.battery_soh
        for a, b in zip(back, sales[:300], strict=True)
    )


def test_the_command_trains_on_a_csv_and_writes_the_artefact(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    market, out = tmp_path / "sales.csv", tmp_path / "model.json"
    assert main(["residual", "market", "--rows", "1500", "--seed", "2", "--out", str(market)]) == 0
    code = main(["residual", "train", "--csv", str(market), "--max-iter", "10", "--out", str(out)])
    assert code == 0, capsys.readouterr().err
    artefact = json.loads(out.read_text(encoding="utf-8"))
    assert artefact["training"]["trained_on"] == "csv sales.csv"
    assert artefact["metrics"]["rows_test"] == 300
    assert "held-out coverage" in capsys.readouterr().out


def test_the_command_names_the_bad_line_and_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(f"{HEADER}\n{ROW}\n{ROW.replace('B', 'Z')}\n", encoding="utf-8")
    assert main(["residual", "train", "--csv", str(bad), "--out", str(tmp_path / "m.json")]) == 2
    assert "line 3: tier: unknown brand tier" in capsys.readouterr().err
    assert not (tmp_path / "m.json").exists()
