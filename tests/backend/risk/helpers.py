"""Filing applications for risk tests through the real API, with sandbox personas."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from backend.intake.catalogue import Catalogue
from backend.products.seeded import USED_LEASEBACK
from backend.residual.vehicles import market_value
from backend.risk.demo import make_vin
from common.business_day import business_date
from tests.backend.intake.test_applications_api import jpeg

CLEAN = "110105198506150014"  # personas of backend.providers.personas
CLEAN_2 = "310104199508150080"
CLEAN_3 = "440305199103030095"
FAST_LANE = "31010419900312002X"
THIN_FILE = "440305198809200039"
WEAK_FACE = "310104198707070054"  # referred only once a face photo is checked
LIVENESS_FAILS = "110105198808080031"  # declined only once a face photo is checked
NEW_MOBILE = "310104199306060028"
BLACKLISTED = "11010519920101004X"
BUREAU_DOWN = "440305198302140065"
REGION_OF = {"11": "110105", "31": "310104", "44": "440305"}
_serial = iter(range(1, 1_000_000))


def fair_price(
    model_id: str, year: int, mileage: int, today: date, region: str | None = None
) -> Decimal:
    model = Catalogue.load().get(model_id)
    assert model is not None
    return market_value(model, year, mileage, today, region)


async def file_application(
    client: Any,
    headers: dict[str, str],
    id_number: str,
    *,
    price_factor: str = "1",
    region_code: str | None = None,
    model_id: str = "saicvw-lavida",
    year: int = 2021,
    mobile: str | None = None,
    quote: dict[str, Any] | None = None,
) -> str:
    """A complete used-car application for ``id_number``; returns its id (still a draft).
    `quote` overrides fields of the quote (another product, method, balloon)."""
    today = business_date(datetime.now(UTC))
    mileage = 60_000
    region = region_code or REGION_OF[id_number[:2]]
    fair = fair_price(model_id, year, mileage, today, region)
    price = (fair * Decimal(price_factor)).quantize(Decimal(100))
    body = {
        "vehicle": {
            "vin": make_vin("LSV", year, next(_serial)),
            "catalogue_model_id": model_id,
            "model_year": year,
            "mileage_km": mileage,
            "price": str(price),
            "is_new": False,
        },
        "customer": {
            "kind": "person",
            "name": "测试客户",
            "id_number": id_number,
            "mobile": mobile or f"139{next(_serial):08d}",
            "region_code": region,
        },
        "quote": {
            "product_id": USED_LEASEBACK,
            "price": str(price),
            "down_payment": str((price * Decimal("0.4")).quantize(Decimal(100))),
            "term_months": 36,
            "start_date": today.isoformat(),
            **(quote or {}),
        },
    }
    r = await client.post("/api/applications", json=body, headers=headers)
    assert r.status_code == 201, r.text
    app_id: str = r.json()["id"]
    for kind in ("id_front", "id_back", "customer_face", "driving_licence", "vehicle"):
        p = await client.put(
            f"/api/applications/{app_id}/photos/{kind}",
            content=jpeg(160, 120),
            headers={**headers, "Content-Type": "image/jpeg"},
        )
        assert p.status_code == 201, p.text
    return app_id


async def submit(client: Any, headers: dict[str, str], app_id: str) -> dict[str, Any]:
    r = await client.post(f"/api/applications/{app_id}/submit", headers=headers)
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


def codes(view: dict[str, Any]) -> list[str]:
    return [r["code"] for r in view["decision"]["reasons"]]
