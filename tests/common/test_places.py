"""A place a person names, as a GB/T 2260 code (the shop nearest to them is found by it)."""

from __future__ import annotations

import pytest

from common.regions import place_code


@pytest.mark.parametrize(
    ("text", "code"),
    [("深圳", "440300"), ("我在北京朝阳", "110105"), ("广东", "440000"), ("上海", "310000"),
     ("上海徐汇区", "310104"), ("深圳南山", "440305"), ("朝阳", "211300"),
     ("成都市", "510100"), ("火星", None)],
)  # fmt: skip
def test_a_named_place_is_its_division(text, code):
    assert place_code(text) == code
