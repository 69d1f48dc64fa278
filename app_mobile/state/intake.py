"""The intake wizard's state 进件向导: what the clerk has entered, validated as typed.

Plain data, no Flet and no I/O: the view reads and writes it, `to_draft()` says what the server
draft should hold, and `to_local()`/`from_local()` give the copy kept on the device so a reload or a
lost connection loses nothing.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import IntEnum
from typing import Any

import msgspec

from app_mobile.state.product import ProductForm
from common.api import limits
from common.api.intake import (
    ApplicationDraft,
    ApplicationStatus,
    ApplicationView,
    CustomerInput,
    CustomerKind,
    LeaseType,
    PhotoKind,
    VehicleInput,
    VinScan,
)
from common.api.quotes import QuoteResponse
from common.identity import validate_mobile, validate_resident_id, validate_uscc, validate_vin
from common.intake import PHOTO_NAMES, required_photos


class Step(IntEnum):
    VEHICLE = 0
    CUSTOMER = 1
    PHOTOS = 2
    PRODUCT = 3
    REVIEW = 4
    RESULT = 5


STEP_KEYS = ("step_vehicle", "step_customer", "step_photos", "step_product", "step_review")


@dataclass
class PhotoSlot:
    """One photo to take: its upload progress, or why it failed (so it can be retried)."""

    kind: str
    state: str = "missing"  # missing | uploading | done | failed
    progress: float = 0.0
    error: str = ""
    photo_id: str = ""
    thumbnail_url: str = ""


@dataclass
class FieldCheck:
    ok: bool
    message: str = ""  # Chinese reason when not ok
    message_en: str = ""

    def text(self, language: str) -> str:
        return self.message if language == "zh" else (self.message_en or self.message)


OK = FieldCheck(True)


def _from_check(valid: bool, message: str, message_en: str) -> FieldCheck:
    return OK if valid else FieldCheck(False, message, message_en)


def check_vin(raw: str) -> FieldCheck:
    check = validate_vin(raw)
    return _from_check(check.valid, check.message, check.message_en)


def check_customer_id(kind: str, raw: str) -> FieldCheck:
    check = validate_uscc(raw) if kind == CustomerKind.COMPANY.value else validate_resident_id(raw)
    return _from_check(check.valid, check.message, check.message_en)


def check_mobile(raw: str) -> FieldCheck:
    check = validate_mobile(raw)
    return _from_check(check.valid, check.message, check.message_en)


def check_name(raw: str) -> FieldCheck:
    name = raw.strip()
    if not name:
        return FieldCheck(False, "请填写姓名或企业名称", "The name is missing")
    if len(name) > limits.CUSTOMER_NAME or len(name.encode()) > limits.CUSTOMER_NAME_BYTES:
        return FieldCheck(False, "名称过长", "The name is too long")  # the server's own limits
    if limits.has_control(name):
        return FieldCheck(False, "名称含有无效字符", "The name holds a control character")
    return OK


def check_amount(raw: str, *, required: bool = False) -> FieldCheck:
    text = raw.strip().replace(",", "")
    if not text:
        return FieldCheck(False, "必填", "Required") if required else OK
    if not text.isascii():  # the server takes ASCII digits only (no full-width ０-９)
        return FieldCheck(False, "请输入有效金额", "Enter a valid amount")
    try:
        value = Decimal(text)
    except InvalidOperation:
        return FieldCheck(False, "请输入有效金额", "Enter a valid amount")
    if not value.is_finite() or value < 0 or value.as_tuple().exponent < -2:  # type: ignore[operator]
        return FieldCheck(False, "请输入有效金额", "Enter a valid amount")
    return OK


@dataclass
class IntakeState:
    """Everything the wizard knows about one application being filed."""

    idempotency_key: str = field(default_factory=lambda: str(uuid.uuid4()))
    application_id: str = ""
    version: int = 0
    step: int = Step.VEHICLE
    status: str = ApplicationStatus.DRAFT.value
    # vehicle
    vin: str = ""
    maker: str = ""
    model_year: int | None = None
    catalogue_model_id: str = ""
    catalogue_model_name: str = ""
    price: str = ""
    # customer
    customer_kind: str = CustomerKind.PERSON.value
    customer_name: str = ""
    customer_id: str = ""
    customer_mobile: str = ""
    # photos and product
    photos: dict[str, PhotoSlot] = field(default_factory=dict)
    product: ProductForm = field(default_factory=ProductForm)
    # what the server said
    quote: dict[str, Any] | None = None
    missing: dict[str, str] = field(default_factory=dict)  # field path -> Chinese message
    dirty: bool = False  # changed since the last successful server save

    # -- checks ----------------------------------------------------------------------------
    def vin_check(self) -> FieldCheck:
        return check_vin(self.vin)

    def id_check(self) -> FieldCheck:
        return check_customer_id(self.customer_kind, self.customer_id)

    def mobile_check(self) -> FieldCheck:
        return check_mobile(self.customer_mobile)

    def name_check(self) -> FieldCheck:
        return check_name(self.customer_name)

    def required_photos(self) -> tuple[PhotoKind, ...]:
        """The same rule the server applies on submit (common.intake)."""
        return tuple(PhotoKind(k) for k in required_photos(self.customer_kind))

    def slot(self, kind: PhotoKind) -> PhotoSlot:
        return self.photos.setdefault(kind.value, PhotoSlot(kind=kind.value))

    def step_problems(self, step: int) -> list[str]:
        """Chinese reasons the clerk cannot leave `step` yet (empty when they can)."""
        if step == Step.VEHICLE:
            vin = self.vin_check()
            return [] if vin.ok else [vin.message]
        if step == Step.CUSTOMER:
            checks = (self.name_check(), self.id_check(), self.mobile_check())
            return [c.message for c in checks if not c.ok]
        if step == Step.PHOTOS:
            return [
                f"请上传{PHOTO_NAMES[kind.value]}"
                for kind in self.required_photos()
                if self.slot(kind).state != "done"
            ]
        if step == Step.PRODUCT:
            price = check_amount(self.price, required=True)
            problems = [] if price.ok else [f"车辆价格：{price.message}"]
            return problems + self.product.problems()
        return []

    # -- edits -----------------------------------------------------------------------------
    def set(self, name: str, value: Any) -> None:
        if getattr(self, name) != value:
            setattr(self, name, value)
            self.dirty = True

    def apply_scan(self, scan: VinScan) -> None:
        """Fill the vehicle from a scanned or typed-and-decoded VIN; the first catalogue match
        is proposed, and a model proposed for an earlier VIN is dropped."""
        self.set("vin", scan.vin)
        self.set("maker", scan.maker or "")
        self.set("model_year", scan.model_year)
        first = scan.catalogue_matches[0] if scan.catalogue_matches else None
        self.set("catalogue_model_id", first.id if first else "")
        self.set("catalogue_model_name", f"{first.maker} {first.name}" if first else "")

    def apply_view(self, view: ApplicationView) -> None:
        """Adopt what the server holds after a save: id, version, status, quote, what is missing."""
        self.application_id = view.id
        self.version = view.version
        self.status = view.status.value
        if view.vehicle is not None:
            self.maker = self.maker or (view.vehicle.maker or "")
            self.model_year = self.model_year or view.vehicle.model_year
            self.catalogue_model_name = self.catalogue_model_name or (
                view.vehicle.catalogue_model_name or ""
            )
        if view.quote is not None:
            self.quote = msgspec.to_builtins(view.quote)
        for photo in view.photos:
            slot = self.photos.setdefault(photo.kind.value, PhotoSlot(kind=photo.kind.value))
            slot.state, slot.progress, slot.error = "done", 1.0, ""
            slot.photo_id, slot.thumbnail_url = photo.id, photo.thumbnail_url
        self.missing = {m.field: m.message for m in view.missing}

    def apply_quote(self, quote: QuoteResponse) -> None:
        self.quote = msgspec.to_builtins(quote)

    # -- to the server -------------------------------------------------------------------
    def to_draft(self, as_of: date) -> ApplicationDraft:
        """The draft as far as it is valid: invalid parts are left out, not sent wrong."""
        draft = ApplicationDraft(lease_type=LeaseType(self.product.lease_type))
        if self.vin_check().ok:
            draft.vehicle = VehicleInput(
                vin=validate_vin(self.vin).value,
                catalogue_model_id=self.catalogue_model_id or None,
                model_year=self.model_year,
                price=self.price.strip().replace(",", "") or None,
            )
        if self.name_check().ok and self.id_check().ok and self.mobile_check().ok:
            draft.customer = CustomerInput(
                kind=CustomerKind(self.customer_kind),
                name=self.customer_name.strip(),
                id_number=self.customer_id.strip().upper(),
                mobile=self.customer_mobile.strip(),
            )
        request = self.product.to_request(self.price, as_of)
        if request is not None:
            draft.quote = request
        if self.application_id:
            draft.version = self.version
        return draft

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
        known = {f for f in cls.__dataclass_fields__}
        state = cls(**{k: v for k, v in data.items() if k in known})
        state.photos, state.product = photos, product
        return state
