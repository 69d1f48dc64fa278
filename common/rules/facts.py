"""The facts a risk decision may look at (决策事实), as one typed tree.

Providers (credit bureau, identity, valuation, our own books) fill these in the backend; the rules
refer to them by dotted path, e.g. ``bureau.score``. Within a section nothing is optional: a
missing report is said by a flag (``bureau.missing``, ``identity.face_checked``) so every rule
sees a value of its declared type.

Two sections are about what is financed and only one of them is there: ``vehicle`` for a vehicle
lease, ``asset`` for a partner product (a receivable, a waybill's freight, charging piles). A fact
of the absent section is *absent*: every test on it is false (its negations too) and in arithmetic
it counts as zero, so a vehicle rule never fires on a supplier's receivable and never fails it.

`FACT_FIELDS` is the catalogue the validator checks paths against and the compiler generates
attribute access from; it is derived from the Structs, so adding a field here is all it takes.
"""

from __future__ import annotations

import typing
from collections.abc import Mapping
from decimal import Decimal
from typing import Literal

import msgspec

from common.errors import DomainError

VehicleType = Literal["passenger", "light_truck", "heavy_truck", "cold_chain", "nev"]


class _Section(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    pass


class Applicant(_Section, frozen=True):
    """承租人 the applicant, after identity documents are read."""

    age: int
    age_at_term_end: int
    id_valid: bool  # resident ID checksum and birth date are valid 身份证校验
    id_region_matches: bool  # ID issuing region matches the stated region
    name_id_mobile_match: bool  # carrier three-element check 三要素核验
    mobile_months_in_service: int  # 在网时长
    monthly_income: Decimal
    debt_to_income: Decimal  # monthly debt service incl. this lease / monthly income
    blacklist_hits: int  # internal and industry blacklists 黑名单
    court_dishonest: bool  # listed as a dishonest judgement debtor 失信被执行人


class Identity(_Section, frozen=True):
    """人脸识别 face match and liveness from the identity provider, when a face was checked.

    ``face_checked`` is false when the application has no face photo (the intake takes none yet)
    or the provider did not answer; the score and liveness are then neutral values (100,
    passed) that decide nothing, and the default rules read them only when ``face_checked``.
    Its default (true) is for snapshots stored before the flag existed: each had a face match.
    """

    face_match_score: Decimal  # 0..100
    liveness_passed: bool
    face_checked: bool = True


class Bureau(_Section, frozen=True):
    """征信 credit bureau report; ``missing`` when there is none (thin file)."""

    missing: bool
    score: int
    open_loans: int
    overdue_count_24m: int
    max_overdue_days_24m: int
    inquiries_6m: int  # hard inquiries 查询次数


class Vehicle(_Section, frozen=True, kw_only=True):
    """The collateral 车辆, decoded from the VIN and looked up in the catalogue."""

    vin_valid: bool  # 17 characters, allowed alphabet
    vin_check_digit_valid: bool
    maker_matches_catalogue: bool  # WMI maker equals the catalogue model's maker
    model_year_matches_age: bool  # VIN model year agrees with the stated age
    in_catalogue: bool
    vehicle_type: VehicleType
    model_code: str
    age_years: int
    valuation: Decimal  # the residual model's median value, yuan
    # its 10 %-90 % interval (calibrated to hold 80 % of sales); a new car's catalogue band
    valuation_low: Decimal = Decimal(0)
    valuation_high: Decimal = Decimal(0)
    price_asked: Decimal  # yuan
    price_to_valuation: Decimal
    price_to_valuation_low: Decimal = Decimal(0)  # price / the interval's low end
    price_to_valuation_high: Decimal = Decimal(0)  # price / the interval's high end
    under_active_lease: bool  # our own records
    under_pledge: bool  # 抵押登记


AssetKind = Literal["receivable", "freight", "equipment"]


class Asset(_Section, frozen=True):
    """What a partner product finances 融资标的: a receivable 应收账款, a waybill's freight 运费,
    or charging piles 充电桩. Days and counts are 0 where they do not apply (equipment has no
    due date; a receivable no serial numbers)."""

    kind: AssetKind
    amount: Decimal  # the receivable, the freight, or the equipment price, yuan
    days_to_due: int  # from the decision's business date to the debtor's due date
    advance_ratio: Decimal  # financed / amount 融资比例
    counterparty_uscc: str  # the debtor's or shipper's USCC 统一社会信用代码; "" for equipment
    counterparty_known: bool  # the debtor or shipper is on an earlier approved application
    counterparty_deals: int  # our earlier applications (submitted, not withdrawn) naming them
    serial_count: int  # equipment units 设备台数
    region_code: str  # where the equipment stands, GB/T 2260; "" for a receivable


class Deal(_Section, frozen=True):
    """The requested lease against the product's limits 产品限额."""

    principal: Decimal  # financed amount, yuan
    down_payment_ratio: Decimal
    term_months: int
    annual_rate: Decimal  # annualised rate by IRR incl. fees
    product_min_down_payment_ratio: Decimal
    product_max_term_months: int
    product_max_principal: Decimal


class History(_Section, frozen=True):
    """Our own books 内部还款记录."""

    contracts_count: int
    on_time_streak: int  # consecutive on-time instalments
    current_overdue_days: int
    overdue_count_ever: int


class Velocity(_Section, frozen=True):
    """Same VIN / ID / mobile seen in other applications within the window 近期重复申请."""

    window_days: int
    same_vin_apps: int
    same_id_apps: int
    same_mobile_apps: int
    dealer_apps_today: int


class Region(_Section, frozen=True):
    code: str  # GB/T 2260 six digits
    adaptive_flag: bool  # volume anomaly flag set by the adaptive-mode job (F12)


class Documents(_Section, frozen=True):
    complete: bool
    missing_count: int


class Facts(msgspec.Struct, frozen=True, kw_only=True, forbid_unknown_fields=True):
    applicant: Applicant
    identity: Identity
    bureau: Bureau
    vehicle: Vehicle | None = None  # a vehicle lease's collateral
    asset: Asset | None = None  # a partner product's asset
    deal: Deal
    history: History
    velocity: Velocity
    region: Region
    documents: Documents


FieldKind = Literal["int", "decimal", "bool", "str", "enum"]


class FieldSpec(msgspec.Struct, frozen=True):
    path: str
    section: str
    name: str
    kind: FieldKind
    choices: tuple[str, ...] = ()


def _kind_of(tp: object) -> tuple[FieldKind, tuple[str, ...]]:
    if tp is bool:
        return "bool", ()
    if tp is int:
        return "int", ()
    if tp is Decimal:
        return "decimal", ()
    if tp is str:
        return "str", ()
    if typing.get_origin(tp) is Literal:
        return "enum", tuple(str(a) for a in typing.get_args(tp))
    raise TypeError(f"unsupported fact type {tp!r}")  # a programming error in this module


def section_type(tp: object) -> type:
    """The section's Struct, also of an optional section (``Vehicle | None``)."""
    args = [a for a in typing.get_args(tp) if a is not type(None)]
    return args[0] if args else tp  # type: ignore[return-value]


def _catalogue() -> dict[str, FieldSpec]:
    out: dict[str, FieldSpec] = {}
    for section, section_tp in typing.get_type_hints(Facts).items():
        for name, tp in typing.get_type_hints(section_type(section_tp)).items():
            kind, choices = _kind_of(tp)
            path = f"{section}.{name}"
            out[path] = FieldSpec(path, section, name, kind, choices)
    return out


FACT_FIELDS: dict[str, FieldSpec] = _catalogue()
SECTIONS: tuple[str, ...] = tuple(typing.get_type_hints(Facts))
# Sections that may be absent from a decision's facts (see the module docstring).
OPTIONAL_SECTIONS = frozenset(
    s for s, tp in typing.get_type_hints(Facts).items() if type(None) in typing.get_args(tp)
)
ABSENT = None  # what `fact_value` reads from a section that is not there


def facts_from_builtins(data: Mapping[str, object]) -> Facts:
    """Build facts from plain data (e.g. a stored snapshot), checking every type strictly.

    Decimals may be given as strings. Raises ``facts_invalid`` naming the first bad path.
    """
    try:
        return msgspec.convert(data, Facts)
    except msgspec.ValidationError as exc:
        text = str(exc)
        path = text.rsplit(" - at `", 1)[1].rstrip("`") if " - at `" in text else "$"
        raise DomainError(
            "facts_invalid",
            "决策事实不完整或类型错误",
            "Decision facts are invalid",
            fields={path: text},
        ) from None


def fact_value(facts: Facts, path: str) -> object:
    """Read one fact by dotted path (slow path, for the interpreter and the UI); `ABSENT` when
    its section is not among the facts."""
    section, name = path.split(".", 1)
    part = getattr(facts, section)
    return ABSENT if part is None else getattr(part, name)
