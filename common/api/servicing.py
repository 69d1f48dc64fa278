"""Wire types of the lessee's servicing requests 自助业务: payoff quotes (提前结清), partial
prepayments (部分提前还款), extensions (展期)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

import msgspec

from common.api import limits
from common.api.contracts import Instalment, Money


class PayoffQuoteRequest(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    settle_on: date | None = None  # the day the lessee will pay; default today


class QuoteLineView(msgspec.Struct, kw_only=True):
    code: str  # outstanding_principal, accrued_interest, ..., deposit_offset (negative)
    label: str  # 剩余本金 ...
    amount: Money


class PayoffQuoteView(msgspec.Struct, kw_only=True):
    id: str
    as_of: date
    settle_on: date
    valid_until: date
    lines: list[QuoteLineView]
    total: Money  # what to pay (purpose payoff, quote_id = id): the lines' sum
    deposit_refund: Money  # deposit left over, paid back with the settlement
    per_day: Money  # what one more day adds (interest and penalty), informational
    status: str  # open | used | expired
    created_at: datetime


PrepaymentModeName = Literal["reduce_payment", "shorten_term"]  # 月供减少 | 期限缩短


class PrepaymentPreviewRequest(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    amount: Money  # principal to prepay, yuan "20000.00"
    mode: PrepaymentModeName | None = None  # None: preview both
    on: date | None = None  # the day it will be paid; default today


class PrepaymentRequest(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    amount: Money
    mode: PrepaymentModeName
    on: date | None = None


class PrepaymentPreview(msgspec.Struct, kw_only=True):
    mode: str
    on: date
    principal_prepaid: Money
    accrued_interest: Money  # on the prepaid principal, from the period start to `on`
    penalty: Money  # 违约金
    amount_due: Money  # paid on `on`: the three above
    previous_rent: Money
    rent: Money  # the new level rent
    previous_term_remaining: int
    term_remaining: int  # instalments left after it
    annualised_rate_percent: str  # of the new schedule (IRR x 12)
    schedule: list[Instalment]  # the new rows, in the contract's numbering
    paid_ahead: Money = "0.00"  # paid on the old rows to come: applied to the new rows first


class PrepaymentQuoteView(msgspec.Struct, kw_only=True):
    quote: (
        PayoffQuoteView  # pay it with purpose prepayment, quote_id = quote.id, on quote.settle_on
    )
    preview: PrepaymentPreview


class ExtensionRequestBody(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """展期: give the months to add, or the new term (the contract's last instalment number)."""

    months_to_add: Annotated[int, msgspec.Meta(ge=1, le=120)] | None = None
    new_term_months: Annotated[int, msgspec.Meta(ge=1, le=120)] | None = None
    reason: Annotated[str, limits.line(200)] = ""


class TermsView(msgspec.Struct, kw_only=True):
    rent: Money
    term_months: int  # the number of the last instalment
    annualised_rate_percent: str  # IRR x 12 of the schedule in force / proposed
    end_date: date


class ReasonView(msgspec.Struct, kw_only=True):
    code: str
    kind: str  # decline | refer | approve
    text: str
    rule: str


class DecisionView(msgspec.Struct, kw_only=True):
    outcome: str  # approved | declined | referred
    reasons: list[ReasonView]
    ruleset_version: int


class ExtensionPreview(msgspec.Struct, kw_only=True):
    current: TermsView
    proposed: TermsView
    months_to_add: int
    fee: Money  # 展期手续费, due with the first new instalment
    capitalised: Money  # arrears (with penalty to today) moved into the principal
    schedule: list[Instalment]  # the new rows, in the contract's numbering
    decision: DecisionView | None = None  # what the rules would decide today
    paid_ahead: Money = "0.00"  # paid on the old rows to come: applied to the new rows first


class ExtensionFactView(msgspec.Struct, kw_only=True):
    """One fact the extension rules judged the request on, named for a person."""

    field: str  # extension.days_past_due
    label_zh: str  # 逾期天数
    label_en: str
    value: int | str


class ExtensionView(msgspec.Struct, kw_only=True):
    id: str
    contract_id: str
    status: str  # referred | approved | declined | reversed
    decision: DecisionView
    reasons: list[ReasonView]
    preview: ExtensionPreview
    reason: str
    revision: int | None
    created_at: datetime
    decided_at: datetime | None = None
    months_to_add: int = 0
    # What a reviewer needs (filled by the risk queue GET /api/extensions only):
    contract_number: str = ""
    lessee_name: str | None = None  # masked 张*三
    facts: list[ExtensionFactView] = msgspec.field(default_factory=list)
    reviewer_note: str = ""  # the note given with the decision of a referred request


class ExtensionDecisionBody(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    approve: bool
    note: Annotated[str, limits.line(200)] = ""


class ExtensionFieldView(msgspec.Struct, kw_only=True):
    """A fact field the extension rules may read (`backend.servicing.eligibility`)."""

    path: str  # extension.days_past_due
    kind: str  # int | enum
    choices: list[str]  # an enum's values (M0 ... M7)
    label_zh: str
    label_en: str


class ExtensionRuleSetView(msgspec.Struct, kw_only=True):
    version: int
    ruleset: dict[str, Any]  # common.rules.model.RuleSet as JSON
    note: str
    published_at: datetime | None
    fields: list[ExtensionFieldView] = msgspec.field(default_factory=list)  # what rules read


class ExtensionSimulateBody(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """规则模拟: replay the stored facts of the last `last_n` requests under a candidate."""

    ruleset: dict[str, Any]  # common.rules.model.RuleSet, validated as on publishing
    last_n: Annotated[int, msgspec.Meta(ge=1, le=5000)] = 500


class ChangedExtensionView(msgspec.Struct, kw_only=True):
    extension_id: str
    contract_id: str
    contract_number: str
    lessee_name: str | None  # masked
    months_to_add: int
    status: str  # what became of the request: referred | approved | declined | reversed
    created_at: datetime
    before: str  # outcome under the rules in force
    after: str  # under the candidate
    reasons_before: list[ReasonView]
    reasons_after: list[ReasonView]


class ExtensionSimulationView(msgspec.Struct, kw_only=True):
    """Like the approval engine's `common.api.risk.SimulationView`, for extension requests."""

    active_version: int
    draft_version: int  # the version the candidate would take if published
    total: int  # requests replayed
    skipped: int  # requests whose stored facts no longer fit (an older facts schema)
    changed_count: int
    approval_rate_before: str  # share, 4 places ("0.7500")
    approval_rate_after: str
    outcomes_before: dict[str, int]
    outcomes_after: dict[str, int]
    changed: list[ChangedExtensionView]  # newest first


class ExtensionRuleSetBody(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    ruleset: dict[str, Any]  # common.rules.model.RuleSet; its version is assigned on publishing
    note: Annotated[str, limits.line(200)] = ""


class RenewalOffer(msgspec.Struct, kw_only=True):
    """续租: what remains, the balloon with it, in level rents over the months left plus
    `term_months`; choosing it applies this schedule as the contract's next revision."""

    principal: Money  # the principal refinanced (the balloon and the rest still to pay)
    term_months: int  # months added
    monthly_payment: Money  # the new level rent
    annualised_rate_percent: str  # of the new schedule (IRR x 12)
    start_date: date  # the first new rent's due date
    instalments: int = 0  # rents in the new schedule
    end_date: date | None = None  # the last one's due date


class EndOfTermOption(msgspec.Struct, kw_only=True):
    code: str  # renewal 续租 | buyout 留购 | return 退车
    label: str
    available: bool
    note: str = ""


class EndOfTermChoiceView(msgspec.Struct, kw_only=True):
    option: str
    slot_at: datetime | None
    quote_id: str | None
    created_at: datetime


class VehicleValueAtEnd(msgspec.Struct, kw_only=True):
    """What the car is predicted to be worth on the last due date (the residual model), against
    the buy-out today: keeping it is worth `equity` (negative: handing it back is better)."""

    on: date
    value: Money
    low: Money  # the 80 % interval
    high: Money
    model_version: str
    buyout_total: Money
    equity: Money  # value - buy-out
    verdict: Literal["keep", "return", "close"]
    note: str  # Chinese


class EndOfTermView(msgspec.Struct, kw_only=True):
    open: bool  # from 90 days before the last due date, while the contract is active
    opens_on: date
    last_due_date: date
    options: list[EndOfTermOption]
    renewal: list[RenewalOffer]  # one per term offered (empty without a balloon to refinance)
    buyout: PayoffQuoteView | None  # what the buy-out would be today (not stored until chosen)
    slots: list[datetime]  # free inspection slots of the next 14 days (UTC)
    choice: EndOfTermChoiceView | None = None
    vehicle_value: VehicleValueAtEnd | None = None  # beside the buy-out, when the car is known


class EndOfTermRequest(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    option: Literal["renewal", "buyout", "return"]
    slot_at: datetime | None = None  # return: one of the slots offered
    renewal_term_months: Literal[12, 24, 36] | None = None  # renewal: one of the offers


class EndOfTermResult(msgspec.Struct, kw_only=True):
    choice: EndOfTermChoiceView
    quote: PayoffQuoteView | None = None  # buy-out: pay it with purpose payoff
    renewal: RenewalOffer | None = None
