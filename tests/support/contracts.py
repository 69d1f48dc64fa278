"""A realistic contract document from a real schedule, for the tests and bench/contracts.py."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from common.contract_document import ContractDocument, Party, Terms, Vehicle, schedule_lines
from common.identity.masking import mask_id, mask_mobile
from common.lease_terms import Fee, LeaseTerms, Method
from common.money import to_fen
from common.schedule import build_schedule

LESSEE = "张伟"
VIN = "LFV2A21K3R3000001"
DEALER = "北京朝阳华通汽车销售服务有限公司"
LESSOR = "AutoLease 融资租赁（上海）有限公司"


def sample_document(
    term_months: int = 36,
    *,
    lease_type: str = "direct_lease",
    method: Method = Method.ANNUITY,
    number: str = "AL-2026-000123",
) -> ContractDocument:
    balloon = Decimal("30000") if method is Method.BALLOON else Decimal(0)
    terms = LeaseTerms(
        principal=Decimal("120000"),
        annual_rate_percent=Decimal("5.88"),
        term_months=term_months,
        start_date=date(2026, 3, 15),
        method=method,
        balloon=balloon,
        fees=(Fee("GPS服务费", Decimal("1800")),),
        deposit=Decimal("5000"),
    )
    schedule = build_schedule(terms)
    lines = schedule_lines(schedule)
    parties = [
        Party("lessor", LESSOR, mask_id("91310115MA1K4ABC2X"), "company",
              address="上海市浦东新区世纪大道100号", representative="李强"),
        Party("lessee", LESSEE, mask_id("110105199001011234"), "person",
              mobile=mask_mobile("13812345678"), address="北京市朝阳区建国路88号"),
    ]  # fmt: skip
    if lease_type == "direct_lease":
        parties.append(
            Party("dealer", DEALER, mask_id("91110105MA00ABCD1Y"), "company", representative="王芳")
        )
    return ContractDocument(
        number=number,
        issued_on=date(2026, 3, 10),
        parties=parties,
        vehicle=Vehicle(VIN, "一汽-大众", "速腾 2024款 300TSI 舒适版", 2024, 16_980_000, True),
        terms=Terms(
            product_name="新车直租36/60期" if lease_type == "direct_lease" else "车主售后回租",
            lease_type=lease_type,
            principal_fen=to_fen(terms.principal),
            down_payment_fen=4_980_000,
            deposit_fen=to_fen(terms.deposit),
            balloon_fen=to_fen(balloon),
            fees_fen=to_fen(schedule.total_fees),
            method=method.value,
            term_months=term_months,
            nominal_rate_percent=f"{terms.annual_rate_percent:.2f}",
            annualised_rate_percent=f"{schedule.annualised_rate_percent:.2f}",
            monthly_payment_fen=to_fen(schedule.rent),
            total_payment_fen=to_fen(schedule.total_payment),
            total_interest_fen=to_fen(schedule.total_interest),
            start_date=terms.start_date,
        ),
        schedule=lines,
        template_id="lease-standard",
        template_version=1,
    )
