"""Texts of the app in 简体中文 (default) and English, and how money and dates are shown."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from common.business_day import BUSINESS_TZ

LANGUAGES = ("zh", "en")

TEXTS: dict[str, tuple[str, str]] = {
    "app_title": ("AutoLease 汽车融资租赁", "AutoLease vehicle leasing"),
    "username": ("用户名", "Username"),
    "password": ("密码", "Password"),
    "sign_in": ("登录", "Sign in"),
    "sign_out": ("退出登录", "Sign out"),
    "signing_in": ("正在登录…", "Signing in…"),
    # a lessee signs in with an SMS code 手机验证码登录
    "sign_in_by_sms": ("手机验证码登录", "Sign in with an SMS code"),
    "sign_in_by_password": ("账号密码登录", "Sign in with a password"),
    "get_code": ("获取验证码", "Get a code"),
    "resend_in": ("{seconds}秒后重新获取", "Resend in {seconds} s"),
    "sms_code": ("短信验证码", "SMS code"),
    "id_last6": ("身份证号码后六位", "Last six characters of your ID number"),
    "code_sent": ("验证码已发送，5分钟内有效", "Code sent; it works for 5 minutes"),
    "enter_mobile": ("请输入正确的手机号码", "Enter a valid mobile number"),
    "enter_code": ("请输入6位数字验证码", "Enter the 6-digit code"),
    "enter_id_last6": (
        "首次登录请输入身份证号码后六位",
        "First sign-in: enter the last six characters of your ID number",
    ),
    "language": ("English", "中文"),
    "hello": ("您好，{name}", "Hello, {name}"),
    "organisation": ("所属机构：{name}", "Organisation: {name}"),
    "new_application": ("新建进件", "New application"),
    "continue_draft": ("继续未完成的进件", "Continue the draft"),
    "my_applications": ("我的进件", "My applications"),
    "no_applications": ("暂无进件", "No applications yet"),
    "refresh": ("刷新", "Refresh"),
    "back": ("上一步", "Back"),
    "next": ("下一步", "Next"),
    "home": ("首页", "Home"),
    "retry": ("重试", "Retry"),
    "monitor_console": ("租后管理", "Post-lease management"),
    "book_contracts": ("在册合同", "Contracts on the books"),
    "role_staff": ("门店业务员", "Shop staff"),
    "role_dealer_admin": ("经销商", "Dealer"),
    "role_lessee": ("承租人", "Lessee"),
    "role_risk_officer": ("风控经理", "Risk officer"),
    "role_monitor": ("租后管理", "Monitoring"),
    "role_admin": ("系统管理员", "Administrator"),
    "risk_console": ("风控工作台", "Risk console"),
    # wizard steps
    "step_vehicle": ("车辆", "Vehicle"),
    "step_customer": ("客户", "Customer"),
    "step_photos": ("照片", "Photos"),
    "step_product": ("方案", "Product"),
    "step_review": ("确认提交", "Review"),
    "step_of": ("第{n}/{total}步", "Step {n} of {total}"),
    "vin_photo": ("拍摄/选择车架号条码", "Photo of the VIN barcode"),
    "vin": ("车架号（VIN）", "VIN"),
    "vin_ok": ("车架号有效", "VIN is valid"),
    "scanning": ("正在识别…", "Reading…"),
    "maker": ("品牌", "Maker"),
    "model_year": ("年款", "Model year"),
    "catalogue_model": ("车型", "Model"),
    "vehicle_price": ("车辆价格（元）", "Vehicle price (yuan)"),
    "customer_kind": ("客户类型", "Customer type"),
    # facts the rules judge, collected with the vehicle and the customer (issue 11)
    "or_type_it": ("或手动输入", "or type it"),
    "vehicle_new": ("新车", "New"),
    "vehicle_used": ("二手车", "Used"),
    "mileage_km": ("行驶里程（公里）", "Mileage (km)"),
    "customer_region": ("居住地区代码（默认门店所在地）", "Region code (the shop's by default)"),
    "photo_customer_face": ("客户人脸照", "Customer's face"),
    "photo_face_camera": ("拍摄人脸", "Take the face photo"),
    "photo_face_capture": ("拍照", "Capture"),
    "photo_face_cancel": ("取消", "Cancel"),
    "photo_face_no_camera": ("无法使用相机，请改为选择照片", "No camera: pick a photo instead"),
    "person": ("个人", "Person"),
    "company": ("企业", "Company"),
    "customer_name": ("姓名", "Name"),
    "company_name": ("企业名称", "Company name"),
    "resident_id": ("身份证号码", "Resident ID number"),
    "uscc": ("统一社会信用代码", "Unified social credit code"),
    "mobile": ("手机号码", "Mobile number"),
    "photo_id_front": ("身份证人像面", "ID card, photo side"),
    "photo_id_back": ("身份证国徽面", "ID card, emblem side"),
    "photo_driving_licence": ("驾驶证", "Driving licence"),
    "photo_vehicle": ("车辆照片", "Vehicle photo"),
    "photo_business_licence": ("营业执照", "Business licence"),
    "photo_pick": ("拍照/选择", "Take or pick"),
    "photo_uploading": ("上传中 {pct}%", "Uploading {pct}%"),
    "photo_done": ("已上传", "Uploaded"),
    "photo_failed": ("上传失败", "Upload failed"),
    "photo_missing": ("未上传", "Not uploaded"),
    "lease_type": ("租赁方式", "Lease type"),
    "direct_lease": ("直租", "Direct lease"),
    "sale_leaseback": ("售后回租", "Sale and leaseback"),
    "term": ("期限（月）", "Term (months)"),
    "annual_rate": ("名义年利率", "Nominal rate"),
    "down_payment": ("首付款（元）", "Down payment (yuan)"),
    "deposit": ("保证金（元）", "Deposit (yuan)"),
    "balloon": ("尾款（元）", "Balloon (yuan)"),
    "method": ("还款方式", "Repayment method"),
    "timing": ("付租方式", "Rent timing"),
    "gps_fee": ("GPS费（元）", "GPS fee (yuan)"),
    "service_fee": ("服务费（元）", "Service fee (yuan)"),
    "annualised_rate": ("年化利率（IRR，含费用）", "Annualised rate (IRR, incl. fees)"),
    "monthly_payment": ("月租金", "Monthly rent"),
    "total_cost": ("总成本", "Total cost"),
    "financed": ("融资金额", "Amount financed"),
    "quoting": ("正在试算…", "Calculating…"),
    "submit": ("提交申请", "Submit"),
    "submitting": ("正在提交…", "Submitting…"),
    "saved": ("草稿已保存", "Draft saved"),
    "saved_locally": ("已保存在本机，联网后同步", "Saved on this device; will sync when online"),
    "status": ("状态", "Status"),
    "status_draft": ("草稿", "Draft"),
    "status_submitted": ("已提交", "Submitted"),
    "status_in_review": ("审核中", "In review"),
    "status_approved": ("已批准", "Approved"),
    "status_declined": ("已拒绝", "Declined"),
    "status_withdrawn": ("已撤回", "Withdrawn"),
    "to_fix": ("需要补充或修改：", "To fix:"),
    "fix_it": ("去修改", "Fix it"),
    "result_title": ("申请结果", "Result"),
    "application_no": ("申请编号：{id}", "Application: {id}"),
    "review_vehicle": ("车辆：{vin}", "Vehicle: {vin}"),
    "review_customer": ("客户：{name}", "Customer: {name}"),
    "review_photos": ("照片：{n}张", "Photos: {n}"),
    "network_error": ("网络连接失败，请稍后重试", "Network error, please try again"),
    "session_expired": ("登录已过期，请重新登录", "Your session has expired, please sign in again"),
    "required": ("必填", "Required"),
    "invalid_amount": ("请输入有效金额", "Enter a valid amount"),
    # products 金融产品 (issue 11)
    "product_title": ("金融产品", "Product"),
    "product_loading": ("正在加载适用的产品…", "Loading the products for this vehicle…"),
    "product_none": ("没有适用于该车辆的金融产品", "No product covers this vehicle"),
    "product_term": ("{n}期 · {rate}", "{n} mo · {rate}"),
    "product_promo": ("优惠", "promo"),
    "product_rate_from": ("{lease} · 利率{rate}起", "{lease} · from {rate}"),
    "product_down_band": ("首付范围 {low} – {high}", "Down payment {low} – {high}"),
    "product_fees": ("费用合计", "Fees"),
    "product_deposit": ("保证金", "Deposit"),
    "product_nominal": ("名义年利率", "Nominal rate"),
    "product_total_cost": ("总成本（利息+费用）", "Total cost (interest + fees)"),
    "product_price_first": ("请先填写车辆价格", "Enter the vehicle price first"),
    # decisions 审批结果 (issue 5)
    "decision": ("审批结果", "Decision"),
    "outcome_approved": ("自动通过", "Approved automatically"),
    "outcome_referred": ("转人工审核", "Referred to a risk officer"),
    "outcome_declined": ("已拒绝", "Declined"),
    "decision_score": ("综合评分：{score}", "Score: {score}"),
    "decision_reasons": ("原因", "Reasons"),
    "decision_no_reasons": ("无特别原因", "No particular reasons"),
    "decision_gates": ("需完成的核验", "Verification to complete"),
    "decision_review": ("人工审核：{decision}（{note}）", "Manual review: {decision} ({note})"),
    "decision_pending": ("尚未审批", "Not decided yet"),
    "review_approve_word": ("批准", "approved"),
    "review_decline_word": ("拒绝", "declined"),
    "application_detail": ("进件详情", "Application"),
    "schedule_title": ("还款计划", "Repayment schedule"),
    "schedule_no": ("期数", "No."),
    "schedule_due": ("还款日", "Due"),
    "schedule_amount": ("应付", "Amount due"),
    "schedule_principal": ("本金", "Principal"),
    "schedule_interest": ("利息", "Interest"),
    "schedule_balance": ("剩余本金", "Balance"),
    # risk officer 风控经理
    "risk_reviews": ("人工审核队列", "Review queue"),
    "risk_rulesets": ("规则集", "Rule sets"),
    "risk_history": ("规则变更记录", "Rule change history"),
    "risk_flags": ("地区异常标记", "Region flags"),
    "risk_products": ("金融产品", "Products"),
    "products_on_sale": ("在售", "on sale"),
    "products_retired": ("已停售", "retired"),
    "products_retire": ("停售", "Retire"),
    "products_put_back": ("恢复在售", "Put back on sale"),
    "products_retire_confirm": (
        "停售后不能再用它报价，已报价的草稿须重新报价",
        "Retired products cannot be quoted; quoted drafts must be quoted again",
    ),
    "products_put_back_confirm": (
        "恢复在售：店员又可以用它报价",
        "Back on sale: clerks can quote it again",
    ),
    "products_down_band": ("首付 {low} – {high}", "Down payment {low} – {high}"),
    "products_none": ("还没有金融产品", "No products yet"),
    # contracts 电子合同
    "templates_title": ("合同模板", "Contract template"),
    "templates_hint": (
        "修改条款并保存为新版本；新合同使用最新版本",
        "Edit clauses, save a new version; new contracts use the latest",
    ),
    "templates_version": ("{id} · 第 {n} 版", "{id} · version {n}"),
    "templates_name": ("合同标题", "Title"),
    "templates_common": ("通用条款", "Common clauses"),
    "templates_save": ("保存为新版本", "Save as a new version"),
    "templates_saved": ("已保存为第 {n} 版", "Saved as version {n}"),
    "ledger_title": ("账务 · 试算平衡表", "Books · trial balance"),
    "ledger_hint": (
        "复式记账：每笔分录借贷相等；合计借方应等于合计贷方",
        "Double entry: every entry balances; total debits equal total credits",
    ),
    "ledger_show": ("查看试算平衡表", "Show the trial balance"),
    "ledger_balanced": ("借贷平衡", "Debits equal credits"),
    "ledger_unbalanced": ("借贷不平衡！", "Debits and credits differ!"),
    "ledger_totals": ("借方合计 {debit} · 贷方合计 {credit}", "Debits {debit} · credits {credit}"),
    "ledger_account": ("科目", "Account"),
    "ledger_debit": ("借方", "Debit"),
    "ledger_credit": ("贷方", "Credit"),
    "representative_heading": (
        "企业授权代表（法定代表人）：代表企业签署合同",
        "Authorised person (legal representative): signs for the company",
    ),
    "representative_name": ("授权代表姓名", "Authorised person's name"),
    "representative_id": ("授权代表身份证号", "Authorised person's resident ID"),
    "guarantor_add": ("添加保证人（选填）", "Add a guarantor (optional)"),
    "guarantor_name": ("保证人姓名", "Guarantor's name"),
    "guarantor_id": ("保证人身份证号", "Guarantor's resident ID"),
    "guarantor_mobile": ("保证人手机号", "Guarantor's mobile"),
    "guarantor_relation": (
        "与承租人关系（如配偶、父母）",
        "Relation to the lessee (spouse, parent ...)",
    ),
    "hall_heading": ("自助服务大厅", "Self-service hall"),
    "hall_next_due": ("下期应还", "Next payment"),
    "hall_due_on": ("还款日 {date}", "Due on {date}"),
    "hall_nothing_due": ("本合同已无待还款项", "Nothing left to pay on this contract"),
    "hall_overdue_banner": (
        "已逾期 {days} 天，逾期金额 {amount}（含罚息），请尽快还款",
        "{days} days overdue: {amount} (penalty included). Please pay now",
    ),
    "hall_pay_now": ("立即还款 {amount}", "Pay {amount} now"),
    "hall_progress": (
        "已还 {paid}/{total} 期 · 剩余应还 {left}",
        "Paid {paid} of {total} · {left} left",
    ),
    "hall_schedule": ("还款计划", "Schedule"),
    "hall_sign": ("阅读并签署合同", "Read and sign the contract"),
    "hall_not_active": ("合同起租后可在此还款", "Payments open once the lease starts"),
    "hall_row": ("第 {n} 期", "No. {n}"),
    "hall_row_left": ("待还 {amount}", "{amount} left"),
    "hall_row_penalty": ("罚息 {amount}", "Penalty {amount}"),
    "hall_schedule_title": ("还款计划 · {number}", "Schedule · {number}"),
    "contract_generate": ("生成合同并通知承租人", "Make the contract and text the lessee"),
    "contract_heading": ("合同", "Contract"),
    "contract_status_line": ("{number} · {status}", "{number} · {status}"),
    "my_contracts": ("我的合同", "My contracts"),
    "contracts_none": (
        "还没有合同：申请审批通过后，合同会出现在这里",
        "No contracts yet: an approved application's contract appears here",
    ),
    "contract_rent_line": (
        "月租 {rent} · {n} 期 · 年化 {rate}",
        "Rent {rent} · {n} months · APR {rate}",
    ),
    "contract_title": ("合同详情", "Contract"),
    "contract_irr_label": ("年化利率（IRR，含费用）", "Annualised rate (IRR, fees included)"),
    "contract_nominal": ("名义年利率 {rate}", "Nominal annual rate {rate}"),
    "contract_product": ("金融产品", "Product"),
    "contract_vehicle": ("租赁车辆", "Vehicle"),
    "contract_principal": ("融资额", "Financed"),
    "contract_down_payment": ("首付款", "Down payment"),
    "contract_deposit": ("保证金", "Deposit"),
    "contract_fees": ("手续费", "Fees"),
    "contract_monthly": ("月租金", "Monthly rent"),
    "contract_term": ("租期", "Term"),
    "contract_total": ("租金总额", "Total rent"),
    "contract_issued": ("合同日期", "Issued"),
    "contract_open_pdf": ("查看合同 PDF", "Open the PDF"),
    "contract_signed_on": ("已于 {at} 签署并加盖平台电子签章", "Signed and sealed on {at}"),
    "contract_schedule": ("还款计划", "Repayment schedule"),
    "contract_back": ("返回合同", "Back to the contract"),
    "months": ("{n} 个月", "{n} months"),
    "sign_heading": ("签署合同", "Sign the contract"),
    "sign_get_code": ("获取验证码", "Get a code"),
    "sign_wait": ("{s} 秒后可重发", "Again in {s} s"),
    "sign_code": ("短信验证码", "Code from the SMS"),
    "sign_code_sent": ("验证码已发送至 {to}", "Code sent to {to}"),
    "sign_now": ("确认签署", "Sign"),
    "sign_result": ("签署结果", "Signed"),
    "sign_done": ("合同已签署", "The contract is signed"),
    "sign_check_failed": ("签章校验未通过，请联系客服", "The seal did not check out: call us"),
    "sign_done_detail": (
        "合同 {number} 已加盖平台电子签章，等待资金方放款",
        "Contract {number} is sealed and awaits funding",
    ),
    "sign_seal": ("签章：{signer} · 时间戳 {at}", "Seal: {signer} · timestamp {at}"),
    "confirm": ("确认", "Confirm"),
    "admin_console": ("管理后台", "Administration"),
    "audit_title": ("操作日志完整性", "Audit log integrity"),
    "audit_hint": (
        "核验哈希链：任何被修改、删除、插入或调换顺序的记录都会被指出，并与已签名的检查点比对。",
        "Checks the hash chain: any edited, deleted, inserted or reordered event is named, and the"
        " chain is compared with the signed checkpoints.",
    ),
    "audit_verify": ("核验操作日志", "Verify the audit log"),
    "audit_ok": (
        "完整：已核验 {events} 条记录，{sealed} 个签名检查点一致",
        "Intact: {events} events checked, {sealed} signed checkpoints agree",
    ),
    "audit_broken": (
        "异常：第 {position} 条记录处链条断开（{problem}）",
        "Broken at position {position}: {problem}",
    ),
    "audit_no_checkpoint": ("尚无签名检查点", "No signed checkpoint yet"),
    "audit_checkpoint": (
        "最新检查点：第 {position} 条，{at}，哈希 {head}…，密钥 {key_id}",
        "Latest checkpoint: position {position}, {at}, head {head}…, key {key_id}",
    ),
    "reviews_empty": ("没有待审核的申请", "Nothing waiting for review"),
    "review_title": ("审核申请", "Review application"),
    "review_photos_title": ("照片", "Photos"),
    "review_trace": ("命中的规则与决策表行", "Rules and table rows that fired"),
    "review_trace_empty": ("无命中记录", "Nothing fired"),
    "review_note": ("审核意见", "Review note"),
    "review_approve": ("批准", "Approve"),
    "review_decline": ("拒绝", "Decline"),
    "review_note_needed": ("请填写审核意见", "Please write a note"),
    # issue 11, bugs 10 and 12: full-size photos, revealing a case's customer, abandoned drafts
    "review_photo_open": ("点按查看大图：{name}", "Tap to enlarge: {name}"),
    "review_photo_close": ("关闭", "Close"),
    "review_photo_failed": ("大图加载失败", "The full-size photo did not load"),
    "review_reveal": ("显示完整姓名和证件号", "Show full name and ID number"),
    "review_reveal_note": ("查看将记入审计日志", "Viewing is recorded in the audit log"),
    "review_revealed": (
        "已显示完整信息（已记录审计）",
        "Shown in full (recorded in the audit log)",
    ),
    "draft_filled": ("已填：{steps}", "Filled in: {steps}"),
    "draft_nothing": ("尚未填写任何内容", "Nothing filled in yet"),
    "draft_photos_n": ("照片{n}张", "{n} photos"),
    "draft_delete": ("删除草稿", "Delete draft"),
    "draft_delete_confirm": (
        "确定删除这份草稿？删除后无法恢复。",
        "Delete this draft? This cannot be undone.",
    ),
    "draft_deleted": ("草稿已删除", "Draft deleted"),
    "filled_vehicle": ("车辆", "vehicle"),
    "filled_customer": ("客户", "customer"),
    "filled_photos": ("照片", "photos"),
    "filled_quote": ("报价", "quote"),
    "amount": ("融资金额", "Amount"),
    "rate": ("年化利率", "Rate"),
    "term_n": ("{n}期", "{n} months"),
    "ruleset_versions": ("规则集版本", "Rule-set versions"),
    "ruleset_version": ("第{n}版", "Version {n}"),
    "ruleset_active": ("生效中", "Active"),
    "ruleset_draft": ("草稿", "Draft"),
    "ruleset_published": ("已发布", "Published"),
    "ruleset_new_draft": ("从生效版本新建草稿", "New draft from the active set"),
    "ruleset_open": ("打开", "Open"),
    "ruleset_tab_params": ("参数", "Parameters"),
    "ruleset_tab_rules": ("规则开关", "Rules"),
    "ruleset_tab_tables": ("决策表", "Decision tables"),
    "ruleset_formula": ("公式：{text}", "Formula: {text}"),
    "ruleset_save": ("保存", "Save"),
    "ruleset_saved": ("已保存", "Saved"),
    "ruleset_unsaved": ("有未保存的修改", "Unsaved changes"),
    "ruleset_simulate": ("模拟", "Simulate"),
    "ruleset_last_n": ("最近N笔已审批申请", "Last N decided applications"),
    "ruleset_reason": ("变更原因", "Reason for the change"),
    "ruleset_reason_needed": ("请填写变更原因", "Please give a reason"),
    "ruleset_publish": ("发布", "Publish"),
    "ruleset_publish_confirm": (
        "发布第{n}版？发布后下一笔审批即按此版决策",
        "Publish version {n}? The next decision uses it",
    ),
    "cancel": ("取消", "Cancel"),
    "ruleset_published_ok": (
        "已发布第{n}版，下一笔审批即生效",
        "Version {n} is live from the next decision",
    ),
    "ruleset_rollback": ("回滚到此版本", "Roll back to this version"),
    "ruleset_rolled_back": ("已回滚到第{n}版", "Rolled back to version {n}"),
    "ruleset_read_only": (
        "已发布的版本不能修改；可新建草稿或回滚到此版本。",
        "A published version cannot be changed; create a draft or roll back to it.",
    ),
    "ruleset_invalid_fields": ("以下位置需要修改：", "Fix these:"),
    "ruleset_any": ("任意", "any"),
    "ruleset_points": ("分值调整", "Score points"),
    "ruleset_gate": ("核验关卡", "Verification gate"),
    "ruleset_priority": ("优先级 {n}", "priority {n}"),
    "ruleset_hit_policy": ("命中策略：{p}", "Hit policy: {p}"),
    "sim_title": ("模拟结果（对比第{a}版）", "Simulation (against version {a})"),
    "sim_total": ("样本数", "Cases"),
    "sim_changed": ("结果变化", "Outcomes changed"),
    "sim_rate_before": ("通过率（现行）", "Approval rate now"),
    "sim_rate_after": ("通过率（草稿）", "Approval rate, draft"),
    "sim_no_changes": ("没有结果发生变化", "No outcome changes"),
    "history_empty": ("暂无变更记录", "No changes yet"),
    "action_created": ("新建草稿", "created a draft"),
    "action_edited": ("修改", "edited"),
    "action_published": ("发布", "published"),
    "action_rolled_back": ("回滚", "rolled back"),
    "history_changes": ("{n}处修改", "{n} change(s)"),
    "flags_empty": ("暂无地区数据", "No region data yet"),
    "flag_on": ("异常（追加核验）", "Flagged (extra checks)"),
    "flag_off": ("正常", "Normal"),
    "flag_line": (
        "今日{today}笔 · 基线中位数{median} · z={z}",
        "today {today} · baseline median {median} · z={z}",
    ),
}

METHODS: dict[str, tuple[str, str]] = {
    "annuity": ("等额本息", "Equal instalments"),
    "equal_principal": ("等额本金", "Equal principal"),
    "interest_only": ("先息后本", "Interest first"),
    "balloon": ("弹性尾款", "Balloon"),
    "flat": ("平息", "Flat rate"),
    "arrears": ("后付", "In arrears"),
    "advance": ("先付", "In advance"),
}


class Translator:
    """Looks texts up in the current language; the language can be switched at runtime."""

    def __init__(self, language: str = "zh") -> None:
        self.language = language if language in LANGUAGES else "zh"

    def __call__(self, key: str, **values: object) -> str:
        pair = TEXTS.get(key) or METHODS.get(key)
        if pair is None:
            return key
        text = pair[0] if self.language == "zh" else pair[1]
        return text.format(**values) if values else text

    def toggle(self) -> None:
        self.language = "en" if self.language == "zh" else "zh"


def format_money(amount: str | Decimal | None) -> str:
    """¥3,042.19 from a decimal string; empty text for no amount; never through float."""
    if amount is None or amount == "":
        return ""
    try:
        value = Decimal(amount).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        return str(amount)
    sign = "-" if value < 0 else ""
    return f"{sign}¥{abs(value):,.2f}"


def format_percent(rate: str | Decimal | None) -> str:
    """8.25% from a percent string such as "8.2512"."""
    if rate is None or rate == "":
        return ""
    try:
        value = Decimal(rate).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        return str(rate)
    return f"{value}%"


def format_date(value: date | datetime | None) -> str:
    """2026-11-30; timestamps are shown on the Shanghai business date."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        value = value.astimezone(BUSINESS_TZ).date() if value.tzinfo else value.date()
    return value.isoformat()


def format_datetime(value: datetime) -> str:
    """2026-11-30 14:05 in Asia/Shanghai (a naive value is taken as UTC)."""
    aware = value if value.tzinfo else value.replace(tzinfo=UTC)
    return aware.astimezone(BUSINESS_TZ).strftime("%Y-%m-%d %H:%M")
