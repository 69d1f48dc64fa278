"""Demo contracts 演示合同, through the real services: the demo lessee (陈建国, bound to the
`lessee` account) has a pickup's balloon lease signed nearly three years ago, every rent paid,
its end of term open (renewal, buy-out, return); a contract signed four months ago, funded and
booked — a few months of its schedule behind it, paid on their due dates but for the latest,
overdue, and an extension request the rules referred to a risk officer; and a second car's
contract awaiting signature. The demo funder's API key is written to the data directory so the
funder API can be tried."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.otp import OneTimeCodes
from backend.auth.principal import Principal
from backend.contracts import funding, service, signing
from backend.db.models import Application, Contract, User
from backend.funders import agreements as funder_agreements
from backend.funders import allocation as colending
from backend.intake.catalogue import Catalogue
from backend.providers import sms as sms_outbox
from backend.providers.registry import sms_senders_for
from backend.risk.demo import PICKUP_SIGNED_DAYS_AGO
from backend.security.pii import PiiCipher
from backend.servicing import dues, extensions
from backend.settings import Settings
from backend.trust.ca import ensure_demo_trust
from backend.trust.store import TrustStore
from common.api.auth import Role
from common.api.intake import ApplicationStatus
from common.api.servicing import ExtensionRequestBody
from common.business_day import business_date
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


async def pay_the_rents_behind(
    db: AsyncSession, contract: Contract, now: datetime, *, all_of_them: bool = False
) -> None:
    """The rents behind the contract were paid on their due dates, but for the latest one: it is
    overdue, so the hall shows its banner and, once the daily sweep has run, its penalty, the
    M1 bucket and a case in the collections queue (`all_of_them`: that one too)."""
    past = [r for r in await dues.instalments(db, contract) if r.due_date < now.date()]
    for row in past if all_of_them else past[:-1]:
        paid_at = datetime.combine(row.due_date, time(10, 0), tzinfo=UTC)
        rent = dues.state(row).lessee_owes
        await dues.apply(db, contract, rent, reference=f"demo-rent-{row.number}",
                         paid_on=row.due_date, at=paid_at)  # fmt: skip


async def booked(
    db: AsyncSession, settings: Settings, pii: PiiCipher, catalogue: Catalogue,
    funder: funding.Funder, application_id: str, signed_on: datetime, bank_reference: str,
) -> Contract:  # fmt: skip
    """The application's contract, generated and signed on `signed_on`, funded two days later
    (booked: active)."""
    sms = sms_senders_for(settings, pii)(db)
    contract = await service.generate(db, pii, catalogue, sms, None, application_id, signed_on,
                                      app_url=settings.app_url)  # fmt: skip
    await _sign_as_lessee(db, settings, pii, contract, signed_on + timedelta(hours=2))
    funded_on = signed_on + timedelta(days=2)
    # 联合贷款: the demo bank wires its share under its agreement (backend.funders.demo).
    agreement = await funder_agreements.in_force(db, funder.organisation_id)
    amount = colending.amount_to_fund(agreement, contract.principal_fen)
    await funding.confirm(db, funder, contract.id, amount_fen=amount,
                          value_date=funded_on.date(), reference=bank_reference,
                          now=funded_on)  # fmt: skip
    return contract


async def _ask_for_an_extension(db: AsyncSession, contract: Contract, now: datetime) -> None:
    """The lessee, behind on the latest rent, asks for six more months: the extension rules
    refer it (in arrears), so the risk officer's 展期审核 queue has a request to decide."""
    user = await db.scalar(select(User).where(User.customer_id == contract.customer_id))
    assert user is not None
    lessee = Principal(user.id, user.username, Role.LESSEE, user.organisation_id, "demo",
                       customer_id=user.customer_id)  # fmt: skip
    body = ExtensionRequestBody(months_to_add=6, reason="物流淡季，收入下降，申请展期六个月")
    await extensions.file(db, contract, body, business_date(now), now, lessee)


async def seed_demo_contracts(
    db: AsyncSession,
    settings: Settings,
    pii: PiiCipher,
    catalogue: Catalogue,
    second_car: str,
    now: datetime,
    *,
    pickup: str | None = None,
) -> int:
    """The demo lessee's contracts; ``second_car`` is the id of their approved application
    awaiting signature, ``pickup`` of their balloon lease near its end. Returns how many
    contracts were made."""
    user = await db.scalar(select(User).where(User.username == "lessee"))
    if user is None or user.customer_id is None:
        return 0
    first = await db.scalar(
        select(Application.id)
        .where(Application.customer_id == user.customer_id,
               Application.status == ApplicationStatus.APPROVED.value,
               Application.id.not_in([second_car, pickup or ""]))
        .order_by(Application.submitted_at)
        .limit(1)
    )  # fmt: skip
    if first is None:
        return 0
    key = await funding.issue_key(db, settings.secret_key, FUNDER, "演示资金方", now)
    funder = await funding.funder_for(db, settings.secret_key, key)
    made = 0
    if pickup is not None:
        signed_on = now - timedelta(days=PICKUP_SIGNED_DAYS_AGO)
        near_end = await booked(db, settings, pii, catalogue, funder, pickup, signed_on,
                                 "DEMO-BANK-0002")  # fmt: skip
        await pay_the_rents_behind(db, near_end, now, all_of_them=True)
        made += 1
    signed_on = now - timedelta(days=MONTHS_AGO)
    # The first application was filed and decided back then, too.
    filed_on = signed_on - timedelta(days=1)
    await db.execute(
        update(Application)
        .where(Application.id == first)
        .values(created_at=filed_on, submitted_at=filed_on, updated_at=filed_on)
    )
    active = await booked(db, settings, pii, catalogue, funder, first, signed_on,
                           "DEMO-BANK-0001")  # fmt: skip
    await pay_the_rents_behind(db, active, now)
    await _ask_for_an_extension(db, active, now)
    from backend.payments.demo import seed_demo_exception  # a payment the desk must resolve

    await seed_demo_exception(db, settings, active, now)
    sms = sms_senders_for(settings, pii)(db)
    await service.generate(db, pii, catalogue, sms, None, second_car, now,
                           app_url=settings.app_url)  # fmt: skip
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    (settings.data_dir / "funder-api-key.txt").write_text(
        f"{key}\n# X-Api-Key of 示范银行 Demo Bank for /api/funder (financed "
        f"{from_fen(active.principal_fen)} on {active.number})\n",
        encoding="utf-8",
    )
    return made + 2
