"""The dealer's drawdown form: checked as typed, one Idempotency-Key per drawdown."""

from __future__ import annotations

from app_mobile.state.floorplan import DrawdownForm, FloorplanSession
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


def test_a_payoff_keeps_its_key_per_vin_until_it_succeeds():
    session = FloorplanSession()
    key = session.payoff_key(VALID_VIN)
    assert session.payoff_key(VALID_VIN) == key
    assert session.payoff_key("LFV3A28K5TA500001") != key
