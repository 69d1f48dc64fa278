"""Demo organisations and accounts (password `demo` for all); seeds an empty database only."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.db.models import (
    Application,
    Customer,
    CustomerVersion,
    OemDealer,
    Organisation,
    User,
)
from backend.products.seeded import ensure_products
from backend.risk.family_rulesets import FAMILY_DEFAULTS
from backend.risk.rulesets import ensure_default
from backend.security.passwords import hash_password
from backend.security.pii import PiiCipher
from backend.settings import Settings
from common.api.auth import OrganisationKind, Role
from common.api.intake import ApplicationStatus, ProductFamily

DEMO_PASSWORD = "demo"  # noqa: S105 - the published demo password

ORGANISATIONS = [
    ("org-shop-east", "城东轮胎店 East Tyre Shop", OrganisationKind.DEALER, "110105"),
    ("org-shop-west", "城西汽车服务 West Auto Service", OrganisationKind.DEALER, "310104"),
    ("org-lessor", "安租融资租赁 AnZu Leasing", OrganisationKind.LESSOR, "310115"),
    ("org-funder", "示范银行 Demo Bank", OrganisationKind.FUNDER, "110102"),
    ("org-logistics", "速达物流 SuDa Logistics", OrganisationKind.LOGISTICS, "440305"),
    ("org-insurer", "安心保险 AnXin Insurance", OrganisationKind.INSURER, "310101"),
    ("org-oem", "一汽-大众 FAW-Volkswagen", OrganisationKind.OEM, "220104"),
]
# The OEM's dealer network: the east shop sells its cars; the west shop is not in it.
OEM_NETWORK = [("org-oem", "org-shop-east")]

USERS = [
    ("staff", "王小明（城东业务员）", Role.STAFF, "org-shop-east"),
    ("staff2", "李娜（城西业务员）", Role.STAFF, "org-shop-west"),
    ("dealer", "赵刚（城东店主）", Role.DEALER_ADMIN, "org-shop-east"),
    ("dealer2", "孙丽（城西店主）", Role.DEALER_ADMIN, "org-shop-west"),
    ("lessee", "陈建国（承租人）", Role.LESSEE, "org-lessor"),  # the demo data binds it to 陈建国
    ("risk", "周敏（风控经理）", Role.RISK_OFFICER, "org-lessor"),
    ("monitor", "吴强（租后管理）", Role.MONITOR, "org-lessor"),
    ("admin", "系统管理员", Role.ADMIN, "org-lessor"),
    ("funder", "钱明（示范银行资产管理）", Role.FUNDER, "org-funder"),
    ("oem", "郑伟（一汽-大众渠道管理）", Role.OEM, "org-oem"),
    # the charging operator's account: the demo binds it to the charging-pile lease's company
    ("operator", "刘洋（充电运营商）", Role.LESSEE, "org-lessor"),
]


async def seed_demo(db: AsyncSession) -> bool:
    """Returns False when the database already has accounts (nothing is touched then)."""
    if await db.scalar(select(User.id).limit(1)) is not None:
        return False
    for org_id, name, kind, region in ORGANISATIONS:
        db.add(Organisation(id=org_id, name=name, kind=kind.value, region_code=region))
    await db.flush()
    for oem_id, dealer_id in OEM_NETWORK:
        db.add(OemDealer(oem_id=oem_id, dealer_id=dealer_id))
    password_hash = hash_password(DEMO_PASSWORD)
    for username, display, role, org_id in USERS:
        db.add(
            User(
                username=username,
                display_name=display,
                password_hash=password_hash,
                role=role.value,
                organisation_id=org_id,
            )
        )
    await db.flush()
    await ensure_default(db)  # the default rule set, published as version 1
    for family in FAMILY_DEFAULTS:  # each partner family's own, its version 1
        await ensure_default(db, family.value)
    await ensure_products(db, datetime.now(UTC).date())  # the lessor's products, version 1 each
    await db.commit()
    return True


async def seed_demo_data(db: AsyncSession, settings: Settings) -> int:
    """Demo applications (approved, referred, declined for visible reasons) when there are none;
    run after `seed_demo`. Returns how many were filed."""
    from backend.intake.catalogue import Catalogue
    from backend.risk.demo import seed_demo_applications
    from backend.risk.service import engine_for

    if await db.scalar(select(Application.id).limit(1)) is not None:
        return 0
    pii = PiiCipher(settings.pii_key_bytes(), settings.lookup_key_bytes())
    engine = engine_for(settings, pii, Catalogue.load())
    decided = await seed_demo_applications(db, settings, engine)
    await bind_demo_lessee(db, pii)
    await db.commit()
    from backend.risk.partner_demo import seed_demo_partner_applications

    # one company per partner family, decided by the family's rule set
    partners = await seed_demo_partner_applications(db, settings, engine)
    await db.commit()
    # the first customer's pickup and second car (backend/risk/demo.py)
    pickup, second_car = decided[-2], decided[-1]
    from backend.dealers.demo import seed_demo_commission_rules

    await seed_demo_commission_rules(db, datetime.now(UTC))  # before the demo leases are funded
    from backend.funders.demo import seed_demo_agreement

    await seed_demo_agreement(db, datetime.now(UTC))  # co-lent: before they are funded too
    if second_car.status == ApplicationStatus.APPROVED:
        from backend.contracts.demo import seed_demo_contracts

        await seed_demo_contracts(
            db, settings, pii, engine.catalogue, second_car.id, datetime.now(UTC),
            pickup=pickup.id if pickup.status == ApplicationStatus.APPROVED else None,
        )  # fmt: skip
        await db.commit()
    charging = next((a for a in partners if a.product_family == ProductFamily.CHARGING_PILE
                     and a.status == ApplicationStatus.APPROVED), None)  # fmt: skip
    if charging is not None:  # its lease, four months in, with the operator's reports
        from backend.revenue_share.demo import seed_demo_revenue_share

        await seed_demo_revenue_share(db, settings, pii, engine.catalogue, charging.id,
                                      datetime.now(UTC))  # fmt: skip
        await db.commit()
    from backend.monitoring.demo import seed_demo_monitoring
    from backend.partners.demo import seed_demo_partners  # the partners of the active ones

    await seed_demo_partners(db, settings, pii, datetime.now(UTC))
    await db.commit()
    # the vehicles' alerts, after the partners: they hear of them through the outbox
    await seed_demo_monitoring(db, settings, datetime.now(UTC))
    await db.commit()
    from backend.floorplan.demo import seed_demo_floorplan  # the east dealer's floor plan

    await seed_demo_floorplan(db, settings, datetime.now(UTC))
    await db.commit()
    return len(decided) + len(partners)


async def bind_demo_lessee(db: AsyncSession, pii: PiiCipher) -> bool:
    """The demo `lessee` account becomes the lessee of the first approved demo application's
    customer (invited, identity not yet proved), so it can also sign in with an SMS code sent to
    that customer's number. False when there is no such application or account."""
    from backend.auth.lessees import bind
    from backend.intake.customers import reveal

    row = (
        await db.execute(
            select(Customer, CustomerVersion)
            .join(Application, Application.customer_id == Customer.id)
            .join(CustomerVersion, CustomerVersion.id == Application.customer_version_id)
            .where(Application.status == ApplicationStatus.APPROVED.value)
            .order_by(Application.submitted_at, Application.id)
            .limit(1)
        )
    ).first()
    user = await db.scalar(select(User).where(User.username == "lessee"))
    if row is None or user is None:
        return False
    customer, version = row
    bind(pii, user, customer, reveal(pii, customer, version)[2], datetime.now(UTC))
    await db.flush()
    return True
