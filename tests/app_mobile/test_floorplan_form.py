"""The dealer's floor-plan screens' state: the drawdown form checked as typed, one
Idempotency-Key per drawdown and per payment being made, what 「还本」 asks, the units a page at
a time."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from app_mobile.state.floorplan import DrawdownForm, FloorplanSession, UnitList, curtailment_ask
from common.api.floorplan import UnitPage, UnitView
from tests.backend.helpers import VALID_VIN


def test_a_complete_form_builds_the_wire_body_with_the_vin_normalised():
    form = DrawdownForm(vin=VALID_VIN.lower(), amount="186500", payee=" 上汽大众 ")
    assert form.problems() == {}
    body = form.body()
    assert (body.vin, body.invoice_amount, body.payee) == (VALID_VIN, "186500", "上汽大众")


def test_each_wrong_field_is_named():
    form = DrawdownForm(vin="LSVAU218XN218329", amount="12.345", payee="  ")
    assert form.problems() == {"vin": "fp_vin_invalid", "amount": "fp_amount_invalid",
                               "payee": "fp_payee_missing"}  # fmt: skip
    assert DrawdownForm(vin=VALID_VIN, amount="0", payee="x").problems() == {
        "amount": "fp_amount_invalid"
    }


def test_the_key_survives_a_retry_and_changes_after_a_drawdown():
    form = DrawdownForm(vin=VALID_VIN, amount="1", payee="x")
    first = form.key
    assert form.key == first  # a retried tap sends the same key
    form.done()
    assert form.key != first and form.vin == "" and form.payee == "x"


def test_a_payment_keeps_its_key_per_vin_and_purpose_until_it_is_made():
    session = FloorplanSession()
    key = session.pay_key(VALID_VIN, "payoff")
    assert session.pay_key(VALID_VIN, "payoff") == key  # a retried tap: the same order
    assert session.pay_key(VALID_VIN, "curtailment") != key
    assert session.pay_key("LFV3A28K5TA500001", "payoff") != key
    session.payment_made(VALID_VIN, "payoff")
    assert session.pay_key(VALID_VIN, "payoff") != key  # after an abandoned one: a new order


def _unit(n: int, **over: object) -> UnitView:
    fields: dict[str, object] = {
        "id": f"u{n:02d}", "vin": VALID_VIN, "model": "ID.4", "payee": "一汽-大众",
        "status": "financed", "drawn_on": date(2026, 1, 1), "maturity": date(2026, 6, 30),
        "age_days": 91, "principal": "200000.00", "principal_left": "200000.00",
        "interest_accrued": "3640.00", "interest_billed_unpaid": "1200.00",
        "curtailment_due": "20000.00", "overdue": "20000.00", "next_curtailment_on": None,
        "next_curtailment_amount": "0.00", "payoff_amount": "203640.00",
    }  # fmt: skip
    fields.update(over)
    return UnitView(**fields)  # type: ignore[arg-type]


def test_the_curtailment_asked_is_what_is_due_with_the_interest_billed():
    assert curtailment_ask(_unit(1)) == Decimal("21200.00")
    assert curtailment_ask(_unit(1, curtailment_due="0.00", interest_billed_unpaid="0.00")) is None
    assert curtailment_ask(_unit(1, curtailment_due="0.00")) == Decimal("1200.00")
    # everything due at maturity is the payoff, not a curtailment
    assert curtailment_ask(_unit(1, curtailment_due="200000.00")) is None
    assert curtailment_ask(_unit(1, status="paid_off")) is None


def test_more_units_go_after_those_shown_and_none_twice():
    listed = UnitList()
    listed.first(UnitPage(units=[_unit(3), _unit(2)], next_cursor="c1"))
    assert listed.has_more
    added = listed.more(UnitPage(units=[_unit(2), _unit(1)], next_cursor=None))
    assert [u.id for u in added] == ["u01"]
    assert [u.id for u in listed.units] == ["u03", "u02", "u01"] and not listed.has_more
    assert listed.status is None
    listed.owed_only = True
    assert listed.status == "owed"
