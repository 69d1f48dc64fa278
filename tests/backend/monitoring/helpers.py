"""A monitored contract for the monitoring tests: an active lease, its terminal registered by
staff, a plan with a route corridor, and positions built along (or off) the route."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from backend.settings import Settings
from tests.backend.contracts.flow import Client
from tests.backend.helpers import login
from tests.backend.servicing.helpers import active

# 京津塘: from Beijing's east side toward Tianjin, a straight line of ~40 km
START, END = (116.46, 39.91), (116.80, 39.70)
PHONE = "013912345678"


def along(k: int, n: int = 100) -> tuple[float, float]:
    """The k-th of n points from START to END (lon, lat)."""
    f = k / n
    return START[0] + (END[0] - START[0]) * f, START[1] + (END[1] - START[1]) * f


def position(at: datetime, lonlat: tuple[float, float], **kw: Any) -> dict[str, Any]:
    return {"at": at.isoformat(), "lon": lonlat[0], "lat": lonlat[1], "speed_kmh": 60.0, **kw}


def off(lonlat: tuple[float, float], km: float = 1.0) -> tuple[float, float]:
    """`km` north-east of the point: ~880 m from the route, outside a 500 m corridor, and near
    enough for a truck to have driven there in 30 s (farther would be an implausible jump)."""
    return lonlat[0] + km / 111 * 0.7, lonlat[1] + km / 111 * 0.7


async def monitored(
    client: Client, settings: Settings, plan: dict[str, Any] | None = None,
    phone: str = PHONE, imei: str = "861234567890123",
) -> tuple[dict[str, Any], dict[str, str], dict[str, str]]:  # fmt: skip
    """(contract, terminal headers for the HTTP road, monitor headers)."""
    contract, _lessee = await active(client, settings)
    staff = await login(client, "staff")
    r = await client.post("/api/monitoring/terminals", headers=staff, json={
        "phone": phone, "imei": imei, "vin": contract["vehicle"]["vin"],
        "contract_id": contract["id"],
    })  # fmt: skip
    assert r.status_code == 201, r.text
    token = r.json()["token"]
    monitor = await login(client, "monitor")
    body = plan or {"profile": "heavy_truck", "route": [START, END], "half_width_m": 500}
    r = await client.put(f"/api/monitoring/contracts/{contract['id']}/plan", json=body,
                         headers=monitor)  # fmt: skip
    assert r.status_code == 200, r.text
    return contract, {"Authorization": f"Bearer {token}"}, monitor


def every(start: datetime, n: int, seconds: int = 30) -> list[datetime]:
    return [start + timedelta(seconds=k * seconds) for k in range(n)]
