"""Documented sandbox personas 沙箱测试身份: ID numbers (valid check digits) whose provider
answers are fixed, like a payment sandbox's test card numbers. Every other ID number gets answers
drawn from a keyed hash, so demo data varies."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal


@dataclass(frozen=True)
class Persona:
    bureau_score: int | None = 720  # None: no bureau file (白户)
    open_loans: int = 1
    overdue_count_24m: int = 0
    max_overdue_days_24m: int = 0
    inquiries_6m: int = 1
    face_match: Decimal = Decimal("93.5")
    liveness: bool = True
    carrier_match: bool = True
    mobile_months: int = 72
    monthly_income: Decimal = Decimal("15000")
    monthly_debt: Decimal = Decimal("1200")
    blacklist_hits: int = 0
    court_dishonest: bool = False
    contracts: int = 0
    on_time_streak: int = 0
    current_overdue_days: int = 0
    overdue_count_ever: int = 0
    down: frozenset[str] = field(default_factory=frozenset)  # providers that time out


PERSONAS: dict[str, Persona] = {
    # 优质客户: clean file, approved by the score card
    "110105198506150014": Persona(),
    "310104199508150080": Persona(monthly_income=Decimal("18000")),
    "440305199103030095": Persona(monthly_income=Decimal("13000")),
    # 快速通道 F11: 40 on-time instalments with us, no bureau file; approved on our history
    "31010419900312002X": Persona(
        bureau_score=None, open_loans=0, inquiries_6m=0, contracts=2, on_time_streak=40
    ),
    # 白户: no bureau file, no history with us; referred
    "440305198809200039": Persona(bureau_score=None, open_loans=0, inquiries_6m=0),
    # 黑名单: declined
    "11010519920101004X": Persona(blacklist_hits=1),
    # 人脸比对偏低: referred for a person to look, once a face photo is taken and compared; the
    # intake takes none yet, so no face match is asked and the case is approved on its file
    "310104198707070054": Persona(face_match=Decimal("71.0")),
    # 活体检测失败: declined for liveness once a face photo is checked; approved until then
    "110105198808080031": Persona(liveness=False),
    # 手机号新入网: number in service for three months; referred (mobile_new)
    "310104199306060028": Persona(mobile_months=3),
    # 征信接口超时: referred (provider_unavailable)
    "440305198302140065": Persona(down=frozenset({"bureau"})),
    # 征信逾期严重: declined
    "110105197905050075": Persona(bureau_score=610, overdue_count_24m=4, max_overdue_days_24m=120),
    # The partner products' demo companies (USCCs): clean files, approved by their rule sets
    "91320505MA1MXK3P7R": Persona(bureau_score=705),  # 苏州精工汽车零部件 (supplier finance)
    "91420100MA4KQ1L084": Persona(bureau_score=690),  # 武汉顺达物流 (freight advance)
    "91310115MA1H7UQ264": Persona(bureau_score=715),  # 上海绿能充电科技 (charging piles)
}
