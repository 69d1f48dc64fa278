"""The contract's content: schedule lines in fen, amounts in yuan, what each template field says."""

from __future__ import annotations

import msgspec

from common.contract_document import (
    TEMPLATE_FIELDS,
    ContractDocument,
    RevenueShare,
    field_values,
    schedule_lines,
    yuan,
)
from common.lease_terms import Method
from common.money import to_fen
from common.schedule import build_schedule
from tests.support.contracts import LESSEE, VIN, sample_document, sample_partner_document


def test_schedule_lines_are_the_schedule_in_fen() -> None:
    doc = sample_document(36, method=Method.BALLOON)
    lines = doc.schedule
    assert len(lines) == 36
    assert sum(x.principal_fen for x in lines) == doc.terms.principal_fen
    assert lines[-1].balance_fen == 0
    assert all(x.payment_fen == x.principal_fen + x.interest_fen for x in lines)
    assert lines[0].fees_fen == 0 and lines[0].kind == "rent"
    assert all(isinstance(x.amount_due_fen, int) for x in lines)


def test_schedule_lines_carry_fees_offsets_and_the_balloon_line() -> None:
    from datetime import date
    from decimal import Decimal

    from common.lease_terms import DepositTreatment, Fee, LeaseTerms, Timing

    terms = LeaseTerms(
        principal=Decimal("100000"), annual_rate_percent=Decimal("6"), term_months=12,
        start_date=date(2026, 1, 15), method=Method.BALLOON, timing=Timing.ADVANCE,
        balloon=Decimal("20000"), fees=(Fee("年检", Decimal("300.50"), 6),),
        deposit=Decimal("3000"), deposit_treatment=DepositTreatment.OFFSET_LAST_RENTS,
    )  # fmt: skip
    schedule = build_schedule(terms)
    lines = schedule_lines(schedule)
    assert [x.amount_due_fen for x in lines] == [to_fen(i.amount_due) for i in schedule.instalments]
    assert lines[5].fees_fen == 30050
    assert lines[-1].kind == "balloon"
    assert (
        sum(x.amount_due_fen for x in lines) == sum(x.payment_fen for x in lines) + 30050 - 300000
    )


def test_document_round_trips_as_json() -> None:
    doc = sample_document(60)
    assert msgspec.json.decode(msgspec.json.encode(doc), type=ContractDocument) == doc


def test_yuan() -> None:
    assert yuan(1234567890) == "12,345,678.90"
    assert yuan(5) == "0.05"
    assert yuan(-100) == "-1.00"


def test_every_template_field_has_a_value() -> None:
    values = field_values(sample_document(36))
    assert values.keys() == TEMPLATE_FIELDS.keys()
    assert values["lessee_name"] == LESSEE and values["vin"] == VIN
    assert values["dealer_name"] == "北京朝阳华通汽车销售服务有限公司"
    assert field_values(sample_document(36, lease_type="sale_leaseback"))["dealer_name"] == "无"


def test_a_partner_contracts_fields_say_its_asset_and_its_revenue_share() -> None:
    _family, doc = sample_partner_document("freight")
    values = field_values(doc)
    assert values["counterparty_uscc"] == "91440101MA5CJ8WQ3R"
    assert values["asset_issued_on"] == "2026年3月9日" and values["route"].startswith("广州")
    assert values["revenue_share_percent"] == "无" and values["vin"] == "无"
    _family, piles = sample_partner_document("equipment", revenue_share=RevenueShare("15", 10))
    values = field_values(piles)
    assert values["equipment_count"] == "24" and values["site_address"].startswith("上海市")
    assert (values["revenue_share_percent"], values["revenue_report_due_days"]) == ("15", "10")


def test_a_document_stored_before_revenue_sharing_was_stated_still_reads() -> None:
    data = msgspec.to_builtins(sample_document(36))
    del data["terms"]["revenue_share"]
    assert msgspec.convert(data, ContractDocument).terms.revenue_share is None
