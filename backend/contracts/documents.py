"""What a contract says, built from the approved application it comes from.

The schedule starts on the day the contract is issued (the quote's start date was only the day
it was priced): the same terms, re-dated, so the booked schedule is the one the lessee signs.
"""

from __future__ import annotations

from datetime import date

import msgspec

from backend.db.models import Application, Organisation
from backend.intake import assets, customers, guarantors
from backend.intake.catalogue import Catalogue
from backend.security.pii import PiiCipher
from common.api.intake import EquipmentAsset, FreightAsset, ReceivableAsset
from common.api.quotes import QuoteRequest, terms_from_request
from common.api.revenue_share import terms_in
from common.contract_document import (
    AssetSection,
    ContractDocument,
    Party,
    RevenueShare,
    Terms,
    Vehicle,
    schedule_lines,
)
from common.identity.masking import mask_id, mask_mobile, mask_name
from common.money import parse_money, to_fen
from common.products import RECEIVABLE_FAMILIES
from common.schedule import Schedule, build_schedule


def contract_schedule(app: Application, issued_on: date) -> Schedule:
    """The application's quoted terms, starting on ``issued_on``."""
    if app.quote_request is None:
        raise ValueError("an approved application has a quote")
    req = msgspec.convert(app.quote_request, QuoteRequest)
    dated = msgspec.structs.replace(req, start_date=issued_on, first_due_date=None)
    return build_schedule(terms_from_request(dated))


def build_document(
    app: Application,
    pii: PiiCipher,
    catalogue: Catalogue,
    *,
    number: str,
    issued_on: date,
    lessor: Organisation,
    dealer: Organisation,
    template: tuple[str, int],
) -> tuple[ContractDocument, Schedule]:
    """The contract's content; ``app`` is loaded with its customer, version and product."""
    partner = assets.is_partner(app)
    if app.customer is None or app.customer_version is None or (app.vin is None) != partner:
        raise ValueError("an approved application is complete")
    name, id_number, mobile = customers.reveal(pii, app.customer, app.customer_version)
    schedule = contract_schedule(app, issued_on)
    t = schedule.terms
    choice = app.quote_choice or {}
    product = choice.get("product", {})
    request = choice.get("request", {})
    model = catalogue.get(app.catalogue_model_id) if app.catalogue_model_id else None
    is_company = app.customer_version.kind == "company"
    rep_name, rep_id = customers.representative(pii, app.customer_version)
    # The company's authorised person signs for it (the code goes to the mobile on file).
    representative = (
        f"授权代表 {mask_name(rep_name)}（{mask_id(rep_id)}）" if is_company and rep_name and rep_id
        else ""
    )  # fmt: skip
    parties = [
        Party(role="lessor", name=lessor.name, id_label="", kind="company"),
        Party(
            role="lessee",
            name=name,
            id_label=mask_id(id_number),
            kind="company" if is_company else "person",
            mobile=mask_mobile(mobile),
            representative=representative,
        ),
        Party(role="dealer", name=dealer.name, id_label="", kind="company"),
    ]
    guarantor = guarantors.reveal(app, pii)
    if guarantor is not None:  # 保证人: answers jointly for the lessee's obligations
        g = guarantor
        parties.append(
            Party(role="guarantor", name=g.name, id_label=mask_id(g.id_number), kind="person",
                  mobile=mask_mobile(g.mobile),
                  address=f"与承租人关系：{g.relation}" if g.relation else "")
        )  # fmt: skip
    terms = Terms(
        product_name=str(product.get("name_zh", "")),
        # The product's lease type (直租 / 售后回租) decides the clauses, not the draft's default.
        lease_type=str(product.get("lease_type") or app.lease_type),
        principal_fen=to_fen(t.principal),
        down_payment_fen=_down_payment_fen(app, request),
        deposit_fen=to_fen(t.deposit),
        balloon_fen=to_fen(t.balloon),
        fees_fen=to_fen(schedule.total_fees),
        method=t.method.value,
        term_months=t.term_months,
        nominal_rate_percent=str(t.annual_rate_percent),
        annualised_rate_percent=str(schedule.annualised_rate_percent),
        monthly_payment_fen=to_fen(schedule.rent),
        total_payment_fen=to_fen(schedule.total_payment),
        total_interest_fen=to_fen(schedule.total_interest),
        start_date=issued_on,
        upfront_fees_fen=to_fen(schedule.upfront_fees),
        revenue_share=_revenue_share(app),
    )
    vehicle = None if partner else Vehicle(
        vin=app.vin or "",
        maker=app.maker or "",
        model=model.name if model else "",
        model_year=app.model_year or 0,
        price_fen=app.price_fen or 0,
        is_new=app.is_new,
    )  # fmt: skip
    document = ContractDocument(
        number=number,
        issued_on=issued_on,
        parties=parties,
        vehicle=vehicle,
        terms=terms,
        schedule=schedule_lines(schedule),
        template_id=template[0],
        template_version=template[1],
        asset=asset_section(app) if partner else None,
    )
    return document, schedule


def _down_payment_fen(app: Application, request: dict[str, object]) -> int:
    """What the lessee pays down. A receivable's unfinanced part is not paid: it stays the
    supplier's, collected from the debtor (the contract and the ledger see no down payment)."""
    if assets.family_of(app) in RECEIVABLE_FAMILIES:
        return 0
    return to_fen(parse_money(str(request.get("down_payment", "0"))))


def _revenue_share(app: Application) -> RevenueShare | None:
    """The revenue share of the product version the application was quoted on, if it has one."""
    version = app.product_version
    terms = terms_in(version.body if version is not None else None)
    if terms is None:
        return None
    return RevenueShare(f"{terms.share_percent.normalize():f}", terms.report_due_days)


def asset_section(app: Application) -> AssetSection:
    """The asset as filed, as the contract lists it (应收账款转让, 运单, 设备清单)."""
    data = assets.input_of(app)
    amount = app.price_fen or 0
    if isinstance(data, ReceivableAsset):
        return AssetSection(
            kind="receivable", amount_fen=amount, counterparty=data.debtor_name,
            counterparty_uscc=app.asset_party_uscc or "", document_number=data.invoice_number,
            issued_on=data.invoice_date, due_date=data.due_date,
        )  # fmt: skip
    if isinstance(data, FreightAsset):
        return AssetSection(
            kind="freight", amount_fen=amount, counterparty=data.shipper_name,
            counterparty_uscc=app.asset_party_uscc or "", document_number=data.waybill_number,
            issued_on=data.delivered_on, due_date=data.due_date, route=data.route,
        )  # fmt: skip
    if isinstance(data, EquipmentAsset):
        return AssetSection(
            kind="equipment", amount_fen=amount, model=data.model,
            serial_numbers=[n.strip().upper() for n in data.serial_numbers],
            site_address=data.site_address,
        )  # fmt: skip
    raise ValueError("a partner application has its asset")
