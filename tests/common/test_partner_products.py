"""Partner product families 产业链合作方产品, pure: definitions per family, the bullet repayment of
a receivable on the schedule engine, completeness per family, and facts about what is not
financed being absent (a vehicle rule never fires on a receivable, and never fails it)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import msgspec
import pytest

from common.api.products import ProductDefinition, product_of
from common.assets import FiledAsset, check_due
from common.decision_facts import facts_from
from common.errors import DomainError
from common.intake import IntakeSnapshot, missing_items
from common.products import Choice, ProductFamily, check_choice, fitting, lease_terms
from common.rules import compile_ruleset, default_ruleset, evaluate
from common.rules.model import Cond, Refer, Rule, RuleSet, ScoreCard, Text
from common.schedule import build_schedule
from tests.common.test_decision_facts import ANSWERS, OWN, _filed

TODAY = date(2026, 12, 3)
# 供应链应收账款融资: 50–80 % of a receivable advanced for 3 or 6 months, interest-only
SUPPLIER = {
    "name_zh": "供应链应收账款融资", "name_en": "Supplier receivable finance",
    "family": "supplier_finance", "lease_type": "direct_lease", "conditions": [],
    "vehicle_types": [], "default_term_months": 3,
    "rates": [{"term_months": 3, "annual_rate_percent": "6.5"},
              {"term_months": 6, "annual_rate_percent": "7.2"}],
    "min_down_payment_percent": "20", "max_down_payment_percent": "50",
    "methods": ["interest_only"], "timings": ["arrears"],
    "min_financed": "50000", "max_financed": "5000000",
}  # fmt: skip


def definition(family: str, **over: Any) -> dict[str, Any]:
    return {**SUPPLIER, "family": family, **over}


def problems(body: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(DomainError) as refused:
        msgspec.convert(body, ProductDefinition)
    assert refused.value.code == "product_invalid"
    return refused.value.fields


def test_a_partner_product_covers_no_vehicles_and_a_vehicle_product_must():
    assert problems(definition("vehicle"))["vehicle_types"] == "vehicles_invalid"
    found = problems(definition("charging_pile", vehicle_types=["nev"], conditions=["new"]))
    assert found == {"vehicle_types": "vehicles_not_applicable"}
    assert problems(definition("supplier_finance", min_applicant_age=18)) == {
        "min_applicant_age": "age_not_applicable"
    }


def test_a_receivable_is_repaid_in_one_go_so_its_products_offer_interest_only():
    found = problems(definition("freight_advance", methods=["annuity"]))
    assert found == {"methods": "methods_invalid"}
    ok = msgspec.convert(definition("charging_pile", methods=["annuity"]), ProductDefinition)
    assert ok.family is ProductFamily.CHARGING_PILE


def supplier_product():
    return product_of(msgspec.convert(SUPPLIER, ProductDefinition), "p", 1)


def test_a_partner_product_never_fits_a_vehicle():
    car = definition("vehicle", conditions=["new"], vehicle_types=["nev"])
    products = [supplier_product(), product_of(msgspec.convert(car, ProductDefinition), "c", 1)]
    assert [p.family for p in fitting(products, True, "nev")] == [ProductFamily.VEHICLE]


def test_the_advance_rate_is_the_down_payment_band_of_the_receivable():
    product = supplier_product()  # 20–50 % kept back: 50–80 % advanced
    choice = Choice(price=Decimal(500000), down_payment=Decimal(50000), term_months=3,
                    start_date=TODAY, method=product.methods[0])  # fmt: skip
    with pytest.raises(DomainError) as refused:
        check_choice(product, choice)
    assert refused.value.code == "down_payment_below_minimum"


def test_a_receivable_bullet_pays_interest_monthly_and_the_principal_on_the_last_day():
    product = supplier_product()
    choice = Choice(price=Decimal(500000), down_payment=Decimal(100000), term_months=3,
                    start_date=TODAY, method=product.methods[0])  # fmt: skip
    schedule = build_schedule(lease_terms(product, choice, TODAY))
    principal = [i.principal for i in schedule.instalments]
    assert principal == [Decimal(0), Decimal(0), Decimal(400000)]
    # 6.5 % a year on ¥400,000: ¥2,166.67 a month
    assert {i.interest for i in schedule.instalments} == {Decimal("2166.67")}


def receivable(due: date) -> FiledAsset:
    return FiledAsset("receivable", Decimal(500000), due, "91310000MA1FL0HX4H", 0, "")


@pytest.mark.parametrize(
    ("due", "code"),
    [(TODAY, "receivable_already_due"), (date(2027, 6, 4), "receivable_due_beyond_term")],
)
def test_a_receivable_already_due_or_beyond_the_longest_term_is_refused(due, code):
    with pytest.raises(DomainError) as refused:
        check_due(receivable(due), supplier_product(), TODAY, TODAY)
    assert refused.value.code == code and refused.value.fields == {"asset.due_date": code}
    check_due(receivable(date(2027, 6, 3)), supplier_product(), TODAY, TODAY)  # six months


def snapshot(family: str, **over: Any) -> IntakeSnapshot:
    body: dict[str, Any] = {
        "vin": None, "customer_kind": "company", "customer_name": "武汉顺达物流有限公司",
        "customer_id_number": "91420100MA4KQ1L084", "customer_mobile": "13901020002",
        "photo_kinds": {"business_licence", "id_front", "id_back", "customer_face", "waybill"},
        "has_quote": True, "as_of": TODAY, "representative_name": "李国强",
        "representative_id_number": "440305199103030095", "family": family, "has_asset": True,
    }  # fmt: skip
    body.update(over)
    return IntakeSnapshot(**body)


def test_a_complete_partner_application_needs_no_vin_and_no_vehicle_photo():
    assert missing_items(snapshot("freight_advance")) == []
    vehicle = {m.field for m in missing_items(snapshot("vehicle"))}
    assert {"vehicle.vin", "photos.vehicle"} <= vehicle


def test_a_partner_application_needs_its_asset_the_familys_document_and_a_company():
    gaps = {m.field: m.code for m in missing_items(snapshot("supplier_finance", has_asset=False))}
    assert gaps == {"asset": "asset_missing", "photos.invoice": "photo_missing"}
    person = snapshot("charging_pile", customer_kind="person",
                      customer_id_number="11010519491231002X")  # fmt: skip
    assert {m.code for m in missing_items(person)} >= {"company_required", "photo_missing"}


def vehicle_facts():
    return facts_from(_filed(), OWN, ANSWERS, TODAY)


def partner_facts():
    filed = _filed(asset=receivable(date(2027, 2, 21)), vin="", model=None,
                   quote={"principal": "400000", "term_months": 3})  # fmt: skip
    return facts_from(filed, OWN, ANSWERS, TODAY)


def test_a_partner_decision_reads_the_asset_and_has_no_vehicle():
    facts = partner_facts()
    assert facts.vehicle is None and facts.asset is not None
    assert (facts.asset.days_to_due, facts.asset.advance_ratio) == (80, Decimal("0.8000"))
    assert facts.deal.down_payment_ratio == Decimal("0.2000")  # the part kept back


def one_rule(field: str, op: str, value: Any = None) -> RuleSet:
    when = Cond(field=field, op=op, value=value)  # type: ignore[arg-type]
    rule = Rule(id="r", label=Text(zh="规则", en="rule"), when=when, then=[Refer(reason="r")])
    return RuleSet(name="t", rules=[rule], reasons={"r": Text(zh="规则", en="rule")},
                   scorecard=ScoreCard(base=600, characteristics=[], approve_min=600,
                                       refer_min=500))  # fmt: skip


@pytest.mark.parametrize(
    ("field", "op", "value"),
    [("vehicle.under_pledge", "is_false", None), ("vehicle.price_asked", "ne", "1"),
     ("vehicle.vehicle_type", "not_in", ["nev"]), ("vehicle.age_years", "not_between", [0, 1])],
)  # fmt: skip
def test_a_vehicle_fact_is_absent_from_a_partner_decision_and_no_test_on_it_holds(field, op, value):
    partner = partner_facts()
    decision = evaluate(compile_ruleset(one_rule(field, op, value)), partner)
    assert decision.outcome == "approved" and decision.trace[0].hit is False


def test_the_vehicle_rule_set_decides_a_partner_application_without_failing():
    partner = partner_facts()
    decision = evaluate(compile_ruleset(default_ruleset()), partner)
    assert decision.outcome in ("approved", "referred", "declined")


def test_asset_facts_are_absent_from_a_vehicle_decision():
    decision = evaluate(compile_ruleset(one_rule("asset.amount", "ge", "0")), vehicle_facts())
    assert decision.trace[0].hit is False
