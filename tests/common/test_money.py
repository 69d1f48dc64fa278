"""Money: one rounding rule, strict parsing, fen conversion, display apart."""

from decimal import Decimal

import pytest

from common.errors import DomainError
from common.money import format_cny, from_fen, parse_money, round_fen, to_fen


@pytest.mark.parametrize(
    ("raw", "rounded"),
    [
        ("0.004", "0.00"),
        ("0.005", "0.01"),  # half up, not banker's
        ("0.025", "0.03"),  # half-even would give 0.02
        ("0.0149999", "0.01"),
        ("-0.005", "-0.01"),  # ties go away from zero
        ("3042.185", "3042.19"),
        ("100000", "100000.00"),
    ],
)
def test_round_fen_rounds_half_up_to_the_fen(raw: str, rounded: str) -> None:
    assert str(round_fen(Decimal(raw))) == rounded


@pytest.mark.parametrize(
    ("text", "value"),
    [("100000", "100000.00"), ("3042.19", "3042.19"), (" 0.5 ", "0.50"), ("-5", "-5.00")],
)
def test_parse_money_reads_plain_decimal_strings(text: str, value: str) -> None:
    assert str(parse_money(text)) == value


@pytest.mark.parametrize(
    "text", ["", "abc", "1e3", "NaN", "Infinity", "1.005", "1,000", "¥5", "1.", ".5", "--1"]
)
def test_parse_money_rejects_anything_else_with_a_code_and_the_field(text: str) -> None:
    with pytest.raises(DomainError) as caught:
        parse_money(text, field="principal")
    assert caught.value.code == "money_invalid"
    assert caught.value.fields == {"principal": "money_invalid"}


@pytest.mark.parametrize("not_a_string", [100000, 1.5, Decimal("1.00"), None])
def test_parse_money_accepts_strings_only(not_a_string: object) -> None:
    with pytest.raises(DomainError):
        parse_money(not_a_string)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("yuan", "fen"), [("0.00", 0), ("0.01", 1), ("3042.19", 304219), ("-5.00", -500)]
)
def test_fen_round_trip(yuan: str, fen: int) -> None:
    assert to_fen(Decimal(yuan)) == fen
    assert from_fen(fen) == Decimal(yuan)
    assert str(from_fen(fen)) == yuan


def test_to_fen_refuses_sub_fen_amounts() -> None:
    with pytest.raises(ValueError, match="round_fen"):
        to_fen(Decimal("1.005"))


@pytest.mark.parametrize(
    ("amount", "shown"),
    [
        ("3042.19", "¥3,042.19"),
        ("-5", "-¥5.00"),
        ("0", "¥0.00"),
        ("1234567.8", "¥1,234,567.80"),
        ("0.005", "¥0.01"),
    ],
)
def test_format_cny(amount: str, shown: str) -> None:
    assert format_cny(Decimal(amount)) == shown
