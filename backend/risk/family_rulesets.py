"""The seeded rule sets of the partner families 合作方产品默认规则集, published as each family's v1.

They read the company (blacklists, dishonest-debtor list, our books, velocity), the deal against
its product and the asset (``asset.*``); vehicle facts are absent on these applications and no
rule here reads them. Thresholds are parameters, so risk officers tune them without a release.
"""

# ruff: noqa: E501  -- a data table: one check or parameter per line reads best

from __future__ import annotations

from common.products import ProductFamily
from common.rules.model import (
    All,
    Bin,
    Characteristic,
    Cond,
    Condition,
    Decline,
    Not,
    Operand,
    Operator,
    Parameter,
    ParamRef,
    Refer,
    Rule,
    RuleSet,
    ScoreCard,
    Text,
)

# Core enterprises 核心企业 whose payables the lessor finances without a first-deal review (the
# demo's OEM and its tier-1 buyer); a risk officer keeps the list in the rule set.
CORE_DEBTORS = ["91310000MA1FL0HX4H", "91440300MA5G9GJX2D"]


def _p(name: str) -> ParamRef:
    return ParamRef(name=name)


def _c(field: str, op: Operator, value: Operand | None = None) -> Cond:
    return Cond(field=field, op=op, value=value)


def _param(name: str, type_: str, value: object, zh: str, en: str) -> Parameter:
    return Parameter(name=name, type=type_, value=value, label=Text(zh=zh, en=en))  # type: ignore[arg-type]


def _check(rule_id: str, zh: str, en: str, when: Condition, verdict: str) -> Rule:
    action = Decline(reason=rule_id) if verdict == "decline" else Refer(reason=rule_id)
    return Rule(id=rule_id, label=Text(zh=zh, en=en), when=when, then=[action])


COMPANY_PARAMETERS = [
    _param(
        "max_same_company_apps",
        "int",
        3,
        "30天内同一企业最多申请数",
        "Most applications of one company in 30 days",
    ),
]
COMPANY_RULES = [
    _check(
        "company_blacklisted",
        "企业命中黑名单",
        "The company is on a blacklist",
        _c("applicant.blacklist_hits", "gt", 0),
        "decline",
    ),
    _check(
        "company_dishonest",
        "企业为失信被执行人",
        "The company is a dishonest judgement debtor",
        _c("applicant.court_dishonest", "is_true"),
        "decline",
    ),
    _check(
        "company_overdue_with_us",
        "企业在我司有逾期未还",
        "The company is overdue on its contracts with us",
        _c("history.current_overdue_days", "gt", 0),
        "decline",
    ),
    _check(
        "bureau_serious_overdue",
        "企业征信近24个月严重逾期（>90天）",
        "Serious overdue (>90 days) in the last 24 months",
        _c("bureau.max_overdue_days_24m", "gt", 90),
        "decline",
    ),
    _check(
        "company_velocity",
        "同一企业近期申请过多",
        "Too many recent applications of this company",
        _c("velocity.same_id_apps", "ge", _p("max_same_company_apps")),
        "refer",
    ),
]


def _scorecard(
    field: str, cid: str, zh: str, en: str, bins: list[tuple[str, Operator, object, int]]
) -> ScoreCard:
    """A base of 600 and one characteristic on the asset, plus our books: 600 approves, 500 refers."""
    return ScoreCard(
        base=600,
        characteristics=[
            Characteristic(
                id=cid, field=field, label=Text(zh=zh, en=en),
                bins=[Bin(id=b, op=op, value=v, points=pts) for b, op, v, pts in bins]  # type: ignore[arg-type]
                + [Bin(id="other", points=0)],
            ),
            Characteristic(
                id="history", field="history.on_time_streak", label=Text(zh="我司还款记录", en="Our books"),
                bins=[Bin(id="loyal", op="ge", value=12, points=20), Bin(id="other", points=0)],
            ),
        ],
        approve_min=600,
        refer_min=500,
    )  # fmt: skip


def _ruleset(name: str, parameters: list[Parameter], rules: list[Rule], card: ScoreCard) -> RuleSet:
    rules = [*COMPANY_RULES, *rules]
    return RuleSet(
        name=name,
        parameters=[*COMPANY_PARAMETERS, *parameters],
        rules=rules,
        scorecard=card,
        reasons={r.id: r.label for r in rules},
    )


def supplier_finance() -> RuleSet:
    """供应链应收账款融资: a receivable due soon leaves no time to notify the debtor of the
    assignment; a high advance rate leaves no margin for a dispute or a credit note."""
    return _ruleset(
        "供应链应收账款融资默认规则集 v1",
        [
            _param("min_days_to_due", "int", 15, "距到期最少天数", "Fewest days to the due date"),
            _param("max_advance_ratio", "decimal", "0.8", "最高融资比例", "Highest advance ratio"),
            _param("large_receivable", "decimal", "5000000", "大额应收账款（元）", "A large receivable (yuan)"),
        ],
        [
            _check("receivable_due_soon", "应收账款距到期不足15天", "The receivable falls due in under 15 days", _c("asset.days_to_due", "lt", _p("min_days_to_due")), "decline"),
            _check("advance_ratio_high", "融资比例超过80%", "The advance ratio is above 80 %", _c("asset.advance_ratio", "gt", _p("max_advance_ratio")), "decline"),
            _check("first_deal_with_debtor", "首次与该债务人交易（非核心企业），转人工核实贸易背景", "A first deal with this debtor (not a core enterprise): a person checks the trade",
                   All(of=[_c("asset.counterparty_known", "is_false"), Not(of=_c("asset.counterparty_uscc", "in", list(CORE_DEBTORS)))]), "refer"),
            _check("receivable_large", "大额应收账款，转人工审核", "A large receivable: referred to a person", _c("asset.amount", "gt", _p("large_receivable")), "refer"),
        ],
        _scorecard("asset.days_to_due", "days_to_due", "距到期天数", "Days to the due date",
                   [("comfortable", "ge", 45, 20), ("short", "ge", 15, 0)]),
    )  # fmt: skip


def freight_advance() -> RuleSet:
    """运费垫付: freight is settled 30–90 days after delivery; above ¥500,000 on one waybill a
    person looks at the shipper and the route."""
    return _ruleset(
        "运费垫付默认规则集 v1",
        [
            _param("min_days_to_due", "int", 7, "距结算最少天数", "Fewest days to settlement"),
            _param("max_advance_ratio", "decimal", "0.9", "最高垫付比例", "Highest advance ratio"),
            _param("large_freight", "decimal", "500000", "大额运费（元）", "Large freight (yuan)"),
            _param("max_shipper_deals", "int", 20, "同一托运人最多在途笔数", "Most open deals with one shipper"),
        ],
        [
            _check("freight_due_soon", "运费距结算不足7天", "The freight is settled in under 7 days", _c("asset.days_to_due", "lt", _p("min_days_to_due")), "decline"),
            _check("advance_ratio_high", "垫付比例超过90%", "The advance ratio is above 90 %", _c("asset.advance_ratio", "gt", _p("max_advance_ratio")), "decline"),
            _check("freight_large", "运费超过50万元，转人工审核", "Freight above ¥500,000: referred to a person", _c("asset.amount", "gt", _p("large_freight")), "refer"),
            _check("shipper_concentration", "同一托运人垫付笔数过多", "Too many advances on one shipper", _c("asset.counterparty_deals", "gt", _p("max_shipper_deals")), "refer"),
        ],
        _scorecard("asset.counterparty_deals", "shipper_known", "托运人往来记录", "Deals with the shipper",
                   [("repeat", "ge", 3, 20), ("some", "ge", 1, 10)]),
    )  # fmt: skip


def charging_pile() -> RuleSet:
    """充电桩设备租赁: a large fleet or a large lease is looked at by a person; a region the
    adaptive job flags is referred as for vehicles."""
    return _ruleset(
        "充电桩设备租赁默认规则集 v1",
        [
            _param("large_fleet", "int", 100, "大批量设备（台）", "A large fleet (units)"),
            _param("large_lease", "decimal", "3000000", "大额租赁（元）", "A large lease (yuan)"),
            _param("max_term", "int", 60, "最长期限（月）", "Longest term (months)"),
        ],
        [
            _check("fleet_large", "设备超过100台，转人工审核", "More than 100 units: referred to a person", _c("asset.serial_count", "gt", _p("large_fleet")), "refer"),
            _check("lease_large", "设备款超过300万元，转人工审核", "Equipment above ¥3,000,000: referred to a person", _c("asset.amount", "gt", _p("large_lease")), "refer"),
            _check("term_long", "租期超过60个月", "A term beyond 60 months", _c("deal.term_months", "gt", _p("max_term")), "refer"),
            _check("region_flagged", "设备所在地区申请量异常，转人工审核", "Unusual volume in the region: referred to a person", _c("region.adaptive_flag", "is_true"), "refer"),
        ],
        _scorecard("asset.serial_count", "fleet", "设备台数", "Units",
                   [("mid", "between", [10, 100], 10), ("small", "lt", 10, 0)]),
    )  # fmt: skip


FAMILY_DEFAULTS = {
    ProductFamily.SUPPLIER_FINANCE: supplier_finance,
    ProductFamily.FREIGHT_ADVANCE: freight_advance,
    ProductFamily.CHARGING_PILE: charging_pile,
}
