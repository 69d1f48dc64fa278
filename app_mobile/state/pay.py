"""What the lessee chooses to pay (立即还款): the next instalment with anything overdue, all
that is overdue, or an amount of their own within the policy's bounds — checked on the phone
as the server checks it, so the button says exactly what will be charged."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from common.api.hall import HallContract
from common.api.payments import Option, PaymentRequest

MIN_CUSTOM = Decimal("1.00")  # common.servicing.policy.STANDARD.min_payment_fen


@dataclass
class PayForm:
    contract: HallContract
    option: Option = "next"
    custom: str = ""

    @property
    def choices(self) -> list[tuple[Option, Decimal]]:
        """The options that make sense today, with what each charges."""
        c = self.contract
        due_now, overdue = Decimal(c.due_now), Decimal(c.overdue)
        nxt = overdue + Decimal(c.next_due) if c.next_due_date else due_now
        out: list[tuple[Option, Decimal]] = []
        if nxt > 0:
            out.append(("next", nxt))
        if overdue > 0 and overdue != nxt:
            out.append(("overdue", overdue))
        return out

    def _typed(self) -> Decimal | None:
        try:
            return Decimal(self.custom.strip().replace(",", "").removeprefix("¥"))
        except InvalidOperation:
            return None

    def custom_problem(self) -> str | None:
        amount = self._typed()
        if amount is None:
            return "请输入金额，如 1000.00"
        if not amount.is_finite() or amount != amount.quantize(Decimal("0.01")):
            return "金额最多两位小数"
        if amount < MIN_CUSTOM:
            return f"最少还款 ¥{MIN_CUSTOM}"
        if amount > Decimal(self.contract.outstanding):
            return f"不能超过剩余应还 ¥{Decimal(self.contract.outstanding):,.2f}"
        return None

    @property
    def amount(self) -> Decimal | None:
        if self.option == "custom":
            return None if self.custom_problem() else self._typed()
        return next((a for o, a in self.choices if o == self.option), None)

    def request(self) -> PaymentRequest | None:
        amount = self.amount
        if amount is None:
            return None
        if self.option == "custom":
            return PaymentRequest(option="custom", amount=f"{amount:.2f}")
        return PaymentRequest(option=self.option)
