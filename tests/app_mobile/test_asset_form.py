"""The partner asset step's form: each family's fields, checked as typed with the server's
rules, and the asset it gives the draft only once every field is valid."""

from __future__ import annotations

from datetime import date, timedelta

import msgspec
import pytest

from app_mobile.state.asset_form import FIELDS, AssetForm, serials_of
from common.api.intake import AssetInput, EquipmentAsset, FreightAsset, ReceivableAsset

TODAY = date(2026, 12, 4)
SHIPPER = "91440101MA5CJ8WQ3R"


def receivable(**changes: str) -> AssetForm:
    form = AssetForm(party_name="华东汽车集团有限公司", party_uscc="91310000MA1FL0HX4H",
                     document_number="3100254130-00428816", document_date="2026-12-02",
                     due_date="2027-03-01", amount="860000")  # fmt: skip
    for name, value in changes.items():
        setattr(form, name, value)
    return form


def freight() -> AssetForm:
    return AssetForm(party_name="广州华南汽车零部件有限公司", party_uscc=SHIPPER,
                     document_number="SD2026120300187", route="广州—武汉",
                     document_date="2026-12-03", due_date="2027-02-01",
                     amount="186,000")  # fmt: skip


def equipment(serials: str = "GV120-0001\nGV120-0002, GV120-0003") -> AssetForm:
    return AssetForm(equipment_model="GreenVolt DC-120kW", serials=serials,
                     site_address="上海市浦东新区川沙路5558号", site_region="310115",
                     amount="144000")  # fmt: skip


def test_a_complete_receivable_becomes_the_drafts_asset() -> None:
    asset = receivable().to_input("supplier_finance", TODAY)
    assert isinstance(asset, ReceivableAsset)
    assert (asset.debtor_uscc, asset.due_date, asset.amount) == (
        "91310000MA1FL0HX4H", date(2027, 3, 1), "860000")  # fmt: skip
    assert receivable().problems("supplier_finance", TODAY, "zh") == []


def test_freight_amounts_may_be_typed_with_thousands_separators() -> None:
    asset = freight().to_input("freight_advance", TODAY)
    assert isinstance(asset, FreightAsset) and asset.amount == "186000"
    assert asset.route == "广州—武汉"


def test_serial_numbers_are_one_per_line_or_separated_by_commas() -> None:
    assert serials_of("A-1\nA-2,A-3，A-4  A-5\n\n") == ["A-1", "A-2", "A-3", "A-4", "A-5"]
    asset = equipment().to_input("charging_pile", TODAY)
    assert isinstance(asset, EquipmentAsset)
    assert asset.serial_numbers == ["GV120-0001", "GV120-0002", "GV120-0003"]


@pytest.mark.parametrize(
    ("serials", "reason"),
    [
        ("", "请填写设备序列号"),
        ("GV-1\ngv-1", "设备序列号重复"),
        ("GV-1\nGV#2", "序列号无效：GV#2"),
    ],
)
def test_bad_serial_numbers_say_why(serials: str, reason: str) -> None:
    form = equipment(serials)
    assert form.to_input("charging_pile", TODAY) is None
    assert form.problems("charging_pile", TODAY, "zh") == [f"设备序列号（每行一个）：{reason}"]


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"party_uscc": "91310000MA1FL0HX4X"}, "债务人统一社会信用代码："),
        ({"document_date": "2026/12/02"}, "开票日期：日期格式应为 YYYY-MM-DD"),
        ({"amount": "0"}, "应收账款金额（元）：金额应大于0"),
        ({"amount": "86万"}, "应收账款金额（元）：请输入有效金额"),
        ({"party_name": " "}, "债务人（买方）名称：必填"),
        ({"document_number": "X" * 41}, "发票号码：最多40个字"),
    ],
)
def test_a_field_the_server_would_refuse_keeps_the_clerk_on_the_step(
    changes: dict[str, str], problem: str
) -> None:
    form = receivable(**changes)
    assert form.to_input("supplier_finance", TODAY) is None
    problems = form.problems("supplier_finance", TODAY, "zh")
    assert len(problems) == 1 and problems[0].startswith(problem), problems


def test_the_whole_asset_is_checked_as_the_server_checks_it() -> None:
    """Each field is valid, but together they are not: the server's own reasons."""
    future = receivable(document_date=(TODAY + timedelta(days=1)).isoformat())
    assert future.problems("supplier_finance", TODAY, "zh") == ["开票/签收日期不能晚于今天"]
    backwards = receivable(due_date="2026-11-30")
    assert backwards.problems("supplier_finance", TODAY, "en") == [
        "The due date cannot be before the invoice or delivery date"
    ]
    assert future.to_input("supplier_finance", TODAY) is None


def test_the_region_of_the_site_is_required_as_six_digits() -> None:
    form = equipment()
    form.site_region = "3101"
    assert form.problems("charging_pile", TODAY, "en") == [
        "Site region code: A region code has 6 digits"
    ]


def test_each_family_asks_for_its_own_fields_and_every_one_reaches_the_wire() -> None:
    forms = {"supplier_finance": receivable(), "freight_advance": freight(),
             "charging_pile": equipment()}  # fmt: skip
    for family, form in forms.items():
        asset = form.to_input(family, TODAY)
        assert asset is not None, family
        wire = msgspec.to_builtins(asset)
        assert {f.wire for f in FIELDS[family]} == set(wire) - {"type"}
        assert msgspec.convert(wire, AssetInput) == asset  # what the server decodes
