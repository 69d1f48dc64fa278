"""A partner application's family and asset 融资标的 on the draft: fixed family, checked asset.

The family is chosen when the draft is created and never changes (its completeness, products,
rule set and contract follow from it). The asset is stored as filed (amounts as strings, the
wire's own shape) with the normalised USCC of who pays it, which the risk facts count.
"""

from __future__ import annotations

from datetime import date

import msgspec

from backend.db.models import Application
from common.api.intake import AssetInput, ProductFamily
from common.assets import FiledAsset, asset_of, check_due
from common.errors import DomainError
from common.money import to_fen
from common.products import Product

FAMILY_FIXED = DomainError(
    "product_family_fixed",
    "申请创建后不能更改产品类别，请新建申请",
    "The product family is chosen when the application is created: start a new one",
    fields={"product_family": "product_family_fixed"},
)
VEHICLE_NOT_APPLICABLE = DomainError(
    "vehicle_not_applicable",
    "该类申请融资的是应收账款或设备，无需填写车辆",
    "A partner application finances an asset, not a vehicle",
    fields={"vehicle": "vehicle_not_applicable"},
)


def family_of(app: Application) -> ProductFamily:
    return ProductFamily(app.product_family)


def is_partner(app: Application) -> bool:
    return app.product_family != ProductFamily.VEHICLE.value


def set_family(app: Application, family: ProductFamily, *, creating: bool) -> None:
    """On create, the draft's family; later only the same family is accepted (422)."""
    if not creating and family.value != app.product_family:
        raise FAMILY_FIXED
    app.product_family = family.value


def apply(app: Application, data: AssetInput | None, today: date) -> None:
    """File (or clear) the asset; the asset's amount is the price the quote must be made on."""
    if data is None:
        if is_partner(app):  # a vehicle draft has no asset to clear (its price is the car's)
            app.asset = app.asset_party_uscc = app.price_fen = None
        return
    filed = asset_of(family_of(app), data, today)
    app.asset = msgspec.to_builtins(data)
    app.asset_party_uscc = filed.party_uscc
    app.price_fen = to_fen(filed.amount)


def input_of(app: Application) -> AssetInput | None:
    if app.asset is None:
        return None
    asset: AssetInput = msgspec.convert(app.asset, AssetInput)
    return asset


def filed_of(app: Application) -> FiledAsset:
    """The asset as checked when it was filed (the checks are pure and repeatable, but not the
    "not in the future" one: a document dated today stays valid tomorrow)."""
    data = input_of(app)
    if data is None:
        raise ValueError("a partner application without its asset cannot be decided")
    return asset_of(family_of(app), data, date.max)


def check_quote(app: Application, product: Product, start_date: date, today: date) -> None:
    """A receivable is financed only before it falls due and within the product's longest term."""
    data = input_of(app)
    if data is not None:
        check_due(filed_of(app), product, start_date, today)
