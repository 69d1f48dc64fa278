"""The terms of a lease as the schedule engine sees them, validated on construction."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from common.daycount import add_months, month_length
from common.errors import DomainError
from common.money import ZERO, round_fen

MAX_TERM_MONTHS = 360
# The domain of a lease's start date, named once: the CLI and the API refuse anything outside it.
MIN_START_DATE = date(2000, 1, 1)
MAX_START_DATE = date(2100, 12, 31)
MAX_ANNUAL_RATE_PERCENT = Decimal(100)
MAX_FLAT_MONTHLY_RATE_PERCENT = Decimal(10)


class Method(StrEnum):
    ANNUITY = "annuity"  # 等额本息
    EQUAL_PRINCIPAL = "equal_principal"  # 等额本金
    INTEREST_ONLY = "interest_only"  # 先息后本
    BALLOON = "balloon"  # 弹性尾款 / 尾付
    FLAT = "flat"  # 平息


class Timing(StrEnum):
    ARREARS = "arrears"  # 后付: rent at the end of each period
    ADVANCE = "advance"  # 先付: rent at the start of each period, the first at signing


class BalloonTiming(StrEnum):
    """When the balloon (尾款) is paid. Rents in arrears: both mean the last due date."""

    TERM_END = "term_end"  # default: at the end of the term, its own line (Excel PMT type 1)
    WITH_LAST_RENT = "with_last_rent"  # 先付 only: with the last rent, at the last period's start


class DepositTreatment(StrEnum):
    REFUND_AT_END = "refund_at_end"  # 保证金 returned at the end of the term
    OFFSET_LAST_RENTS = "offset_last_rents"  # 保证金 used to pay the last rents


@dataclass(frozen=True, slots=True)
class Fee:
    """A fee (GPS fee, service fee, notary fee ...) paid with instalment `month`; 0 = at signing."""

    name: str
    amount: Decimal
    month: int = 0


def _invalid(code: str, field: str, zh: str, en: str) -> DomainError:
    return DomainError(code, zh, en, fields={field: code})


def _is_money(x: Decimal, *, positive: bool = False) -> bool:
    return x.is_finite() and x == round_fen(x) and (x > 0 if positive else x >= 0)


@dataclass(frozen=True, kw_only=True)
class LeaseTerms:
    """Financed amount, price and shape of a lease. Raises `DomainError` when inconsistent."""

    principal: Decimal  # financed amount (融资额), yuan at fen precision
    annual_rate_percent: Decimal  # nominal annual rate; ignored by `flat`
    term_months: int
    start_date: date  # signing / funding date: interest starts here
    method: Method = Method.ANNUITY
    timing: Timing = Timing.ARREARS
    first_due_date: date | None = None  # irregular first due date -> broken period 破期
    due_day: int | None = None  # day of month for due dates (clamped to month end)
    balloon: Decimal = ZERO  # 尾款, only with Method.BALLOON
    balloon_timing: BalloonTiming = BalloonTiming.TERM_END
    flat_monthly_rate_percent: Decimal = ZERO  # only with Method.FLAT
    fees: tuple[Fee, ...] = ()
    deposit: Decimal = ZERO  # 保证金, paid at signing
    deposit_treatment: DepositTreatment = DepositTreatment.REFUND_AT_END
    days_in_year: int = 360  # day-count basis of the broken period
    # Amounts already owed (arrears carried into a rescheduled contract, 展期挂账): due with the
    # first instalment, and value the lessee holds from the start on the IRR's time axis.
    carried_forward: Decimal = ZERO

    def __post_init__(self) -> None:
        if not _is_money(self.principal, positive=True):
            raise _invalid(
                "principal_invalid", "principal", "融资额须为正数，最多两位小数",
                "principal must be positive, at most two decimals",
            )  # fmt: skip
        if not (isinstance(self.term_months, int) and 1 <= self.term_months <= MAX_TERM_MONTHS):
            raise _invalid(
                "term_invalid", "term_months", f"期限须为1至{MAX_TERM_MONTHS}个月",
                f"term must be 1 to {MAX_TERM_MONTHS} months",
            )  # fmt: skip
        rate = self.annual_rate_percent
        if not (rate.is_finite() and ZERO <= rate <= MAX_ANNUAL_RATE_PERCENT):
            raise _invalid(
                "rate_invalid", "annual_rate_percent", "年利率须在0%至100%之间",
                "annual rate must be between 0 and 100 percent",
            )  # fmt: skip
        if not _is_money(self.carried_forward):
            raise _invalid(
                "carried_forward_invalid", "carried_forward", "结转欠款须为非负数，最多两位小数",
                "amounts carried forward must be zero or positive, at most two decimals",
            )  # fmt: skip
        self._check_method()
        self._check_dates()
        self._check_fees_and_deposit()

    def _check_method(self) -> None:
        flat = self.flat_monthly_rate_percent
        if self.method is Method.FLAT and self.annual_rate_percent != 0:
            raise _invalid(
                "rate_invalid", "annual_rate_percent", "平息方式不使用年利率，请只填写平息月费率",
                "the flat method takes no annual rate: give the flat monthly rate only",
            )  # fmt: skip
        if self.method is Method.FLAT:
            if not (flat.is_finite() and ZERO < flat <= MAX_FLAT_MONTHLY_RATE_PERCENT):
                raise _invalid(
                    "rate_invalid", "flat_monthly_rate_percent", "平息月费率须大于0且不超过10%",
                    "flat monthly rate must be above 0 and at most 10 percent",
                )  # fmt: skip
        elif flat != 0:
            raise _invalid(
                "rate_invalid", "flat_monthly_rate_percent", "只有平息方式可以设置月费率",
                "a flat monthly rate applies only to the flat method",
            )  # fmt: skip
        if self.method is Method.BALLOON:
            if not (_is_money(self.balloon, positive=True) and self.balloon < self.principal):
                raise _invalid(
                    "balloon_invalid", "balloon", "尾款须大于0且小于融资额",
                    "balloon must be above 0 and below the principal",
                )  # fmt: skip
        elif self.balloon != 0:
            raise _invalid(
                "balloon_invalid", "balloon", "只有尾款方式可以设置尾款",
                "a balloon applies only to the balloon method",
            )  # fmt: skip
        if self.balloon_timing is BalloonTiming.WITH_LAST_RENT and not (
            self.method is Method.BALLOON and self.timing is Timing.ADVANCE
        ):
            raise _invalid(
                "balloon_invalid", "balloon_timing", "尾款随末期租金支付仅适用于先付尾款方式",
                "a balloon with the last rent applies only to a balloon lease in advance",
            )  # fmt: skip
        if self.method is Method.INTEREST_ONLY and self.timing is Timing.ADVANCE:
            raise _invalid(
                "timing_invalid", "timing", "先息后本不支持先付",
                "interest-only rents cannot be paid in advance",
            )  # fmt: skip
        if self.timing is Timing.ADVANCE and self.term_months < 2:
            raise _invalid(
                "timing_invalid", "timing", "先付须至少两期",
                "rents in advance need a term of at least two months",
            )  # fmt: skip

    def _check_dates(self) -> None:
        if not MIN_START_DATE <= self.start_date <= MAX_START_DATE:
            raise _invalid(
                "date_invalid", "start_date",
                f"起租日须在{MIN_START_DATE.isoformat()}至{MAX_START_DATE.isoformat()}之间",
                f"start date must be from {MIN_START_DATE.isoformat()}"
                f" to {MAX_START_DATE.isoformat()}",
            )  # fmt: skip
        if self.days_in_year not in (360, 365):
            raise _invalid(
                "day_count_invalid", "days_in_year", "计息天数基准须为360或365",
                "days in year must be 360 or 365",
            )  # fmt: skip
        if self.due_day is not None and not 1 <= self.due_day <= 31:
            raise _invalid(
                "date_invalid", "due_day", "还款日须为每月1至31日", "due day must be 1 to 31"
            )
        first = self.first_due_date
        if first is not None and not (self.start_date < first <= add_months(self.start_date, 2)):
            raise _invalid(
                "date_invalid", "first_due_date", "首期还款日须在起租日之后两个月内",
                "first due date must fall within two months after the start date",
            )  # fmt: skip
        if (
            first is not None
            and self.due_day is not None
            and first.day != min(self.due_day, month_length(first.year, first.month))
        ):
            raise DomainError(
                "date_invalid",
                "首期还款日与每月还款日不一致：请只填写其中一项，或使二者一致",
                "the first due date does not fall on the due day: give one, or make them agree",
                fields={"first_due_date": "date_invalid", "due_day": "date_invalid"},
            )

    @property
    def monthly_rate(self) -> tuple[int, int]:
        """annual % / 1200 as an exact fraction (numerator, denominator): interest in fen on a
        regular month is div_half_up(balance_fen * numerator, denominator)."""
        num, den = self.annual_rate_percent.as_integer_ratio()
        return num, den * 1200

    def daily_rate(self, days: int) -> tuple[int, int]:
        """annual % / 100 / days_in_year x `days`, exactly: the interest of a broken period."""
        num, den = self.annual_rate_percent.as_integer_ratio()
        return num * days, den * 100 * self.days_in_year

    def _check_fees_and_deposit(self) -> None:
        for fee in self.fees:
            if not (fee.name.strip() and _is_money(fee.amount, positive=True)):
                raise _invalid(
                    "fee_invalid", "fees", "费用须有名称且金额为正数",
                    "a fee needs a name and a positive amount",
                )  # fmt: skip
            if not 0 <= fee.month <= self.term_months:
                raise _invalid(
                    "fee_invalid", "fees", "费用的收取期次须在0（签约时）至期限之间",
                    "a fee's month must be 0 (signing) to the term",
                )  # fmt: skip
        if not _is_money(self.deposit):
            raise _invalid(
                "deposit_invalid", "deposit", "保证金须为非负数，最多两位小数",
                "deposit must be zero or positive, at most two decimals",
            )  # fmt: skip
        upfront = sum((f.amount for f in self.fees if f.month == 0), ZERO)
        if self.deposit + upfront >= self.principal:
            raise _invalid(
                "deposit_invalid", "deposit", "保证金与首付费用之和须小于融资额",
                "deposit plus fees at signing must be below the principal",
            )  # fmt: skip
