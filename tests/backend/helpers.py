"""Small helpers for API tests: sign in as a demo account, and valid sample data."""

from __future__ import annotations

from typing import Any

from litestar.testing import AsyncTestClient

# Public example numbers with valid check digits (the GB 11643 example ID; a VIN with a good check
# digit).
VALID_ID = "11010519491231002X"
VALID_MOBILE = "13812345678"
VALID_VIN = "LSVAU218XN2183294"  # SAIC-VW WMI, check digit verified by common.identity


async def login(client: AsyncTestClient, username: str, password: str = "demo") -> dict[str, str]:  # type: ignore[type-arg]
    r = await client.post("/api/auth/login", json={"username": username, "password": password})
    assert r.status_code == 200, r.text
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


NEW_DIRECT = "p-new-direct-36"  # seeded: new passenger cars and NEVs, 20-60 % down, 6.99 % at 36


def quote_request(**over: Any) -> dict[str, Any]:
    """A choice within the seeded new-car product: ¥100,000 financed on a ¥125,000 car."""
    body: dict[str, Any] = {
        "product_id": NEW_DIRECT,
        "price": "125000",
        "down_payment": "25000",
        "term_months": 36,
        "method": "annuity",
        "start_date": "2026-01-15",
    }
    body.update(over)
    return body


def product_definition(**over: Any) -> dict[str, Any]:
    """A plain product: any vehicle, 6 % at every term, no deposit, no fees (the worked example
    of the schedule engine is a quote on it)."""
    body: dict[str, Any] = {
        "name_zh": "测试产品",
        "name_en": "Test product",
        "lease_type": "direct_lease",
        "conditions": ["new", "used"],
        "vehicle_types": ["passenger", "light_truck", "heavy_truck", "cold_chain", "nev"],
        "rates": [{"term_months": t, "annual_rate_percent": "6"} for t in (12, 24, 36, 120)],
        "default_term_months": 36,
        "min_down_payment_percent": "0",
        "max_down_payment_percent": "90",
        "methods": ["annuity", "equal_principal", "interest_only", "balloon"],
        "timings": ["arrears", "advance"],
        "balloon_max_percent": "80",
        "min_financed": "0.01",
        "max_financed": "10000000",
    }
    body.update(over)
    return body


async def create_product(client: AsyncTestClient, **over: Any) -> str:  # type: ignore[type-arg]
    admin = await login(client, "admin")
    body = {"definition": product_definition(**over), "reason": "测试"}
    r = await client.post("/api/products", json=body, headers=admin)
    assert r.status_code == 201, r.text
    product_id: str = r.json()["id"]
    return product_id


def person(**over: Any) -> dict[str, Any]:
    body = {
        "kind": "person",
        "name": "张三",
        "id_number": VALID_ID,
        "mobile": VALID_MOBILE,
        "region_code": "110105",
    }
    body.update(over)
    return body
