"""`autolease quote`: the calculator a person can use today."""

import argparse
import json

import pytest

from backend.commands import quote


def run_quote(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="autolease")
    quote.register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(["quote", *argv])
    return int(args.handler(args))


BASE = ["--principal", "100000", "--annual-rate", "6", "--term", "36", "--start-date", "2026-01-15"]


def test_json_gives_the_issue_figures(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_quote([*BASE, "--method", "annuity", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["monthly_payment"] == "3042.19"
    assert out["instalments"][-1]["payment"] == "3042.36"
    assert out["total_interest"] == "9519.01"
    assert out["annualised_rate_percent"] == "6.00"
    assert out["effective_annual_rate_percent"] == "6.17"
    first = out["instalments"][0]
    assert {k: first[k] for k in ("number", "due_date", "principal", "interest", "payment")} == {
        "number": 1,
        "due_date": "2026-02-15",
        "principal": "2542.19",
        "interest": "500.00",
        "payment": "3042.19",
    }
    assert first["balance"] == "97457.81"


def test_equal_principal_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_quote([*BASE, "--method", "equal_principal"]) == 0
    out = capsys.readouterr().out
    assert "3,277.78" in out.splitlines()[2]
    assert "2,791.59" in out.splitlines()[37]
    assert "¥9,250.00" in out
    assert "6.00%" in out


@pytest.mark.parametrize(
    ("extra", "key", "value"),
    [
        (["--method", "balloon", "--balloon", "30000"], "last_payment", "32279.33"),
        (["--method", "flat", "--flat-monthly-rate", "0.5"], "annualised_rate_percent", "11.08"),
        (["--method", "interest_only"], "monthly_payment", "500.00"),
        (["--in-advance"], "first_payment", "3027.06"),
        (["--fee", "2000@0", "--fee", "GPS费:300@12"], "total_fees", "2300.00"),
        (["--deposit", "5000"], "deposit_refund", "5000.00"),
        (["--deposit", "5000", "--deposit-offset"], "deposit_refund", "0.00"),
        (["--first-due-date", "2026-02-25"], "first_payment", "3225.52"),
    ],
)
def test_options_reach_the_schedule(
    capsys: pytest.CaptureFixture[str], extra: list[str], key: str, value: str
) -> None:
    assert run_quote([*BASE, *extra, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[key] == value


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["--principal", "abc"], "[--principal]"),
        (["--method", "balloon"], "[--balloon]"),
        (["--balloon", "100"], "[--balloon]"),
        (["--term", "0"], "[--term]"),
        (["--fee", "2000"], "AMOUNT@MONTH"),
        (["--start-date", "2026-13-01"], "not a date"),
        (["--method", "bogus"], "invalid choice"),
        (["--annual-rate", "-1"], "[--annual-rate]"),
    ],
)
def test_bad_options_exit_2_with_one_line(
    capsys: pytest.CaptureFixture[str], argv: list[str], says: str
) -> None:
    with pytest.raises(SystemExit) as exited:
        run_quote([*BASE, *argv])
    assert exited.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("autolease quote: error: ")
    assert says in lines[0]


def test_annual_rate_is_required_except_for_flat(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        run_quote(["--principal", "100000", "--term", "12", "--start-date", "2026-01-15"])
    assert "--annual-rate" in capsys.readouterr().err
