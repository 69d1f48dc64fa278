"""Quote wire types: strings on the wire both ways, validated with stable codes."""

import msgspec
import pytest

from common.api.quotes import QuoteRequest, response_from_schedule, terms_from_request
from common.errors import DomainError
from common.schedule import build_schedule

BODY = (
    b'{"principal":"100000","annual_rate_percent":"6","term_months":36,"start_date":"2026-01-15"}'
)


def test_request_to_response_round_trip_with_money_as_strings() -> None:
    req = msgspec.json.decode(BODY, type=QuoteRequest)
    out = msgspec.json.decode(
        msgspec.json.encode(response_from_schedule(build_schedule(terms_from_request(req))))
    )
    assert out["monthly_payment"] == "3042.19"
    assert out["last_payment"] == "3042.36"
    assert out["total_interest"] == "9519.01"
    assert out["annualised_rate_percent"] == "6.00"
    assert out["instalments"][0]["balance"] == "97457.81"


@pytest.mark.parametrize(
    ("patch", "code", "field"),
    [
        (b'"principal":100000', "money_invalid", "principal"),  # a number, not a string
        (b'"principal":"1e5"', "money_invalid", "principal"),
        (b'"principal":"100000","deposit":"-"', "money_invalid", "deposit"),
    ],
)
def test_bad_money_or_rates_raise_domain_errors_naming_the_field(
    patch: bytes, code: str, field: str
) -> None:
    body = BODY.replace(b'"principal":"100000"', patch)
    with pytest.raises((DomainError, msgspec.ValidationError)) as caught:
        msgspec.json.decode(body, type=QuoteRequest)
    if isinstance(caught.value, DomainError):
        assert (caught.value.code, caught.value.fields) == (code, {field: code})
    else:
        assert field in str(caught.value)


def test_negative_rate_is_refused() -> None:
    with pytest.raises(DomainError) as caught:
        msgspec.json.decode(BODY.replace(b'"6"', b'"-6"'), type=QuoteRequest)
    assert caught.value.fields == {"annual_rate_percent": "rate_invalid"}


def test_unknown_fields_are_refused() -> None:
    with pytest.raises(msgspec.ValidationError, match="unknown field"):
        msgspec.json.decode(BODY[:-1] + b',"rate":"6"}', type=QuoteRequest)


def test_inconsistent_terms_surface_when_building_terms() -> None:
    req = msgspec.json.decode(BODY[:-1] + b',"method":"balloon"}', type=QuoteRequest)
    with pytest.raises(DomainError) as caught:
        terms_from_request(req)
    assert caught.value.code == "balloon_invalid"
