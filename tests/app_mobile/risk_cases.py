"""A referred application for the risk screens' tests: the sandbox's thin-file persona."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any

from PIL import Image

from backend.intake.catalogue import Catalogue
from backend.products.seeded import USED_LEASEBACK
from backend.residual.vehicles import market_value
from backend.risk.demo import make_vin

THIN_FILE = "440305198809200039"  # no bureau file (白户): referred to a person


def jpeg() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (320, 240), "steelblue").save(buf, "JPEG")
    return buf.getvalue()


def application_body(id_number: str, serial: int) -> dict[str, Any]:
    """A complete used-car application at a fair price (wire JSON of ApplicationDraft)."""
    today = date.today()
    model = Catalogue.load().get("saicvw-lavida")
    assert model is not None
    value = market_value(model, 2021, 60_000, today, id_number[:6])
    price = value.quantize(Decimal(100))
    return {
        "vehicle": {"vin": make_vin("LSV", 2021, serial), "catalogue_model_id": model.id,
                    "model_year": 2021, "mileage_km": 60_000, "price": str(price),
                    "is_new": False},
        "customer": {"kind": "person", "name": "黄志强", "id_number": id_number,
                     "mobile": f"139{serial:08d}", "region_code": id_number[:6]},
        "quote": {"product_id": USED_LEASEBACK, "price": str(price),
                  "down_payment": str((price * Decimal("0.4")).quantize(Decimal(100))),
                  "term_months": 36, "start_date": today.isoformat()},
    }  # fmt: skip
