"""Product logic: a definition's problems, a choice within it, the terms it prices."""

from __future__ import annotations

import typing
from datetime import date
from decimal import Decimal as D

import msgspec
import pytest

from backend.products.seeded import PRODUCTS
from common.api.intake import LeaseType, VehicleType
from common.api.products import ProductDefinition, product_of
from common.errors import DomainError
from common.lease_terms import Method, Timing
from common.products import (
    Choice,
    LeaseTypeName,
    VehicleKind,
    check_choice,
    deal_limits,
    default_choice,
    lease_terms,
)

DAY = date(2026, 12, 1)


def product(name: str = "p-light-truck", **over: object):
    body = {**PRODUCTS[name], **over}
    return product_of(msgspec.convert(body, ProductDefinition), name, 1)


def choice(**over: object) -> Choice:
    values: dict[str, object] = {"price": D("100000"), "down_payment": D("20000"),
                                 "term_months": 24, "start_date": DAY}  # fmt: skip
    values.update(over)
    return Choice(**values)  # type: ignore[arg-type]


def test_the_literals_are_the_wire_enums():
    assert set(typing.get_args(LeaseTypeName)) == {t.value for t in LeaseType}
    assert set(typing.get_args(VehicleKind)) == {t.value for t in VehicleType}


def test_every_seeded_product_is_valid_and_prices_its_default_choice():
    for name in PRODUCTS:
        p = product(name)
        terms = lease_terms(p, default_choice(p, D("300000"), DAY), DAY)
        assert terms.term_months == p.default_term_months
        assert terms.principal == D("300000") - p.down_payment_band(D("300000"))[0]


def test_the_band_is_in_whole_fen_inside_the_percentages():
    p = product(min_down_payment_percent="15", max_down_payment_percent="50")
    assert p.down_payment_band(D("99999.99")) == (D("15000.00"), D("49999.99"))


@pytest.mark.parametrize(
    ("over", "code"),
    [
        ({"down_payment": D("14999.99")}, "down_payment_below_minimum"),
        ({"down_payment": D("15000")}, None),
        ({"down_payment": D("50000")}, None),
        ({"down_payment": D("50000.01")}, "down_payment_above_maximum"),
        ({"down_payment": D("100000")}, "down_payment_above_price"),
        ({"down_payment": D("150000")}, "down_payment_above_price"),
        ({"term_months": 60}, "product_term_not_offered"),
        ({"method": Method.EQUAL_PRINCIPAL}, "method_not_offered"),
        ({"method": Method.BALLOON, "balloon": D("30000")}, None),
        ({"method": Method.BALLOON, "balloon": D("30000.01")}, "balloon_above_maximum"),
        ({"price": D("40000"), "down_payment": D("15000")}, "financed_below_minimum"),
        ({"price": D("1000000"), "down_payment": D("150000")}, "financed_above_maximum"),
    ],
)
def test_a_choice_is_checked_against_the_product(over, code):
    p = product()
    if code is None:
        check_choice(p, choice(**over))
        return
    with pytest.raises(DomainError) as err:
        check_choice(p, choice(**over))
    assert err.value.code == code and err.value.message and err.value.message_en


def test_the_vehicle_must_be_covered():
    p = product("p-new-direct-36")
    check_choice(p, choice(term_months=36), is_new=True, vehicle_type=None)  # no model: passenger
    with pytest.raises(DomainError, match="product_not_for_vehicle"):
        check_choice(p, choice(term_months=36), is_new=False, vehicle_type="passenger")
    with pytest.raises(DomainError, match="product_not_for_vehicle"):
        check_choice(p, choice(term_months=36), is_new=True, vehicle_type="heavy_truck")


def test_terms_take_the_rate_deposit_and_fees_of_the_product():
    t = lease_terms(product(), choice(timing=Timing.ADVANCE), DAY)
    assert t.principal == D("80000") and t.annual_rate_percent == D("8.9")
    assert t.deposit == D("8000.00") and t.timing is Timing.ADVANCE
    fees = [(f.name, f.amount, f.month) for f in t.fees]
    assert fees == [("GPS费", D("2000"), 1), ("服务费", D("2400.00"), 0)]


def test_a_promotional_rate_ends_with_its_day():
    p = product("p-nev-promo")
    on, after = date(2027, 3, 31), date(2027, 4, 1)
    c = choice(term_months=36, down_payment=D("15000"))
    assert lease_terms(p, c, on).annual_rate_percent == D("2.99")
    assert lease_terms(p, c, after).annual_rate_percent == D("5.99")


def test_deal_limits_are_what_the_rules_compare_with():
    limits = deal_limits(product())
    assert limits.min_down_payment_ratio == D("0.15")
    assert limits.max_term_months == 36 and limits.max_principal == D("600000")


@pytest.mark.parametrize(
    ("over", "path"),
    [
        ({"min_down_payment_percent": "60"}, "min_down_payment_percent"),  # above the maximum
        ({"max_down_payment_percent": "100"}, "min_down_payment_percent"),
        ({"default_term_months": 48}, "default_term_months"),
        ({"methods": ["annuity"]}, "balloon_max_percent"),  # a balloon maximum without balloons
        ({"methods": ["annuity", "flat", "balloon"]}, "methods"),
        ({"rates": [{"term_months": 24, "annual_rate_percent": "8"},
                    {"term_months": 24, "annual_rate_percent": "9"}]}, "rates"),
        ({"rates": [{"term_months": 24, "annual_rate_percent": "37"}]},
         "rates[0].annual_rate_percent"),
        ({"rates": [{"term_months": 24, "annual_rate_percent": "8", "promo_rate_percent": "9"}],
          "promo_until": "2027-01-01"}, "rates[0].promo_rate_percent"),
        ({"rates": [{"term_months": 24, "annual_rate_percent": "8", "promo_rate_percent": "3"}]},
         "promo_until"),
        ({"fees": [{"kind": "gps", "basis": "percent", "value": "21"}]}, "fees[0].value"),
        ({"fees": [{"kind": "gps", "basis": "amount", "value": "1"},
                   {"kind": "gps", "basis": "amount", "value": "2"}]}, "fees"),
        ({"min_financed": "700000"}, "min_financed"),
        ({"deposit_percent": "６"}, "deposit_percent"),
        ({"min_applicant_age": 16}, "min_applicant_age"),
        ({"vehicle_types": ["nev", "nev"]}, "vehicle_types"),
    ],
)  # fmt: skip
def test_a_definition_names_each_problem(over, path):
    with pytest.raises(DomainError) as err:
        product(**over)
    assert err.value.code == "product_invalid" and path in err.value.fields
