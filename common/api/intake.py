"""Wire types of intake 前台进件: VIN scans, customers, applications, photos.

Inputs forbid unknown fields and bound every field by `common.api.limits` (the same constants
size the columns). Outputs carry personal data only masked.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Annotated

import msgspec

from common.api import limits
from common.api.products import ProductQuoteRequest, ProductRef
from common.api.quotes import QuoteRequest, QuoteResponse
from common.api.residual import Accident, Condition, ValuationDriver, ValuationPoint
from common.api.risk import DecisionView
from common.money import parse_money
from common.products import ProductFamily as ProductFamily  # re-exported for the wire
from common.residual.inspection import Finding
from common.residual.inspection import Item as InspectionItem


class LeaseType(StrEnum):
    DIRECT_LEASE = "direct_lease"  # 直租
    SALE_LEASEBACK = "sale_leaseback"  # 售后回租


class CustomerKind(StrEnum):
    PERSON = "person"
    COMPANY = "company"


class VehicleType(StrEnum):
    PASSENGER = "passenger"
    LIGHT_TRUCK = "light_truck"
    HEAVY_TRUCK = "heavy_truck"
    COLD_CHAIN = "cold_chain"
    NEV = "nev"


class PhotoKind(StrEnum):
    ID_FRONT = "id_front"
    ID_BACK = "id_back"
    CUSTOMER_FACE = "customer_face"  # 客户人脸照 for the identity provider's face match
    DRIVING_LICENCE = "driving_licence"
    VEHICLE = "vehicle"
    BUSINESS_LICENCE = "business_licence"
    INVOICE = "invoice"  # 发票: the receivable's invoice (supplier finance)
    WAYBILL = "waybill"  # 运单: the signed waybill (freight advance)
    EQUIPMENT = "equipment"  # 设备照片: the charging piles on site
    OTHER = "other"


class ApplicationStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    IN_REVIEW = "in_review"  # waiting for a risk officer
    APPROVED = "approved"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


class CatalogueModel(msgspec.Struct):
    id: str
    maker: str
    name: str
    vehicle_type: VehicleType
    new_price_min: str
    new_price_max: str
    years: list[int]


class VinScan(msgspec.Struct):
    vin: str
    symbology: str
    check_digit_valid: bool
    maker: str | None
    model_year: int | None
    catalogue_matches: list[CatalogueModel] = []


ModelYear = Annotated[int, limits.int_range(limits.MODEL_YEAR_MIN, limits.MODEL_YEAR_MAX)]
MileageKm = Annotated[int, limits.int_range(0, limits.MILEAGE_KM_MAX)]
CatalogueId = Annotated[str, limits.line(limits.CATALOGUE_ID, min_length=1)]


def _check_date(value: date | None, name: str) -> None:
    if value is not None and not limits.date_ok(value):
        raise ValueError(f"{name} must be between {limits.DATE_MIN} and {limits.DATE_MAX}")


RegionCode = Annotated[str, msgspec.Meta(min_length=2, max_length=6, pattern=limits.ASCII_DIGITS)]
BatterySoh = Annotated[int, limits.int_range(30, 100)]


class ValuationRequest(msgspec.Struct, forbid_unknown_fields=True):
    model_id: CatalogueId
    model_year: ModelYear  # and at most next year: checked against the clock by the controller
    mileage_km: MileageKm = 0
    as_of: date | None = None
    region_code: RegionCode | None = None  # where it would sell (GB/T 2260)
    condition: Condition = Condition.GOOD  # or the inspection's grade, when one is given
    inspection: dict[InspectionItem, Finding] | None = None  # 车况检查, item -> finding
    accident: Accident = Accident.NONE
    battery_soh: BatterySoh | None = None  # a plug-in's battery health, percent

    def __post_init__(self) -> None:
        _check_date(self.as_of, "as_of")


class Valuation(msgspec.Struct, kw_only=True):
    """The residual model's valuation: the median and the interval that holds `coverage` of
    sales like it, what moved it, and the path over the next three years."""

    model_id: str
    value: str
    low: str
    high: str
    age_years: str
    method: str
    model_version: str = ""
    coverage: str = "0.80"
    condition: Condition = Condition.GOOD
    inspection_score: int | None = None
    drivers: list[ValuationDriver] = []
    path: list[ValuationPoint] = []


# An ID number as typed: ASCII letters and digits, separators allowed.
IdNumberText = Annotated[
    str, msgspec.Meta(max_length=limits.ID_NUMBER, pattern=r"^[0-9A-Za-z \-]*$(?!\n)")
]


class CustomerInput(msgspec.Struct, forbid_unknown_fields=True):
    """Shape only (ASCII letters and digits where a number is meant, no control characters);
    checksums are reported as missing items so a half-typed draft can be saved."""

    kind: CustomerKind
    # characters, and at most CUSTOMER_NAME_BYTES in UTF-8 so the ciphertext fits its column
    name: Annotated[str, limits.line(limits.CUSTOMER_NAME)]
    # resident ID, residence permit, or USCC for a company; separators allowed
    id_number: IdNumberText
    mobile: Annotated[str, msgspec.Meta(max_length=limits.MOBILE, pattern=r"^[0-9+ ()\-]*$(?!\n)")]
    # 6-digit administrative division the customer states
    region_code: (
        Annotated[str, msgspec.Meta(min_length=6, max_length=6, pattern=limits.ASCII_DIGITS)] | None
    ) = None
    # A company leases through its authorised person 法定代表人/授权代表, who signs for it: their
    # name and resident ID (their ID card is among the photos). Ignored for a person.
    representative_name: Annotated[str, limits.line(limits.CUSTOMER_NAME)] | None = None
    representative_id_number: IdNumberText | None = None

    def __post_init__(self) -> None:
        for name in (self.name.strip(), (self.representative_name or "").strip()):
            if len(name) > limits.CUSTOMER_NAME or len(name.encode()) > limits.CUSTOMER_NAME_BYTES:
                raise ValueError(
                    f"name must be at most {limits.CUSTOMER_NAME} characters"
                    f" and {limits.CUSTOMER_NAME_BYTES} UTF-8 bytes"
                )


class CustomerView(msgspec.Struct):
    id: str
    kind: CustomerKind
    name: str  # masked: 张*三
    id_number: str  # masked: 1101**********1234
    mobile: str  # masked: 138****5678
    region_code: str | None
    representative: str | None = None  # a company's authorised person, masked: 张*三
    representative_id_number: str | None = None  # masked


class VehicleInput(msgspec.Struct, forbid_unknown_fields=True):
    # as typed or scanned (separators, a leading Code 39 "I"); at most 17 once normalised
    vin: Annotated[
        str, msgspec.Meta(max_length=limits.VIN_INPUT, pattern=r"^[0-9A-Za-z \-_.*]*$(?!\n)")
    ]
    catalogue_model_id: CatalogueId | None = None
    model_year: ModelYear | None = None  # and at most next year: checked against the clock
    mileage_km: MileageKm = 0
    price: Annotated[str, limits.line(40)] | None = None  # agreed price, decimal string in yuan
    # 新车/二手车; left out, last year's model year or later counts as new, an older one used
    is_new: bool | None = None


class VehicleView(msgspec.Struct):
    vin: str
    vin_valid: bool
    maker: str | None
    model_year: int | None
    catalogue_model_id: str | None
    catalogue_model_name: str | None
    vehicle_type: VehicleType | None
    mileage_km: int
    price: str | None
    is_new: bool


class GuarantorInput(msgspec.Struct, forbid_unknown_fields=True):
    """A natural-person guarantor 保证人 of the lease (joint and several liability); checksums
    are reported as missing items, like the customer's."""

    name: Annotated[str, limits.line(limits.CUSTOMER_NAME)]
    id_number: IdNumberText
    mobile: Annotated[str, msgspec.Meta(max_length=limits.MOBILE, pattern=r"^[0-9+ ()\-]*$(?!\n)")]
    relation: Annotated[str, limits.line(20)] = ""  # 与承租人关系: 配偶, 父母, 股东 ...


class GuarantorView(msgspec.Struct):
    name: str  # masked
    id_number: str  # masked
    mobile: str  # masked
    relation: str


PartyName = Annotated[str, limits.line(limits.ASSET_PARTY_NAME, min_length=1)]
# A USCC as typed: ASCII letters and digits, separators allowed; its check character is checked
# when the asset is filed (422 with the check's reason).
UsccText = Annotated[
    str, msgspec.Meta(max_length=limits.ID_NUMBER, pattern=r"^[0-9A-Za-z \-]+$(?!\n)")
]
DocumentNumber = Annotated[str, limits.line(limits.DOCUMENT_NUMBER, min_length=1)]
AssetMoney = Annotated[str, limits.line(40, min_length=1)]  # yuan, a decimal string


def _asset_dates(*named: tuple[str, date]) -> None:
    for name, value in named:
        _check_date(value, name)


class ReceivableAsset(msgspec.Struct, tag="receivable", forbid_unknown_fields=True, kw_only=True):
    """A parts supplier's receivable 应收账款 from its buyer (an OEM, a dealer): financed against
    the invoice, repaid by the debtor on the due date (supplier_finance)."""

    debtor_name: PartyName  # 债务人（买方）
    debtor_uscc: UsccText
    invoice_number: DocumentNumber
    invoice_date: date
    due_date: date  # 应收账款到期日
    amount: AssetMoney  # the receivable, yuan

    def __post_init__(self) -> None:
        _asset_dates(("invoice_date", self.invoice_date), ("due_date", self.due_date))
        parse_money(self.amount, field="asset.amount")


class FreightAsset(msgspec.Struct, tag="freight", forbid_unknown_fields=True, kw_only=True):
    """A waybill's freight 运费 a logistics company is owed by its shipper: advanced now, repaid
    from the freight on its due date (freight_advance)."""

    shipper_name: PartyName  # 托运人
    shipper_uscc: UsccText
    waybill_number: DocumentNumber
    route: Annotated[str, limits.line(limits.FREIGHT_ROUTE, min_length=1)]
    delivered_on: date  # 签收日
    due_date: date  # 运费结算日
    amount: AssetMoney  # the freight, yuan

    def __post_init__(self) -> None:
        _asset_dates(("delivered_on", self.delivered_on), ("due_date", self.due_date))
        parse_money(self.amount, field="asset.amount")


SerialNumber = Annotated[
    str,
    msgspec.Meta(
        min_length=1, max_length=limits.SERIAL_NUMBER, pattern=r"^[0-9A-Za-z\-_/.]+$(?!\n)"
    ),
]


class EquipmentAsset(msgspec.Struct, tag="equipment", forbid_unknown_fields=True, kw_only=True):
    """Charging piles 充电桩 leased to a charging operator, listed by serial number (the contract's
    equipment list 设备清单), where they stand (charging_pile)."""

    model: Annotated[str, limits.line(limits.EQUIPMENT_MODEL, min_length=1)]
    serial_numbers: Annotated[
        list[SerialNumber], msgspec.Meta(min_length=1, max_length=limits.SERIALS_MAX)
    ]
    site_address: Annotated[str, limits.line(limits.SITE_ADDRESS, min_length=1)]
    region_code: Annotated[
        str, msgspec.Meta(min_length=6, max_length=6, pattern=limits.ASCII_DIGITS)
    ]
    price: AssetMoney  # the equipment's price, yuan

    def __post_init__(self) -> None:
        parse_money(self.price, field="asset.price")


AssetInput = ReceivableAsset | FreightAsset | EquipmentAsset


class ApplicationDraft(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """Create or patch a draft: fields left out stay as they are."""

    lease_type: LeaseType | msgspec.UnsetType = msgspec.UNSET
    # 产品类别, on create only (default vehicle); a later change is refused (422)
    product_family: ProductFamily | msgspec.UnsetType = msgspec.UNSET
    vehicle: VehicleInput | msgspec.UnsetType | None = msgspec.UNSET
    # what a partner product finances; its kind must fit the family (never on a vehicle draft)
    asset: AssetInput | msgspec.UnsetType | None = msgspec.UNSET
    customer: CustomerInput | msgspec.UnsetType | None = msgspec.UNSET
    # the clerk's choice within a product; its price must be the vehicle's
    quote: ProductQuoteRequest | msgspec.UnsetType | None = msgspec.UNSET
    guarantor: GuarantorInput | msgspec.UnsetType | None = msgspec.UNSET  # None: no guarantor
    version: limits.Version | msgspec.UnsetType = (
        msgspec.UNSET
    )  # for PATCH: the version the client last saw


class PhotoView(msgspec.Struct):
    id: str
    kind: PhotoKind
    width: int
    height: int
    url: str
    thumbnail_url: str


class Missing(msgspec.Struct):
    field: str
    code: str
    message: str
    message_en: str = ""


class ApplicationView(msgspec.Struct):
    id: str
    status: ApplicationStatus
    lease_type: LeaseType
    vehicle: VehicleView | None
    customer: CustomerView | None
    quote: QuoteResponse | None
    quote_request: QuoteRequest | None
    photos: list[PhotoView]
    missing: list[Missing]
    version: int
    created_at: datetime
    updated_at: datetime
    submitted_at: datetime | None = None
    created_by: str = ""
    organisation_id: str = ""
    decision: DecisionView | None = None  # the risk decision once submitted (issue 5)
    guarantor: GuarantorView | None = None
    # The product version the quote was made on and the clerk's choice (None: a typed-rate
    # quote from before products, which submit refuses until a product is chosen).
    product: ProductRef | None = None
    product_quote: ProductQuoteRequest | None = None
    product_family: ProductFamily = ProductFamily.VEHICLE
    asset: AssetInput | None = None  # as filed, amounts as strings


class ApplicationSummary(msgspec.Struct):
    id: str
    status: ApplicationStatus
    vin: str | None
    customer_name: str | None  # masked
    monthly_payment: str | None
    annualised_rate_percent: str | None
    updated_at: datetime
    created_by: str
    # What a draft holds, so an abandoned one can be told apart (catalogue names, masked name).
    maker: str | None = None
    model_name: str | None = None
    model_year: int | None = None
    financed: str | None = None  # the quote's principal, yuan
    photo_count: int = 0
    filled: list[str] = []  # steps with something in them: vehicle, customer, photos, quote
    product_family: ProductFamily = ProductFamily.VEHICLE


class UploadUrl(msgspec.Struct):
    url: str
    expires_at: datetime
