"""What an application still needs before it can be submitted (completeness, field by field).

Pure: the backend uses it to refuse a submit and to show progress on a draft; the app can show the
same list before it even asks.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from common.identity import validate_mobile, validate_resident_id, validate_uscc, validate_vin

REQUIRED_PHOTOS_PERSON = ("id_front", "id_back", "driving_licence", "vehicle")
# A company leases through its legal representative (法定代表人): the licence and their ID card.
REQUIRED_PHOTOS_COMPANY = ("business_licence", "id_front", "id_back", "vehicle")

# The applicant's face 客户人脸照, compared with the ID photo (face match, liveness). The intake
# does not take it yet (the intake issue adds the step): until then no face match is asked.
FACE_PHOTO_KIND = "customer_face"

PHOTO_NAMES = {
    "id_front": "身份证人像面",
    "id_back": "身份证国徽面",
    "driving_licence": "驾驶证",
    "vehicle": "车辆照片",
    "business_licence": "营业执照",
}


@dataclass(frozen=True)
class MissingItem:
    field: str
    code: str
    message: str


@dataclass(frozen=True)
class IntakeSnapshot:
    vin: str | None
    customer_kind: str | None  # "person" | "company" | None when no customer yet
    customer_name: str | None
    customer_id_number: str | None
    customer_mobile: str | None
    photo_kinds: Collection[str]
    has_quote: bool


def required_photos(customer_kind: str | None) -> tuple[str, ...]:
    return REQUIRED_PHOTOS_COMPANY if customer_kind == "company" else REQUIRED_PHOTOS_PERSON


def missing_items(s: IntakeSnapshot) -> list[MissingItem]:
    out: list[MissingItem] = []
    if not s.vin:
        out.append(MissingItem("vehicle.vin", "vin_missing", "请填写或扫描车架号"))
    else:
        vin = validate_vin(s.vin)
        if not vin.valid:
            out.append(MissingItem("vehicle.vin", vin.reason or "vin_invalid", vin.message))
    if s.customer_kind is None:
        out.append(MissingItem("customer", "customer_missing", "请填写客户信息"))
    else:
        if not (s.customer_name or "").strip():
            out.append(MissingItem("customer.name", "name_missing", "请填写客户姓名或企业名称"))
        id_check = (
            validate_uscc(s.customer_id_number or "")
            if s.customer_kind == "company"
            else validate_resident_id(s.customer_id_number or "")
        )
        if not id_check.valid:
            out.append(
                MissingItem("customer.id_number", id_check.reason or "id_invalid", id_check.message)
            )
        mobile = validate_mobile(s.customer_mobile or "")
        if not mobile.valid:
            out.append(
                MissingItem("customer.mobile", mobile.reason or "mobile_invalid", mobile.message)
            )
    for kind in required_photos(s.customer_kind):
        if kind not in s.photo_kinds:
            out.append(MissingItem(f"photos.{kind}", "photo_missing", f"请上传{PHOTO_NAMES[kind]}"))
    if not s.has_quote:
        out.append(MissingItem("quote", "quote_missing", "请选择融资方案"))
    return out
