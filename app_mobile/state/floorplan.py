"""What the dealer's floor-plan screens keep 库存融资: the drawdown form and its request key, the
units loaded so far, and the keys of the payments being made.

The form is checked as typed (the VIN by the intake's rules, the amount as money) and builds the
wire body; its Idempotency-Key is made once per drawdown and kept until the drawdown succeeds,
so a tap retried after a lost answer is the same drawdown, never a second one. A payoff's or a
curtailment's key is kept per VIN until its payment is made: a retried tap is the same payment
order, a tap after an abandoned payment a new one.

The units come a page at a time (newest drawdown first, `common.api.paging`): the list keeps
what it has and where the next page starts.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from decimal import Decimal

from common.api.floorplan import DrawdownBody, UnitPage, UnitView
from common.errors import DomainError
from common.identity import validate_vin
from common.money import parse_money


def new_key() -> str:
    return f"fp-{uuid.uuid4().hex}"


@dataclass
class DrawdownForm:
    vin: str = ""
    amount: str = ""
    payee: str = ""
    key: str = field(default_factory=new_key)

    def problems(self) -> dict[str, str]:
        """Field -> message key, empty when the form may be sent."""
        found: dict[str, str] = {}
        if not validate_vin(self.vin).valid:
            found["vin"] = "fp_vin_invalid"
        try:
            if parse_money(self.amount, field="invoice_amount") <= 0:
                found["amount"] = "fp_amount_invalid"
        except DomainError:
            found["amount"] = "fp_amount_invalid"
        if not self.payee.strip():
            found["payee"] = "fp_payee_missing"
        return found

    def body(self) -> DrawdownBody:
        return DrawdownBody(
            vin=validate_vin(self.vin).value, invoice_amount=self.amount.strip(),
            payee=self.payee.strip(),
        )  # fmt: skip

    def done(self) -> None:
        """After a drawdown: an empty form with a fresh key (keeps the payee, often the same)."""
        self.vin, self.amount, self.key = "", "", new_key()


def curtailment_ask(unit: UnitView) -> Decimal | None:
    """What 「还本」 pays for `unit` today — the curtailment due and the interest billed, as the
    server asks when no amount is given — or None when nothing is due, or when it is all the
    principal left (then it is the payoff)."""
    if unit.status == "paid_off":
        return None
    due = Decimal(unit.curtailment_due)
    ask = due + Decimal(unit.interest_billed_unpaid)
    if ask <= 0 or due >= Decimal(unit.principal_left):
        return None
    return ask


@dataclass
class UnitList:
    """The units shown: the pages loaded so far, in the server's order, and the next cursor."""

    owed_only: bool = False  # financed or sold out of trust; else every unit, paid off too
    units: list[UnitView] = field(default_factory=list)
    next_cursor: str | None = None

    @property
    def status(self) -> str | None:
        return "owed" if self.owed_only else None

    @property
    def has_more(self) -> bool:
        return self.next_cursor is not None

    def first(self, page: UnitPage) -> None:
        self.units, self.next_cursor = list(page.units), page.next_cursor

    def more(self, page: UnitPage) -> list[UnitView]:
        """Add the next page; the units it adds (none twice, should a tap be repeated)."""
        seen = {u.id for u in self.units}
        added = [u for u in page.units if u.id not in seen]
        self.units += added
        self.next_cursor = page.next_cursor
        return added


@dataclass
class FloorplanSession:
    """Per signed-in dealer: the form and the list survive a rebuild of the screen."""

    form: DrawdownForm = field(default_factory=DrawdownForm)
    units: UnitList = field(default_factory=UnitList)
    notice: str = ""  # a one-off success line for the next build
    pay_keys: dict[tuple[str, str], str] = field(default_factory=dict)  # (VIN, what) -> key

    def pay_key(self, vin: str, purpose: str) -> str:
        """The Idempotency-Key of the payoff or curtailment of `vin` being made."""
        return self.pay_keys.setdefault((vin, purpose), new_key())

    def payment_made(self, vin: str, purpose: str) -> None:
        """The payment exists: the next tap makes another (e.g. after an abandoned one)."""
        self.pay_keys.pop((vin, purpose), None)
