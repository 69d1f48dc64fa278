"""My applications 我的进件 as the list shows them: what each one holds, so an abandoned draft
is told apart from another by its vehicle, customer, amount and how far it got."""

from __future__ import annotations

from dataclasses import dataclass

import msgspec

from app_mobile.i18n import Translator, format_date, format_money, format_percent
from common.api.intake import (
    ApplicationStatus,
    ApplicationSummary,
    ApplicationView,
    EquipmentAsset,
    FreightAsset,
    ReceivableAsset,
)
from common.products import FAMILY_NAMES, ProductFamily


@dataclass(frozen=True)
class SummaryLines:
    title: str  # the vehicle: 上汽大众 朗逸 2022, else the VIN
    vin: str  # beside a named vehicle; empty when the title is the VIN
    customer: str  # masked
    figures: str  # financed · rent · rate · last changed
    progress: str  # drafts only: 已填：车辆 · 客户 · 照片3张

    def label(self, status: str) -> str:
        parts = (self.title, self.vin, status, self.customer, self.figures, self.progress)
        return " ".join(x for x in parts if x)


def vehicle_text(item: ApplicationSummary) -> str:
    names = [item.maker, item.model_name, str(item.model_year) if item.model_year else None]
    return " ".join(x for x in names if x)


def progress_text(item: ApplicationSummary, t: Translator) -> str:
    if item.status != ApplicationStatus.DRAFT:
        return ""
    if not item.filled:
        return t("draft_nothing")
    steps = [
        t("draft_photos_n", n=item.photo_count) if step == "photos" else t(f"filled_{step}")
        for step in item.filled
    ]
    return t("draft_filled", steps=" · ".join(steps))


def describe(item: ApplicationSummary, t: Translator) -> SummaryLines:
    financed = format_money(item.financed)
    figures = " · ".join(
        x
        for x in (
            f"{t('financed')} {financed}" if financed else "",
            format_money(item.monthly_payment),
            format_percent(item.annualised_rate_percent),
            format_date(item.updated_at),
        )
        if x
    )
    vehicle = vehicle_text(item)
    if item.product_family is not ProductFamily.VEHICLE:  # a partner's asset, named by its family
        zh, en = FAMILY_NAMES[item.product_family]
        vehicle = zh if t.language == "zh" else en
    return SummaryLines(
        title=vehicle or item.vin or "—",
        vin=item.vin or "" if vehicle else "",
        customer=item.customer_name or "",
        figures=figures,
        progress=progress_text(item, t),
    )


def financed_text(view: ApplicationView, language: str) -> str:
    """What the application finances, in one line: the VIN, or the family and its document."""
    if view.asset is None:
        return view.vehicle.vin if view.vehicle else ""
    zh, en = FAMILY_NAMES[view.product_family]
    asset = view.asset
    if isinstance(asset, ReceivableAsset):
        document = asset.invoice_number
    elif isinstance(asset, FreightAsset):
        document = asset.waybill_number
    else:
        assert isinstance(asset, EquipmentAsset)
        document = f"{asset.model} × {len(asset.serial_numbers)}"
    return f"{zh if language == 'zh' else en} · {document}"


def is_device_draft(device_copy: str | None, application_id: str) -> bool:
    """Whether the draft kept on this device is the one with this id (dropped with it)."""
    if not device_copy:
        return False
    try:
        kept = msgspec.json.decode(device_copy.encode())
    except msgspec.DecodeError:
        return False
    return isinstance(kept, dict) and kept.get("application_id") == application_id
