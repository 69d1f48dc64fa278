"""The pre-screen's questions: each answer read from free text, or asked again."""

from __future__ import annotations

from datetime import date

from common.assistant.prescreen import Need, Slot, VehicleModel, cancels, fill, find_model

TODAY = date(2026, 6, 10)
MODELS = [
    VehicleModel("byd-qinplus", "秦PLUS Qin PLUS", "比亚迪 BYD", (2021, 2026)),
    VehicleModel("sinotruk-howo-t7h", "豪沃 HOWO T7H 牵引车", "中国重汽 Sinotruk", (2016, 2026)),
    VehicleModel("sinotruk-howo-cold", "豪沃冷藏车 HOWO refrigerated", "中国重汽 Sinotruk",
                 (2016, 2026)),
    VehicleModel("tesla-model3", "Model 3", "特斯拉(上海) Tesla Shanghai", (2019, 2026)),
]  # fmt: skip


def test_the_vehicle_is_found_by_its_longest_name_and_new_unless_said_otherwise():
    assert find_model("豪沃冷藏车", MODELS).id == "sinotruk-howo-cold"  # type: ignore[union-attr]
    assert find_model("特斯拉 model3", MODELS).id == "tesla-model3"  # type: ignore[union-attr]
    assert find_model("飞船", MODELS) is None
    new = fill(Need(), Slot.VEHICLE, "秦plus 新车", MODELS, TODAY)
    assert new is not None
    assert (new.model_id, new.is_new, new.model_year) == ("byd-qinplus", True, 2026)
    used = fill(Need(), Slot.VEHICLE, "开了3年的豪沃牵引车", MODELS, TODAY)
    assert used is not None
    assert (used.model_id, used.is_new, used.model_year) == ("sinotruk-howo-t7h", False, 2023)
    assert fill(Need(), Slot.VEHICLE, "21年的秦PLUS", MODELS, TODAY).model_year == 2021  # type: ignore[union-attr]


def test_the_questions_come_in_order_until_the_need_is_whole():
    need = Need()
    for slot, text in [(Slot.VEHICLE, "秦PLUS"), (Slot.PRICE, "12万"), (Slot.DOWN_PAYMENT, "25%"),
                       (Slot.TERM, "3年"), (Slot.CITY, "深圳南山")]:  # fmt: skip
        assert need.next_slot() is slot
        filled = fill(need, slot, text, MODELS, TODAY)
        assert filled is not None
        need = filled
    assert need.next_slot() is None
    assert (need.price, need.down_payment, need.term_months) == ("120000", "30000", 36)
    assert need.region_code == "440305"


def test_an_answer_that_makes_no_sense_is_not_taken():
    priced = Need(model_id="byd-qinplus", price="120000")
    assert fill(priced, Slot.DOWN_PAYMENT, "13万", MODELS, TODAY) is None  # above the price
    assert fill(priced, Slot.PRICE, "5块", MODELS, TODAY) is None
    assert fill(priced, Slot.TERM, "200期", MODELS, TODAY) is None
    assert fill(priced, Slot.CITY, "火星", MODELS, TODAY) is None
    assert cancels("算了不办了")
    assert not cancels("36期")
