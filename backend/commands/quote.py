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

import msgspec

from common.api.quotes import (
    QuoteRequest,
    QuoteResponse,
    response_from_schedule,
    terms_from_request,
)
from common.business_day import BUSINESS_TZ
from common.errors import DomainError
from common.lease_terms import MAX_START_DATE, MIN_START_DATE
from common.money import format_cny
from common.schedule import (
    BalloonTiming,
    DepositTreatment,
    InstalmentKind,
    Method,
    Timing,
    build_schedule,
)

PROG = "autolease quote"

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
    "balloon_timing": "--balloon-with-last-rent",
}

EPILOG = f"""\
conventions:
  balloon     In advance (--in-advance) the balloon (尾款) is paid at the END of the term: its
              own line dated the term end, one period after the last rent (Excel
              PMT(r, n, -P, B, 1)); the deposit refund falls on that date too.
              --balloon-with-last-rent pays it with the last rent instead. In arrears the
              balloon is part of the last rent.
  rate        The annualised rate is the IRR x 12 of the lessee's cash flows, fees and deposit
              included. Time axis: whole periods; a broken first period (破期) counts its days
              with simple interest, as its interest was charged. Root: the smallest
              non-negative rate with NPV = 0 (unique for lease flows; with a deposit refunded
              at the end there is a second, negative root, never shown).
  flat        --method flat is priced by --flat-monthly-rate only; --annual-rate is refused.
  dates       --start-date from {MIN_START_DATE} to {MAX_START_DATE}; --first-due-date and
              --due-day must agree when both are given.
  rounding    Interest is exact and rounded half up once. Rents are level; the last absorbs the
              residue, unless that residue would exceed ¥0.50 (long, high-rate terms): then each
              balance follows the exact one and rents may differ from the level by a fen or two.
"""


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
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--principal", required=True, help="financed amount in yuan, e.g. 100000")
    p.add_argument(
        "--annual-rate", help="nominal annual rate in percent, e.g. 6 (not with --method flat)"
    )
    p.add_argument("--term", type=int, required=True, help="term in months, e.g. 36")
    p.add_argument("--method", choices=[m.value for m in Method], default=Method.ANNUITY.value)
    p.add_argument(
        "--balloon", default="0", help="balloon (尾款) for --method balloon, due at the term end"
    )
    p.add_argument(
        "--balloon-with-last-rent", action="store_true",
        help="in advance: pay the balloon with the last rent, not at the term end",
    )  # fmt: skip
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
    p.add_argument(
        "--start-date", type=_date,
        help=f"start date ({MIN_START_DATE} to {MAX_START_DATE}), default today (Asia/Shanghai)",
    )  # fmt: skip
    p.add_argument(
        "--first-due-date", type=_date,
        help="irregular first due date (破期); must fall on --due-day when both are given",
    )  # fmt: skip
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
        "balloon_timing": (
            BalloonTiming.WITH_LAST_RENT if args.balloon_with_last_rent else BalloonTiming.TERM_END
        ),
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


def _roots(q: QuoteResponse) -> str:
    if q.cash_flow_sign_changes < 2:
        return ""
    return " (cash flows change sign twice: the non-negative root; the other is below zero)"


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
            f"{i.number} balloon" if i.kind is InstalmentKind.BALLOON else str(i.number),
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
        ("Annualised rate (IRR x 12)", f"{q.annualised_rate_percent}%{_roots(q)}"),
        ("Effective annual rate", f"{q.effective_annual_rate_percent}%"),
    ]
    if q.balloon:
        at_end = q.timing is Timing.ARREARS or q.balloon_timing is BalloonTiming.TERM_END
        when = f"at the term end, {q.term_end_date}" if at_end else "with the last rent"
        summary.insert(2, ("Balloon (尾款)", f"{format_cny(q.balloon)} {when}"))
    if q.deposit:
        offset = q.deposit - q.deposit_refund
        summary.append(
            (
                "Deposit (保证金)",
                f"{format_cny(q.deposit)}: offset {format_cny(offset)},"
                f" refunded {format_cny(q.deposit_refund)} on {q.term_end_date}",
            )
        )
    label = max(len(k) for k, _ in summary)
    lines += ["", *(f"{k.ljust(label)}  {v}" for k, v in summary)]
    return "\n".join(lines) + "\n"
