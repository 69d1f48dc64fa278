"""Random business operations on the ledger, and what the books must say after them, worked out
independently of the posting rules (sums of figures, not of lines)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from hypothesis import strategies as st

from common.ledger import Account, Entry, activation, disbursement, funding

CONTRACTS = ["c" * 31 + str(n) for n in range(4)]  # 32 characters, as contract ids are
FUNDERS = ["org-funder-a", "org-funder-b"]
DEALERS = ["org-shop-east", "org-shop-west"]
REFERENCES = ["r1", "r2"]  # few, so a sequence repeats a business event now and then

fen = st.integers(min_value=1, max_value=10**11)  # up to ¥1 billion
some_fen = st.integers(min_value=0, max_value=10**9)


@dataclass(frozen=True)
class Fund:
    contract_id: str
    funder_id: str
    amount: int
    reference: str

    def entries(self) -> tuple[Entry, ...]:
        return (funding(self.contract_id, self.funder_id, self.amount),)


@dataclass(frozen=True)
class Disburse:
    contract_id: str
    dealer_id: str
    amount: int
    reference: str

    def entries(self) -> tuple[Entry, ...]:
        return (disbursement(self.contract_id, self.dealer_id, self.amount),)


@dataclass(frozen=True)
class Activate:
    contract_id: str
    dealer_id: str
    principal: int
    down_payment: int
    total_interest: int
    deposit: int
    fees: int
    fees_at_signing: int
    reference: str

    def entries(self) -> tuple[Entry, ...]:
        return activation(
            self.contract_id,
            lessee_id="lessee-" + self.contract_id[-1],
            dealer_id=self.dealer_id,
            price=self.principal + self.down_payment,
            principal=self.principal,
            down_payment=self.down_payment,
            total_payment=self.principal + self.total_interest,
            total_interest=self.total_interest,
            deposit=self.deposit,
            fees=self.fees,
            fees_at_signing=self.fees_at_signing,
        )


Op = Fund | Disburse | Activate

contracts = st.sampled_from(CONTRACTS)
references = st.sampled_from(REFERENCES)


@st.composite
def activations(draw: st.DrawFn) -> Activate:
    fees = draw(some_fen)
    return Activate(
        draw(contracts), draw(st.sampled_from(DEALERS)), draw(fen), draw(some_fen),
        draw(some_fen), draw(some_fen), fees, draw(st.integers(0, fees)), draw(references),
    )  # fmt: skip


operations = st.lists(
    st.one_of(
        st.builds(Fund, contracts, st.sampled_from(FUNDERS), fen, references),
        st.builds(Disburse, contracts, st.sampled_from(DEALERS), fen, references),
        activations(),
    ),
    min_size=1,
    max_size=30,
)


def expected_balances(ops: list[Op]) -> Counter[Account]:
    """Each account's balance on its normal side after ``ops``, from the figures alone."""
    b: Counter[Account] = Counter()
    for op in ops:
        if isinstance(op, Fund):
            b[Account.CASH] += op.amount
            b[Account.FUNDER_PAYABLE] += op.amount
        elif isinstance(op, Disburse):
            b[Account.CASH] -= op.amount
            b[Account.DEALER_PAYABLE] -= op.amount
        else:
            b[Account.LEASE_RECEIVABLE] += op.principal + op.total_interest
            b[Account.UNEARNED_INTEREST] += op.total_interest
            b[Account.DEALER_PAYABLE] += op.principal + op.down_payment
            b[Account.DEPOSIT_LIABILITY] += op.deposit
            b[Account.FEES_RECEIVABLE] += op.fees - op.fees_at_signing
            b[Account.FEE_INCOME] += op.fees
            b[Account.CASH] += op.down_payment + op.deposit + op.fees_at_signing
    return b


def first_postings(ops: list[Op]) -> list[tuple[Entry, str]]:
    """The entries that post, with their references: a business event (contract, kind,
    reference) posts once, the first time."""
    seen: set[tuple[str, str, str]] = set()
    out = []
    for op in ops:
        for entry in op.entries():
            key = (entry.contract_id, entry.kind, op.reference)
            if key not in seen:
                seen.add(key)
                out.append((entry, op.reference))
    return out
