"""The pre-screen's questions 融资需求预审: the few facts that price a lease and that the rule
engine's pre-screen subset judges — the vehicle, its price, the down payment, the term and the
city. Each answer is read from free text; an answer that cannot be read is asked again."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

import msgspec

from common.assistant import amounts
from common.regions import place_code

CANCEL_WORDS = ("取消", "退出", "算了", "不用了", "不办了")


class Slot(StrEnum):
    VEHICLE = "vehicle"
    PRICE = "price"
    DOWN_PAYMENT = "down_payment"
    TERM = "term"
    CITY = "city"


QUESTIONS = {
    Slot.VEHICLE: "您想融资的是什么车？请说车型，新车还是二手车"
    "（例如：比亚迪秦PLUS 新车；朗逸 2021年二手车）。",
    Slot.PRICE: "车价大约多少？（例如：12万）",
    Slot.DOWN_PAYMENT: "打算付多少首付？可以说金额或比例（例如：3万，或 30%）。",
    Slot.TERM: "想分多少期还？（常见 12、24、36 期）",
    Slot.CITY: "您在哪个城市用车？我帮您找附近的门店。",
}
RETRY = {
    Slot.VEHICLE: "没有在车型库里找到这款车，请换个说法（例如：朗逸、秦PLUS、哈弗H6、长城炮）。",
    Slot.PRICE: "没看懂车价，请说一个金额（例如：15万）。",
    Slot.DOWN_PAYMENT: "没看懂首付，请说金额或比例，且低于车价（例如：3万，或 30%）。",
    Slot.TERM: "没看懂期限，请说期数（例如：36期，或 3年）。",
    Slot.CITY: "没找到这个城市，请说城市名（例如：北京、上海、深圳）。",
}


@dataclass(frozen=True)
class VehicleModel:
    """What the questions need of a catalogue model."""

    id: str
    name: str  # e.g. "秦PLUS Qin PLUS"
    maker: str
    years: tuple[int, ...]


class Need(msgspec.Struct, kw_only=True, omit_defaults=True):
    """The answers so far (kept in the conversation as builtins)."""

    model_id: str | None = None
    model_name: str | None = None
    is_new: bool | None = None
    model_year: int | None = None
    price: str | None = None  # yuan, a decimal string
    down_payment: str | None = None  # yuan
    term_months: int | None = None
    region_code: str | None = None

    def next_slot(self) -> Slot | None:
        if self.model_id is None:
            return Slot.VEHICLE
        if self.price is None:
            return Slot.PRICE
        if self.down_payment is None:
            return Slot.DOWN_PAYMENT
        if self.term_months is None:
            return Slot.TERM
        if self.region_code is None:
            return Slot.CITY
        return None


def _squash(text: str) -> str:
    return re.sub(r"[\s\-·]+", "", text).lower()


def _aliases(model: VehicleModel) -> list[str]:
    whole = _squash(model.name)
    parts = [_squash(p) for p in model.name.split() if len(_squash(p)) >= 2]
    return [whole, *parts]


def find_model(text: str, models: list[VehicleModel]) -> VehicleModel | None:
    """The model whose longest name or name part appears in ``text`` (None: none does)."""
    said = _squash(text)
    best: tuple[int, VehicleModel] | None = None
    for model in models:
        length = max((len(a) for a in _aliases(model) if a in said), default=0)
        if length and (best is None or length > best[0]):
            best = (length, model)
    return best[1] if best else None


_YEAR = re.compile(r"(20[0-9]{2}|19[89][0-9])\s*(?:年|款)?|([0-9]{2})\s*(?:年|款)")
_AGE = re.compile(r"(?:开了|车龄)\s*([0-9]+|[一二两三四五六七八九十]+)\s*年")


def model_year(text: str, today: date) -> int | None:
    age = _AGE.search(text)
    if age:
        raw = age.group(1)
        years = int(raw) if raw.isdigit() else amounts.chinese_int(raw)
        return None if years is None else today.year - years
    found = _YEAR.search(text)
    if not found:
        return None
    year = int(found.group(1)) if found.group(1) else 2000 + int(found.group(2))
    return year if 1980 <= year <= today.year + 1 else None


def fill(need: Need, slot: Slot, text: str, models: list[VehicleModel], today: date) -> Need | None:
    """``need`` with the answer to ``slot`` read from ``text``; None when it cannot be read."""
    if slot is Slot.VEHICLE:
        model = find_model(text, models)
        if model is None:
            return None
        year = model_year(text, today)
        used = year is not None or any(w in text for w in ("二手", "旧车", "开了", "车龄"))
        return msgspec.structs.replace(
            need,
            model_id=model.id,
            model_name=f"{model.maker.split()[0]} {model.name}",
            is_new=not used,
            model_year=year if used else today.year,
        )
    if slot is Slot.PRICE:
        price = amounts.yuan(text)
        if price is None or price < 1000 or price > 10_000_000:
            return None
        return msgspec.structs.replace(need, price=str(price.quantize(Decimal(1))))
    if slot is Slot.DOWN_PAYMENT:
        return _down_payment(need, text)
    if slot is Slot.TERM:
        months = amounts.term_months(text)
        return (
            None
            if months is None or not 3 <= months <= 120
            else (msgspec.structs.replace(need, term_months=months))
        )
    code = place_code(text)
    return None if code is None else msgspec.structs.replace(need, region_code=code)


def _down_payment(need: Need, text: str) -> Need | None:
    assert need.price is not None
    price = Decimal(need.price)
    part = amounts.share(text)
    down = (price * part).quantize(Decimal(1)) if part is not None else amounts.yuan(text)
    if down is None or down < 0 or down >= price:
        return None
    return msgspec.structs.replace(need, down_payment=str(down.quantize(Decimal(1))))


def cancels(text: str) -> bool:
    return any(w in text for w in CANCEL_WORDS)
