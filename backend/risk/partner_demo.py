"""Demo partner applications 产业链合作方演示数据: one per partner family, from a company, filed
through the real intake (company customer, asset, quote, photos) and decided on submit by the
family's own rule set, like the vehicle cases of `backend.risk.demo`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from backend.intake import applications, photo_store
from backend.products.seeded import CHARGING_PILE, FREIGHT_ADVANCE, SUPPLIER_FINANCE
from backend.risk.demo import demo_clerk, demo_jpeg
from backend.risk.family_rulesets import CORE_DEBTORS
from backend.risk.service import RiskEngine
from backend.settings import Settings
from common.api.intake import (
    ApplicationDraft,
    ApplicationView,
    AssetInput,
    CustomerInput,
    CustomerKind,
    EquipmentAsset,
    FreightAsset,
    PhotoKind,
    ProductFamily,
    ReceivableAsset,
)
from common.api.products import ProductQuoteRequest
from common.business_day import BUSINESS_TZ
from common.intake import required_photos
from common.schedule import Method


@dataclass(frozen=True)
class PartnerCase:
    label: str
    family: ProductFamily
    product_id: str
    company: str
    uscc: str  # a sandbox persona (backend.providers.personas): a clean file
    mobile: str
    region_code: str
    representative: str
    representative_id: str
    advance_percent: int  # financed share of the asset (融资比例); for equipment 100 - down
    term_months: int
    method: Method


CASES = [
    PartnerCase("零部件供应商应收账款融资 自动通过", ProductFamily.SUPPLIER_FINANCE,
                SUPPLIER_FINANCE, "苏州精工汽车零部件有限公司", "91320505MA1MXK3P7R",
                "13901020001", "320505", "王建华", "310104199508150080", 80, 3,
                Method.INTEREST_ONLY),
    PartnerCase("物流公司运费垫付 自动通过", ProductFamily.FREIGHT_ADVANCE, FREIGHT_ADVANCE,
                "武汉顺达物流有限公司", "91420100MA4KQ1L084", "13901020002", "420100", "李国强",
                "440305199103030095", 90, 3, Method.INTEREST_ONLY),
    PartnerCase("充电桩运营商设备租赁 自动通过", ProductFamily.CHARGING_PILE, CHARGING_PILE,
                "上海绿能充电科技有限公司", "91310115MA1H7UQ264", "13901020003", "310115", "张海燕",
                "310104198707070054", 80, 36, Method.ANNUITY),
]  # fmt: skip


def _asset(case: PartnerCase, today: date) -> tuple[AssetInput, Decimal]:
    """The case's asset and its amount: a receivable due in 88 days from an OEM (a core
    enterprise), freight due 60 days after delivery, or 24 piles of a 120 kW model."""
    if case.family is ProductFamily.SUPPLIER_FINANCE:
        amount = Decimal("860000")
        return ReceivableAsset(
            debtor_name="华东汽车集团有限公司", debtor_uscc=CORE_DEBTORS[0],
            invoice_number="3100254130-00428816", invoice_date=today - timedelta(days=2),
            due_date=today + timedelta(days=88), amount=str(amount),
        ), amount  # fmt: skip
    if case.family is ProductFamily.FREIGHT_ADVANCE:
        amount = Decimal("186000")
        return FreightAsset(
            shipper_name="广州华南汽车零部件有限公司", shipper_uscc="91440101MA5CJ8WQ3R",
            waybill_number="SD2026120300187", route="广州—武汉（整车零部件干线）",
            delivered_on=today - timedelta(days=1), due_date=today + timedelta(days=59),
            amount=str(amount),
        ), amount  # fmt: skip
    amount = Decimal("1152000")  # 24 × ¥48,000
    return EquipmentAsset(
        model="GreenVolt DC-120kW 一体式直流快充桩",
        serial_numbers=[f"GV120-2026-{n:04d}" for n in range(1, 25)],
        site_address="上海市浦东新区川沙路5558号 绿能超充站", region_code="310115",
        price=str(amount),
    ), amount  # fmt: skip


def _draft(case: PartnerCase, today: date) -> ApplicationDraft:
    asset, amount = _asset(case, today)
    financed = (amount * case.advance_percent / 100).quantize(Decimal(100))
    return ApplicationDraft(
        product_family=case.family,
        asset=asset,
        customer=CustomerInput(
            kind=CustomerKind.COMPANY, name=case.company, id_number=case.uscc,
            mobile=case.mobile, region_code=case.region_code,
            representative_name=case.representative,
            representative_id_number=case.representative_id,
        ),
        quote=ProductQuoteRequest(
            product_id=case.product_id, price=str(amount), down_payment=str(amount - financed),
            term_months=case.term_months, start_date=today, method=case.method,
        ),
    )  # fmt: skip


async def seed_demo_partner_applications(
    db: AsyncSession, settings: Settings, engine: RiskEngine, username: str = "staff"
) -> list[ApplicationView]:
    """File and submit one application per partner family as ``username``; returns them."""
    clerk = await demo_clerk(db, settings, username)
    today = datetime.now(UTC).astimezone(BUSINESS_TZ).date()
    out = []
    for case in CASES:
        created = await applications.create(
            db, engine.pii, engine.catalogue, clerk, _draft(case, today)
        )
        await db.commit()
        for kind in map(PhotoKind, required_photos("company", case.family)):
            await photo_store.add(
                db, settings, clerk, created.id, kind, demo_jpeg(f"{case.label}{kind}"), None
            )
        out.append(
            await applications.submit(db, engine.pii, engine.catalogue, clerk, created.id, engine)
        )
    return out
