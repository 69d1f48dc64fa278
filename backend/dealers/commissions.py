"""Commissions 经销商佣金: the rule set's versions (admin, audited), the commission a funded
lease earns (posted with the funding, in its transaction, exactly once), and the clawback when
the lease defaults early (posted by the daily servicing sweep, exactly once).

The ledger's references make each posting once-only: the commission's entries are referenced by
the contract id, the clawback's too; the `dealer_commissions` row changes only when its posting
is new."""

from __future__ import annotations

from datetime import date, datetime

import msgspec
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.audit import service as audit
from backend.auth.principal import Principal
from backend.db.models import (
    Application,
    CommissionRuleSet,
    Contract,
    DealerCommission,
    ProductVersion,
)
from backend.ledger import service as ledger
from common import ledger as postings
from common.api.dealers import CommissionRules
from common.business_day import business_date
from common.commissions import CommissionRule, clawed_back, commission_fen, problems, rule_for
from common.errors import DomainError
from common.ledger import Account


async def current(db: AsyncSession) -> tuple[int, list[CommissionRule]]:
    """The rule set in force: (version, rules); (0, []) before any is saved."""
    row = await db.scalar(
        select(CommissionRuleSet).order_by(CommissionRuleSet.version.desc()).limit(1)
    )
    if row is None:
        return 0, []
    return row.version, msgspec.convert(row.rules, list[CommissionRule])


async def save(
    db: AsyncSession, body: CommissionRules, actor: Principal | None, now: datetime
) -> int:
    """A new version of the rule set; refused whole, field by field, when any rule is wrong."""
    if found := problems(body.rules):
        raise DomainError("commission_rules_invalid", "佣金规则有误", "the rules have errors",
                          fields=found)  # fmt: skip
    version = int(await db.scalar(select(func.max(CommissionRuleSet.version))) or 0) + 1
    db.add(CommissionRuleSet(
        version=version, rules=msgspec.to_builtins(body.rules), reason=body.reason,
        created_by_id=actor.user_id if actor else None, created_at=now,
    ))  # fmt: skip
    await db.flush()
    await audit.record(
        db, actor=actor, action="commission.rules_saved", entity_type="commission_rules",
        entity_id=str(version), at=now,
        detail={"version": version, "rules": msgspec.to_builtins(body.rules),
                "reason": body.reason},
    )  # fmt: skip
    return version


async def _owed_back(db: AsyncSession, dealer_id: str) -> int:
    balances = await ledger.party_balances(db, dealer_id, (Account.DEALER_RECEIVABLE,))
    return max(0, balances.get(Account.DEALER_RECEIVABLE, 0))


async def on_funding(
    db: AsyncSession, contract: Contract, now: datetime
) -> DealerCommission | None:
    """Earn and pay the lease's commission as it is funded (None: no rule covers its product)."""
    version, rules = await current(db)
    product_id = await db.scalar(
        select(ProductVersion.product_id)
        .join(Application, Application.product_version_id == ProductVersion.id)
        .where(Application.id == contract.application_id)
    )  # fmt: skip
    rule = rule_for(rules, product_id or "")
    if rule is None:
        return None
    amount = commission_fen(rule, contract.principal_fen)
    if amount <= 0:
        return None
    owed = await _owed_back(db, contract.organisation_id)
    entries = postings.commission(contract.id, contract.organisation_id, amount, owed)
    posted = [await ledger.post(db, e, reference=contract.id, at=now, actor=None) for e in entries]
    if posted[0] is None:
        return await db.get(DealerCommission, contract.id)  # earned before: nothing again
    set_off = min(amount, owed)
    row = DealerCommission(
        contract_id=contract.id, dealer_id=contract.organisation_id, product_id=product_id or "",
        rule_version=version, basis=rule.basis.value, financed_fen=contract.principal_fen,
        amount_fen=amount, set_off_fen=set_off, paid_fen=amount - set_off,
        funded_on=business_date(now), earned_at=now, clawback_months=rule.clawback_months,
        clawback_days_past_due=rule.clawback_days_past_due, clawed_back_fen=0,
    )  # fmt: skip
    db.add(row)
    await audit.record(
        db, actor=None, action="commission.earned", entity_type="contract", entity_id=contract.id,
        at=now, detail={"dealer": contract.organisation_id, "amount_fen": amount,
                        "set_off_fen": set_off, "rule_version": version, "basis": rule.basis.value},
    )  # fmt: skip
    return row


async def claw_back_if_early(
    db: AsyncSession, contract: Contract, days_past_due: int, day: date, now: datetime
) -> bool:
    """The daily sweep's step: claw the commission back once if the lease defaulted within the
    window the rule had at funding."""
    row = await db.get(DealerCommission, contract.id)
    if row is None or row.clawed_back_at is not None:
        return False
    if not clawed_back(row.funded_on, day, days_past_due, months=row.clawback_months,
                       threshold_days=row.clawback_days_past_due):  # fmt: skip
        return False
    entry = postings.commission_clawback(contract.id, row.dealer_id, row.amount_fen)
    if await ledger.post(db, entry, reference=contract.id, at=now, actor=None) is None:
        return False
    row.clawed_back_fen = row.amount_fen
    row.clawed_back_at = now
    await audit.record(
        db, actor=None, action="commission.clawed_back", entity_type="contract",
        entity_id=contract.id, at=now,
        detail={"dealer": row.dealer_id, "amount_fen": row.amount_fen, "day": day.isoformat(),
                "days_past_due": days_past_due},
    )  # fmt: skip
    return True
