"""The columns are sized by common.api.limits, and the worst value validation lets through fits."""

from __future__ import annotations

import os

import pytest

from backend.db.models import Application, Customer, User
from backend.security.pii import PiiCipher
from common.api import limits


def length(column) -> int:
    return column.type.length


def test_columns_take_their_length_from_the_limits() -> None:
    c = Customer.__table__.c
    assert length(c.name_masked) == limits.CUSTOMER_NAME
    assert length(c.id_masked) == limits.ID_NUMBER
    assert length(c.mobile_masked) == limits.MOBILE
    assert length(c.region_code) == limits.REGION_CODE
    assert length(Application.__table__.c.vin) == limits.VIN
    assert length(User.__table__.c.username) == limits.USERNAME


@pytest.mark.parametrize(
    ("plain", "column"),
    [
        ("张" * 90, Customer.__table__.c.name_enc),
        ("😀" * (limits.CUSTOMER_NAME_BYTES // 4), Customer.__table__.c.name_enc),
        ("X" * limits.ID_NUMBER, Customer.__table__.c.id_enc),
        ("1" * limits.MOBILE, Customer.__table__.c.mobile_enc),
    ],
)
def test_the_largest_plaintext_seals_into_its_column(plain, column) -> None:
    assert len(plain.encode()) <= limits.sealed_length(len(plain.encode()))
    sealed = PiiCipher(os.urandom(32), os.urandom(32)).encrypt(plain, context="customer.name")
    assert len(sealed) == limits.sealed_length(len(plain.encode())) <= length(column)
