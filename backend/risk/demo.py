"""Demo applications 演示数据: some approved, some referred, some declined, for visible reasons.

They go through the real intake and decision services (customer, VIN, quote, photos, submit),
with the sandbox personas of `backend.providers.personas`.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from PIL import Image
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.principal import Principal
from backend.db.models import Application, User
from backend.intake import applications, photo_store
from backend.intake.catalogue import Catalogue
from backend.products.seeded import LIGHT_TRUCK, USED_LEASEBACK
from backend.residual.vehicles import market_value
from backend.risk.service import RiskEngine
from backend.settings import Settings
from common.api.auth import Role
from common.api.intake import (
    ApplicationDraft,
    ApplicationView,
    CustomerInput,
    CustomerKind,
    PhotoKind,
    VehicleInput,
)
from common.api.products import ProductQuoteRequest
from common.business_day import BUSINESS_TZ
from common.identity import check_digit
from common.schedule import Method

_YEAR_CODES = "ABCDEFGHJKLMNPRSTVWXY123456789"


def make_vin(wmi: str, model_year: int, serial: int, vds: str = "AB12C") -> str:
    """A well-formed VIN with a correct check digit (ISO 3779) for demos and tests."""
    year = _YEAR_CODES[(model_year - 1980) % 30]
    draft = f"{wmi}{vds}0{year}A{serial:06d}"
    return draft[:8] + check_digit(draft) + draft[9:]


PICKUP_SIGNED_DAYS_AGO = 36 * 30 + 5 - 60  # its 36-month lease ends in about two months


@dataclass(frozen=True)
class DemoCase:
    label: str  # what the demo shows
    name: str
    id_number: str
    mobile: str
    region_code: str
    model_id: str
    model_year: int
    price_factor: Decimal  # asked price / valuation (the "toy car" is far from 1)
    product_id: str = USED_LEASEBACK  # 二手车回租, but for the pickup with a balloon
    balloon_percent: Decimal = Decimal(0)  # of the price, left to the end (method balloon)
    filed_days_ago: int = 0  # the application is dated back by as many days once decided


CASES = [
    DemoCase("优质客户 自动通过", "陈建国", "110105198506150014", "13901010001", "110105",
             "saicvw-lavida", 2021, Decimal("1.00")),
    DemoCase("老客户快速通道 自动通过", "林晓燕", "31010419900312002X", "13901010002", "310104",
             "byd-han", 2022, Decimal("0.98")),
    DemoCase("白户 转人工", "黄志强", "440305198809200039", "13901010003", "440305",
             "haval-h6", 2020, Decimal("1.00")),
    DemoCase("手机号新入网 转人工", "刘芳", "310104199306060028", "13901010004", "310104",
             "gactoyota-camry", 2021, Decimal("1.02")),
    DemoCase("黑名单 拒绝", "赵磊", "11010519920101004X", "13901010005", "110105",
             "geely-boyue", 2022, Decimal("1.00")),
    DemoCase("虚假抵押物（报价远超评估价）拒绝", "孙伟", "110105197905050075", "13901010006",
             "110105", "sgmw-miniev", 2022, Decimal("5.00")),
    # The first customer's pickup on a balloon lease signed nearly three years ago: its end of
    # term (renewal, buy-out, return) is open in the hall.
    DemoCase("老客户皮卡 尾款租赁 自动通过", "陈建国", "110105198506150014", "13901010001",
             "110105", "gwm-poer", 2023, Decimal("1.00"), LIGHT_TRUCK, Decimal("20"),
             PICKUP_SIGNED_DAYS_AGO + 1),
    # The first customer again: the demo lessee's second car, its contract awaiting signature.
    DemoCase("老客户第二辆车 自动通过", "陈建国", "110105198506150014", "13901010001", "110105",
             "gactoyota-camry", 2022, Decimal("1.00")),
]  # fmt: skip


def demo_jpeg(label: str) -> bytes:
    buf = io.BytesIO()
    colour = (40 + sum(map(ord, label)) % 180, 90, 140)
    Image.new("RGB", (320, 240), colour).save(buf, "JPEG", quality=70)
    return buf.getvalue()


def _draft(case: DemoCase, catalogue: Catalogue, today: date, serial: int) -> ApplicationDraft:
    model = catalogue.get(case.model_id)
    assert model is not None, case.model_id
    mileage = 15_000 * max(1, today.year - case.model_year)
    value = market_value(model, case.model_year, mileage, today, case.region_code)
    # The toy car's inflated price makes its financed amount far above the valuation.
    price = (value * case.price_factor).quantize(Decimal(100))
    down_payment = (price * Decimal("0.35")).quantize(Decimal(100))
    return ApplicationDraft(
        vehicle=VehicleInput(
            vin=make_vin(model.wmi[0], case.model_year, serial),
            catalogue_model_id=model.id,
            model_year=case.model_year,
            mileage_km=mileage,
            price=str(price),
            is_new=False,
        ),
        customer=CustomerInput(
            kind=CustomerKind.PERSON,
            name=case.name,
            id_number=case.id_number,
            mobile=case.mobile,
            region_code=case.region_code,
        ),
        quote=ProductQuoteRequest(
            product_id=case.product_id,  # every demo car is used
            price=str(price),
            down_payment=str(down_payment),
            term_months=36,
            start_date=today,
            method=Method.BALLOON if case.balloon_percent else Method.ANNUITY,
            balloon=str((price * case.balloon_percent / 100).quantize(Decimal(100))),
        ),
    )


async def demo_clerk(db: AsyncSession, settings: Settings, username: str) -> Principal:
    """The account the demo files its applications as, with the photo store made ready."""
    user = await db.scalar(select(User).where(User.username == username))
    if user is None:
        raise LookupError(username)
    settings.storage_dir.mkdir(parents=True, exist_ok=True)
    return Principal(user.id, user.username, Role(user.role), user.organisation_id, "seed")


async def seed_demo_applications(
    db: AsyncSession, settings: Settings, engine: RiskEngine, username: str = "staff"
) -> list[ApplicationView]:
    """File and submit every demo case as ``username``; returns the decided applications."""
    clerk = await demo_clerk(db, settings, username)
    today = datetime.now(UTC).astimezone(BUSINESS_TZ).date()
    out = []
    for serial, case in enumerate(CASES, start=1):
        draft = _draft(case, engine.catalogue, today, serial)
        created = await applications.create(db, engine.pii, engine.catalogue, clerk, draft)
        await db.commit()
        for kind in (PhotoKind.ID_FRONT, PhotoKind.ID_BACK, PhotoKind.CUSTOMER_FACE,
                     PhotoKind.DRIVING_LICENCE, PhotoKind.VEHICLE):  # fmt: skip
            await photo_store.add(
                db, settings, clerk, created.id, kind, demo_jpeg(f"{case.label}{kind}"), None
            )
        out.append(
            await applications.submit(db, engine.pii, engine.catalogue, clerk, created.id, engine)
        )
        if case.filed_days_ago:  # filed long ago: no later case counts it as a recent one
            back = datetime.now(UTC) - timedelta(days=case.filed_days_ago)
            await db.execute(
                update(Application)
                .where(Application.id == created.id)
                .values(created_at=back, submitted_at=back, updated_at=back)
            )
            await db.commit()
    return out
