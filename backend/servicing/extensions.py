"""Extension 展期: preview, file, decide by the extension rule set (approve / decline / refer to
a risk officer), apply as a schedule revision, reverse.

`common.servicing.extend` re-amortises the principal outstanding plus the arrears (capitalised,
with their penalty to the day) over the remaining term plus the months added, at the contract
rate. Applying writes revision N+1 (the old rows stay, untouched, under their revision) and
posts `extension_booked` (`common.ledger.extension_booked`: the interest the new schedule adds,
the arrears' interest earned as it becomes principal, their fees and penalty moved into the
receivable, the extension fee). What was paid ahead on the old rows to come is lifted to 溢缴款
first and applied to the new rows, oldest first (`dues.lift_ahead` / `carry_ahead`). Reversing
is allowed while the revision is the latest and nothing was paid or booked on its rows; it
points the contract back at the revision it was made from and posts `extension_reversed`, the
mirror of the booking.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import msgspec
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.audit import service as audit
from backend.auth.principal import Principal
from backend.db.models import (
    Contract,
    ContractInstalment,
    ExtensionRequest,
    ExtensionRuleSet,
    PaymentAllocation,
    ScheduleRevision,
)
from backend.ledger import service as ledger
from backend.servicing import dues, eligibility, prepayment, quotes
from common import ledger as postings
from common.api.contracts import Instalment
from common.api.servicing import (
    DecisionView,
    ExtensionPreview,
    ExtensionRequestBody,
    ReasonView,
    TermsView,
)
from common.contracts import ContractStatus
from common.errors import Conflict, DomainError, NotFound
from common.lease_terms import MAX_TERM_MONTHS
from common.money import from_fen, to_fen
from common.rules.decision import Decision
from common.rules.model import RuleSet
from common.schedule import Schedule, build_schedule
from common.servicing import Extension, extend
from common.servicing.delinquency import bucket_for
from common.servicing.policy import policy_for
from common.servicing.position import position, remainder_terms
from common.servicing.standing import summary

EXTENSION_NOT_FOUND = NotFound("extension_not_found", "展期申请不存在", "No such extension")
NOT_REVERSIBLE = Conflict(
    "extension_not_reversible", "展期后的还款计划已被后续变更或已有还款，不能撤销",
    "The extension's schedule was changed or paid since: it cannot be reversed",
)  # fmt: skip
NOT_REFERRED = Conflict(
    "extension_not_referred", "该展期申请不在待审核状态", "The extension is not awaiting review"
)


def _money(d: Any) -> str:
    return f"{d:.2f}"


async def ruleset(db: AsyncSession) -> tuple[RuleSet, ExtensionRuleSet | None]:
    """The extension rule set in force: the latest published version, or the shipped default."""
    row = await db.scalar(
        select(ExtensionRuleSet).order_by(ExtensionRuleSet.version.desc()).limit(1)
    )
    if row is None:
        return eligibility.DEFAULT, None
    return msgspec.convert(row.body, RuleSet), row


async def publish(
    db: AsyncSession, body: dict[str, Any], note: str, actor: Principal, now: datetime
) -> ExtensionRuleSet:
    """A new version, validated before it is stored; audited with its content."""
    candidate = eligibility.parse(body)
    current, _ = await ruleset(db)
    version = current.version + 1
    stored = msgspec.structs.replace(candidate, version=version)
    row = ExtensionRuleSet(
        version=version, body=msgspec.to_builtins(stored), note=note,
        published_by=actor.user_id, published_at=now,
    )  # fmt: skip
    db.add(row)
    await db.flush()
    await audit.record(
        db, actor=actor, action="extension_rules.published", entity_type="extension_rule_set",
        entity_id=str(version), before=msgspec.to_builtins(current), after=row.body,
        detail={"note": note}, at=now,
    )  # fmt: skip
    return row


def _terms(schedule: Schedule, offset: int, rate: Decimal | None = None) -> TermsView:
    last = schedule.instalments[-1]
    shown = schedule.annualised_rate_percent if rate is None else rate
    return TermsView(
        rent=_money(schedule.rent), term_months=last.number + offset,
        annualised_rate_percent=str(shown), end_date=last.due_date,
    )  # fmt: skip


def _remaining_rate(schedule: Schedule, as_of: date) -> Decimal:
    """The rate by IRR of what remains of `schedule` from `as_of`, re-amortised unchanged: the
    like-for-like figure beside the extended schedule's (the signed rate also prices the fees
    paid at signing, which neither schedule from today carries)."""
    pos = position(schedule, as_of)
    if not pos.remaining:
        return schedule.annualised_rate_percent
    terms = remainder_terms(schedule, pos, principal=pos.outstanding_principal,
                            term_months=len(pos.remaining))  # fmt: skip
    return build_schedule(terms).annualised_rate_percent


def decision_view(d: Decision) -> DecisionView:
    return DecisionView(
        outcome=d.outcome, ruleset_version=d.ruleset_version,
        reasons=[ReasonView(code=r.code, kind=r.kind, text=r.zh, rule=r.source)
                 for r in d.reasons],
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class Computed:
    ext: Extension
    offset: int  # contract number of the new schedule's instalment 0
    rows: list[ContractInstalment]
    rebuilt: quotes.Rebuilt
    months: int
    fee: int


async def compute(
    db: AsyncSession, contract: Contract, body: ExtensionRequestBody, today: date, *,
    renewal: bool = False,
) -> Computed:  # fmt: skip
    """The extension as of `today`; a `renewal` (续租, `backend.servicing.end_of_term`) also
    amortises the balloon and carries no extension fee."""
    if contract.status != ContractStatus.ACTIVE.value:
        raise dues.NOT_ACTIVE
    rows = await dues.instalments(db, contract)
    rebuilt = await quotes.schedule_for(db, contract)
    current_term = rebuilt.schedule.instalments[-1].number + rebuilt.offset
    if (body.months_to_add is None) == (body.new_term_months is None):
        raise DomainError(
            "extension_invalid", "请填写展期月数或展期后的期限（二选一）",
            "give months_to_add or new_term_months", fields={"months_to_add": "extension_invalid"},
        )  # fmt: skip
    months = body.months_to_add or (body.new_term_months or 0) - current_term
    if months < 1:
        raise DomainError(
            "extension_invalid", "展期后的期限须长于现期限", "the new term must be longer",
            fields={"new_term_months": "extension_invalid"},
        )  # fmt: skip
    policy = policy_for(contract.document["terms"]["product_name"])
    ext = extend(
        rebuilt.schedule, today, months, arrears=quotes.arrears_of(rows, today),
        penalty_rule=policy.penalty, refinance_balloon=renewal,
    )  # fmt: skip
    return Computed(ext, rebuilt.offset + ext.number_offset, rows, rebuilt, months,
                    0 if renewal else policy.extension_fee_fen)  # fmt: skip


def preview_of(c: Computed, decision: Decision | None) -> ExtensionPreview:
    new = c.ext.schedule
    schedule = [
        Instalment(
            number=i.number + c.offset, due_date=i.due_date,
            amount_due=_money(i.amount_due + (from_fen(c.fee) if k == 0 else 0)),
            principal=_money(i.principal), interest=_money(i.interest),
            fees=_money(i.fees + (from_fen(c.fee) if k == 0 else 0)), balance=_money(i.balance),
            kind=str(i.kind),
        )
        for k, i in enumerate(new.instalments)
    ]  # fmt: skip
    return ExtensionPreview(
        current=_terms(c.rebuilt.schedule, c.rebuilt.offset,
                       _remaining_rate(c.rebuilt.schedule, c.ext.as_of)),
        proposed=_terms(new, c.offset),
        months_to_add=c.months, fee=_money(from_fen(c.fee)),
        capitalised=_money(c.ext.capitalised), schedule=schedule,
        decision=None if decision is None else decision_view(decision),
        paid_ahead=_money(from_fen(sum(dues.paid_ahead(c.rows, c.ext.as_of)))),
    )  # fmt: skip


async def facts_for(
    db: AsyncSession, contract: Contract, c: Computed, today: date
) -> eligibility.ExtensionFacts:
    states = [dues.state(r) for r in c.rows]
    dpd = summary(states, today).days_past_due
    on_time = await db.scalar(
        select(func.count(func.distinct(ContractInstalment.number)))
        .where(ContractInstalment.contract_id == contract.id)
        .where(ContractInstalment.settled_on.is_not(None))
        .where(ContractInstalment.settled_on <= ContractInstalment.due_date)
    )
    done = list(await db.scalars(
        select(ExtensionRequest.months_to_add)
        .where(ExtensionRequest.contract_id == contract.id)
        .where(ExtensionRequest.status == "approved")
    ))  # fmt: skip
    new_term = c.ext.schedule.instalments[-1].number + c.offset
    limit = policy_for(contract.document["terms"]["product_name"]).max_extension_months
    return eligibility.ExtensionFacts(
        days_past_due=dpd, bucket=bucket_for(dpd).value, months_elapsed=c.offset,
        months_to_add=c.months, on_time_payments=int(on_time or 0),
        previous_extensions=len(done), months_added_before=sum(done),
        new_term_months=new_term,
        months_beyond_policy=max(0, sum(done) + c.months - limit),
        months_beyond_max_term=max(0, new_term - MAX_TERM_MONTHS),
    )  # fmt: skip


async def preview(
    db: AsyncSession, contract: Contract, body: ExtensionRequestBody, today: date
) -> ExtensionPreview:
    c = await compute(db, contract, body, today)
    rules, _ = await ruleset(db)
    decision = eligibility.evaluate(rules, await facts_for(db, contract, c, today))
    return preview_of(c, decision)


async def file(
    db: AsyncSession, contract: Contract, body: ExtensionRequestBody, today: date,
    now: datetime, actor: Principal,
) -> ExtensionRequest:  # fmt: skip
    """File the request; the rules decide at once; approved is applied in the same
    transaction, referred waits for a risk officer."""
    c = await compute(db, contract, body, today)
    rules, _ = await ruleset(db)
    facts = await facts_for(db, contract, c, today)
    decision = eligibility.evaluate(rules, facts)
    status = {"approved": "approved", "declined": "declined"}.get(decision.outcome, "referred")
    ext = ExtensionRequest(
        contract_id=contract.id, status=status, months_to_add=c.months, reason=body.reason,
        as_of=today, preview=msgspec.to_builtins(preview_of(c, decision)),
        decision={**msgspec.to_builtins(decision_view(decision)),
                  "facts": msgspec.to_builtins(facts)},
        from_revision=contract.revision, created_at=now,
    )  # fmt: skip
    db.add(ext)
    await db.flush()
    await audit.record(
        db, actor=actor, action="extension.filed", entity_type="contract",
        entity_id=contract.id, at=now,
        detail={"extension_id": ext.id, "months_to_add": c.months, "outcome": decision.outcome,
                "ruleset_version": decision.ruleset_version},
    )  # fmt: skip
    if status == "approved":
        await _apply(db, contract, ext, c, now, None)
    return ext


async def _apply(
    db: AsyncSession, contract: Contract, ext: ExtensionRequest, c: Computed, now: datetime,
    actor: Principal | None,
) -> None:  # fmt: skip
    ext.revision, ext.figures = await reschedule(
        db, contract, c, kind="extension", reference=ext.id, now=now, actor=actor,
        detail={"extension_id": ext.id, "from_revision": ext.from_revision,
                "months_to_add": ext.months_to_add},
    )  # fmt: skip


async def reschedule(
    db: AsyncSession, contract: Contract, c: Computed, *, kind: str, reference: str,
    now: datetime, actor: Principal | None, detail: dict[str, Any],
) -> tuple[int, dict[str, int]]:  # fmt: skip
    """Write `c` as the contract's next schedule revision (`kind`: extension, renewal), with
    its books; returns the revision and the figures booked (`extension_booked`'s)."""
    as_of = c.ext.as_of
    arrears = [r for r in c.rows if r.due_date <= as_of and not dues.state(r).settled]
    future = [r for r in c.rows if r.due_date > as_of]
    rule = policy_for(contract.document["terms"]["product_name"]).penalty
    penalty_to = sum(to_fen(a.penalty_to(as_of, rule)) for a in quotes.arrears_of(c.rows, as_of))
    booked = sum(r.penalty_fen - r.paid_penalty_fen for r in arrears)
    figures = {
        "interest_added": sum(to_fen(i.interest) for i in c.ext.schedule.instalments)
        - sum(r.interest_fen for r in future),
        "arrears_interest": sum(r.interest_fen - r.paid_interest_fen for r in arrears),
        "arrears_fees": sum(r.fees_fen - r.paid_fees_fen for r in arrears),
        "penalty_booked": booked, "penalty_extra": penalty_to - booked, "fee": c.fee,
    }  # fmt: skip
    lifted = await dues.lift_ahead(db, contract, c.rows, as_of, reference=reference, at=now)
    if any(figures.values()):
        entry = postings.extension_booked(contract.id, contract.customer_id, **figures)
        await ledger.post(db, entry, reference=reference, at=now, actor=actor)
    revision = await prepayment.next_revision(db, contract)
    db.add_all(prepayment.revision_rows(contract, revision, c.ext.schedule, c.offset, future,
                                        first_fees=c.fee))  # fmt: skip
    db.add(ScheduleRevision(
        contract_id=contract.id, revision=revision, kind=kind,
        terms=quotes.schedule_to_builtins(c.ext.schedule, None), number_offset=c.offset,
        reference=reference, created_at=now,
    ))  # fmt: skip
    contract.revision = revision
    await db.flush()
    carried = await dues.carry_ahead(db, contract, lifted, reference=f"carry:{reference}",
                                     paid_on=as_of, at=now)  # fmt: skip
    await audit.record(
        db, actor=actor, action="contract.rescheduled", entity_type="contract",
        entity_id=contract.id, at=now,
        detail={"kind": kind, **detail, "revision": revision,
                "capitalised_fen": to_fen(c.ext.capitalised), "paid_ahead_fen": lifted,
                "carried_fen": carried},
    )  # fmt: skip
    return revision, figures


async def load(db: AsyncSession, extension_id: str) -> ExtensionRequest:
    ext = await db.get(ExtensionRequest, extension_id[:32])
    if ext is None:
        raise EXTENSION_NOT_FOUND
    return ext


async def decide(
    db: AsyncSession, extension_id: str, approve: bool, note: str, today: date, now: datetime,
    actor: Principal,
) -> ExtensionRequest:  # fmt: skip
    """A risk officer's decision on a referred request; approving applies it as of today."""
    ext = await load(db, extension_id)
    contract = await dues.locked(db, ext.contract_id)
    assert contract is not None
    if ext.status != "referred":
        raise NOT_REFERRED
    ext.decided_by, ext.decided_at = actor.user_id, now
    ext.decision = {**ext.decision, "reviewer_note": note, "reviewer": actor.user_id}
    if approve:
        if contract.revision != ext.from_revision:
            raise Conflict(
                "extension_stale", "合同还款计划已变更，请重新申请展期",
                "The schedule changed since the request: file it again",
            )  # fmt: skip
        body = ExtensionRequestBody(months_to_add=ext.months_to_add)
        c = await compute(db, contract, body, today)
        ext.status, ext.as_of = "approved", today
        ext.preview = msgspec.to_builtins(preview_of(c, None))
        await _apply(db, contract, ext, c, now, actor)
    else:
        ext.status = "declined"
    await audit.record(
        db, actor=actor, action=f"extension.{ext.status}", entity_type="contract",
        entity_id=contract.id, detail={"extension_id": ext.id, "note": note}, at=now,
    )  # fmt: skip
    return ext


async def reverse(
    db: AsyncSession, extension_id: str, now: datetime, actor: Principal
) -> ExtensionRequest:
    """Undo an applied extension while its revision is the latest and untouched."""
    ext = await load(db, extension_id)
    contract = await dues.locked(db, ext.contract_id)
    assert contract is not None
    if ext.status != "approved" or ext.revision is None or contract.revision != ext.revision:
        raise NOT_REVERSIBLE
    if contract.status != ContractStatus.ACTIVE.value:
        raise NOT_REVERSIBLE
    paid = await db.scalar(
        select(func.count(PaymentAllocation.id))
        .where(PaymentAllocation.contract_id == contract.id)
        .where(PaymentAllocation.revision == ext.revision)
    )
    booked = await db.scalar(
        select(func.count(ContractInstalment.id))
        .where(ContractInstalment.contract_id == contract.id)
        .where(ContractInstalment.revision == ext.revision)
        .where(ContractInstalment.penalty_fen > 0)
    )
    if paid or booked:
        raise NOT_REVERSIBLE
    if ext.figures and any(ext.figures.values()):
        booked_entry = postings.extension_booked(contract.id, contract.customer_id, **ext.figures)
        undo = postings.reversal(booked_entry, postings.EXTENSION_REVERSED, "撤销展期")
        await ledger.post(db, undo, reference=ext.id, at=now, actor=actor)
    contract.revision = ext.from_revision
    ext.status = "reversed"
    await db.flush()
    await audit.record(
        db, actor=actor, action="extension.reversed", entity_type="contract",
        entity_id=contract.id, at=now,
        detail={"extension_id": ext.id, "revision": ext.revision, "back_to": ext.from_revision},
    )  # fmt: skip
    return ext


async def of_contract(db: AsyncSession, contract: Contract) -> list[ExtensionRequest]:
    query = (
        select(ExtensionRequest)
        .where(ExtensionRequest.contract_id == contract.id)
        .order_by(ExtensionRequest.created_at)
    )
    return list(await db.scalars(query))
