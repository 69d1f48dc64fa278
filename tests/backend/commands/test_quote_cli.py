"""`autolease quote`: the calculator a person can use today."""

import argparse
import json
import subprocess
import sys

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
        (
            ["--method", "balloon", "--balloon", "30000", "--in-advance"],
            "monthly_payment",
            "2268.19",
        ),
        (
            [
                "--method",
                "balloon",
                "--balloon",
                "30000",
                "--in-advance",
                "--balloon-with-last-rent",
            ],
            "monthly_payment",
            "2264.40",
        ),
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


def test_flat_takes_no_annual_rate(capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["--principal", "100000", "--term", "36", "--start-date", "2026-01-15"]
    assert run_quote([*argv, "--method", "flat", "--flat-monthly-rate", "0.5", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["annualised_rate_percent"] == "11.08"


DEFECTS = ["--principal", "100000", "--start-date", "2026-01-15"]


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (
            ["--method", "flat", "--flat-monthly-rate", "0.25", "--term", "120", "--deposit",
             "10000", "--annual-rate", "100"],
            "the flat method takes no annual rate",
        ),
        (["--annual-rate", "0", "--term", "1", "--fee", "99999.99@0"], "[--fee]"),
        (
            ["--annual-rate", "6", "--term", "2", "--in-advance", "--deposit", "49000", "--fee",
             "900@0"],
            "rent paid at signing",
        ),
        (["--annual-rate", "6", "--term", "12", "--start-date", "9999-01-15"], "[--start-date]"),
        (
            ["--annual-rate", "6", "--term", "36", "--first-due-date", "2026-02-10", "--due-day",
             "25"],
            "[--first-due-date, --due-day]",
        ),
        (
            ["--annual-rate", "6", "--term", "36", "--balloon-with-last-rent", "--method",
             "balloon", "--balloon", "1000"],
            "[--balloon-with-last-rent]",
        ),
    ],
)  # fmt: skip
def test_the_issue_reproductions_exit_2_with_one_line(
    capsys: pytest.CaptureFixture[str], argv: list[str], says: str
) -> None:
    with pytest.raises(SystemExit) as exited:
        run_quote([*DEFECTS, *argv])
    assert exited.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.splitlines()
    assert len(lines) == 1, captured.err
    assert lines[0].startswith("autolease quote: error: ")
    assert says in lines[0]


@pytest.mark.parametrize(
    ("argv", "key", "value"),
    [
        (["--annual-rate", "60", "--term", "360", "--in-advance"], "last_payment", "4761.91"),
        (
            ["--method", "flat", "--flat-monthly-rate", "0.25", "--term", "120", "--deposit",
             "10000"],
            "annualised_rate_percent",
            "6.55",
        ),
        (
            ["--annual-rate", "10.38", "--term", "12", "--in-advance", "--deposit", "51000",
             "--fee", "15000@0"],
            "annualised_rate_percent",
            "360.68",
        ),
        (
            ["--annual-rate", "9.17", "--term", "36", "--method", "equal_principal",
             "--in-advance", "--deposit", "60000", "--fee", "29000@0"],
            "annualised_rate_percent",
            "506.48",
        ),
        (
            ["--annual-rate", "6", "--term", "12", "--start-date", "2026-02-28", "--due-day",
             "31"],
            "annualised_rate_percent",
            "6.00",
        ),
        (
            ["--annual-rate", "6", "--term", "12", "--start-date", "2026-02-28", "--due-day",
             "25"],
            "annualised_rate_percent",
            "6.00",
        ),
        (["--principal", "27000", "--annual-rate", "14.77", "--term", "60"], "first_payment",
         "639.07"),
    ],
)  # fmt: skip
def test_the_issue_reproductions_give_the_right_figures(
    capsys: pytest.CaptureFixture[str], argv: list[str], key: str, value: str
) -> None:
    assert run_quote([*DEFECTS, *argv, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[key] == value


def test_the_balloon_line_and_conventions_are_shown(capsys: pytest.CaptureFixture[str]) -> None:
    argv = [*BASE, "--method", "balloon", "--balloon", "30000", "--in-advance", "--deposit", "5000"]
    assert run_quote(argv) == 0
    out = capsys.readouterr().out
    assert "37 balloon  2029-01-15" in out
    assert "¥30,000.00 at the term end, 2029-01-15" in out
    assert "refunded ¥5,000.00 on 2029-01-15" in out


def test_two_changes_of_sign_are_said(capsys: pytest.CaptureFixture[str]) -> None:
    assert run_quote([*BASE, "--deposit", "5000"]) == 0
    assert "6.61% (cash flows change sign twice: the non-negative root" in capsys.readouterr().out
    assert run_quote([*BASE, "--deposit", "5000", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["cash_flow_sign_changes"] == 2
    assert run_quote([*BASE, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["cash_flow_sign_changes"] == 1


def test_help_states_the_balloon_convention_and_the_root_rule(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit):
        run_quote(["--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "paid at the END of the term" in out
    assert "--balloon-with-last-rent" in out
    assert "the smallest non-negative rate with NPV = 0" in out


def test_annual_rate_is_required_except_for_flat(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        run_quote(["--principal", "100000", "--term", "12", "--start-date", "2026-01-15"])
    assert "--annual-rate" in capsys.readouterr().err


def test_the_entry_point_answers_a_bad_quote_with_one_line_and_no_traceback() -> None:
    argv = ["quote", *DEFECTS, "--annual-rate", "0", "--term", "1", "--fee", "99999.99@0"]
    done = subprocess.run(
        [sys.executable, "-m", "backend.cli", *argv], capture_output=True, text=True, check=False
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
