"""Signing on the phone 签署: the lessee confirms, proves the phone with a one-time code, and the
platform seals the very document they read.

The intent (who, when, from which device, that the code was verified, the SHA-256 of the
document shown) is recorded with the sealed PDF in one transaction. A failed seal raises before
anything is written, so the contract stays awaiting signature. Signing a signed contract again
answers the same sealed document.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.audit import service as audit
from backend.auth.otp import OneTimeCodes
from backend.auth.principal import Principal
from backend.contracts.seal import seal
from backend.contracts.service import PDF_CONTEXT, SIGNED_CONTEXT, get
from backend.db.models import Application, Contract, CustomerVersion
from backend.providers.sms import SmsSender
from backend.security.pii import PiiCipher
from backend.trust.ca import TrustMaterial
from common.api.auth import Role
from common.contracts import CONFIRMATIONS, ContractStatus, transition
from common.errors import DomainError, Forbidden
from common.identity.masking import mask_mobile

log = logging.getLogger(__name__)
ONLY_THE_LESSEE = Forbidden("lessee_only", "只有承租人本人可以签署合同", "Only the lessee signs")
SEAL_UNAVAILABLE = DomainError(
    "seal_unavailable",
    "电子签章服务暂时不可用，请稍后重试",
    "The seal could not be applied: try again",
    status=503,
)
SEAL_REASON = "承租人确认签署，平台加盖电子签章"
SEAL_LOCATION = "AutoLease 电子签约平台"


def purpose(contract: Contract) -> str:
    return f"contract_sign:{contract.id}"


async def lessee_mobile(db: AsyncSession, pii: PiiCipher, contract: Contract) -> str:
    """The mobile the contract's customer filed with the application (where the code goes)."""
    row = (
        await db.execute(
            select(CustomerVersion.mobile_enc)
            .join(Application, Application.customer_version_id == CustomerVersion.id)
            .where(Application.id == contract.application_id)
        )
    ).one()
    return pii.decrypt(row[0], context="customer.mobile")


async def _signable(db: AsyncSession, principal: Principal, contract_id: str) -> Contract:
    if principal.role != Role.LESSEE:
        raise ONLY_THE_LESSEE
    return await get(db, principal, contract_id)  # another lessee's contract: 404


async def send_code(
    db: AsyncSession,
    pii: PiiCipher,
    codes: OneTimeCodes,
    sms: SmsSender,
    principal: Principal,
    contract_id: str,
    now: datetime,
) -> str:
    """Text a signing code to the lessee's phone; returns the masked number it went to."""
    contract = await _signable(db, principal, contract_id)
    transition(contract.status, ContractStatus.SIGNED)  # 409 unless awaiting signature
    mobile = await lessee_mobile(db, pii, contract)
    await codes.issue(db, sms, mobile=mobile, purpose=purpose(contract), now=now)
    await audit.record(
        db, actor=principal, action="contract.code_sent", entity_type="contract",
        entity_id=contract.id, at=now,
    )  # fmt: skip
    return mask_mobile(mobile)


async def sign(
    db: AsyncSession,
    pii: PiiCipher,
    codes: OneTimeCodes,
    trust: TrustMaterial,
    principal: Principal,
    contract_id: str,
    *,
    code: str,
    confirmations: list[str],
    device: str,
    now: datetime,
) -> Contract:
    contract = await _signable(db, principal, contract_id)
    if contract.status == ContractStatus.SIGNED or contract.status == ContractStatus.ACTIVE:
        return contract  # signed already: the same sealed document
    transition(contract.status, ContractStatus.SIGNED)
    missing = sorted(set(CONFIRMATIONS) - set(confirmations))
    if missing:
        raise DomainError(
            "confirmations_missing",
            "请先勾选全部确认事项",
            "Tick every confirmation first",
            fields={name: CONFIRMATIONS[name] for name in missing},
        )
    mobile = await lessee_mobile(db, pii, contract)
    await codes.verify(db, mobile=mobile, purpose=purpose(contract), code=code, now=now)
    original = pii.decrypt_bytes(contract.pdf, context=PDF_CONTEXT)
    if hashlib.sha256(original).hexdigest() != contract.pdf_sha256:
        raise RuntimeError(f"contract {contract.id}: the stored document changed")
    try:
        sealed = await seal(original, trust, reason=SEAL_REASON, location=SEAL_LOCATION, at=now)
    except Exception as exc:  # nothing is written: the code, unspent, works again
        log.exception("sealing contract %s failed", contract.id)
        raise SEAL_UNAVAILABLE from exc
    signed_sha = hashlib.sha256(sealed).hexdigest()
    contract.status = ContractStatus.SIGNED.value
    contract.signed_pdf = pii.encrypt_bytes(sealed, context=SIGNED_CONTEXT)
    contract.signed_sha256 = signed_sha
    contract.signed_at = now
    lessee = next(p for p in contract.document["parties"] if p["role"] == "lessee")
    contract.sign_intent = {
        "user_id": principal.user_id,
        "at": now.isoformat(),
        "device": device[:200],
        "code_verified": True,
        "document_sha256": contract.pdf_sha256,
        "confirmations": sorted(confirmations),
        # A company signs through its authorised person (named, masked, in the contract).
        **({"signed_for_company_by": lessee["representative"]}
           if lessee["kind"] == "company" and lessee.get("representative") else {}),
    }  # fmt: skip
    contract.updated_at = now
    await db.flush()  # a concurrent signer loses on the version: 409
    for action, detail in (
        ("contract.signed", {"document_sha256": contract.pdf_sha256, "device": device[:200]}),
        ("contract.sealed", {"signed_sha256": signed_sha}),
    ):
        await audit.record(
            db, actor=principal, action=action, entity_type="contract", entity_id=contract.id,
            before={"status": ContractStatus.AWAITING_SIGNATURE.value},
            after={"status": contract.status}, detail=detail, at=now,
        )  # fmt: skip
    return contract
