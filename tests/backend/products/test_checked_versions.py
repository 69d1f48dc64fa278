"""A stored product version is frozen: its checked product is built once per process."""

from __future__ import annotations

from backend.db.base import new_id
from backend.db.models import ProductVersion
from backend.products.seeded import PRODUCTS, USED_LEASEBACK
from backend.products.service import product_from


def _version(version_id: str | None, number: int = 1) -> ProductVersion:
    body = PRODUCTS[USED_LEASEBACK]
    return ProductVersion(id=version_id, product_id=USED_LEASEBACK, number=number, body=body)


def test_a_stored_version_is_checked_once():
    version_id = new_id()
    first = product_from(_version(version_id))
    assert product_from(_version(version_id)) is first
    assert first.id == USED_LEASEBACK and first.version == 1


def test_another_version_and_an_unsaved_one_are_checked_on_their_own():
    stored = product_from(_version(new_id()))
    assert product_from(_version(new_id(), number=2)).version == 2
    unsaved = _version(None)
    assert product_from(unsaved) is not product_from(unsaved)
    assert product_from(unsaved) == stored
