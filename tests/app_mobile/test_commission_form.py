"""The admin's commission form turns typed rows into rules, or names the row and field that is
wrong; a saved rule set comes back as rows."""

from __future__ import annotations

from app_mobile.state.commission_form import CommissionForm, RuleRow
from common.commissions import CommissionBasis, CommissionRule


def test_typed_rows_become_rules() -> None:
    form = CommissionForm([RuleRow(value="1.5"),
                           RuleRow("p-used-leaseback", "fixed", "800", "3", "30")],
                          reason=" 2027年政策 ")  # fmt: skip
    body, wrong = form.body()
    assert wrong == {} and body is not None and body.reason == "2027年政策"
    assert body.rules[1] == CommissionRule(
        product_id="p-used-leaseback", basis=CommissionBasis.FIXED, fixed_fen=80_000,
        clawback_months=3, clawback_days_past_due=30,
    )  # fmt: skip


def test_the_wrong_field_is_named_by_row() -> None:
    form = CommissionForm([RuleRow(value="1.5"), RuleRow("p-x", "fixed", "8.001", "x", "60")])
    assert form.body() == (None, {"rules[1].clawback_months": "commission_clawback_invalid",
                                  "rules[1].value": "commission_fixed_invalid"})  # fmt: skip
    form = CommissionForm([RuleRow(value="20")])
    assert form.body() == (None, {"rules[0].value": "commission_percent_invalid"})
    form = CommissionForm([RuleRow(value="1"), RuleRow(value="2")])
    assert form.body()[1] == {"rules[1].product_id": "commission_product_repeated"}


def test_saved_rules_come_back_as_rows_and_rows_can_be_added_and_removed() -> None:
    form = CommissionForm.of([CommissionRule(basis=CommissionBasis.FIXED, fixed_fen=80_000)])
    assert form.rows == [RuleRow("*", "fixed", "800.00", "6", "60")]
    form.add()
    assert form.rows[1].product_id == ""
    form.remove(0)
    assert len(form.rows) == 1
    assert CommissionForm.of([]).rows == [RuleRow()]
