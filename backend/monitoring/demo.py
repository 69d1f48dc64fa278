"""Demo monitoring 演示监控数据, through the real services: terminals on the demo lessee's two
vehicles in service, their plans, and the last hours of positions — the pickup driving the
京津塘 corridor from Beijing towards Tianjin and, in the last minutes, drifting off it (an open
deviation alert); the sedan around Beijing, silent for the last 40 minutes (a signal-loss alert,
judged) — the logistics company and the insurer attached to them are told (webhooks to the demo
receiver, SMS). The terminals' tokens go to the data directory for the simulator."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.principal import Principal
from backend.db.models import Contract, Terminal, User
from backend.monitoring import ingest, partner_events, plans, silence, terminals
from backend.providers.registry import sms_senders_for
from backend.security.pii import PiiCipher
from backend.settings import Settings
from common.api.auth import Role
from common.api.monitoring import PlanBody, TerminalBody
from common.contracts import ContractStatus
from common.monitoring.fix import Fix, Road
from common.monitoring.profiles import ProfileName

# 京津塘高速 from 北京东四环 towards 天津 (approximate waypoints, WGS-84 lon, lat)
JINGJINTANG = [(116.487, 39.875), (116.545, 39.840), (116.610, 39.800), (116.700, 39.740),
               (116.790, 39.680), (116.880, 39.610), (116.960, 39.520), (117.050, 39.400),
               (117.120, 39.280), (117.200, 39.130)]  # fmt: skip
JINGJINJI = ["11", "12", "13"]  # 京津冀: Beijing, Tianjin, Hebei
BEIJING = [(115.70, 39.45), (117.40, 39.45), (117.40, 41.05), (115.70, 41.05)]
PHONES = ("013900000101", "013900000102")


def _walk(points: list[tuple[float, float]], n: int) -> list[tuple[float, float]]:
    """n positions evenly along the polyline."""
    out = []
    for k in range(n):
        f = k / max(1, n - 1) * (len(points) - 1)
        i = min(int(f), len(points) - 2)
        t = f - i
        (x0, y0), (x1, y1) = points[i], points[i + 1]
        out.append((x0 + (x1 - x0) * t, y0 + (y1 - y0) * t))
    return out


async def seed_demo_monitoring(db: AsyncSession, settings: Settings, now: datetime) -> int:
    """Terminals, plans and tracks for the demo lessee's active contracts; how many terminals."""
    if await db.scalar(select(Terminal.id).limit(1)) is not None:
        return 0
    await silence.seed_zones(db)
    pii = PiiCipher(settings.pii_key_bytes(), settings.lookup_key_bytes())
    partner_events.install(pii, sms_senders_for(settings, pii))  # the partners hear of them
    lessee = await db.scalar(select(User).where(User.username == "lessee"))
    staff = await db.scalar(select(User).where(User.username == "staff"))
    monitor = await db.scalar(select(User).where(User.username == "monitor"))
    if lessee is None or staff is None or monitor is None or lessee.customer_id is None:
        return 0
    as_staff = Principal(staff.id, staff.username, Role.STAFF, staff.organisation_id, "demo")
    as_monitor = Principal(monitor.id, monitor.username, Role.MONITOR, monitor.organisation_id,
                           "demo")  # fmt: skip
    active = list(await db.scalars(
        select(Contract).where(Contract.customer_id == lessee.customer_id,
                               Contract.status == ContractStatus.ACTIVE.value)
        .order_by(Contract.created_at)
    ))  # fmt: skip
    tokens = []
    for k, (contract, phone) in enumerate(zip(active, PHONES, strict=False)):
        vin = str(contract.document["vehicle"]["vin"])
        body = TerminalBody(phone=phone, imei=f"8612{phone[-11:]}", vin=vin,
                                      contract_id=contract.id)  # fmt: skip
        terminal, token = await terminals.register(db, settings.secret_key, body, as_staff, now)
        tokens.append(f"{token}  # {contract.number} {vin} JT/T 808 phone {phone}")
        if k == 0:  # the pickup: the corridor, and a drift off it in the last minutes
            plan = PlanBody(profile=ProfileName.LIGHT_TRUCK, route=JINGJINTANG,
                                  half_width_m=500, provinces=JINGJINJI)  # fmt: skip
            path = _walk(JINGJINTANG, 80)
            fixes = []
            for i, (lon, lat) in enumerate(path):
                drift = 0.0 if i < 74 else min(0.012, 0.004 * (i - 73))  # ~1 km east, then more
                fixes.append(Fix(at=now - timedelta(minutes=80 - i), lat=lat - drift * 0.3,
                                 lon=lon + drift, speed_kmh=68.0, heading=135, ignition=True,
                                 satellites=12))  # fmt: skip
        else:  # the sedan: around Beijing, then silent for 40 minutes
            plan = PlanBody(profile=ProfileName.PASSENGER, regions=[BEIJING],
                                  lessee_sees_position=True)  # fmt: skip
            loop = [(116.30, 39.99), (116.35, 39.95), (116.40, 39.93), (116.45, 39.96)]
            fixes = [Fix(at=now - timedelta(minutes=100 - i), lat=lat, lon=lon, speed_kmh=45.0,
                         ignition=True, satellites=9)
                     for i, (lon, lat) in enumerate(_walk(loop, 60))]  # fmt: skip
        await plans.save(db, contract.id, plan, as_monitor, now - timedelta(hours=3))
        await ingest.ingest(db, terminal, fixes, Road.JT808, fixes[-1].at)
    await silence.sweep(db, now)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    (settings.data_dir / "terminal-tokens.txt").write_text(
        "# Demo terminals' tokens (HTTP and MQTT roads; JT/T 808 uses the phone number)\n"
        + "".join(f"{line}\n" for line in tokens),
        encoding="utf-8",
    )
    return len(tokens)
