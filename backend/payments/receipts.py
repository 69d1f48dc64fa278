"""Receipts 电子收据: one per paid payment — what was paid, when (Asia/Shanghai), and which
instalments and components it paid (the payment's allocation rows, written with its posting);
what no instalment took is 溢缴款."""

from __future__ import annotations

from datetime import date

from fpdf import FPDF, FontFace
from fpdf.enums import XPos, YPos
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.principal import Principal
from backend.contracts.pdf import FONT, FONT_PATH
from backend.db.models import Contract, ContractInstalment, PaymentAllocation
from backend.payments import service
from common.api.payments import ReceiptLine, ReceiptView
from common.business_day import BUSINESS_TZ
from common.errors import NotFound
from common.identity import mask_name
from common.money import from_fen
from common.payments import PaymentStatus

COMPONENT_LABELS = {"principal": "本金", "interest": "利息", "fees": "费用", "penalty": "罚息"}
ORDER = ("penalty", "fees", "interest", "principal")
NO_RECEIPT = NotFound("receipt_unavailable", "该笔支付尚未完成，暂无收据",
                      "The payment is not paid: no receipt yet")  # fmt: skip
# A floor-plan payment pays no instalments: the dealer's statement 对账单 shows what it repaid.
FLOORPLAN_NO_RECEIPT = NotFound(
    "receipt_unavailable", "库存融资还款不出具电子收据，请查看对账单",
    "A floor-plan payment has no receipt: see the statement",
)  # fmt: skip


async def receipt(db: AsyncSession, caller: Principal, payment_id: str) -> ReceiptView:
    payment = await service.get(db, caller, payment_id)
    if payment.status != PaymentStatus.PAID.value or payment.paid_at is None:
        raise NO_RECEIPT
    if payment.contract_id is None:
        raise FLOORPLAN_NO_RECEIPT
    contract = await db.get(Contract, payment.contract_id)
    assert contract is not None
    allocations = list(await db.scalars(
        select(PaymentAllocation).where(PaymentAllocation.contract_id == contract.id,
                                        PaymentAllocation.reference == payment.id)
    ))  # fmt: skip
    due: dict[tuple[int, int], date] = {
        (r.revision, r.number): r.due_date
        for r in await db.scalars(
            select(ContractInstalment).where(ContractInstalment.contract_id == contract.id)
        )
    }
    allocations.sort(key=lambda a: (a.number, ORDER.index(a.component)))
    lines = [
        ReceiptLine(
            number=a.number,
            due_date=due.get((a.revision, a.number)),
            component=a.component,
            component_label=COMPONENT_LABELS[a.component],
            amount=str(from_fen(a.amount_fen)),
        )
        for a in allocations
    ]
    lessee = next((p for p in contract.document["parties"] if p["role"] == "lessee"), None)
    return ReceiptView(
        receipt_number=str(payment.receipt_number), payment_id=payment.id,
        contract_number=contract.number,
        lessee_name=mask_name(lessee["name"]) if lessee else "",
        amount=str(from_fen(payment.amount_fen)), currency=payment.currency,
        paid_at=payment.paid_at.astimezone(BUSINESS_TZ), out_trade_no=payment.out_trade_no,
        provider_txn_id=str(payment.provider_txn_id),
        lines=lines,
        unapplied=str(from_fen(payment.amount_fen - sum(a.amount_fen for a in allocations))),
    )  # fmt: skip


def receipt_pdf(r: ReceiptView) -> bytes:
    """The receipt on an A5 page, in the contract's font."""
    pdf = FPDF(orientation="portrait", unit="mm", format=(148, 210))  # A5
    pdf.add_font(FONT, "", FONT_PATH)
    pdf.set_margins(14, 14, 14)
    pdf.set_creator("AutoLease")
    pdf.set_creation_date(r.paid_at)
    pdf.add_page()
    pdf.set_font(FONT, size=16)
    pdf.cell(0, 10, "电子收据", align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FONT, size=9.5)
    for label, value in (
        ("收据编号", r.receipt_number),
        ("承租人", r.lessee_name),
        ("合同编号", r.contract_number),
        ("付款金额", f"人民币 {r.amount} 元"),
        ("支付时间", f"{r.paid_at:%Y-%m-%d %H:%M:%S}（北京时间）"),
        ("商户订单号", r.out_trade_no),
        ("微信支付单号", r.provider_txn_id),
    ):
        pdf.cell(28, 6.5, label)
        pdf.cell(0, 6.5, value, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(3)
    with pdf.table(col_widths=(14, 28, 20, 30), width=pdf.epw, line_height=5.5,
                   headings_style=FontFace(emphasis="")) as table:  # fmt: skip
        for cells in (("期数", "到期日", "项目", "金额（元）"),
                      *((str(x.number), str(x.due_date or ""), x.component_label, x.amount)
                        for x in r.lines)):  # fmt: skip
            row = table.row()
            for text in cells:
                row.cell(text)
    pdf.ln(2)
    if r.unapplied != "0.00":
        pdf.cell(0, 6.5, f"溢缴款：{r.unapplied} 元", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.cell(0, 6.5, f"合计：{r.amount} 元", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(4)
    pdf.set_font(FONT, size=8)
    pdf.cell(0, 5, "本收据由系统自动生成，无需盖章。", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output())
