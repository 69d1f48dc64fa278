"""Realistic contract documents from real schedules (a car lease, a partner product's), for the
tests and bench/contracts.py."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from common.contract_document import (
    AssetSection,
    ContractDocument,
    Party,
    RevenueShare,
    Terms,
    Vehicle,
    schedule_lines,
)
from common.contract_templates import FAMILY_TEMPLATE_IDS
from common.identity.masking import mask_id, mask_mobile
from common.lease_terms import Fee, LeaseTerms, Method
from common.money import to_fen
from common.products import ProductFamily
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


# A partner product's contract per asset kind: its family, lessee company, asset and terms.
OPERATOR = "上海绿能充电科技有限公司"
SERIALS = [f"GV120-2026-{n:04d}" for n in range(1, 25)]
_PARTNERS = {
    "receivable": (
        "supplier_finance", "苏州精工汽车零部件有限公司", "供应链应收账款融资",
        AssetSection("receivable", 86_000_000, counterparty="华东汽车集团有限公司",
                     counterparty_uscc="91310000MA1FL0HX47",
                     document_number="3100254130-00428816", issued_on=date(2026, 3, 8),
                     due_date=date(2026, 6, 4)),
        Decimal("688000"), Decimal("6.5"), 3, Method.INTEREST_ONLY, Decimal(0),
    ),
    "freight": (
        "freight_advance", "武汉顺达物流有限公司", "物流运费垫付",
        AssetSection("freight", 18_600_000, counterparty="广州华南汽车零部件有限公司",
                     counterparty_uscc="91440101MA5CJ8WQ3R", document_number="SD2026120300187",
                     issued_on=date(2026, 3, 9), due_date=date(2026, 5, 8),
                     route="广州—武汉（整车零部件干线）"),
        Decimal("167400"), Decimal("7.8"), 3, Method.INTEREST_ONLY, Decimal(0),
    ),
    "equipment": (
        "charging_pile", OPERATOR, "充电桩设备直租",
        AssetSection("equipment", 115_200_000, model="GreenVolt DC-120kW 一体式直流快充桩",
                     serial_numbers=SERIALS, site_address="上海市浦东新区川沙路5558号 绿能超充站"),
        Decimal("921600"), Decimal("7.9"), 36, Method.ANNUITY, Decimal("46080"),
    ),
}  # fmt: skip


def sample_partner_document(
    kind: str, *, revenue_share: RevenueShare | None = None, lease_type: str = "direct_lease"
) -> tuple[str, ContractDocument]:
    """A partner contract's document and its family: ``kind`` is the asset's (receivable,
    freight, equipment); a charging-pile lease may carry revenue sharing."""
    family, lessee, product, asset, principal, rate, term, method, deposit = _PARTNERS[kind]
    terms = LeaseTerms(
        principal=principal, annual_rate_percent=rate, term_months=term,
        start_date=date(2026, 3, 10), method=method, fees=(Fee("服务费", principal / 200),),
        deposit=deposit,
    )  # fmt: skip
    schedule = build_schedule(terms)
    parties = [
        Party("lessor", LESSOR, mask_id("91310115MA1K4ABC2X"), "company"),
        Party("lessee", lessee, mask_id("91320505MA1MXK3P7R"), "company",
              mobile=mask_mobile("13901020001"), representative="授权代表 王**"),
        Party("dealer", DEALER, mask_id("91110105MA00ABCD1Y"), "company"),
    ]  # fmt: skip
    down = asset.amount_fen - to_fen(principal) if kind == "equipment" else 0  # not a receivable's
    stated = Terms(
        product_name=product, lease_type=lease_type, principal_fen=to_fen(principal),
        down_payment_fen=down, deposit_fen=to_fen(deposit), balloon_fen=0,
        fees_fen=to_fen(schedule.total_fees), method=method.value, term_months=term,
        nominal_rate_percent=f"{rate:.2f}",
        annualised_rate_percent=f"{schedule.annualised_rate_percent:.2f}",
        monthly_payment_fen=to_fen(schedule.rent), total_payment_fen=to_fen(schedule.total_payment),
        total_interest_fen=to_fen(schedule.total_interest), start_date=terms.start_date,
        revenue_share=revenue_share,
    )  # fmt: skip
    doc = ContractDocument(
        number="AL-2026-000200",
        issued_on=date(2026, 3, 10),
        parties=parties,
        vehicle=None,
        terms=stated,
        schedule=schedule_lines(schedule),
        template_id=FAMILY_TEMPLATE_IDS[ProductFamily(family)],
        template_version=1,
        asset=asset,
    )
    return family, doc
