"""Contracts as the API shows them (the stored document is the display copy: lessee masked)."""

from __future__ import annotations

from datetime import date
from typing import Any

from backend.audit.checkpoint import Checkpoint
from backend.contracts.evidence import Evidence
from backend.db.models import Contract, ContractInstalment
from backend.servicing import dues
from common.api.contracts import (
    CheckpointOut,
    ContractSummary,
    ContractView,
    EventOut,
    FunderContract,
    Instalment,
    VerifyReport,
)
from common.contract_document import ASSET_NAMES
from common.contracts import CONFIRMATIONS, LABELS, ContractStatus
from common.money import yuan_text
from common.servicing.standing import STATUS_LABELS, InstalmentState, statuses


def _yuan(fen: int | None) -> str:
    return yuan_text(int(fen or 0))


def _lessee(doc: dict[str, Any]) -> str:
    return next((p["name"] for p in doc["parties"] if p["role"] == "lessee"), "")


def financed(doc: dict[str, Any]) -> tuple[str, str]:
    """(VIN, what it is) of a vehicle lease; ("", the asset's name) of a partner product."""
    vehicle = doc.get("vehicle")
    if vehicle:
        return vehicle["vin"], " ".join(str(x) for x in (vehicle["maker"], vehicle["model"]) if x)
    asset = doc.get("asset") or {}
    return "", ASSET_NAMES.get(str(asset.get("kind", "")), "")


def summary(c: Contract) -> ContractSummary:
    doc, terms = c.document, c.document["terms"]
    vin, what = financed(doc)
    status = ContractStatus(c.status)
    return ContractSummary(
        id=c.id,
        number=c.number,
        status=status,
        status_label=LABELS[status],
        lessee_name=_lessee(doc),
        vin=vin,
        vehicle=what,
        monthly_payment=_yuan(terms["monthly_payment_fen"]),
        annualised_rate_percent=terms["annualised_rate_percent"],
        term_months=terms["term_months"],
        issued_on=date.fromisoformat(doc["issued_on"]),
        signed_at=c.signed_at,
        activated_at=c.activated_at,
    )


def serviced(rows: list[ContractInstalment], today: date) -> list[Instalment]:
    """The schedule in force of an active contract, each row with its status and what is left."""
    states = [dues.state(r) for r in rows]
    return [
        Instalment(
            number=st.number,
            due_date=st.due_date,
            amount_due=_yuan(st.total - st.offset),
            principal=_yuan(st.principal),
            interest=_yuan(st.interest),
            fees=_yuan(st.fees),
            balance=_yuan(balance),
            kind=st.kind,
            status=status.value,
            status_label=STATUS_LABELS[status],
            penalty=_yuan(st.penalty),
            paid=_yuan(st.paid),
            outstanding=_yuan(st.lessee_owes),
        )
        for st, status, balance in zip(
            states, statuses(states, today), _balances(states), strict=True
        )
    ]


def _balances(states: list[InstalmentState]) -> list[int]:
    left = sum(s.principal for s in states)
    out = []
    for s in states:
        left -= s.principal
        out.append(left)
    return out


def schedule(c: Contract) -> list[Instalment]:
    """The schedule as signed (the document's lines)."""
    return [
        Instalment(
            number=line["number"],
            due_date=date.fromisoformat(line["due_date"]),
            amount_due=_yuan(line["amount_due_fen"]),
            principal=_yuan(line["principal_fen"]),
            interest=_yuan(line["interest_fen"]),
            fees=_yuan(line["fees_fen"]),
            balance=_yuan(line["balance_fen"]),
            kind=line["kind"],
        )
        for line in c.document["schedule"]
    ]


def detail(c: Contract) -> ContractView:
    doc, terms, vehicle = c.document, c.document["terms"], c.document.get("vehicle") or {}
    status = ContractStatus(c.status)
    return ContractView(
        id=c.id,
        number=c.number,
        status=status,
        status_label=LABELS[status],
        application_id=c.application_id,
        issued_on=date.fromisoformat(doc["issued_on"]),
        parties=[{"role": p["role"], "name": p["name"], "kind": p["kind"]} for p in doc["parties"]],
        vehicle=dict(vehicle),
        product_name=terms["product_name"],
        lease_type=terms["lease_type"],
        principal=_yuan(terms["principal_fen"]),
        down_payment=_yuan(terms["down_payment_fen"]),
        deposit=_yuan(terms["deposit_fen"]),
        balloon=_yuan(terms["balloon_fen"]),
        fees=_yuan(terms["fees_fen"]),
        method=terms["method"],
        term_months=terms["term_months"],
        annualised_rate_percent=terms["annualised_rate_percent"],
        nominal_rate_percent=terms["nominal_rate_percent"],
        monthly_payment=_yuan(terms["monthly_payment_fen"]),
        total_payment=_yuan(terms["total_payment_fen"]),
        total_interest=_yuan(terms["total_interest_fen"]),
        pdf_sha256=c.pdf_sha256,
        signed_sha256=c.signed_sha256,
        signed_at=c.signed_at,
        funded=_yuan(c.funded_fen) if c.funded_fen is not None else None,
        value_date=c.value_date,
        activated_at=c.activated_at,
        confirmations=dict(CONFIRMATIONS) if status == ContractStatus.AWAITING_SIGNATURE else {},
        schedule=schedule(c),
    )


def report(e: Evidence) -> VerifyReport:
    checkpoint = Checkpoint.from_json(e.checkpoint) if e.checkpoint else None
    return VerifyReport(
        original=e.original,
        sealed=e.seal.sealed,
        intact=e.seal.intact,
        trusted=e.seal.trusted,
        sha256=e.sha256,
        contract_id=e.contract.id if e.contract else None,
        contract_number=e.contract.number if e.contract else None,
        signer=e.seal.signer,
        signed_at=e.seal.signed_at,
        timestamp_at=e.seal.timestamp_at,
        problem=e.seal.problem,
        checkpoint=CheckpointOut(**checkpoint.to_json()) if checkpoint else None,
        events=[
            EventOut(
                at=ev.at,
                action=ev.action,
                actor_role=ev.actor_role,
                position=ev.position,
                hash=ev.hash,
            )
            for ev in e.events
        ],
    )


def for_funder(c: Contract) -> FunderContract:
    terms = c.document["terms"]
    return FunderContract(
        id=c.id,
        number=c.number,
        status=ContractStatus(c.status),
        principal=_yuan(c.principal_fen),
        term_months=terms["term_months"],
        annualised_rate_percent=terms["annualised_rate_percent"],
        signed_at=c.signed_at,
        dealer_id=c.organisation_id,
        funded=_yuan(c.funded_fen) if c.funded_fen is not None else None,
        value_date=c.value_date,
    )
