"""Lessees for tests: a customer filed by the east shop's clerk, invited through the service
(as the contract flow will), and the codes the sandbox SMS gateway "sent"."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime

from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.lessees import invite_lessee
from backend.auth.otp import OneTimeCodes
from backend.auth.principal import Principal
from backend.db.models import Customer
from backend.db.session import make_engine, make_sessionmaker
from backend.intake import customers
from backend.providers.registry import sms_senders_for
from backend.security.pii import PiiCipher
from backend.settings import Settings
from common.api.auth import Role
from common.api.intake import CustomerInput, CustomerKind

CLERK = Principal("clerk", "staff", Role.STAFF, "org-shop-east", "s")
# Public example numbers with valid check digits (GB 11643's example; a sandbox persona).
ZHANG = ("张三", "11010519491231002X", "13812345678")
CHEN = ("陈建国", "110105198506150014", "13901010001")
CODE = re.compile(r"验证码为 (\d{6})")


def pii_of(settings: Settings) -> PiiCipher:
    return PiiCipher(settings.pii_key_bytes(), settings.lookup_key_bytes())


@asynccontextmanager
async def session(settings: Settings) -> AsyncIterator[AsyncSession]:
    engine = make_engine(settings.database_url)
    try:
        async with make_sessionmaker(engine)() as db:
            yield db
    finally:
        await engine.dispose()


async def file_customer(db: AsyncSession, pii: PiiCipher, who: tuple[str, str, str]) -> Customer:
    name, id_number, mobile = who
    data = CustomerInput(CustomerKind.PERSON, name, id_number, mobile, "110105")
    customer, _ = await customers.file(db, pii, CLERK, "org-shop-east", data)
    return customer


async def invite(
    settings: Settings, who: tuple[str, str, str] = ZHANG, mobile: str | None = None
) -> str:
    """Files the customer and invites them (to their own number unless `mobile`); the user id."""
    pii = pii_of(settings)
    async with session(settings) as db:
        customer = await file_customer(db, pii, who)
        user = await invite_lessee(
            db, sms_senders_for(settings, pii)(db), pii, customer=customer,
            mobile=mobile or who[2], now=datetime.now(UTC), app_url=settings.app_url,
        )  # fmt: skip
        await db.commit()
        return user.id


async def outbox(client: AsyncTestClient, mobile: str) -> list[dict]:  # type: ignore[type-arg]
    r = await client.get("/api/sandbox/sms", params={"mobile": mobile})
    assert r.status_code == 200, r.text
    messages: list[dict] = r.json()
    return messages


async def latest_code(client: AsyncTestClient, mobile: str) -> str:  # type: ignore[type-arg]
    """The code of the newest sign-in message to `mobile`."""
    for message in await outbox(client, mobile):
        if message["purpose"] == "lessee_login":
            found = CODE.search(message["text"])
            assert found, message["text"]
            return found.group(1)
    raise AssertionError(f"no sign-in code was sent to {mobile}")


def codes_of(settings: Settings) -> OneTimeCodes:
    return OneTimeCodes.for_settings(settings)
