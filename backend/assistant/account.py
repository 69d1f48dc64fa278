"""Account answers 账户问答: what the signed-in caller asked, from their own records through the
services that own them — the hall's headline of each contract, the contract's extension
requests, the shop's applications. Every read is scoped to the caller there (a lessee's own
contracts, a shop's own applications), so another person's data cannot appear."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.principal import Principal
from backend.contracts import service as contracts
from backend.intake import applications
from backend.intake.catalogue import Catalogue
from backend.servicing import extensions
from backend.servicing.hall import headline
from common.api.auth import Role
from common.assistant.knowledge import Action
from common.contracts import ContractStatus

SHOP_ROLES = (Role.STAFF, Role.DEALER_ADMIN)
EXTENSION_STATUS = {
    "approved": "已通过并生效",
    "declined": "未通过",
    "referred": "风控经理审核中",
    "reversed": "已撤销",
}
APPLICATION_STATUS = {
    "draft": "草稿",
    "submitted": "已提交",
    "in_review": "人工审核中",
    "approved": "已通过",
    "declined": "未通过",
    "withdrawn": "已撤回",
}


def serves(action: Action, caller: Principal) -> bool:
    """Whether ``caller``'s own records answer ``action`` (else the topic's general answer)."""
    if action in (Action.ACCOUNT_NEXT_DUE, Action.ACCOUNT_EXTENSION):
        return caller.role is Role.LESSEE
    return action is Action.ACCOUNT_APPLICATIONS and caller.role in SHOP_ROLES


async def answer(
    db: AsyncSession, catalogue: Catalogue, caller: Principal, action: Action, now: datetime
) -> str:
    if action is Action.ACCOUNT_NEXT_DUE:
        return await _next_due(db, caller, now)
    if action is Action.ACCOUNT_EXTENSION:
        return await _extensions(db, caller)
    return await _applications(db, catalogue, caller)


async def _next_due(db: AsyncSession, caller: Principal, now: datetime) -> str:
    mine = await contracts.listing(db, caller, ContractStatus.ACTIVE.value)
    if not mine:
        return "您目前没有还款中的合同。合同签署并放款后，这里会显示每期应还金额和日期。"
    lines = []
    for c in mine:
        h = await headline(db, c, now)
        if h.next_due_date is None:
            lines.append(f"合同 {h.number}（{h.vehicle}）：租金已全部还清。")
            continue
        line = f"合同 {h.number}（{h.vehicle}）：下期 {h.next_due_date:%Y-%m-%d} 应还 ¥{h.next_due}"
        if h.overdue != "0.00":
            line += f"；目前逾期 ¥{h.overdue}（{h.days_past_due}天）"
            line += f"，今天应还合计 ¥{h.due_now}，请尽快还款"
        lines.append(line + f"。已还 {h.instalments_paid}/{h.instalments_total} 期。")
    return (
        "\n".join(lines) + "\n租金不会自动扣款：请在到期日前在自助服务大厅点“立即还款”用微信支付。"
    )


async def _extensions(db: AsyncSession, caller: Principal) -> str:
    lines = []
    for c in await contracts.listing(db, caller, None):
        found = await extensions.of_contract(db, c)
        if not found:
            continue
        latest = max(found, key=lambda e: e.created_at)
        status = EXTENSION_STATUS.get(latest.status, latest.status)
        lines.append(
            f"合同 {c.number}：{latest.created_at:%Y-%m-%d} 申请展期 "
            f"{latest.months_to_add} 个月，{status}。"
        )
    if not lines:
        return "您还没有提交过展期申请。需要的话可以在合同页选择“申请展期”，先预览新的还款计划。"
    return "\n".join(lines)


async def _applications(db: AsyncSession, catalogue: Catalogue, caller: Principal) -> str:
    found = await applications.list_for(db, caller, catalogue, None, 200)
    if not found:
        return "贵店目前没有进件。"
    counts = Counter(a.status.value for a in found)
    parts = "、".join(f"{APPLICATION_STATUS[s]} {n} 笔" for s, n in counts.items())
    latest = found[0]
    who = latest.customer_name or "未填客户"
    return (
        f"贵店共有 {len(found)} 笔进件：{parts}。最近更新的一笔（{who}）"
        f"状态为{APPLICATION_STATUS[latest.status.value]}。"
    )
