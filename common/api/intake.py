"""Wire types of intake 前台进件: VIN scans, customers, applications, photos.

Inputs forbid unknown fields. Outputs carry personal data only masked.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

import msgspec

from common.api.quotes import QuoteRequest, QuoteResponse
from common.api.risk import DecisionView


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
    DRIVING_LICENCE = "driving_licence"
    VEHICLE = "vehicle"
    BUSINESS_LICENCE = "business_licence"
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


class ValuationRequest(msgspec.Struct, forbid_unknown_fields=True):
    model_id: str
    model_year: int
    mileage_km: int = 0
    as_of: date | None = None


class Valuation(msgspec.Struct):
    model_id: str
    value: str
    low: str
    high: str
    age_years: str
    method: str


class CustomerInput(msgspec.Struct, forbid_unknown_fields=True):
    kind: CustomerKind
    name: str
    id_number: str  # resident ID, residence permit, or USCC for a company
    mobile: str
    region_code: str | None = None  # 6-digit administrative division the customer states


class CustomerView(msgspec.Struct):
    id: str
    kind: CustomerKind
    name: str  # masked: 张*三
    id_number: str  # masked: 1101**********1234
    mobile: str  # masked: 138****5678
    region_code: str | None


class VehicleInput(msgspec.Struct, forbid_unknown_fields=True):
    vin: str
    catalogue_model_id: str | None = None
    model_year: int | None = None
    mileage_km: int = 0
    price: str | None = None  # agreed vehicle price, decimal string in yuan
    is_new: bool = True


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


class ApplicationDraft(msgspec.Struct, forbid_unknown_fields=True, omit_defaults=True):
    """Create or patch a draft: fields left out stay as they are."""

    lease_type: LeaseType | msgspec.UnsetType = msgspec.UNSET
    vehicle: VehicleInput | msgspec.UnsetType | None = msgspec.UNSET
    customer: CustomerInput | msgspec.UnsetType | None = msgspec.UNSET
    quote: QuoteRequest | msgspec.UnsetType | None = msgspec.UNSET
    version: int | msgspec.UnsetType = msgspec.UNSET  # for PATCH: the version the client last saw


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


class ApplicationSummary(msgspec.Struct):
    id: str
    status: ApplicationStatus
    vin: str | None
    customer_name: str | None  # masked
    monthly_payment: str | None
    annualised_rate_percent: str | None
    updated_at: datetime
    created_by: str


class UploadUrl(msgspec.Struct):
    url: str
    expires_at: datetime
