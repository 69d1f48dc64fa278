"""What is wrong with a product definition 产品定义校验: every problem with its path, so a lessor
fixes them all at once. A product that has none prices every choice `check_choice` lets through
(down payment, term, method and balloon within the product)."""

from __future__ import annotations

from decimal import Decimal

from common.api import limits
from common.errors import DomainError
from common.lease_terms import Method, Timing
from common.products import RECEIVABLE_FAMILIES, FeeBasis, Product, ProductFamily

Problem = tuple[str, str, str, str]  # path, code, zh, en


def _between(value: Decimal, low: Decimal, high: Decimal) -> bool:
    return value.is_finite() and low <= value <= high


def _rate_problems(p: Product) -> list[Problem]:
    out: list[Problem] = []
    top = Decimal(limits.PRODUCT_RATE_MAX_PERCENT)
    if len(set(p.terms)) != len(p.terms):
        out.append(("rates", "term_repeated", "期限重复", "A term appears twice"))
    for i, r in enumerate(p.rates):
        if not limits.PRODUCT_TERM_MIN <= r.term_months <= limits.PRODUCT_TERM_MAX:
            out.append(
                (
                    f"rates[{i}].term_months",
                    "term_invalid",
                    f"期限须为{limits.PRODUCT_TERM_MIN}至{limits.PRODUCT_TERM_MAX}个月",
                    f"A term is {limits.PRODUCT_TERM_MIN} to {limits.PRODUCT_TERM_MAX} months",
                )
            )
        if not _between(r.annual_rate_percent, Decimal(0), top):
            out.append(
                (
                    f"rates[{i}].annual_rate_percent",
                    "rate_invalid",
                    f"利率须在0%至{top}%之间",
                    f"A rate is 0 to {top} percent",
                )
            )
        promo = r.promo_rate_percent
        if promo is not None and not _between(promo, Decimal(0), r.annual_rate_percent):
            out.append(
                (
                    f"rates[{i}].promo_rate_percent",
                    "promo_rate_invalid",
                    "优惠利率须在0与标准利率之间",
                    "A promotional rate is between 0 and the list rate",
                )
            )
    has_promo = any(r.promo_rate_percent is not None for r in p.rates)
    if has_promo != (p.promo_until is not None):
        out.append(
            (
                "promo_until",
                "promo_invalid",
                "优惠利率与优惠截止日须同时填写",
                "Promotional rates and their end date go together",
            )
        )
    if p.default_term_months not in p.terms:
        out.append(
            (
                "default_term_months",
                "term_invalid",
                "默认期限须为所提供的期限之一",
                "The default term must be one of the terms offered",
            )
        )
    return out


def _band_problems(p: Product) -> list[Problem]:
    out: list[Problem] = []
    low, high = p.min_down_payment_percent, p.max_down_payment_percent
    if not (_between(low, Decimal(0), high) and high < 100):
        out.append(
            (
                "min_down_payment_percent",
                "down_payment_band_invalid",
                "首付比例须满足 0 ≤ 最低 ≤ 最高 < 100%",
                "Down payment: 0 <= minimum <= maximum < 100 percent",
            )
        )
    if not _between(p.deposit_percent, Decimal(0), Decimal(limits.PRODUCT_DEPOSIT_MAX_PERCENT)):
        out.append(
            (
                "deposit_percent",
                "deposit_invalid",
                f"保证金比例须在0%至{limits.PRODUCT_DEPOSIT_MAX_PERCENT}%之间",
                f"The deposit is 0 to {limits.PRODUCT_DEPOSIT_MAX_PERCENT} percent",
            )
        )
    balloon = p.balloon_max_percent
    if not _between(balloon, Decimal(0), Decimal(limits.PRODUCT_BALLOON_MAX_PERCENT)):
        out.append(
            (
                "balloon_max_percent",
                "balloon_invalid",
                f"尾款比例须在0%至{limits.PRODUCT_BALLOON_MAX_PERCENT}%之间",
                f"The balloon is 0 to {limits.PRODUCT_BALLOON_MAX_PERCENT} percent",
            )
        )
    elif (Method.BALLOON in p.methods) != (balloon > 0):
        out.append(
            (
                "balloon_max_percent",
                "balloon_invalid",
                "提供尾款方式时须设置最高尾款比例，反之亦然",
                "A balloon method needs a maximum balloon, and only it has one",
            )
        )
    top = Decimal(limits.PRODUCT_FINANCED_MAX)
    if not (_between(p.min_financed, Decimal("0.01"), p.max_financed) and p.max_financed <= top):
        out.append(
            (
                "min_financed",
                "financed_band_invalid",
                "融资额须满足 0 < 最低 ≤ 最高",
                "Financed amount: 0 < minimum <= maximum",
            )
        )
    return out


def _offer_problems(p: Product) -> list[Problem]:
    out: list[Problem] = []
    if not p.methods or len(set(p.methods)) != len(p.methods) or Method.FLAT in p.methods:
        out.append(
            (
                "methods",
                "methods_invalid",
                "还款方式须至少一种、不重复，且不含平息",
                "Methods: at least one, no repeats, not flat",
            )
        )
    if not p.timings or len(set(p.timings)) != len(p.timings):
        out.append(
            (
                "timings",
                "timings_invalid",
                "先付/后付须至少一种且不重复",
                "Timings: at least one, no repeats",
            )
        )
    if p.methods == (Method.INTEREST_ONLY,) and p.timings == (Timing.ADVANCE,):
        out.append(
            (
                "timings",
                "timings_invalid",
                "先息后本不支持先付",
                "Interest-only rents cannot be paid in advance",
            )
        )
    out += _family_problems(p)
    if len({f.kind for f in p.fees}) != len(p.fees):
        out.append(("fees", "fee_repeated", "同一费用只能设置一次", "A fee appears twice"))
    for i, f in enumerate(p.fees):
        pct = f.basis is FeeBasis.PERCENT
        top = Decimal(limits.PRODUCT_FEE_MAX_PERCENT if pct else limits.PRODUCT_FEE_MAX_AMOUNT)
        if not (_between(f.value, Decimal("0.01"), top)):
            out.append(
                (
                    f"fees[{i}].value",
                    "fee_invalid",
                    f"费用须大于0且不超过{top}{'%' if pct else '元'}",
                    f"A fee is above 0 and at most {top}{' percent' if pct else ' yuan'}",
                )
            )
    age = p.min_applicant_age
    if age is not None and not limits.APPLICANT_AGE_MIN <= age <= limits.APPLICANT_AGE_MAX:
        out.append(
            (
                "min_applicant_age",
                "age_invalid",
                f"最低年龄须在{limits.APPLICANT_AGE_MIN}至{limits.APPLICANT_AGE_MAX}岁之间",
                f"The minimum age is {limits.APPLICANT_AGE_MIN} to {limits.APPLICANT_AGE_MAX}",
            )
        )
    return out


def _family_problems(p: Product) -> list[Problem]:
    """A vehicle product covers vehicles; a partner product covers its asset instead, and a
    receivable is repaid in one go on its due date (先息后本, the principal from the debtor)."""
    out: list[Problem] = []
    if p.family is ProductFamily.VEHICLE:
        if not p.conditions or not p.vehicle_types:
            out.append(("vehicle_types", "vehicles_invalid", "须至少适用一种车辆",
                        "The product must cover at least one kind of vehicle"))  # fmt: skip
        return out
    if p.conditions or p.vehicle_types:
        out.append(("vehicle_types", "vehicles_not_applicable",
                    "非车辆产品不设车辆条件与车辆类别",
                    "A partner product has no vehicle conditions or types"))  # fmt: skip
    if p.min_applicant_age is not None:
        out.append(("min_applicant_age", "age_not_applicable", "企业客户产品不设最低年龄",
                    "A product for companies has no minimum age"))  # fmt: skip
    if p.family in RECEIVABLE_FAMILIES and (
        p.methods != (Method.INTEREST_ONLY,) or p.balloon_max_percent != 0
    ):
        out.append(("methods", "methods_invalid",
                    "应收账款类产品到期一次还本（先息后本），不设尾款",
                    "A receivable is repaid in one go on its due date: interest-only, no balloon",
                    ))  # fmt: skip
    return out


def problems(product: Product) -> list[Problem]:
    return _rate_problems(product) + _band_problems(product) + _offer_problems(product)


def raise_if_invalid(product: Product, extra: list[Problem] | None = None) -> Product:
    found = (extra or []) + problems(product)
    if found:
        _, _, zh, en = found[0]
        raise DomainError(
            "product_invalid",
            f"产品定义有误：{zh}",
            f"The product is invalid: {en}",
            fields={path: code for path, code, _, _ in found},
        )
    return product
