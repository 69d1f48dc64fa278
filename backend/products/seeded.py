"""The lessor's products in the demo 演示产品 (安租融资租赁), seeded with version 1 each.

Rates, bands and fees are those of a typical Chinese auto-finance lessor; the ids are stable so
demos and tests can name them. One partner product per partner family (产业链合作方产品): a
parts supplier's receivable, a logistics company's freight and a charging operator's piles.
"""

from __future__ import annotations

from datetime import date

import msgspec
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.db.models import Product
from backend.products import service
from common.api.products import ProductDefinition

NEW_DIRECT = "p-new-direct-36"
USED_LEASEBACK = "p-used-leaseback"
LIGHT_TRUCK = "p-light-truck"
NEV_PROMO = "p-nev-promo"
COLD_CHAIN = "p-cold-chain"
HEAVY_TRUCK = "p-heavy-truck"
SUPPLIER_FINANCE = "p-supplier-finance"
FREIGHT_ADVANCE = "p-freight-advance"
CHARGING_PILE = "p-charging-pile"


def _fee(kind: str, basis: str, value: str, collected: str = "at_signing") -> dict[str, str]:
    return {"kind": kind, "basis": basis, "value": value, "collected": collected}


def _rates(*rows: tuple[int, str] | tuple[int, str, str]) -> list[dict[str, object]]:
    out: list[dict[str, object]] = []
    for row in rows:
        entry: dict[str, object] = {"term_months": row[0], "annual_rate_percent": row[1]}
        if len(row) == 3:
            entry["promo_rate_percent"] = row[2]
        out.append(entry)
    return out


PRODUCTS: dict[str, dict[str, object]] = {
    NEW_DIRECT: {
        "name_zh": "新车直租 36期", "name_en": "New car direct lease",
        "lease_type": "direct_lease", "conditions": ["new"], "vehicle_types": ["passenger", "nev"],
        "rates": _rates((12, "5.99"), (24, "6.49"), (36, "6.99")), "default_term_months": 36,
        "min_down_payment_percent": "20", "max_down_payment_percent": "60",
        "methods": ["annuity", "equal_principal"], "timings": ["arrears"],
        "fees": [_fee("gps", "amount", "1500"), _fee("service", "percent", "2")],
        "min_financed": "30000", "max_financed": "2000000", "min_applicant_age": 18,
    },
    USED_LEASEBACK: {
        "name_zh": "二手车回租", "name_en": "Used car sale-and-leaseback",
        "lease_type": "sale_leaseback", "conditions": ["used"],
        "vehicle_types": ["passenger", "nev"],
        "rates": _rates((12, "8.8"), (24, "9.2"), (36, "9.6")), "default_term_months": 36,
        "min_down_payment_percent": "30", "max_down_payment_percent": "70",
        "deposit_percent": "5", "methods": ["annuity", "interest_only"], "timings": ["arrears"],
        "fees": [_fee("gps", "amount", "1200"), _fee("service", "percent", "1.5"),
                 _fee("notary", "amount", "300")],
        "min_financed": "10000", "max_financed": "500000", "min_applicant_age": 22,
    },
    LIGHT_TRUCK: {
        "name_zh": "轻卡经营租赁", "name_en": "Light truck business lease",
        "lease_type": "direct_lease", "conditions": ["new", "used"],
        "vehicle_types": ["light_truck"],
        "rates": _rates((12, "8.5"), (24, "8.9"), (36, "9.5")), "default_term_months": 24,
        "min_down_payment_percent": "15", "max_down_payment_percent": "50",
        "deposit_percent": "10", "balloon_max_percent": "30",
        "methods": ["annuity", "balloon"], "timings": ["arrears", "advance"],
        "fees": [_fee("gps", "amount", "2000", "with_first_rent"), _fee("service", "percent", "3")],
        "min_financed": "30000", "max_financed": "600000", "min_applicant_age": 22,
    },
    NEV_PROMO: {
        "name_zh": "新能源专享", "name_en": "NEV special",
        "lease_type": "direct_lease", "conditions": ["new"], "vehicle_types": ["nev"],
        "rates": _rates((12, "4.99", "0"), (24, "5.49", "1.99"), (36, "5.99", "2.99"),
                        (48, "6.49"), (60, "6.99")),
        "default_term_months": 36, "promo_until": "2027-03-31",
        "min_down_payment_percent": "15", "max_down_payment_percent": "60",
        "methods": ["annuity", "equal_principal"], "timings": ["arrears"],
        "fees": [_fee("gps", "amount", "1000")],
        "min_financed": "20000", "max_financed": "1000000", "min_applicant_age": 18,
    },
    COLD_CHAIN: {
        "name_zh": "冷链车融资租赁", "name_en": "Cold-chain vehicle lease",
        "lease_type": "direct_lease", "conditions": ["new", "used"],
        "vehicle_types": ["cold_chain"],
        "rates": _rates((24, "8.2"), (36, "8.6"), (48, "9.0")), "default_term_months": 36,
        "min_down_payment_percent": "25", "max_down_payment_percent": "50",
        "deposit_percent": "10", "methods": ["annuity", "equal_principal"],
        "timings": ["arrears"],
        "fees": [_fee("gps", "amount", "2500"), _fee("service", "percent", "2.5"),
                 _fee("notary", "amount", "500")],
        "min_financed": "50000", "max_financed": "1500000", "min_applicant_age": 25,
    },
    HEAVY_TRUCK: {
        "name_zh": "重卡直租", "name_en": "Heavy truck direct lease",
        "lease_type": "direct_lease", "conditions": ["new"], "vehicle_types": ["heavy_truck"],
        "rates": _rates((12, "8.8"), (24, "9.2"), (36, "9.8"), (48, "10.5")),
        "default_term_months": 36,
        "min_down_payment_percent": "20", "max_down_payment_percent": "50",
        "deposit_percent": "10", "balloon_max_percent": "25",
        "methods": ["annuity", "balloon"], "timings": ["arrears", "advance"],
        "fees": [_fee("gps", "amount", "3000"), _fee("service", "percent", "3")],
        "min_financed": "100000", "max_financed": "2000000", "min_applicant_age": 25,
    },
    # 供应链应收账款融资: 50–80 % of a receivable from a core enterprise, 3 or 6 months, interest
    # monthly and the principal when the debtor pays (先息后本).
    SUPPLIER_FINANCE: {
        "name_zh": "供应链应收账款融资", "name_en": "Supplier receivable finance",
        "family": "supplier_finance", "lease_type": "direct_lease",
        "conditions": [], "vehicle_types": [],
        "rates": _rates((3, "6.5"), (6, "7.2")), "default_term_months": 3,
        "min_down_payment_percent": "20", "max_down_payment_percent": "50",
        "methods": ["interest_only"], "timings": ["arrears"],
        "fees": [_fee("service", "percent", "0.5")],
        "min_financed": "50000", "max_financed": "5000000",
    },
    # 运费垫付: up to 90 % of a delivered waybill's freight, repaid when the shipper settles.
    FREIGHT_ADVANCE: {
        "name_zh": "物流运费垫付", "name_en": "Logistics freight advance",
        "family": "freight_advance", "lease_type": "direct_lease",
        "conditions": [], "vehicle_types": [],
        "rates": _rates((3, "7.8"), (6, "8.4")), "default_term_months": 3,
        "min_down_payment_percent": "10", "max_down_payment_percent": "40",
        "methods": ["interest_only"], "timings": ["arrears"],
        "fees": [_fee("service", "percent", "0.8")],
        "min_financed": "10000", "max_financed": "2000000",
    },
    # 充电桩设备租赁: a direct lease of piles to a charging operator (rent as an annuity, the
    # floor; the month's rent is the larger of it and the share of the electricity revenue).
    CHARGING_PILE: {
        "name_zh": "充电桩设备直租", "name_en": "Charging-pile equipment lease",
        "family": "charging_pile", "lease_type": "direct_lease",
        "conditions": [], "vehicle_types": [],
        "rates": _rates((24, "7.5"), (36, "7.9"), (48, "8.3"), (60, "8.8")),
        "default_term_months": 36,
        "min_down_payment_percent": "10", "max_down_payment_percent": "40", "deposit_percent": "5",
        "methods": ["annuity", "equal_principal"], "timings": ["arrears"],
        "fees": [_fee("service", "percent", "2")],
        "min_financed": "50000", "max_financed": "10000000",
        # 电费分账: 15 % of each month's electricity revenue, the scheduled rent its floor
        "revenue_share": {"share_percent": "15", "report_due_days": 10},
    },
}  # fmt: skip


async def ensure_products(db: AsyncSession, today: date) -> int:
    """Seed the demo products that are not there yet; returns how many were added."""
    have = set(await db.scalars(select(Product.id)))
    added = 0
    for product_id, body in PRODUCTS.items():
        if product_id in have:
            continue
        definition = msgspec.convert(body, ProductDefinition)
        await service.create(db, None, definition, "演示产品 demo product", today, product_id)
        added += 1
    return added
