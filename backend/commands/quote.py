"""`autolease quote`: the lease calculator (租金试算) in a terminal, or as JSON with --json.

The options go through the same wire type and validation as POST /api/quotes, so the JSON printed
here is exactly the API's `QuoteResponse`.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime
from decimal import Decimal
from typing import Any, NoReturn
from zoneinfo import ZoneInfo

import msgspec

from common.api.quotes import (
    QuoteRequest,
    QuoteResponse,
    response_from_schedule,
    terms_from_request,
)
from common.errors import DomainError
from common.money import format_cny
from common.schedule import DepositTreatment, Method, Timing, build_schedule

PROG = "autolease quote"
BUSINESS_TZ = ZoneInfo("Asia/Shanghai")

# The flag a user typed, for error messages that name a request field.
_FLAG_OF = {
    "principal": "--principal",
    "annual_rate_percent": "--annual-rate",
    "term_months": "--term",
    "balloon": "--balloon",
    "flat_monthly_rate_percent": "--flat-monthly-rate",
    "fees": "--fee",
    "deposit": "--deposit",
    "start_date": "--start-date",
    "first_due_date": "--first-due-date",
    "due_day": "--due-day",
    "timing": "--in-advance",
    "days_in_year": "--days-in-year",
}


def _fee(text: str) -> dict[str, Any]:
    """`[NAME:]AMOUNT@MONTH`, e.g. `2000@0` or `GPS费:1500@0`; month 0 = at signing."""
    name, _, rest = text.rpartition(":")
    amount, at, month = rest.partition("@")
    if not at or not month.isdigit() or not amount:
        raise argparse.ArgumentTypeError(f"fee {text!r} is not [NAME:]AMOUNT@MONTH, e.g. 2000@0")
    return {"name": name or "fee", "amount": amount, "month": int(month)}


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2026-01-15") from None


def _fail(message: str) -> NoReturn:
    print(f"{PROG}: error: {message}", file=sys.stderr)
    raise SystemExit(2)


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "quote",
        help="print a repayment schedule and the annualised rate (租金试算)",
        description="Lease calculator: schedule, total cost and the annualised rate by IRR.",
    )
    p.add_argument("--principal", required=True, help="financed amount in yuan, e.g. 100000")
    p.add_argument("--annual-rate", help="nominal annual rate in percent, e.g. 6")
    p.add_argument("--term", type=int, required=True, help="term in months, e.g. 36")
    p.add_argument("--method", choices=[m.value for m in Method], default=Method.ANNUITY.value)
    p.add_argument("--balloon", default="0", help="balloon (尾款) for --method balloon")
    p.add_argument(
        "--flat-monthly-rate", default="0", help="flat monthly rate %% for --method flat"
    )
    p.add_argument("--in-advance", action="store_true", help="rents in advance (先付)")
    p.add_argument(
        "--fee", type=_fee, action="append", default=[], metavar="[NAME:]AMOUNT@MONTH",
        help="a fee paid with instalment MONTH (0 = at signing); repeatable",
    )  # fmt: skip
    p.add_argument("--deposit", default="0", help="deposit (保证金), refunded at the end")
    p.add_argument(
        "--deposit-offset", action="store_true", help="use the deposit to pay the last rents"
    )
    p.add_argument("--start-date", type=_date, help="start date, default today (Asia/Shanghai)")
    p.add_argument("--first-due-date", type=_date, help="irregular first due date (破期)")
    p.add_argument("--due-day", type=int, help="day of month rents fall due")
    p.add_argument("--days-in-year", type=int, choices=[360, 365], default=360)
    p.add_argument("--json", action="store_true", help="print the QuoteResponse as JSON")
    # One clear line on a bad option, not the usage block.
    p.error = _fail
    p.set_defaults(handler=run)


def request_from_args(args: argparse.Namespace) -> QuoteRequest:
    if args.annual_rate is None and args.method != Method.FLAT:
        _fail("--annual-rate is required (except with --method flat)")
    raw = {
        "principal": args.principal,
        "annual_rate_percent": args.annual_rate or "0",
        "term_months": args.term,
        "method": args.method,
        "timing": Timing.ADVANCE if args.in_advance else Timing.ARREARS,
        "balloon": args.balloon,
        "flat_monthly_rate_percent": args.flat_monthly_rate,
        "fees": args.fee,
        "deposit": args.deposit,
        "deposit_treatment": (
            DepositTreatment.OFFSET_LAST_RENTS if args.deposit_offset
            else DepositTreatment.REFUND_AT_END
        ),
        "start_date": args.start_date or datetime.now(BUSINESS_TZ).date(),
        "first_due_date": args.first_due_date,
        "due_day": args.due_day,
        "days_in_year": args.days_in_year,
    }  # fmt: skip
    return msgspec.convert(raw, QuoteRequest)


def run(args: argparse.Namespace) -> int:
    try:
        quote = response_from_schedule(build_schedule(terms_from_request(request_from_args(args))))
    except DomainError as e:
        flags = ", ".join(_FLAG_OF.get(f, f) for f in e.fields)
        _fail(f"{e.message_en} ({e.message}){f' [{flags}]' if flags else ''}")
    except msgspec.ValidationError as e:
        message, _, path = str(e).rpartition(" - at `$.")
        field = path.split(".")[0].split("[")[0].rstrip("`")
        _fail(f"{message} [{_FLAG_OF.get(field, field)}]" if message else str(e))
    if args.json:
        sys.stdout.write(msgspec.json.encode(quote).decode() + "\n")
    else:
        sys.stdout.write(render_table(quote))
    return 0


def _n(d: Decimal) -> str:
    return f"{d:,.2f}"


def render_table(q: QuoteResponse) -> str:
    """The schedule as an aligned plain-text table, then the totals and the rates."""
    with_fees = any(i.fees for i in q.instalments)
    with_offsets = any(i.deposit_offset for i in q.instalments)
    head = ["No.", "Due date", "Principal", "Interest", "Payment"]
    head += ["Fees"] * with_fees + ["Deposit"] * with_offsets
    head += ["Amount due"] * (with_fees or with_offsets) + ["Balance"]
    rows = []
    for i in q.instalments:
        row = [
            str(i.number),
            i.due_date.isoformat(),
            _n(i.principal),
            _n(i.interest),
            _n(i.payment),
        ]
        row += [_n(i.fees)] * with_fees + [_n(-i.deposit_offset)] * with_offsets
        row += [_n(i.amount_due)] * (with_fees or with_offsets) + [_n(i.balance)]
        rows.append(row)
    widths = [max(len(r[c]) for r in [head, *rows]) for c in range(len(head))]
    lines = [
        "  ".join(cell.rjust(w) for cell, w in zip(r, widths, strict=True)) for r in [head, *rows]
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    summary = [
        ("Method", f"{q.method.value} ({q.timing.value})"),
        ("Monthly rent", format_cny(q.monthly_payment)),
        ("Total interest", format_cny(q.total_interest)),
        ("Total fees", format_cny(q.total_fees)),
        ("Total of rents", format_cny(q.total_payment)),
        ("Annualised rate (IRR x 12)", f"{q.annualised_rate_percent}%"),
        ("Effective annual rate", f"{q.effective_annual_rate_percent}%"),
    ]
    if q.balloon:
        summary.insert(2, ("Balloon (with last rent)", format_cny(q.balloon)))
    if q.deposit:
        offset = q.deposit - q.deposit_refund
        summary.append(
            (
                "Deposit (保证金)",
                f"{format_cny(q.deposit)}: offset {format_cny(offset)},"
                f" refunded {format_cny(q.deposit_refund)}",
            )
        )
    label = max(len(k) for k, _ in summary)
    lines += ["", *(f"{k.ljust(label)}  {v}" for k, v in summary)]
    return "\n".join(lines) + "\n"
