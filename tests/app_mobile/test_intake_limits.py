"""The intake form checks names and amounts with the server's own limits (common.api.limits)."""

from __future__ import annotations

import pytest

from app_mobile.state.field_checks import check_amount, check_name


@pytest.mark.parametrize(
    ("raw", "ok"),
    [
        ("张" * 90, True),
        ("张" * 91, False),  # 273 UTF-8 bytes: its ciphertext would not fit the column
        ("A" * 100, True),
        ("A" * 101, False),
        ("张\u0000三", False),
        ("张三", True),
    ],
)
def test_names_follow_the_server_limits(raw: str, ok: bool) -> None:
    assert check_name(raw).ok is ok


@pytest.mark.parametrize(
    ("raw", "ok"), [("150000", True), ("１５００００", False), ("١٥٠٠٠٠", False)]
)
def test_amounts_take_ascii_digits_only(raw: str, ok: bool) -> None:
    assert check_amount(raw).ok is ok
