"""Demo partners 演示合作方: the seeded logistics company (速达物流) and insurer (安心保险) get a
webhook endpoint each, pointing at the backend's own demo receiver, and are attached, with a
named contact, to the demo lessee's active contracts. Their deliveries show on
`/demo/webhook-receiver`."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.db.base import new_id
from backend.db.models import Contract, ContractPartner, Organisation, User, WebhookEndpoint
from backend.partners import keys, outbox
from backend.partners.ssrf import RECEIVER_PATH
from backend.security.pii import PiiCipher
from backend.settings import Settings
from common.api.auth import OrganisationKind
from common.contracts import ContractStatus

# (organisation, receiver name, subscriptions, contact, contact's mobile: fictional numbers)
DEMO_PARTNERS = (
    ("org-logistics", "suda-logistics", ["alert.*"], "刘洋", "13700001111"),
    ("org-insurer", "anxin-insurance", ["alert.opened", "alert.resolved"], "黄静", "13700002222"),
)
ROLE_OF_KIND = {
    OrganisationKind.LOGISTICS.value: "logistics",
    OrganisationKind.INSURER.value: "insurer",
}


def receiver_url(settings: Settings, name: str) -> str:
    return settings.public_url.rstrip("/") + RECEIVER_PATH + name


async def seed_demo_partners(
    db: AsyncSession, settings: Settings, pii: PiiCipher, now: datetime
) -> int:
    """Endpoints for the demo partners (when they have none) and the partners of the demo
    lessee's active contracts. Returns how many contracts got partners."""
    user = await db.scalar(select(User).where(User.username == "lessee"))
    contracts = (
        list(
            await db.scalars(
                select(Contract.id).where(
                    Contract.customer_id == user.customer_id,
                    Contract.status == ContractStatus.ACTIVE.value,
                )
            )
        )
        if user is not None and user.customer_id is not None
        else []
    )
    for org_id, name, subscriptions, contact, mobile in DEMO_PARTNERS:
        org = await db.get(Organisation, org_id)
        if org is None:
            continue
        has_endpoint = await db.scalar(
            select(WebhookEndpoint.id).where(WebhookEndpoint.organisation_id == org_id).limit(1)
        )
        if has_endpoint is None:
            db.add(
                WebhookEndpoint(
                    id=new_id(), organisation_id=org_id, url=receiver_url(settings, name),
                    description="演示接收端 demo receiver",
                    secret_enc=keys.seal(pii, keys.new_secret()), event_types=subscriptions,
                    active=True, created_at=now, updated_at=now,
                )
            )  # fmt: skip
        role = ROLE_OF_KIND[org.kind]
        for contract_id in contracts:
            taken = await db.scalar(
                select(ContractPartner.id).where(
                    ContractPartner.contract_id == contract_id, ContractPartner.role == role
                )
            )
            if taken is None:
                db.add(
                    ContractPartner(
                        id=new_id(), contract_id=contract_id, organisation_id=org_id, role=role,
                        contact_name_enc=pii.encrypt(contact, context=outbox.CONTACT_NAME),
                        contact_mobile_enc=pii.encrypt(mobile, context=outbox.CONTACT_MOBILE),
                        sms_event_types=["alert.opened"], created_at=now, updated_at=now,
                    )
                )  # fmt: skip
    await db.flush()
    return len(contracts)
