"""Partner organisations, their webhook endpoints, a contract's partners and the delivery log:
load, check, persist (the outbox itself is backend/partners/outbox.py). Every change is on the
audit log, without secrets or personal data."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.audit import service as audit
from backend.auth.principal import Principal
from backend.db.base import new_id
from backend.db.models import (
    Contract,
    ContractPartner,
    Organisation,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)
from backend.partners import keys, outbox
from backend.partners.ssrf import Refused, UrlPolicy
from backend.security.pii import PiiCipher
from common.api.auth import OrganisationKind
from common.api.partners import (
    AttemptView,
    ContractPartnerRequest,
    ContractPartnerView,
    DeliveryStatus,
    DeliveryView,
    EndpointChange,
    EndpointRequest,
    EndpointSecret,
    EndpointView,
    PartnerRequest,
    PartnerRole,
    PartnerView,
    RotateRequest,
)
from common.errors import Conflict, DomainError, NotFound
from common.identity import mask_mobile, mask_name

PARTNER_KINDS = (OrganisationKind.LOGISTICS.value, OrganisationKind.INSURER.value)
LIST_LIMIT = 200

PARTNER_NOT_FOUND = NotFound("partner_not_found", "找不到该合作方", "No such partner organisation")
ENDPOINT_NOT_FOUND = NotFound("endpoint_not_found", "找不到该推送地址", "No such endpoint")
CONTRACT_NOT_FOUND = NotFound("contract_not_found", "找不到该合同", "No such contract")
DELIVERY_NOT_FOUND = NotFound("delivery_not_found", "找不到该推送记录", "No such delivery")


def _url_invalid(exc: Refused) -> DomainError:
    return DomainError(
        "endpoint_url_invalid",
        "推送地址无效：须为 https 公网地址",
        f"The endpoint URL is not allowed: {exc.detail}",
        fields={"url": exc.detail},
    )


def _check_url(policy: UrlPolicy, url: str) -> str:
    try:
        policy.check(url)
    except Refused as exc:
        raise _url_invalid(exc) from exc
    return url


async def _partner(db: AsyncSession, org_id: str) -> Organisation:
    org = await db.get(Organisation, org_id)
    if org is None or org.kind not in PARTNER_KINDS:
        raise PARTNER_NOT_FOUND
    return org


async def _endpoint(db: AsyncSession, endpoint_id: str, *, lock: bool = False) -> WebhookEndpoint:
    query = select(WebhookEndpoint).where(WebhookEndpoint.id == endpoint_id)
    found = await db.scalar(query.with_for_update() if lock else query)
    if found is None:
        raise ENDPOINT_NOT_FOUND
    return found


def endpoint_view(e: WebhookEndpoint) -> EndpointView:
    return EndpointView(
        id=e.id, organisation_id=e.organisation_id, url=e.url, description=e.description,
        event_types=list(e.event_types), active=e.active, created_at=e.created_at,
        secret_rotated_at=e.secret_rotated_at,
        previous_secret_expires_at=e.previous_secret_expires_at,
    )  # fmt: skip


# -- partner organisations ---------------------------------------------------------------------


async def create_partner(
    db: AsyncSession, caller: Principal, data: PartnerRequest, now: datetime
) -> PartnerView:
    org = Organisation(
        id=new_id(), name=data.name.strip(), kind=data.kind.value, region_code=data.region_code
    )
    if not org.name:
        raise DomainError("partner_name_invalid", "请填写合作方名称", "The name is empty")
    db.add(org)
    await db.flush()
    await audit.record(db, actor=caller, action="partner.created", entity_type="organisation",
                       entity_id=org.id, after={"kind": org.kind}, at=now)  # fmt: skip
    return PartnerView(id=org.id, name=org.name, kind=org.kind, region_code=org.region_code,
                       endpoints=0)  # fmt: skip


async def list_partners(db: AsyncSession) -> list[PartnerView]:
    counts = (
        select(WebhookEndpoint.organisation_id, func.count().label("n"))
        .group_by(WebhookEndpoint.organisation_id)
        .subquery()
    )
    rows = await db.execute(
        select(Organisation, counts.c.n)
        .outerjoin(counts, counts.c.organisation_id == Organisation.id)
        .where(Organisation.kind.in_(PARTNER_KINDS))
        .order_by(Organisation.kind, Organisation.name, Organisation.id)
    )
    return [
        PartnerView(id=o.id, name=o.name, kind=o.kind, region_code=o.region_code,
                    endpoints=int(n or 0))
        for o, n in rows
    ]  # fmt: skip


# -- endpoints ---------------------------------------------------------------------------------


async def create_endpoint(
    db: AsyncSession, caller: Principal, pii: PiiCipher, policy: UrlPolicy, org_id: str,
    data: EndpointRequest, now: datetime,
) -> EndpointSecret:  # fmt: skip
    await _partner(db, org_id)
    secret = keys.new_secret()
    e = WebhookEndpoint(
        id=new_id(), organisation_id=org_id, url=_check_url(policy, data.url),
        description=data.description, secret_enc=keys.seal(pii, secret),
        event_types=sorted(set(data.event_types)), active=True, created_at=now, updated_at=now,
    )  # fmt: skip
    db.add(e)
    await db.flush()
    await audit.record(db, actor=caller, action="webhook_endpoint.created",
                       entity_type="webhook_endpoint", entity_id=e.id,
                       after={"url": e.url, "event_types": e.event_types}, at=now)  # fmt: skip
    return EndpointSecret(endpoint=endpoint_view(e), secret=secret)


async def list_endpoints(db: AsyncSession, org_id: str) -> list[EndpointView]:
    await _partner(db, org_id)
    found = await db.scalars(
        select(WebhookEndpoint)
        .where(WebhookEndpoint.organisation_id == org_id)
        .order_by(WebhookEndpoint.created_at, WebhookEndpoint.id)
    )
    return [endpoint_view(e) for e in found]


async def change_endpoint(
    db: AsyncSession, caller: Principal, policy: UrlPolicy, endpoint_id: str,
    data: EndpointChange, now: datetime,
) -> EndpointView:  # fmt: skip
    e = await _endpoint(db, endpoint_id, lock=True)
    before = {"url": e.url, "event_types": list(e.event_types), "active": e.active}
    if data.url is not None:
        e.url = _check_url(policy, data.url)
    if data.event_types is not None:
        e.event_types = sorted(set(data.event_types))
    if data.description is not None:
        e.description = data.description
    if data.active is not None:
        e.active = data.active
    e.updated_at = now
    await db.flush()
    after = {"url": e.url, "event_types": list(e.event_types), "active": e.active}
    await audit.record(db, actor=caller, action="webhook_endpoint.changed",
                       entity_type="webhook_endpoint", entity_id=e.id, before=before,
                       after=after, at=now)  # fmt: skip
    return endpoint_view(e)


async def rotate_secret(
    db: AsyncSession, caller: Principal, pii: PiiCipher, endpoint_id: str, data: RotateRequest,
    now: datetime,
) -> EndpointSecret:  # fmt: skip
    """A new secret signs from now on; the one it replaces signs beside it (a second ``v1``) for
    ``previous_valid_hours``. A secret older than that is gone for good."""
    e = await _endpoint(db, endpoint_id, lock=True)
    secret = keys.new_secret()
    if data.previous_valid_hours > 0:
        e.previous_secret_enc = e.secret_enc
        e.previous_secret_expires_at = now + timedelta(hours=data.previous_valid_hours)
    else:
        e.previous_secret_enc, e.previous_secret_expires_at = None, None
    e.secret_enc = keys.seal(pii, secret)
    e.secret_rotated_at = e.updated_at = now
    await db.flush()
    await audit.record(db, actor=caller, action="webhook_endpoint.secret_rotated",
                       entity_type="webhook_endpoint", entity_id=e.id,
                       detail={"previous_valid_hours": data.previous_valid_hours},
                       at=now)  # fmt: skip
    return EndpointSecret(endpoint=endpoint_view(e), secret=secret)


# -- a contract's partners ---------------------------------------------------------------------


def _partner_view(pii: PiiCipher, p: ContractPartner, org: Organisation) -> ContractPartnerView:
    name = pii.decrypt(p.contact_name_enc, context=outbox.CONTACT_NAME)
    mobile = pii.decrypt(p.contact_mobile_enc, context=outbox.CONTACT_MOBILE)
    return ContractPartnerView(
        id=p.id, contract_id=p.contract_id, role=p.role, organisation_id=org.id,
        organisation_name=org.name, contact_name=mask_name(name),
        contact_mobile=mask_mobile(mobile), sms_event_types=list(p.sms_event_types),
    )  # fmt: skip


async def _contract_id(db: AsyncSession, contract_id: str) -> str:
    found = await db.scalar(select(Contract.id).where(Contract.id == contract_id))
    if found is None:
        raise CONTRACT_NOT_FOUND
    return found


async def set_contract_partner(
    db: AsyncSession, caller: Principal, pii: PiiCipher, contract_id: str, role: str,
    data: ContractPartnerRequest, now: datetime,
) -> ContractPartnerView:  # fmt: skip
    """The contract's partner in ``role`` (logistics | insurer), replacing the one before."""
    try:
        wanted = PartnerRole(role)
    except ValueError as exc:
        raise NotFound("not_found", "找不到该内容", "Not found") from exc
    await _contract_id(db, contract_id)
    org = await _partner(db, data.organisation_id)
    if org.kind != wanted.value:
        raise DomainError("partner_role_mismatch", "该合作方的类型与角色不符",
                          f"The organisation is a {org.kind}, not a {wanted.value}",
                          fields={"organisation_id": org.kind})  # fmt: skip
    p = await db.scalar(
        select(ContractPartner)
        .where(ContractPartner.contract_id == contract_id, ContractPartner.role == wanted.value)
        .with_for_update()
    )
    before = None if p is None else {"organisation_id": p.organisation_id}
    if p is None:
        p = ContractPartner(id=new_id(), contract_id=contract_id, role=wanted.value,
                            created_at=now)  # fmt: skip
        db.add(p)
    p.organisation_id = org.id
    p.contact_name_enc = pii.encrypt(data.contact_name, context=outbox.CONTACT_NAME)
    p.contact_mobile_enc = pii.encrypt(data.contact_mobile, context=outbox.CONTACT_MOBILE)
    p.sms_event_types = sorted(set(data.sms_event_types))
    p.updated_at = now
    await db.flush()
    await audit.record(db, actor=caller, action="contract.partner_set", entity_type="contract",
                       entity_id=contract_id, before=before,
                       after={"organisation_id": org.id, "role": wanted.value},
                       detail={"role": wanted.value}, at=now)  # fmt: skip
    return _partner_view(pii, p, org)


async def contract_partners(
    db: AsyncSession, pii: PiiCipher, contract_id: str
) -> list[ContractPartnerView]:
    await _contract_id(db, contract_id)
    rows = await db.execute(
        select(ContractPartner, Organisation)
        .join(Organisation, Organisation.id == ContractPartner.organisation_id)
        .where(ContractPartner.contract_id == contract_id)
        .order_by(ContractPartner.role)
    )
    return [_partner_view(pii, p, o) for p, o in rows]


# -- the delivery log --------------------------------------------------------------------------


def _delivery_view(d: WebhookDelivery, url: str, history: list[AttemptView]) -> DeliveryView:
    return DeliveryView(
        id=d.id, endpoint_id=d.endpoint_id, endpoint_url=url, organisation_id=d.organisation_id,
        contract_id=d.contract_id, event_id=d.event_id, event_type=d.event_type, status=d.status,
        attempts=d.total_attempts, next_attempt_at=d.next_attempt_at,
        last_status_code=d.last_status_code, last_error_code=d.last_error_code,
        last_error=d.last_error, created_at=d.created_at, last_attempt_at=d.last_attempt_at,
        delivered_at=d.delivered_at, history=history,
    )  # fmt: skip


async def deliveries(
    db: AsyncSession, *, event_id: str | None, contract_id: str | None,
    status: DeliveryStatus | None, alert_id: str | None = None, limit: int = LIST_LIMIT,
) -> list[DeliveryView]:  # fmt: skip
    """Newest first, at most ``limit``. An alert's events are `{alert id}:{what}`
    (backend.monitoring.partner_events)."""
    query = select(WebhookDelivery, WebhookEndpoint.url).join(
        WebhookEndpoint, WebhookEndpoint.id == WebhookDelivery.endpoint_id
    )
    if event_id is not None:
        query = query.where(WebhookDelivery.event_id == event_id)
    if contract_id is not None:
        query = query.where(WebhookDelivery.contract_id == contract_id)
    if alert_id is not None:
        query = query.where(WebhookDelivery.event_id.startswith(f"{alert_id}:", autoescape=True))
    if status is not None:
        query = query.where(WebhookDelivery.status == status.value)
    rows = await db.execute(
        query.order_by(WebhookDelivery.created_at.desc(), WebhookDelivery.id).limit(limit)
    )
    return [_delivery_view(d, url, []) for d, url in rows]


async def delivery(db: AsyncSession, delivery_id: str) -> DeliveryView:
    row = (
        await db.execute(
            select(WebhookDelivery, WebhookEndpoint.url)
            .join(WebhookEndpoint, WebhookEndpoint.id == WebhookDelivery.endpoint_id)
            .where(WebhookDelivery.id == delivery_id)
            .execution_options(populate_existing=True)
        )
    ).first()
    if row is None:
        raise DELIVERY_NOT_FOUND
    d, url = row
    attempts = await db.scalars(
        select(WebhookAttempt)
        .where(WebhookAttempt.delivery_id == d.id)
        .order_by(WebhookAttempt.number)
    )
    history = [
        AttemptView(number=a.number, at=a.at, duration_ms=a.duration_ms,
                    status_code=a.status_code, error_code=a.error_code, error=a.error)
        for a in attempts
    ]  # fmt: skip
    return _delivery_view(d, url, history)


async def retry(
    db: AsyncSession, caller: Principal, delivery_id: str, now: datetime
) -> DeliveryView:
    """Sends a failed or given-up delivery again now, with a fresh retry schedule."""
    d = await db.scalar(
        select(WebhookDelivery).where(WebhookDelivery.id == delivery_id).with_for_update()
    )
    if d is None:
        raise DELIVERY_NOT_FOUND
    if d.status == DeliveryStatus.DELIVERED.value:
        raise Conflict("delivery_already_delivered", "该推送已送达", "Already delivered")
    if d.locked_until is not None and d.locked_until > now:
        raise Conflict("delivery_in_flight", "该推送正在发送，请稍后再试",
                       "The delivery is being sent right now")  # fmt: skip
    before = d.status
    d.status, d.attempts, d.next_attempt_at = DeliveryStatus.PENDING.value, 0, now
    await db.flush()
    await audit.record(db, actor=caller, action="webhook_delivery.retried",
                       entity_type="webhook_delivery", entity_id=d.id,
                       before={"status": before}, after={"status": d.status},
                       at=now)  # fmt: skip
    return await delivery(db, d.id)
