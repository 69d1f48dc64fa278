"""Demo contracts 演示合同, through the real services: the demo lessee (陈建国, bound to the
`lessee` account) has one contract signed four months ago, funded and booked — a few months of
its schedule are behind it, paid on their due dates but for the latest, overdue — and a
second car's contract awaiting signature. The demo funder's API key is written to the data
directory so the funder API can be tried."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.otp import OneTimeCodes
from backend.auth.principal import Principal
from backend.contracts import funding, service, signing
from backend.db.models import Application, Contract, User
from backend.intake.catalogue import Catalogue
from backend.providers import sms as sms_outbox
from backend.providers.registry import sms_senders_for
from backend.security.pii import PiiCipher
from backend.servicing import dues
from backend.settings import Settings
from backend.trust.ca import ensure_demo_trust
from backend.trust.store import TrustStore
from common.api.auth import Role
from common.api.intake import ApplicationStatus
from common.contracts import CONFIRMATIONS
from common.money import from_fen

MONTHS_AGO = 122  # days: the active contract's first instalments are behind it
CODE = re.compile(r"验证码为 (\d{6})")
FUNDER = "org-funder"


async def _texted_code(db: AsyncSession, pii: PiiCipher, mobile: str) -> str:
    for message in await sms_outbox.latest(db, pii, mobile):
        found = CODE.search(message.text)
        if message.purpose.startswith("contract_sign") and found:
            return found.group(1)
    raise LookupError("the sandbox sent no signing code")


async def _sign_as_lessee(
    db: AsyncSession, settings: Settings, pii: PiiCipher, contract: Contract, at: datetime
) -> None:
    user = await db.scalar(select(User).where(User.customer_id == contract.customer_id))
    if user is None:
        raise LookupError("the contract's lessee was invited")
    lessee = Principal(user.id, user.username, Role.LESSEE, user.organisation_id, "demo",
                       customer_id=user.customer_id)  # fmt: skip
    codes = OneTimeCodes.for_settings(settings)
    sms = sms_senders_for(settings, pii)(db)
    await signing.send_code(db, pii, codes, sms, lessee, contract.id, at)
    mobile = await signing.lessee_mobile(db, pii, contract)
    code = await _texted_code(db, pii, mobile)
    # A demo CA dated from before the backdated signing, so the seal's time lies within it.
    ensure_demo_trust(settings.seal_trust_dir, now=at - timedelta(days=30))
    trust = TrustStore(settings.seal_trust_dir, may_create=True).material()
    await signing.sign(db, pii, codes, trust, lessee, contract.id, code=code,
                       confirmations=list(CONFIRMATIONS), device="演示数据", now=at)  # fmt: skip


async def _pay_the_rents_behind(db: AsyncSession, contract: Contract, now: datetime) -> None:
    """The rents behind the contract were paid on their due dates, but for the latest one: it is
    overdue, so the hall shows its banner and, once the daily sweep has run, its penalty, the
    M1 bucket and a case in the collections queue."""
    past = [r for r in await dues.instalments(db, contract) if r.due_date < now.date()]
    for row in past[:-1]:
        paid_at = datetime.combine(row.due_date, time(10, 0), tzinfo=UTC)
        rent = dues.state(row).lessee_owes
        await dues.apply(db, contract, rent, reference=f"demo-rent-{row.number}",
                         paid_on=row.due_date, at=paid_at)  # fmt: skip


async def seed_demo_contracts(
    db: AsyncSession,
    settings: Settings,
    pii: PiiCipher,
    catalogue: Catalogue,
    second_car: str,
    now: datetime,
) -> int:
    """The demo lessee's two contracts; ``second_car`` is the id of their second approved
    application. Returns how many contracts were made."""
    user = await db.scalar(select(User).where(User.username == "lessee"))
    if user is None or user.customer_id is None:
        return 0
    first = await db.scalar(
        select(Application.id)
        .where(Application.customer_id == user.customer_id,
               Application.status == ApplicationStatus.APPROVED.value,
               Application.id != second_car)
        .order_by(Application.submitted_at)
        .limit(1)
    )  # fmt: skip
    if first is None:
        return 0
    signed_on = now - timedelta(days=MONTHS_AGO)
    # The first application was filed and decided back then, too.
    filed_on = signed_on - timedelta(days=1)
    await db.execute(
        update(Application)
        .where(Application.id == first)
        .values(created_at=filed_on, submitted_at=filed_on, updated_at=filed_on)
    )
    sms = sms_senders_for(settings, pii)(db)
    active = await service.generate(db, pii, catalogue, sms, None, first, signed_on,
                                    app_url=settings.app_url)  # fmt: skip
    await _sign_as_lessee(db, settings, pii, active, signed_on + timedelta(hours=2))
    key = await funding.issue_key(db, settings.secret_key, FUNDER, "演示资金方", now)
    funder = await funding.funder_for(db, settings.secret_key, key)
    funded_on = signed_on + timedelta(days=2)
    await funding.confirm(db, funder, active.id, amount_fen=active.principal_fen,
                          value_date=funded_on.date(), reference="DEMO-BANK-0001",
                          now=funded_on)  # fmt: skip
    await _pay_the_rents_behind(db, active, now)
    from backend.payments.demo import seed_demo_exception  # a payment the desk must resolve

    await seed_demo_exception(db, settings, active, now)
    await service.generate(db, pii, catalogue, sms, None, second_car, now,
                           app_url=settings.app_url)  # fmt: skip
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    (settings.data_dir / "funder-api-key.txt").write_text(
        f"{key}\n# X-Api-Key of 示范银行 Demo Bank for /api/funder (financed "
        f"{from_fen(active.principal_fen)} on {active.number})\n",
        encoding="utf-8",
    )
    return 2
