"""Wire types of the lessee's servicing requests 自助业务: payoff quotes (提前结清)."""

from __future__ import annotations

from datetime import date, datetime

import msgspec

from common.api.contracts import Money


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
