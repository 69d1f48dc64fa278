"""What an application still needs before it can be submitted (completeness, field by field).

Pure: the backend uses it to refuse a submit and to show progress on a draft; the app can show the
same list before it even asks.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from typing import Any

from common.identity import (
    age_on,
    validate_mobile,
    validate_resident_id,
    validate_uscc,
    validate_vin,
)

# The applicant's face 客户人脸照, compared with the ID photo by the identity provider (face match,
# liveness). A company's face is its legal representative's, whose ID card it files.
FACE_PHOTO_KIND = "customer_face"

REQUIRED_PHOTOS_PERSON = ("id_front", "id_back", FACE_PHOTO_KIND, "driving_licence", "vehicle")
# A company leases through its legal representative (法定代表人): the licence and their ID card.
REQUIRED_PHOTOS_COMPANY = ("business_licence", "id_front", "id_back", FACE_PHOTO_KIND, "vehicle")

# The youngest applicant any product takes (a product may ask for more, never less).
MIN_APPLICANT_AGE = 18

PHOTO_NAMES = {
    "id_front": ("身份证人像面", "the ID card (photo side)"),
    "id_back": ("身份证国徽面", "the ID card (emblem side)"),
    FACE_PHOTO_KIND: ("客户人脸照", "the customer's face"),
    "driving_licence": ("驾驶证", "the driving licence"),
    "vehicle": ("车辆照片", "a vehicle photo"),
    "business_licence": ("营业执照", "the business licence"),
    "invoice": ("应收账款发票", "the receivable's invoice"),
    "waybill": ("运单", "the waybill"),
    "equipment": ("设备照片", "a photo of the equipment"),
}
# What a partner family files instead of the vehicle photo.
DOCUMENT_PHOTOS = {
    "supplier_finance": "invoice",
    "freight_advance": "waybill",
    "charging_pile": "equipment",
}
VEHICLE_FAMILY = "vehicle"


@dataclass(frozen=True)
class MissingItem:
    field: str
    code: str
    message: str
    message_en: str = ""


@dataclass(frozen=True)
class IntakeSnapshot:
    vin: str | None
    customer_kind: str | None  # "person" | "company" | None when no customer yet
    customer_name: str | None
    customer_id_number: str | None
    customer_mobile: str | None
    photo_kinds: Collection[str]
    has_quote: bool
    as_of: date  # the business date: an ID born after it is invalid, and ages are counted to it
    min_age: int = MIN_APPLICANT_AGE
    representative_name: str | None = None  # a company's authorised person 授权代表
    representative_id_number: str | None = None
    guarantor: tuple[str, str] | None = None  # (resident ID, mobile) of the guarantor, if any
    family: str = VEHICLE_FAMILY  # common.products.ProductFamily
    has_asset: bool = False  # a partner application's asset (checked when it was filed)


def required_photos(customer_kind: str | None, family: str = VEHICLE_FAMILY) -> tuple[str, ...]:
    """A partner product finances a company's asset: the company's photos with the family's
    document (invoice, waybill, equipment) in place of the vehicle photo."""
    if family != VEHICLE_FAMILY:
        return (*REQUIRED_PHOTOS_COMPANY[:-1], DOCUMENT_PHOTOS[family])
    return REQUIRED_PHOTOS_COMPANY if customer_kind == "company" else REQUIRED_PHOTOS_PERSON


def _partner_items(s: IntakeSnapshot) -> list[MissingItem]:
    """A partner application needs its asset and a company customer (no VIN)."""
    out = []
    if not s.has_asset:
        out.append(MissingItem("asset", "asset_missing", "请填写融资标的（应收账款、运单或设备）",
                               "Enter the asset (receivable, waybill or equipment)"))  # fmt: skip
    if s.customer_kind == "person":
        out.append(MissingItem("customer.kind", "company_required", "该产品仅面向企业客户",
                               "This product is for companies only"))  # fmt: skip
    return out


def under_age(id_number: str, as_of: date, min_age: int = MIN_APPLICANT_AGE) -> MissingItem | None:
    """An applicant younger than `min_age` on `as_of` (a valid resident ID tells the birth date)."""
    check = validate_resident_id(id_number, as_of=as_of)
    if check.birth_date is None or age_on(check.birth_date, as_of) >= min_age:
        return None
    return MissingItem(
        "customer.id_number",
        "applicant_under_age",
        f"申请人未满{min_age}周岁",
        f"The applicant is under {min_age}",
    )


def representative_items(name: str | None, id_number: str | None, as_of: date) -> list[MissingItem]:
    """A company signs through its authorised person: their name and a valid adult resident
    ID are needed before the company can be decided (and its contract signed)."""
    out = []
    if not (name or "").strip():
        out.append(MissingItem(
            "customer.representative_name", "representative_missing",
            "请填写企业授权代表（法定代表人）姓名", "Enter the company's authorised person",
        ))  # fmt: skip
    check = validate_resident_id(id_number or "", as_of=as_of)
    if not check.valid:
        out.append(MissingItem(
            "customer.representative_id_number", check.reason or "id_invalid",
            f"授权代表{check.message}", f"Authorised person: {check.message_en}",
        ))  # fmt: skip
    else:
        young = under_age(id_number or "", as_of)
        if young is not None:
            out.append(MissingItem("customer.representative_id_number", young.code,
                                   young.message, young.message_en))  # fmt: skip
    return out


def guarantor_items(id_number: str, mobile: str, as_of: date) -> list[MissingItem]:
    """A guarantor 保证人 is an adult with a valid resident ID and a mobile that can be reached."""
    out = []
    check = validate_resident_id(id_number, as_of=as_of)
    young = under_age(id_number, as_of) if check.valid else None
    if not check.valid:
        out.append(_guarantor("id_number", check.reason or "id_invalid", check))
    elif young is not None:
        out.append(_guarantor("id_number", young.code, young))
    phone = validate_mobile(mobile)
    if not phone.valid:
        out.append(_guarantor("mobile", phone.reason or "mobile_invalid", phone))
    return out


def _guarantor(field: str, code: str, said: Any) -> MissingItem:
    return MissingItem(
        f"guarantor.{field}", code, f"保证人{said.message}", f"Guarantor: {said.message_en}"
    )


def missing_items(s: IntakeSnapshot) -> list[MissingItem]:
    out: list[MissingItem] = []
    if s.family != VEHICLE_FAMILY:
        out += _partner_items(s)
    elif not s.vin:
        out.append(
            MissingItem("vehicle.vin", "vin_missing", "请填写或扫描车架号", "Enter or scan the VIN")
        )
    else:
        vin = validate_vin(s.vin)
        if not vin.valid:
            out.append(
                MissingItem("vehicle.vin", vin.reason or "vin_invalid", vin.message, vin.message_en)
            )
    if s.customer_kind is None:
        out.append(
            MissingItem("customer", "customer_missing", "请填写客户信息", "Enter the customer")
        )
    else:
        if not (s.customer_name or "").strip():
            out.append(
                MissingItem(
                    "customer.name",
                    "name_missing",
                    "请填写客户姓名或企业名称",
                    "Enter the customer's or company's name",
                )
            )
        id_number = s.customer_id_number or ""
        id_check = (
            validate_uscc(id_number)
            if s.customer_kind == "company"
            else validate_resident_id(id_number, as_of=s.as_of)
        )
        young = under_age(id_number, s.as_of, s.min_age) if s.customer_kind == "person" else None
        if not id_check.valid:
            out.append(
                MissingItem(
                    "customer.id_number",
                    id_check.reason or "id_invalid",
                    id_check.message,
                    id_check.message_en,
                )
            )
        elif young is not None:
            out.append(young)
        mobile = validate_mobile(s.customer_mobile or "")
        if not mobile.valid:
            out.append(
                MissingItem(
                    "customer.mobile",
                    mobile.reason or "mobile_invalid",
                    mobile.message,
                    mobile.message_en,
                )
            )
    if s.customer_kind == "company":
        out += representative_items(s.representative_name, s.representative_id_number, s.as_of)
    if s.guarantor is not None:
        out += guarantor_items(*s.guarantor, s.as_of)
    for kind in required_photos(s.customer_kind, s.family):
        if kind not in s.photo_kinds:
            zh, en = PHOTO_NAMES[kind]
            out.append(MissingItem(f"photos.{kind}", "photo_missing", f"请上传{zh}", f"Add {en}"))
    if not s.has_quote:
        out.append(MissingItem("quote", "quote_missing", "请选择融资方案", "Choose a lease plan"))
    return out
