"""The asset a partner product finances 融资标的, checked once, pure.

A supplier's receivable 应收账款 and a logistics company's freight 运费 are repaid by a third party
(the debtor, the shipper) on a due date; charging piles 充电桩 are equipment listed by serial
number. `asset_of` checks what was filed (422 with a stable code and the field); `check_due`
checks a receivable against the product it is quoted on; `asset_facts` is what the risk rules
read (``asset.*``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal

from common.api.intake import AssetInput, EquipmentAsset, FreightAsset, ReceivableAsset
from common.daycount import add_months
from common.errors import DomainError
from common.identity import validate_uscc
from common.money import parse_money
from common.products import FAMILY_NAMES, RECEIVABLE_FAMILIES, Product, ProductFamily
from common.rules.facts import Asset as AssetFacts

# The asset kind each partner family finances (a vehicle draft has none).
KIND_OF_FAMILY = {
    ProductFamily.SUPPLIER_FINANCE: "receivable",
    ProductFamily.FREIGHT_ADVANCE: "freight",
    ProductFamily.CHARGING_PILE: "equipment",
}
# A receivable's or a freight's advance is paid to the client (the asset is its own), not to
# the shop that filed it.
RECEIVABLE_KINDS = frozenset(KIND_OF_FAMILY[f] for f in RECEIVABLE_FAMILIES)
_PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class FiledAsset:
    """An asset as checked: its amount in yuan, the third party who pays (None for equipment)."""

    kind: str
    amount: Decimal
    due_date: date | None
    party_uscc: str | None  # normalised, for "have we seen this debtor before"
    serial_count: int
    region_code: str


def _refuse(code: str, field: str, zh: str, en: str) -> DomainError:
    return DomainError(code, zh, en, fields={field: code})


def _positive(raw: str, field: str) -> Decimal:
    amount = parse_money(raw, field=field)
    if amount <= 0:
        raise _refuse("asset_amount_invalid", field, "金额应大于0", "The amount must be positive")
    return amount


def _party(uscc: str, field: str) -> str:
    check = validate_uscc(uscc)
    check.raise_if_invalid(field)  # its reason: uscc_checksum, uscc_length ...
    return check.value


def asset_of(family: ProductFamily, data: AssetInput, today: date) -> FiledAsset:
    """The checked asset of a draft of ``family``; raises 422 for an asset of another kind, a bad
    debtor USCC, a non-positive amount, dates out of order or a document dated in the future."""
    kind = KIND_OF_FAMILY.get(family)
    if kind is None:
        raise _refuse(
            "asset_not_applicable", "asset", "车辆申请无需填写融资标的",
            "A vehicle application has no partner asset",
        )  # fmt: skip
    if type(data).__struct_config__.tag != kind:
        zh, en = FAMILY_NAMES[family]
        raise _refuse(
            "asset_kind_differs", "asset", f"{zh}申请的融资标的应为{_KIND_NAMES[kind]}",
            f"A {en.lower()} application finances a {kind}",
        )  # fmt: skip
    if isinstance(data, EquipmentAsset):
        serials = [s.strip().upper() for s in data.serial_numbers]
        if len(set(serials)) != len(serials):
            raise _refuse(
                "serial_number_repeated", "asset.serial_numbers", "设备序列号重复",
                "A serial number appears twice",
            )  # fmt: skip
        amount = _positive(data.price, "asset.price")
        return FiledAsset(kind, amount, None, None, len(serials), data.region_code)
    if isinstance(data, ReceivableAsset):
        issued, issued_field = data.invoice_date, "asset.invoice_date"
        party = _party(data.debtor_uscc, "asset.debtor_uscc")
    else:
        assert isinstance(data, FreightAsset)
        issued, issued_field = data.delivered_on, "asset.delivered_on"
        party = _party(data.shipper_uscc, "asset.shipper_uscc")
    if issued > today:
        raise _refuse(
            "asset_date_in_future", issued_field, "开票/签收日期不能晚于今天",
            "The invoice or delivery date cannot be in the future",
        )  # fmt: skip
    if data.due_date < issued:
        raise _refuse(
            "asset_due_before_issue", "asset.due_date", "到期日不能早于开票/签收日期",
            "The due date cannot be before the invoice or delivery date",
        )  # fmt: skip
    amount = _positive(data.amount, "asset.amount")
    return FiledAsset(kind, amount, data.due_date, party, 0, "")


_KIND_NAMES = {"receivable": "应收账款", "freight": "运费", "equipment": "设备"}


def check_due(asset: FiledAsset, product: Product, start_date: date, today: date) -> None:
    """A receivable is financed only before it falls due, and only when it falls due within the
    product's longest term from the lease's start: it repays the lease (422 otherwise)."""
    if asset.due_date is None:
        return
    if asset.due_date <= today:
        raise _refuse(
            "receivable_already_due", "asset.due_date", "该应收账款已到期，不能融资",
            "The receivable is already due and cannot be financed",
        )  # fmt: skip
    longest = max(product.terms)
    if asset.due_date > add_months(start_date, longest):
        raise _refuse(
            "receivable_due_beyond_term", "asset.due_date",
            f"应收账款到期日超出该产品最长期限（{longest}个月）",
            f"The receivable falls due after the product's longest term ({longest} months)",
        )  # fmt: skip


def asset_facts(
    asset: FiledAsset, financed: Decimal, today: date, counterparty_deals: int, known: bool
) -> AssetFacts:
    """What the rules read of an asset on the decision's business date."""
    days = (asset.due_date - today).days if asset.due_date is not None else 0
    ratio = (financed / asset.amount).quantize(_PLACES, ROUND_HALF_EVEN) if asset.amount else 0
    return AssetFacts(
        kind=asset.kind,  # type: ignore[arg-type]  # one of AssetKind by KIND_OF_FAMILY
        amount=asset.amount,
        days_to_due=days,
        advance_ratio=Decimal(ratio),
        counterparty_uscc=asset.party_uscc or "",
        counterparty_known=known,
        counterparty_deals=counterparty_deals,
        serial_count=asset.serial_count,
        region_code=asset.region_code,
    )
