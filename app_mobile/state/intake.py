"""The intake wizard's state 进件向导: what the clerk has entered, validated as typed.

Plain data, no Flet and no I/O: the view reads and writes it, `to_draft()` says what the server
draft should hold, and `to_local()`/`from_local()` give the copy kept on the device so a reload or a
lost connection loses nothing.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass, field
from datetime import date
from enum import IntEnum
from typing import Any

import msgspec

from app_mobile.state.asset_form import AssetForm
from app_mobile.state.field_checks import (
    OK,
    FieldCheck,
    check_amount,
    check_name,
    check_region,
    from_check,
)
from app_mobile.state.product import ProductForm
from common.api import limits
from common.api.intake import (
    ApplicationDraft,
    ApplicationStatus,
    ApplicationView,
    CustomerInput,
    CustomerKind,
    GuarantorInput,
    LeaseType,
    PhotoKind,
    ProductFamily,
    VehicleInput,
    VinScan,
)
from common.api.products import ProductQuoteRequest
from common.api.quotes import QuoteResponse
from common.identity import (
    decode_vin,
    normalise_vin,
    validate_mobile,
    validate_resident_id,
    validate_uscc,
    validate_vin,
)
from common.intake import MIN_APPLICANT_AGE, PHOTO_NAMES, required_photos, under_age
from common.products import RECEIVABLE_FAMILIES
from common.vehicle_facts import is_new_by_model_year


class Step(IntEnum):
    VEHICLE = 0
    CUSTOMER = 1
    PHOTOS = 2
    PRODUCT = 3
    REVIEW = 4
    RESULT = 5


STEP_KEYS = ("step_vehicle", "step_customer", "step_photos", "step_product", "step_review")
# A partner application's first step is its asset: the receivable, the waybill, the equipment.
ASSET_STEP_KEYS = {
    ProductFamily.SUPPLIER_FINANCE.value: "step_receivable",
    ProductFamily.FREIGHT_ADVANCE.value: "step_freight",
    ProductFamily.CHARGING_PILE.value: "step_equipment",
}


@dataclass
class PhotoSlot:
    """One photo to take: its upload progress, or why it failed (so it can be retried)."""

    kind: str
    state: str = "missing"  # missing | uploading | done | failed
    progress: float = 0.0
    error: str = ""
    photo_id: str = ""
    thumbnail_url: str = ""


def check_vin(raw: str) -> FieldCheck:
    check = validate_vin(raw)
    return from_check(check.valid, check.message, check.message_en)


def check_customer_id(
    kind: str, raw: str, as_of: date, min_age: int = MIN_APPLICANT_AGE
) -> FieldCheck:
    """The ID's checksum and birth date, and for a person the minimum age (as the server checks)."""
    if kind == CustomerKind.COMPANY.value:
        company = validate_uscc(raw)
        return from_check(company.valid, company.message, company.message_en)
    check = validate_resident_id(raw, as_of=as_of)
    if not check.valid:
        return FieldCheck(False, check.message, check.message_en)
    young = under_age(raw, as_of, min_age)
    return OK if young is None else FieldCheck(False, young.message, young.message_en)


def check_mobile(raw: str) -> FieldCheck:
    check = validate_mobile(raw)
    return from_check(check.valid, check.message, check.message_en)


def check_model_year(year: int | None, today: date) -> FieldCheck:
    if year is None:
        return FieldCheck(False, "请填写年款", "Enter the model year")
    if not limits.model_year_ok(year, today):
        return FieldCheck(
            False,
            f"年款应在{limits.MODEL_YEAR_MIN}至{today.year + 1}之间",
            f"The model year lies between {limits.MODEL_YEAR_MIN} and {today.year + 1}",
        )
    return OK


def check_mileage(raw: str, *, used: bool) -> FieldCheck:
    """Kilometres as ASCII digits; a used vehicle has some (a new one may say 0 or nothing)."""
    text = raw.strip().replace(",", "")
    if not text:
        return FieldCheck(False, "请填写里程", "Enter the mileage") if used else OK
    if not (text.isascii() and text.isdigit()) or int(text) > limits.MILEAGE_KM_MAX:
        return FieldCheck(False, "请输入有效里程（公里）", "Enter the mileage in whole km")
    if used and int(text) == 0:
        return FieldCheck(False, "二手车里程应大于0", "A used vehicle has a mileage above 0")
    return OK


@dataclass
class IntakeState:
    """Everything the wizard knows about one application being filed."""

    idempotency_key: str = field(default_factory=lambda: str(uuid.uuid4()))
    application_id: str = ""
    version: int = 0
    step: int = Step.VEHICLE
    status: str = ApplicationStatus.DRAFT.value
    # 产品类别: a car lease, or a partner product financing ``asset`` (fixed once saved)
    family: str = ProductFamily.VEHICLE.value
    asset: AssetForm = field(default_factory=AssetForm)
    # vehicle
    vin: str = ""
    # What the VIN decodes to; ``facts_vin`` names the VIN these belong to, so a VIN typed or
    # scanned over it never keeps another vehicle's year or model.
    facts_vin: str = ""
    maker: str = ""
    vin_model_year: int | None = None  # position 10 of the VIN
    model_year: int | None = None  # stated by the clerk, proposed from the VIN
    catalogue_model_id: str = ""
    catalogue_model_name: str = ""
    catalogue_choices: list[tuple[str, str]] = field(default_factory=list)  # (id, name) matches
    is_new: bool | None = None  # None: proposed from the model year
    mileage: str = ""  # km as typed
    price: str = ""
    # customer
    customer_kind: str = CustomerKind.PERSON.value
    customer_name: str = ""
    customer_id: str = ""
    customer_mobile: str = ""
    region_code: str = ""  # where the customer lives; proposed from the shop
    representative_name: str = ""  # a company's authorised person 授权代表
    representative_id: str = ""
    # an optional guarantor 保证人
    with_guarantor: bool = False
    guarantor_name: str = ""
    guarantor_id: str = ""
    guarantor_mobile: str = ""
    guarantor_relation: str = ""
    # photos and product
    photos: dict[str, PhotoSlot] = field(default_factory=dict)
    product: ProductForm = field(default_factory=ProductForm)
    # what the server said
    quote: dict[str, Any] | None = None
    balloon_limit: str = ""  # the largest balloon for the current choice (yuan), "" unknown
    missing: dict[str, str] = field(default_factory=dict)  # field path -> Chinese message
    missing_en: dict[str, str] = field(default_factory=dict)  # field path -> English message
    dirty: bool = False  # changed since the last successful server save

    @property
    def is_partner(self) -> bool:
        return self.family != ProductFamily.VEHICLE.value

    def step_key(self, step: int) -> str:
        if step == Step.VEHICLE and self.is_partner:
            return ASSET_STEP_KEYS[self.family]
        return STEP_KEYS[step]

    @property
    def finances_receivable(self) -> bool:
        """A receivable's down-payment band reads as the advance rate 融资比例: what is not
        advanced is retained (not paid to us), not a down payment."""
        return self.family in {f.value for f in RECEIVABLE_FAMILIES}

    @property
    def deal_price(self) -> str:
        """What the quote is made on: the vehicle's price, or the asset's amount."""
        return self.asset.amount if self.is_partner else self.price

    # -- checks ----------------------------------------------------------------------------
    def vin_check(self) -> FieldCheck:
        return check_vin(self.vin)

    def id_check(self, as_of: date) -> FieldCheck:
        return check_customer_id(self.customer_kind, self.customer_id, as_of)

    def vehicle_is_new(self, today: date) -> bool:
        return (
            self.is_new if self.is_new is not None else is_new_by_model_year(self.model_year, today)
        )

    def mileage_check(self, today: date) -> FieldCheck:
        return check_mileage(self.mileage, used=not self.vehicle_is_new(today))

    def region_check(self) -> FieldCheck:
        return check_region(self.region_code)

    def mobile_check(self) -> FieldCheck:
        return check_mobile(self.customer_mobile)

    def name_check(self) -> FieldCheck:
        return check_name(self.customer_name)

    @property
    def is_company(self) -> bool:
        return self.customer_kind == CustomerKind.COMPANY.value

    def representative_name_check(self) -> FieldCheck:
        return check_name(self.representative_name) if self.is_company else OK

    def guarantor_checks(self, as_of: date) -> tuple[FieldCheck, ...]:
        if not self.with_guarantor:
            return ()
        return (
            check_name(self.guarantor_name),
            check_customer_id(CustomerKind.PERSON.value, self.guarantor_id, as_of),
            check_mobile(self.guarantor_mobile),
        )

    def representative_id_check(self, as_of: date) -> FieldCheck:
        if not self.is_company:
            return OK
        return check_customer_id(CustomerKind.PERSON.value, self.representative_id, as_of)

    def required_photos(self) -> tuple[PhotoKind, ...]:
        """The same rule the server applies on submit (common.intake)."""
        return tuple(PhotoKind(k) for k in required_photos(self.customer_kind, self.family))

    def slot(self, kind: PhotoKind) -> PhotoSlot:
        return self.photos.setdefault(kind.value, PhotoSlot(kind=kind.value))

    def step_problems(self, step: int, today: date, language: str = "zh") -> list[str]:
        """Reasons, in `language`, the clerk cannot leave `step` yet (empty when they can)."""
        zh = language == "zh"
        if step == Step.VEHICLE and self.is_partner:
            return self.asset.problems(self.family, today, language)
        if step == Step.VEHICLE:
            vin = self.vin_check()
            if not vin.ok:
                return [vin.text(language)]
            facts = (check_model_year(self.model_year, today), self.mileage_check(today))
            return [c.text(language) for c in facts if not c.ok]
        if step == Step.CUSTOMER:
            checks = (
                self.name_check(),
                self.id_check(today),
                self.mobile_check(),
                self.region_check(),
                self.representative_name_check(),
                self.representative_id_check(today),
                *self.guarantor_checks(today),
            )
            return [c.text(language) for c in checks if not c.ok]
        if step == Step.PHOTOS:
            return [
                f"请上传{PHOTO_NAMES[kind.value][0]}" if zh else f"Add {PHOTO_NAMES[kind.value][1]}"
                for kind in self.required_photos()
                if self.slot(kind).state != "done"
            ]
        if step == Step.PRODUCT and self.is_partner:  # the amount was checked with the asset
            return self.product.problems()
        if step == Step.PRODUCT:
            price = check_amount(self.price, required=True)
            label = "车辆价格：" if zh else "Vehicle price: "
            problems = [] if price.ok else [label + price.text(language)]
            return problems + self.product.problems()
        return []

    # -- edits -----------------------------------------------------------------------------
    def set(self, name: str, value: Any) -> None:
        if getattr(self, name) != value:
            setattr(self, name, value)
            self.dirty = True

    def set_asset(self, attribute: str, value: str) -> None:
        if getattr(self.asset, attribute) != value:
            setattr(self.asset, attribute, value)
            self.dirty = True

    def choose_family(self, family: str) -> bool:
        """Until the draft is first saved: a partner product finances a company's asset, so its
        customer is a company. False once saved (the server keeps the family it was filed with)."""
        if self.application_id:
            return False
        self.set("family", ProductFamily(family).value)
        if self.is_partner:
            self.set("customer_kind", CustomerKind.COMPANY.value)
        if self.product.product_id:  # another family's product never carries over
            self.product = ProductForm()
            self.quote = None
        return True

    def apply_scan(self, scan: VinScan) -> None:
        """Fill the vehicle from a scanned or typed-and-decoded VIN: maker and year from the VIN,
        the first catalogue match proposed (the others offered); nothing of an earlier VIN stays."""
        self.set("vin", scan.vin)
        self.set("facts_vin", scan.vin)
        self.set("maker", scan.maker or "")
        self.set("vin_model_year", scan.model_year)
        self.set("model_year", scan.model_year)
        self.set("is_new", None)
        choices = [(m.id, f"{m.maker} {m.name}") for m in scan.catalogue_matches]
        self.set("catalogue_choices", choices)
        self.set("catalogue_model_id", choices[0][0] if choices else "")
        self.set("catalogue_model_name", choices[0][1] if choices else "")

    def vin_typed(self, raw: str, today: date) -> None:
        """The clerk edits the VIN: facts of another VIN are dropped at once; a complete VIN gets
        its maker and year locally until the server's decode adds the catalogue."""
        self.set("vin", raw)
        vin = normalise_vin(raw)
        if vin == self.facts_vin:
            return
        for name, empty in (
            ("facts_vin", ""), ("maker", ""), ("vin_model_year", None), ("model_year", None),
            ("catalogue_model_id", ""), ("catalogue_model_name", ""), ("catalogue_choices", []),
            ("is_new", None),
        ):  # fmt: skip
            self.set(name, empty)
        if self.vin_check().ok:
            facts = decode_vin(vin, as_of=today)
            self.set("maker", facts.maker or "")
            self.set("vin_model_year", facts.model_year)
            self.set("model_year", facts.model_year)

    def choose_model(self, model_id: str) -> None:
        name = dict(self.catalogue_choices).get(model_id, "")
        self.set("catalogue_model_id", model_id if name else "")
        self.set("catalogue_model_name", name)

    def apply_view(self, view: ApplicationView) -> None:
        """Adopt what the server holds after a save: id, version, status, quote, what is missing."""
        self.application_id = view.id
        self.version = view.version
        self.status = view.status.value
        vehicle = view.vehicle
        if vehicle is not None and vehicle.vin == normalise_vin(self.vin):
            # only the facts of the VIN on screen (never an earlier VIN's)
            self.maker = self.maker or (vehicle.maker or "")
            self.model_year = self.model_year or vehicle.model_year
            if not self.catalogue_model_id and vehicle.catalogue_model_id:
                self.catalogue_model_id = vehicle.catalogue_model_id
                self.catalogue_model_name = vehicle.catalogue_model_name or ""
        if view.quote is not None:
            self.quote = msgspec.to_builtins(view.quote)
        for photo in view.photos:
            slot = self.photos.setdefault(photo.kind.value, PhotoSlot(kind=photo.kind.value))
            slot.state, slot.progress, slot.error = "done", 1.0, ""
            slot.photo_id, slot.thumbnail_url = photo.id, photo.thumbnail_url
        self.missing = {m.field: m.message for m in view.missing}
        self.missing_en = {m.field: m.message_en or m.message for m in view.missing}

    def apply_quote(self, quote: QuoteResponse) -> None:
        self.quote = msgspec.to_builtins(quote)

    # -- to the server -------------------------------------------------------------------
    def to_draft(self, as_of: date) -> ApplicationDraft:
        """The draft as far as it is valid: invalid parts are left out, not sent wrong."""
        draft = ApplicationDraft(lease_type=LeaseType(self.product.lease_type))
        if self.is_partner:
            draft.product_family = ProductFamily(self.family)
            asset = self.asset.to_input(self.family, as_of)
            if asset is not None:
                draft.asset = asset
        elif self.vin_check().ok:
            year_ok = check_model_year(self.model_year, as_of).ok
            mileage = self.mileage.strip().replace(",", "")
            draft.vehicle = VehicleInput(
                vin=validate_vin(self.vin).value,
                catalogue_model_id=self.catalogue_model_id or None,
                model_year=self.model_year if year_ok else None,
                mileage_km=int(mileage) if check_mileage(mileage, used=False).ok and mileage else 0,
                price=self.price.strip().replace(",", "") or None,
                is_new=self.vehicle_is_new(as_of),
            )
        checks = (self.name_check(), self.id_check(as_of), self.mobile_check(), self.region_check())
        if all(c.ok for c in checks):
            draft.customer = CustomerInput(
                kind=CustomerKind(self.customer_kind),
                name=self.customer_name.strip(),
                id_number=self.customer_id.strip().upper(),
                mobile=self.customer_mobile.strip(),
                region_code=self.region_code.strip() or None,
            )
            if self.is_company:
                rep = (self.representative_name_check(), self.representative_id_check(as_of))
                draft.customer.representative_name = self.representative_name.strip() or None
                if rep[1].ok:
                    draft.customer.representative_id_number = self.representative_id.strip().upper()
        if not self.with_guarantor:
            draft.guarantor = None
        elif all(c.ok for c in self.guarantor_checks(as_of)):
            draft.guarantor = GuarantorInput(
                name=self.guarantor_name.strip(), id_number=self.guarantor_id.strip().upper(),
                mobile=self.guarantor_mobile.strip(), relation=self.guarantor_relation.strip(),
            )  # fmt: skip
        request = self.product.to_request(self.deal_price, as_of)
        if request is not None:
            draft.quote = request
        if self.application_id:
            draft.version = self.version
        return draft

    def live_quote_request(self, as_of: date) -> ProductQuoteRequest | None:
        """What the product step quotes on each change: with the catalogue vehicle, so that the
        server holds a balloon to the vehicle's predicted low value at term end, as it will
        when the draft is saved."""
        request = self.product.to_request(self.deal_price, as_of)
        if request is None or self.is_partner or not self.catalogue_model_id:
            return request
        if not check_model_year(self.model_year, as_of).ok:
            return request
        km = self.mileage.strip().replace(",", "")
        region = self.region_code.strip()
        return msgspec.structs.replace(
            request, catalogue_model_id=self.catalogue_model_id, model_year=self.model_year,
            mileage_km=int(km) if check_mileage(km, used=False).ok and km else 0,
            region_code=region if region.isdigit() and len(region) == 6 else None,
        )  # fmt: skip

    # -- the copy on the device ----------------------------------------------------------
    def to_local(self) -> str:
        data = asdict(self)
        return msgspec.json.encode(data).decode()

    @classmethod
    def from_local(cls, text: str) -> IntakeState:
        data = msgspec.json.decode(text.encode())
        photos = {k: PhotoSlot(**v) for k, v in data.pop("photos", {}).items()}
        for slot in photos.values():
            if slot.state == "uploading":  # an upload cut off by a reload must be redone
                slot.state, slot.progress = "failed", 0.0
        saved = data.pop("product", {})  # a copy from before products holds a typed rate: dropped
        product = ProductForm(
            **{k: v for k, v in saved.items() if k in ProductForm.__dataclass_fields__}
        )
        data["catalogue_choices"] = [tuple(c) for c in data.get("catalogue_choices", [])]
        saved_asset = data.pop("asset", {})
        asset = AssetForm(
            **{k: v for k, v in saved_asset.items() if k in AssetForm.__dataclass_fields__}
        )
        known = {f for f in cls.__dataclass_fields__}
        state = cls(**{k: v for k, v in data.items() if k in known})
        state.photos, state.product, state.asset = photos, product, asset
        return state
