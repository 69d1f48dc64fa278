"""Collections 催收: the queue of live cases, what collectors do on them, a contract's timeline.

The queue is for the monitor role 租后管理 (and admins): contracts in arrears, most delinquent
first; a promise to pay whose date has passed while the contract is still overdue is a broken
promise 违约承诺 and comes back to the top, flagged.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.audit import service as audit
from backend.auth.principal import Principal
from backend.collections.cases import LIVE, CaseStatus
from backend.db.models import (
    AuditEvent,
    CollectionAction,
    CollectionCase,
    Contract,
    ContractInstalment,
    Customer,
    Reminder,
)
from backend.monitoring.alerts import LABELS
from backend.servicing import dues
from common.api.collections import ActionKind, ActionRequest, ActionView, QueueItem, TimelineEvent
from common.errors import Conflict, DomainError, NotFound
from common.money import parse_money, to_fen, yuan_text
from common.reminders import step_label

CASE_NOT_FOUND = NotFound("case_not_found", "催收案件不存在", "No such collection case")
CASE_CLOSED = Conflict("case_closed", "案件已结案", "The case is closed")
QUEUE_LIMIT = 500


async def _overdue(db: AsyncSession, contracts: list[Contract], today: date) -> dict[str, int]:
    """What each contract's lessee owes on instalments due before `today`."""
    ids = [c.id for c in contracts]
    out: dict[str, int] = defaultdict(int)
    if not ids:
        return out
    rows = await db.scalars(
        select(ContractInstalment)
        .join(Contract, and_(Contract.id == ContractInstalment.contract_id,
                             Contract.revision == ContractInstalment.revision))
        .where(ContractInstalment.contract_id.in_(ids), ContractInstalment.settled_on.is_(None))
        .where(ContractInstalment.due_date < today)
    )  # fmt: skip
    for r in rows:
        out[r.contract_id] += dues.state(r).lessee_owes
    return out


async def queue(db: AsyncSession, today: date) -> list[QueueItem]:
    found = (
        await db.execute(
            select(CollectionCase, Contract, Customer)
            .join(Contract, Contract.id == CollectionCase.contract_id)
            .join(Customer, Customer.id == Contract.customer_id)
            .where(CollectionCase.status.in_(LIVE))
            .limit(QUEUE_LIMIT)
        )
    ).all()
    overdue = await _overdue(db, [c for _, c, _ in found], today)
    items = []
    for case, contract, customer in found:
        owed = overdue[contract.id]
        broken = case.promise_date is not None and case.promise_date < today and owed > 0
        items.append(QueueItem(
            case_id=case.id, contract_id=contract.id, contract_number=contract.number,
            lessee_name=customer.name_masked, mobile=customer.mobile_masked, bucket=case.bucket,
            days_past_due=contract.days_past_due, overdue=yuan_text(owed),
            status=case.status, opened_on=case.opened_on, last_action=case.last_action_kind,
            last_action_at=case.last_action_at, promise_date=case.promise_date,
            promise_amount=None if case.promise_fen is None else yuan_text(case.promise_fen),
            broken_promise=broken,
        ))  # fmt: skip
    items.sort(key=lambda i: (not i.broken_promise, -int(i.bucket[1:]), -to_fen(
        parse_money(i.overdue)), i.contract_number))  # fmt: skip
    return items


def _invalid(field: str, zh: str, en: str) -> DomainError:
    return DomainError(f"{field}_invalid", zh, en, fields={field: f"{field}_invalid"})


async def act(
    db: AsyncSession, caller: Principal, case_id: str, body: ActionRequest, now: datetime,
    today: date,
) -> ActionView:  # fmt: skip
    case = await db.get(CollectionCase, case_id) if len(case_id) <= 32 else None
    if case is None:
        raise CASE_NOT_FOUND
    if case.status not in LIVE:
        raise CASE_CLOSED
    promise_fen = None
    if body.kind is ActionKind.PROMISE_TO_PAY:
        if body.promise_date is None or body.promise_date < today:
            raise _invalid(
                "promise_date", "承诺还款日须为今天或以后", "promise date must not be past"
            )
        if body.promise_amount is None:
            raise _invalid("promise_amount", "请填写承诺还款金额", "promise amount is required")
        promise_fen = to_fen(parse_money(body.promise_amount, "promise_amount"))
        if promise_fen <= 0:
            raise _invalid("promise_amount", "承诺还款金额须大于零", "promise amount must be > 0")
        case.status = CaseStatus.PROMISED.value
        case.promise_date, case.promise_fen = body.promise_date, promise_fen
        case.next_action_on = body.promise_date + timedelta(days=1)
    elif body.promise_date is not None or body.promise_amount is not None:
        raise _invalid("promise_date", "仅承诺还款可填写承诺日期与金额",
                       "only a promise to pay has a promise date and amount")  # fmt: skip
    else:
        case.next_action_on = today + timedelta(days=1)
        if body.kind is ActionKind.ESCALATE:
            case.assigned_to = None  # back to the team lead's pool
    case.last_action_kind, case.last_action_at = body.kind.value, now
    action = CollectionAction(
        case_id=case.id, contract_id=case.contract_id, kind=body.kind.value, note=body.note,
        promise_date=body.promise_date if promise_fen else None, promise_fen=promise_fen,
        actor_id=caller.user_id, at=now,
    )  # fmt: skip
    db.add(action)
    await db.flush()
    await audit.record(
        db, actor=caller, action="collection.action", entity_type="contract",
        entity_id=case.contract_id, after={"case": case.id, "kind": body.kind.value,
                                           "status": case.status},
        detail={"case_id": case.id, "action_id": action.id, "kind": body.kind.value,
                **({"promise_date": str(body.promise_date), "promise_fen": promise_fen}
                   if promise_fen else {})},
        at=now,
    )  # fmt: skip
    return ActionView(
        id=action.id, case_id=case.id, kind=action.kind, note=action.note,
        promise_date=action.promise_date,
        promise_amount=None if promise_fen is None else yuan_text(promise_fen), at=now,
        case_status=case.status,
    )  # fmt: skip


_SUMMARIES = {
    "contract.generated": "生成合同",
    "contract.viewed": "承租人查阅合同",
    "contract.code_sent": "发送签署验证码",
    "contract.signed": "承租人签署",
    "contract.sealed": "出租人盖章",
    "contract.funded": "放款",
    "contract.activated": "合同起租",
    "contract.rescheduled": "还款计划变更（展期/提前还款/续租）",
    "contract.end_of_term_chosen": "选择到期处置方式",
    "contract.settled": "合同结清",
    "contract.title_released": "解除车辆抵押/交付产权",
    "contract.partner_set": "指定合作方（物流公司/保险公司）",
    "contract.bucket_changed": "逾期分类变化",
    "collection.case_opened": "进入催收",
    "collection.case_closed": "催收结案",
    "collection.action": "催收行动",
}
_LEDGER = {
    "repayment": "收到还款",
    "penalty_accrued": "计提罚息",
    "activation": "起租入账",
}


_SEVERITY = {"critical": "严重", "warning": "警告", "info": "提示"}


def _monitoring_summary(action: str, detail: dict[str, Any]) -> str:
    """The vehicle's monitoring 租后监控 on the contract: terminals, plans, alerts' lives."""
    match action.removeprefix("monitoring."):
        case "terminal_registered":
            return f"安装定位终端（{detail.get('phone', '')}）"
        case "terminal_jt808_registered":
            return "定位终端上线注册（JT/T 808）"
        case "plan_saved":
            return f"监控方案第 {detail.get('version')} 版"
        case "alert_opened":
            kind = str(detail.get("type", ""))
            label = LABELS.get(kind, kind)  # type: ignore[call-overload]  # a StrEnum key is its str
            severity = _SEVERITY.get(str(detail.get("severity")), "")
            return f"车辆预警：{label}（{severity}）"
        case "alert_condition_ended":
            return f"预警情况解除：{detail.get('why', '')}"
        case "alert_acknowledged":
            return "预警已接警"
        case "alert_resolved":
            return f"预警已解决：{detail.get('note', '')}"
        case "alert_false_alarm":
            return f"预警判定为误报：{detail.get('note', '')}"
    return action


async def timeline(db: AsyncSession, contract: Contract) -> list[TimelineEvent]:
    """The contract's life in order: its audit events (activation, postings — payments, penalty
    accruals, deposit offsets — bucket changes, cases, collectors' actions) and the reminders
    sent."""
    events: list[TimelineEvent] = []
    for e in await db.scalars(
        select(AuditEvent)
        .where(AuditEvent.entity_type == "contract", AuditEvent.entity_id == contract.id)
        .order_by(AuditEvent.at, AuditEvent.seq)
    ):
        detail = json.loads(e.detail) if e.detail else {}
        if e.action == "ledger.posted":
            kind = str(detail.get("kind", ""))
            summary = _LEDGER.get(kind, "记账")
            if str(detail.get("reference", "")).startswith("offset:"):
                summary = "保证金抵扣"
            summary += f" ¥{yuan_text(int(detail.get('amount_fen', 0)))}"
        elif e.action == "contract.bucket_changed":
            summary = f"逾期分类 {detail.get('from')} → {detail.get('to')}"
        elif e.action.startswith("monitoring."):
            summary = _monitoring_summary(e.action, detail)
        else:
            summary = _SUMMARIES.get(e.action, e.action)
        events.append(TimelineEvent(at=e.at, kind=e.action, summary=summary, detail=detail))
    for r in await db.scalars(
        select(Reminder).where(Reminder.contract_id == contract.id, Reminder.status == "sent")
    ):
        assert r.sent_at is not None
        events.append(TimelineEvent(
            at=r.sent_at, kind="reminder",
            summary=f"{r.kind} 提醒 {step_label(r.step)}（{r.channel}）",
            detail={"kind": r.kind, "number": r.number, "step": r.step, "channel": r.channel,
                    "due_date": r.due_date.isoformat()},
        ))  # fmt: skip
    events.sort(key=lambda t: t.at)
    return events
