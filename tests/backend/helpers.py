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


def quote_request(**over: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "principal": "100000",
        "annual_rate_percent": "6",
        "term_months": 36,
        "method": "annuity",
        "start_date": "2026-01-15",
    }
    body.update(over)
    return body


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
