"""The seeded default rule set 默认规则集 for Chinese used-car and commercial-vehicle leasing.

Every check is described in docs/risk-rules.md; keep the two in step. Thresholds are parameters so
risk officers tune them without a release.
"""

# ruff: noqa: E501  -- a data table: one check or parameter per line reads best

from __future__ import annotations

from common.rules.model import (
    AdjustScore,
    All,
    AnyOf,
    Approve,
    Bin,
    Calc,
    Cell,
    Characteristic,
    Cond,
    Condition,
    DecisionTable,
    Decline,
    Derived,
    FieldRef,
    Operand,
    Operator,
    Parameter,
    ParamRef,
    Refer,
    RequireVerification,
    Row,
    Rule,
    RuleSet,
    ScoreCard,
    Text,
)


def _p(name: str) -> ParamRef:
    return ParamRef(name=name)


def _c(field: str, op: Operator, value: Operand | None = None) -> Cond:
    return Cond(field=field, op=op, value=value)


def _param(name: str, type_: str, value: object, zh: str, en: str) -> Parameter:
    return Parameter(name=name, type=type_, value=value, label=Text(zh=zh, en=en))  # type: ignore[arg-type]


PARAMETERS = [
    _param("min_age", "int", 18, "最低年龄", "Minimum applicant age"),
    _param("max_age_at_term_end", "int", 65, "租期结束时最高年龄", "Maximum age at term end"),
    _param(
        "min_mobile_months",
        "int",
        6,
        "手机号最短在网月数",
        "Minimum months the mobile is in service",
    ),
    _param(
        "face_match_decline", "decimal", "60", "人脸比对拒绝线", "Face match score that declines"
    ),
    _param("min_face_match", "decimal", "80", "人脸比对通过线", "Face match score that passes"),
    # The price against the valuation's 80 % interval: at least 0.80 of its low end, at most
    # 1.15 of its high end (about 0.70-1.30 of the median for a typical car, wider for a car
    # the model is less sure of).
    _param(
        "valuation_band_low",
        "decimal",
        "0.80",
        "报价/估值区间低值 下限",
        "Lowest price / the valuation interval's low end",
    ),
    _param(
        "valuation_band_high",
        "decimal",
        "1.15",
        "报价/估值区间高值 上限",
        "Highest price / the valuation interval's high end",
    ),
    _param("max_vehicle_age", "int", 10, "最高车龄（年）", "Oldest vehicle without review, years"),
    _param("max_same_id_apps", "int", 1, "同一身份证近期申请上限", "Other applications, same ID"),
    _param(
        "max_same_mobile_apps",
        "int",
        2,
        "同一手机号近期申请上限",
        "Other applications, same mobile",
    ),
    _param("max_dealer_apps_per_day", "int", 30, "门店单日进件上限", "Dealer applications per day"),
    _param("max_ltv", "decimal", "0.85", "最高融资比例（LTV）", "Highest loan to value"),
    _param(
        "max_annual_rate", "decimal", "0.24", "年化利率上限（IRR）", "Annualised rate cap (IRR)"
    ),
    _param("max_dti", "decimal", "0.55", "负债收入比拒绝线", "Debt-to-income that declines"),
    _param(
        "refer_dti",
        "decimal",
        Calc(op="sub", args=[_p("max_dti"), "0.10"]),
        "负债收入比转人工线",
        "Debt-to-income that refers (max_dti - 0.10)",
    ),
    _param("min_bureau_score", "int", 550, "征信评分拒绝线", "Bureau score that declines"),
    _param(
        "max_overdue_count_24m", "int", 3, "近24个月逾期次数上限", "Overdue count, last 24 months"
    ),
    _param(
        "max_overdue_days_24m", "int", 90, "近24个月最长逾期天数", "Longest overdue, last 24 months"
    ),
    _param("max_inquiries_6m", "int", 6, "近6个月查询次数上限", "Hard inquiries, last 6 months"),
    _param(
        "fast_lane_min_streak", "int", 36, "快速通道连续按时还款期数", "Fast lane on-time streak"
    ),
    _param("score_base", "int", 600, "基础分", "Score card base"),
    _param("approve_min_score", "int", 620, "自动通过分数线", "Score that approves"),
    _param(
        "refer_min_score",
        "int",
        Calc(op="sub", args=[_p("approve_min_score"), 60]),
        "转人工分数线",
        "Score that refers (approve line - 60)",
    ),
]

DERIVED = [
    Derived(
        name="loan_to_value",
        expr=Calc(
            op="div", args=[FieldRef(path="deal.principal"), FieldRef(path="vehicle.valuation")]
        ),
        label=Text(zh="融资额/评估价", en="Principal / valuation"),
    ),
    Derived(
        name="down_payment_gap",
        expr=Calc(
            op="sub",
            args=[
                FieldRef(path="deal.down_payment_ratio"),
                FieldRef(path="deal.product_min_down_payment_ratio"),
            ],
        ),
        label=Text(zh="首付比例超出产品下限部分", en="Down payment above the product minimum"),
    ),
    Derived(
        name="term_excess",
        expr=Calc(
            op="sub",
            args=[FieldRef(path="deal.term_months"), FieldRef(path="deal.product_max_term_months")],
        ),
        label=Text(zh="期限超出产品上限（月）", en="Months beyond the product's longest term"),
    ),
    Derived(
        name="principal_excess",
        expr=Calc(
            op="sub",
            args=[FieldRef(path="deal.principal"), FieldRef(path="deal.product_max_principal")],
        ),
        label=Text(zh="融资额超出产品上限", en="Principal beyond the product maximum"),
    ),
]

WITHIN_PRODUCT_LIMITS = All(
    of=[
        _c("derived.down_payment_gap", "ge", 0),
        _c("derived.term_excess", "le", 0),
        _c("derived.principal_excess", "le", 0),
    ]
)

FACE_CHECKED = _c("identity.face_checked", "is_true")

# (id, zh, en, condition, actions) — ids double as reason codes.
_CHECKS: list[tuple[str, str, str, Condition, str]] = [
    ("id_invalid", "身份证号码校验不通过", "Resident ID checksum or birth date invalid",
     _c("applicant.id_valid", "is_false"), "decline"),
    ("age_under_min", "申请人未满最低年龄", "Applicant under the minimum age",
     _c("applicant.age", "lt", _p("min_age")), "decline"),
    ("age_at_term_end", "租期结束时年龄超限", "Too old at the end of the term",
     _c("applicant.age_at_term_end", "gt", _p("max_age_at_term_end")), "decline"),
    ("name_id_mobile_mismatch", "姓名、身份证、手机号三要素不一致", "Name, ID and mobile do not match",
     _c("applicant.name_id_mobile_match", "is_false"), "decline"),
    ("id_region_mismatch", "身份证归属地与申报地区不符", "ID region differs from the stated region",
     _c("applicant.id_region_matches", "is_false"), "refer"),
    ("mobile_new", "手机号在网时间过短", "Mobile number in service only briefly",
     _c("applicant.mobile_months_in_service", "lt", _p("min_mobile_months")), "refer"),
    # Face checks apply only when a face was checked: the intake takes no face photo yet.
    ("liveness_failed", "活体检测未通过", "Liveness check failed",
     All(of=[FACE_CHECKED, _c("identity.liveness_passed", "is_false")]), "decline"),
    ("face_match_failed", "人脸比对不一致", "Face does not match the ID photo",
     All(of=[FACE_CHECKED, _c("identity.face_match_score", "lt", _p("face_match_decline"))]),
     "decline"),
    ("face_match_weak", "人脸比对相似度偏低", "Face match is weak",
     All(of=[FACE_CHECKED, _c("identity.face_match_score", "ge", _p("face_match_decline")),
             _c("identity.face_match_score", "lt", _p("min_face_match"))]), "refer"),
    ("vin_invalid", "车架号格式无效", "VIN is malformed", _c("vehicle.vin_valid", "is_false"), "decline"),
    ("vin_check_digit", "车架号校验位错误", "VIN check digit is wrong",
     _c("vehicle.vin_check_digit_valid", "is_false"), "decline"),
    ("vin_maker_mismatch", "车架号厂商与车型库不符", "VIN maker differs from the catalogue model",
     _c("vehicle.maker_matches_catalogue", "is_false"), "decline"),
    ("vin_model_year_mismatch", "车架号年款与申报车龄不符", "VIN model year differs from the stated age",
     _c("vehicle.model_year_matches_age", "is_false"), "refer"),
    ("vehicle_not_in_catalogue", "车辆不在车型库中（疑似虚假抵押物）",
     "Vehicle not in the catalogue (implausible collateral)",
     _c("vehicle.in_catalogue", "is_false"), "decline"),
    ("price_outside_valuation_band", "报价严重偏离评估价（疑似虚假抵押物）",
     "Price far from the valuation (implausible collateral)",
     AnyOf(of=[_c("vehicle.price_to_valuation_low", "lt", _p("valuation_band_low")),
               _c("vehicle.price_to_valuation_high", "gt", _p("valuation_band_high"))]),
     "decline"),
    ("vehicle_encumbered", "车辆已在租或已抵押", "Vehicle already leased or pledged",
     AnyOf(of=[_c("vehicle.under_active_lease", "is_true"), _c("vehicle.under_pledge", "is_true")]),
     "decline"),
    ("vehicle_too_old", "车龄过长", "Vehicle older than the limit",
     _c("vehicle.age_years", "gt", _p("max_vehicle_age")), "refer"),
    ("duplicate_vin", "同一车辆近期已有其他申请", "Same VIN in another recent application",
     _c("velocity.same_vin_apps", "ge", 1), "decline"),
    ("duplicate_id", "同一身份证近期多次申请", "Same ID in several recent applications",
     _c("velocity.same_id_apps", "gt", _p("max_same_id_apps")), "refer"),
    ("duplicate_mobile", "同一手机号近期多次申请", "Same mobile in several recent applications",
     _c("velocity.same_mobile_apps", "gt", _p("max_same_mobile_apps")), "refer"),
    ("dealer_velocity", "门店当日进件量异常", "Unusual number of applications from the dealer today",
     _c("velocity.dealer_apps_today", "gt", _p("max_dealer_apps_per_day")), "refer"),
    ("down_payment_below_product", "首付比例低于产品要求", "Down payment below the product minimum",
     _c("derived.down_payment_gap", "lt", 0), "decline"),
    ("term_above_product", "租期超过产品上限", "Term beyond the product maximum",
     _c("derived.term_excess", "gt", 0), "decline"),
    ("principal_above_product", "融资额超过产品上限", "Principal beyond the product maximum",
     _c("derived.principal_excess", "gt", 0), "decline"),
    ("ltv_high", "融资比例偏高", "Loan to value high", _c("derived.loan_to_value", "gt", _p("max_ltv")),
     "refer"),
    ("rate_above_cap", "年化利率超过上限", "Annualised rate above the cap",
     _c("deal.annual_rate", "gt", _p("max_annual_rate")), "decline"),
    ("dti_too_high", "负债收入比过高", "Debt-to-income too high",
     _c("applicant.debt_to_income", "gt", _p("max_dti")), "decline"),
    ("dti_elevated", "负债收入比偏高", "Debt-to-income elevated",
     All(of=[_c("applicant.debt_to_income", "gt", _p("refer_dti")),
             _c("applicant.debt_to_income", "le", _p("max_dti"))]), "refer"),
    ("bureau_missing", "无征信记录（白户）", "No credit bureau record (thin file)",
     _c("bureau.missing", "is_true"), "refer"),
    ("bureau_score_low", "征信评分过低", "Bureau score too low",
     All(of=[_c("bureau.missing", "is_false"),
             _c("bureau.score", "lt", _p("min_bureau_score"))]), "decline"),
    ("bureau_overdue_24m", "近24个月征信逾期严重", "Serious bureau overdue in the last 24 months",
     AnyOf(of=[_c("bureau.overdue_count_24m", "ge", _p("max_overdue_count_24m")),
               _c("bureau.max_overdue_days_24m", "gt", _p("max_overdue_days_24m"))]), "decline"),
    ("bureau_inquiries", "近6个月征信查询过多", "Many hard inquiries in the last 6 months",
     _c("bureau.inquiries_6m", "gt", _p("max_inquiries_6m")), "refer"),
    ("blacklist_hit", "命中黑名单", "On a blacklist", _c("applicant.blacklist_hits", "gt", 0), "decline"),
    ("court_dishonest", "失信被执行人", "Listed as a dishonest judgement debtor",
     _c("applicant.court_dishonest", "is_true"), "decline"),
    ("overdue_with_us", "在我司有未结清逾期", "Currently overdue on a contract with us",
     _c("history.current_overdue_days", "gt", 0), "decline"),
    ("documents_incomplete", "资料不全，请补齐后重新提交", "Documents incomplete",
     _c("documents.complete", "is_false"), "decline"),
]  # fmt: skip

FAST_LANE = Rule(
    id="fast_lane",
    label=Text(zh="快速通道：长期按时还款老客户", en="Fast lane: long on-time history with us"),
    when=All(
        of=[
            _c("history.on_time_streak", "ge", _p("fast_lane_min_streak")),
            _c("history.current_overdue_days", "eq", 0),
            _c("history.overdue_count_ever", "eq", 0),
            WITHIN_PRODUCT_LIMITS,
        ]
    ),
    then=[Approve(reason="fast_lane")],
)


def _check(rule_id: str, zh: str, en: str, when: Condition, verdict: str) -> Rule:
    action = Decline(reason=rule_id) if verdict == "decline" else Refer(reason=rule_id)
    then: list[Decline | Refer | RequireVerification] = [action]
    if rule_id == "vin_model_year_mismatch":
        then.append(RequireVerification(gate="vehicle_inspection"))
    return Rule(id=rule_id, label=Text(zh=zh, en=en), when=when, then=then)  # type: ignore[arg-type]


# What people read for the rows and bins of the default set (traces, tables, simulation).
ROW_LABELS = {
    "heavy_truck": Text(zh="重型货车", en="Heavy truck"),
    "cold_chain": Text(zh="冷链车", en="Cold-chain vehicle"),
    "light_truck": Text(zh="轻型货车", en="Light truck"),
    "nev": Text(zh="新能源车", en="New-energy vehicle"),
    "passenger": Text(zh="乘用车", en="Passenger car"),
    "nev_mainstream": Text(zh="主流品牌新能源车", en="Mainstream-brand NEV"),
    "heavy_liquid_models": Text(zh="保值重卡车型", en="Heavy truck, liquid resale model"),
    "flagged": Text(zh="地区已标记异常", en="Region flagged"),
    "short": Text(zh="短期（≤12期）", en="Short (≤12 months)"),
    "medium": Text(zh="中期（13–36期）", en="Medium (13–36 months)"),
    "long": Text(zh="长期（≥37期）", en="Long (≥37 months)"),
    "many_loans": Text(zh="未结清贷款较多", en="Many open loans"),
    "many_inquiries": Text(zh="近期查询较多", en="Many recent inquiries"),
    "thin_file": Text(zh="无征信记录", en="No bureau file"),
}
BIN_LABELS = {
    "bureau_score/excellent": Text(zh="优秀（≥750）", en="Excellent (≥750)"),
    "bureau_score/good": Text(zh="良好（≥680）", en="Good (≥680)"),
    "bureau_score/fair": Text(zh="一般（≥600）", en="Fair (≥600)"),
    "bureau_score/other": Text(zh="较差", en="Poor"),
    "dti/low": Text(zh="低（≤30%）", en="Low (≤30%)"),
    "dti/medium": Text(zh="中（≤45%）", en="Medium (≤45%)"),
    "dti/other": Text(zh="高", en="High"),
    "down_payment/high": Text(zh="高（≥30%）", en="High (≥30%)"),
    "down_payment/normal": Text(zh="正常（≥20%）", en="Normal (≥20%)"),
    "down_payment/other": Text(zh="偏低", en="Low"),
    "vehicle_age/new": Text(zh="较新（≤3年）", en="Recent (≤3 years)"),
    "vehicle_age/mid": Text(zh="中等（≤8年）", en="Middle-aged (≤8 years)"),
    "vehicle_age/other": Text(zh="较老", en="Old"),
    "history/loyal": Text(zh="老客户（连续按时≥12期）", en="Loyal (≥12 on time)"),
    "history/known": Text(zh="有还款记录", en="Known"),
    "history/other": Text(zh="无记录", en="None yet"),
}


def _row(row_id: str, cells: list[Cell | None], points: int, priority: int = 0) -> Row:
    return Row(
        id=row_id,
        cells=cells,
        then=[AdjustScore(points=points)],
        priority=priority,
        label=ROW_LABELS.get(row_id),
    )


def _cell(op: Operator, value: Operand | None = None) -> Cell:
    return Cell(op=op, value=value)


TABLES = [
    DecisionTable(
        id="vehicle_risk",
        label=Text(zh="车型/车辆类型风险权重", en="Vehicle model / type risk weight"),
        inputs=["vehicle.vehicle_type", "vehicle.model_code"],
        hit_policy="priority",
        rows=[
            _row("heavy_truck", [_cell("eq", "heavy_truck"), None], -40),
            _row("cold_chain", [_cell("eq", "cold_chain"), None], -30),
            _row("light_truck", [_cell("eq", "light_truck"), None], -15),
            _row("nev", [_cell("eq", "nev"), None], -10),
            _row("passenger", [_cell("eq", "passenger"), None], 0),
            _row(
                "nev_mainstream",
                [_cell("eq", "nev"), _cell("starts_with", ["BYD", "TESLA"])],
                0,
                10,
            ),
            _row(
                "heavy_liquid_models",
                [_cell("eq", "heavy_truck"), _cell("in", ["SHACMAN-X3000", "FAW-J6P"])],
                -25,
                10,
            ),
        ],
    ),
    DecisionTable(
        id="adaptive_gates",
        label=Text(zh="地区异常：追加核验关卡", en="Flagged region: extra verification gates"),
        inputs=["region.adaptive_flag"],
        hit_policy="first",
        rows=[
            Row(
                id="flagged",
                label=ROW_LABELS["flagged"],
                cells=[_cell("is_true")],
                then=[
                    RequireVerification(gate="video_interview"),
                    RequireVerification(gate="field_visit"),
                ],
            )
        ],
    ),
    DecisionTable(
        id="term_band",
        label=Text(zh="租期档位", en="Term band"),
        inputs=["deal.term_months"],
        hit_policy="unique",
        rows=[
            _row("short", [_cell("le", 12)], 10),
            _row("medium", [_cell("between", [13, 36])], 0),
            _row("long", [_cell("ge", 37)], -10),
        ],
    ),
    DecisionTable(
        id="bureau_signals",
        label=Text(zh="征信信号", en="Bureau signals"),
        inputs=["bureau.open_loans", "bureau.inquiries_6m", "bureau.missing"],
        hit_policy="collect",
        rows=[
            _row("many_loans", [_cell("gt", 4), None, None], -15),
            _row("many_inquiries", [None, _cell("gt", 3), None], -10),
            _row("thin_file", [None, None, _cell("is_true")], -20),
        ],
    ),
]


def _bins(field: str, cid: str, zh: str, en: str, bins: list[tuple[str, Operator, object, int]],
          fallback: int) -> Characteristic:  # fmt: skip
    return Characteristic(
        id=cid,
        field=field,
        label=Text(zh=zh, en=en),
        bins=[
            Bin(id=b, op=op, value=v, points=pts, label=BIN_LABELS.get(f"{cid}/{b}"))  # type: ignore[arg-type]
            for b, op, v, pts in bins
        ]
        + [Bin(id="other", points=fallback, label=BIN_LABELS.get(f"{cid}/other"))],
    )


SCORECARD = ScoreCard(
    base=_p("score_base"),
    approve_min=_p("approve_min_score"),
    refer_min=_p("refer_min_score"),
    characteristics=[
        _bins("bureau.score", "bureau_score", "征信评分", "Bureau score",
              [("excellent", "ge", 750, 60), ("good", "ge", 680, 30), ("fair", "ge", 600, 0)], -40),
        _bins("applicant.debt_to_income", "dti", "负债收入比", "Debt-to-income",
              [("low", "le", "0.30", 30), ("medium", "le", "0.45", 0)], -30),
        _bins("deal.down_payment_ratio", "down_payment", "首付比例", "Down payment",
              [("high", "ge", "0.30", 20), ("normal", "ge", "0.20", 0)], -20),
        _bins("vehicle.age_years", "vehicle_age", "车龄", "Vehicle age",
              [("new", "le", 3, 10), ("mid", "le", 8, 0)], -20),
        _bins("history.on_time_streak", "history", "我司还款记录", "Our repayment history",
              [("loyal", "ge", 12, 20), ("known", "ge", 1, 5)], 0),
    ],
)  # fmt: skip

GATES = {
    "video_interview": Text(zh="视频面签", en="Video interview"),
    "field_visit": Text(zh="实地家访及验车", en="Field visit and vehicle inspection"),
    "vehicle_inspection": Text(
        zh="车辆实勘（核对年款、铭牌）", en="Vehicle inspection (model year)"
    ),
}


def default_ruleset() -> RuleSet:
    rules = [_check(*check) for check in _CHECKS] + [FAST_LANE]
    reasons = {rule_id: Text(zh=zh, en=en) for rule_id, zh, en, _, _ in _CHECKS}
    reasons["fast_lane"] = Text(
        zh="快速通道：连续按时还款，自动通过", en="Fast lane: approved on our history"
    )
    return RuleSet(
        name="默认规则集 default",
        version=1,
        parameters=PARAMETERS,
        derived=DERIVED,
        rules=rules,
        tables=TABLES,
        scorecard=SCORECARD,
        reasons=reasons,
        gates=GATES,
    )
