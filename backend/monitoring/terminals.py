"""Terminals 车载终端: registered by staff at installation (the GPS fee on the quote pays for
it) on a contract's vehicle. A terminal gets a token for HTTP and MQTT (shown once; stored as a
keyed hash) and, when it registers over JT/T 808 (0x0100), an auth code (0x8100) it then
authenticates with (0x0102)."""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.audit import service as audit
from backend.auth.principal import Principal
from backend.db.models import Contract, Terminal
from common.api.monitoring import TerminalBody
from common.contracts import ContractStatus
from common.errors import Conflict, DomainError, NotFound

TERMINAL_NOT_FOUND = NotFound("terminal_not_found", "终端不存在", "No such terminal")
TAKEN = Conflict("terminal_taken", "该终端号或IMEI已登记", "The phone number or IMEI is registered")
PHONE = re.compile(r"^\d{11,20}$")
IMEI = re.compile(r"^\d{15}$")
VIN = re.compile(r"^[A-HJ-NPR-Z0-9]{17}$")


def token_hash(secret_key: str, token: str) -> str:
    return hmac.new(secret_key.encode(), b"terminal:" + token.encode(), hashlib.sha256).hexdigest()


def _invalid(field: str, zh: str) -> DomainError:
    return DomainError("terminal_invalid", zh, f"{field} is invalid", fields={field: "invalid"})


async def register(
    db: AsyncSession, secret_key: str, body: TerminalBody, actor: Principal, now: datetime
) -> tuple[Terminal, str]:
    """The terminal and its token (shown this once)."""
    phone, imei, vin = body.phone.strip(), body.imei.strip(), body.vin.strip().upper()
    if not PHONE.match(phone):
        raise _invalid("phone", "终端手机号须为11至20位数字")
    if not IMEI.match(imei):
        raise _invalid("imei", "IMEI须为15位数字")
    if not VIN.match(vin):
        raise _invalid("vin", "车架号格式有误")
    contract = await db.get(Contract, body.contract_id[:32])
    if contract is None:
        raise NotFound("contract_not_found", "合同不存在", "No such contract")
    if contract.status in (ContractStatus.SETTLED.value, ContractStatus.CANCELLED.value):
        raise Conflict("contract_not_monitorable", "合同已结清或已取消", "The contract is closed")
    if contract.document.get("vehicle", {}).get("vin", vin).upper() != vin:
        raise DomainError(
            "terminal_vin_mismatch",
            "车架号与合同车辆不一致",
            "the VIN is not the contract's vehicle",
            fields={"vin": "mismatch"},
        )
    taken = await db.scalar(select(Terminal.id).where(or_(Terminal.phone == phone,
                                                          Terminal.imei == imei)))  # fmt: skip
    if taken is not None:
        raise TAKEN
    token = "trm_" + secrets.token_urlsafe(24)
    terminal = Terminal(phone=phone, imei=imei, sim=body.sim, vin=vin, contract_id=contract.id,
                        token_hash=token_hash(secret_key, token), active=True,
                        created_by=actor.user_id, created_at=now)  # fmt: skip
    db.add(terminal)
    await db.flush()
    await audit.record(
        db, actor=actor, action="monitoring.terminal_registered", entity_type="contract",
        entity_id=contract.id, at=now, detail={"terminal_id": terminal.id, "vin": vin,
                                               "phone": phone[:3] + "****" + phone[-4:]},
    )  # fmt: skip
    return terminal, token


async def by_token(db: AsyncSession, secret_key: str, token: str) -> Terminal | None:
    if not token.startswith("trm_") or len(token) > 100:
        return None
    return await db.scalar(
        select(Terminal).where(
            Terminal.token_hash == token_hash(secret_key, token), Terminal.active.is_(True)
        )
    )


async def by_phone(db: AsyncSession, phone: str) -> Terminal | None:
    """A JT/T 808 terminal by its phone number (leading zeros of the BCD field dropped)."""
    digits = phone.lstrip("0")
    return await db.scalar(
        select(Terminal).where(
            or_(Terminal.phone == phone, Terminal.phone == digits), Terminal.active.is_(True)
        )
    )


async def give_auth_code(db: AsyncSession, terminal: Terminal, now: datetime) -> str:
    """JT/T 808 registration 0x0100 -> the auth code of the 0x8100 answer."""
    terminal.auth_code = secrets.token_hex(8)
    terminal.registered_at = now
    await audit.record(
        db, actor=None, action="monitoring.terminal_jt808_registered", entity_type="contract",
        entity_id=terminal.contract_id, at=now, detail={"terminal_id": terminal.id},
    )  # fmt: skip
    return terminal.auth_code


def authenticates(terminal: Terminal, code: str) -> bool:
    return terminal.auth_code is not None and hmac.compare_digest(terminal.auth_code, code)
