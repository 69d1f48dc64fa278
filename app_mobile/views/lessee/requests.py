"""The lessee's requests in the hall: the early-payoff calculator 提前结清 (a dated quote with
every line, then settle), an extension 展期 (preview: new rent, term and rate by IRR; then the
rules' answer) and a partial prepayment 部分提前还款 (both modes side by side, then pay)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING, Any, Literal

import flet as ft

from app_mobile.api import ApiError
from app_mobile.components import ErrorBanner, tagged
from app_mobile.i18n import format_date, format_datetime, format_money, format_percent
from app_mobile.views.lessee.pay import start_payment
from app_mobile.views.risk.common import heading, muted, screen
from common.api.payments import PaymentRequest
from common.api.servicing import (
    EndOfTermRequest,
    ExtensionPreview,
    PrepaymentModeName,
    PrepaymentPreview,
    TermsView,
)
from common.business_day import business_date

if TYPE_CHECKING:
    from app_mobile.shell import App


def _line(label: str, value: str, *, bold: bool = False) -> ft.Control:
    weight = ft.FontWeight.BOLD if bold else None
    return ft.Row(
        [
            ft.Text(label, size=13, expand=True, weight=weight),
            ft.Text(value, size=13, weight=weight),
        ]
    )


def _today() -> date:
    return business_date(datetime.now(UTC))


# -- 提前结清 ---------------------------------------------------------------------------------
async def payoff_view(app: App, contract_id: str) -> ft.View:
    t, page = app.t, app.page
    route = f"/contracts/{contract_id}/payoff"
    banner = ErrorBanner()
    result = ft.Column(spacing=4)

    async def quote_for(days: int) -> None:
        try:
            q = await app.api.payoff_quote(contract_id, _today() + timedelta(days=days))
        except ApiError as exc:
            banner.show(exc.message(t.language))
            page.update()
            return
        banner.clear()

        async def settle(e: ft.Event[Any]) -> None:
            request = PaymentRequest(option="quote", purpose="payoff", quote_id=q.id)
            await start_payment(app, contract_id, request, banner)

        lines = [_line(x.label, format_money(x.amount)) for x in q.lines if x.amount != "0.00"]
        result.controls = [
            heading(t("payoff_quote_on", date=format_date(q.settle_on))),
            *lines,
            ft.Divider(),
            tagged(
                "payoff-total",
                _line(t("payoff_total"), format_money(q.total), bold=True),
                label=format_money(q.total),
            ),
            muted(
                t("payoff_valid", date=format_date(q.valid_until), per_day=format_money(q.per_day)),
                12,
            ),
            *(
                [muted(t("payoff_refund", amount=format_money(q.deposit_refund)), 12)]
                if q.deposit_refund != "0.00"
                else []
            ),
            tagged(
                "payoff-settle",
                ft.Button(
                    t("payoff_settle", amount=format_money(q.total)),
                    icon=ft.Icons.TASK_ALT,
                    height=52,
                    width=float("inf"),
                    on_click=settle,
                ),
            ),
        ]
        page.update()

    def chip(days: int, key: str) -> ft.Control:
        async def clicked(e: ft.Event[Any]) -> None:
            await quote_for(days)

        return tagged(f"payoff-in-{days}", ft.OutlinedButton(t(key), on_click=clicked))

    controls: list[ft.Control] = [
        banner.control,
        muted(t("payoff_hint")),
        ft.Row(
            [chip(0, "payoff_today"), chip(3, "payoff_in_3"), chip(7, "payoff_in_7")], wrap=True
        ),
        result,
    ]
    view = screen(app, route, t("payoff_title"), controls)
    page.run_task(quote_for, 0)
    return view


# -- 展期 -------------------------------------------------------------------------------------
def _terms(app: App, title: str, x: TermsView) -> ft.Control:
    t = app.t
    return ft.Container(
        expand=True,
        padding=10,
        border_radius=8,
        bgcolor=ft.Colors.SURFACE_CONTAINER_HIGHEST,
        content=ft.Column(
            [
                ft.Text(title, size=12, color=ft.Colors.ON_SURFACE_VARIANT),
                ft.Text(format_money(x.rent), size=18, weight=ft.FontWeight.BOLD),
                muted(t("ext_term", n=x.term_months), 12),
                muted(t("ext_rate", rate=format_percent(x.annualised_rate_percent)), 12),
                muted(t("ext_end", date=format_date(x.end_date)), 12),
            ],
            spacing=2,
        ),
    )


def _extension_preview(app: App, p: ExtensionPreview) -> list[ft.Control]:
    t = app.t
    out: list[ft.Control] = [
        tagged(
            "ext-compare",
            ft.Row([_terms(app, t("ext_now"), p.current), _terms(app, t("ext_after"), p.proposed)]),
            label=f"{p.current.rent} -> {p.proposed.rent}",
        ),
    ]
    if p.fee != "0.00":
        out.append(muted(t("ext_fee", amount=format_money(p.fee))))
    if p.capitalised != "0.00":
        out.append(muted(t("ext_capitalised", amount=format_money(p.capitalised))))
    if p.paid_ahead != "0.00":
        out.append(muted(t("paid_ahead_carried", amount=format_money(p.paid_ahead))))
    if p.decision is not None:
        out.append(muted(t(f"ext_would_{p.decision.outcome}"), 12))
    return out


async def extension_view(app: App, contract_id: str) -> ft.View:
    t, page = app.t, app.page
    route = f"/contracts/{contract_id}/extension"
    banner = ErrorBanner()
    preview_box = ft.Column(spacing=6)
    reason = ft.TextField(label=t("ext_reason"), max_length=200, multiline=True)
    submit = ft.Button(
        t("ext_submit"), icon=ft.Icons.SEND, height=52, width=float("inf"), disabled=True
    )
    outcome = ft.Column(spacing=4)
    chosen = {"months": 0}

    async def preview(months: int) -> None:
        chosen["months"] = months
        try:
            p = await app.api.extension_preview(contract_id, months)
        except ApiError as exc:
            banner.show(exc.message(t.language))
            submit.disabled = True
            page.update()
            return
        banner.clear()
        preview_box.controls = _extension_preview(app, p)
        submit.disabled = False
        page.update()

    async def send(e: ft.Event[Any]) -> None:
        submit.disabled = True
        page.update()
        try:
            x = await app.api.request_extension(contract_id, chosen["months"], reason.value or "")
        except ApiError as exc:
            banner.show(exc.message(t.language))
            submit.disabled = False
            page.update()
            return
        text = t(f"ext_status_{x.status}")
        outcome.controls = [
            tagged("ext-result", ft.Text(text, size=16, weight=ft.FontWeight.W_600), label=text),
            *(muted(r.text, 12) for r in x.reasons),
        ]
        page.update()

    submit.on_click = send

    def chip(months: int) -> ft.Control:
        async def clicked(e: ft.Event[Any]) -> None:
            await preview(months)

        return tagged(
            f"ext-{months}", ft.OutlinedButton(t("ext_months", n=months), on_click=clicked)
        )

    controls: list[ft.Control] = [
        banner.control,
        muted(t("ext_hint")),
        ft.Row([chip(3), chip(6), chip(12)], wrap=True),
        preview_box,
        reason,
        tagged("ext-submit", submit),
        outcome,
    ]
    return screen(app, route, t("ext_title"), controls)


# -- 部分提前还款 ------------------------------------------------------------------------------
def _mode(name: str) -> PrepaymentModeName:
    return "shorten_term" if name == "shorten_term" else "reduce_payment"


def _prepayment_card(
    app: App, contract_id: str, p: PrepaymentPreview, banner: ErrorBanner
) -> ft.Control:
    t = app.t

    async def choose(e: ft.Event[Any]) -> None:
        try:
            q = await app.api.prepayment_quote(contract_id, p.principal_prepaid, _mode(p.mode))
        except ApiError as exc:
            banner.show(exc.message(t.language))
            app.page.update()
            return
        request = PaymentRequest(option="quote", purpose="prepayment", quote_id=q.quote.id)
        await start_payment(app, contract_id, request, banner)

    return tagged(
        f"prepay-{p.mode}",
        ft.Card(
            content=ft.Container(
                padding=12,
                content=ft.Column(
                    [
                        ft.Text(t(f"prepay_{p.mode}"), weight=ft.FontWeight.W_600),
                        _line(
                            t("prepay_rent"),
                            f"{format_money(p.previous_rent)} → {format_money(p.rent)}",
                        ),
                        _line(
                            t("prepay_term"), f"{p.previous_term_remaining} → {p.term_remaining}"
                        ),
                        _line(t("prepay_penalty"), format_money(p.penalty)),
                        _line(t("prepay_interest"), format_money(p.accrued_interest)),
                        _line(t("prepay_due"), format_money(p.amount_due), bold=True),
                        muted(t("ext_rate", rate=format_percent(p.annualised_rate_percent)), 12),
                        *(
                            [muted(t("paid_ahead_carried", amount=format_money(p.paid_ahead)), 12)]
                            if p.paid_ahead != "0.00"
                            else []
                        ),
                        ft.Button(
                            t("prepay_choose", amount=format_money(p.amount_due)), on_click=choose
                        ),
                    ],
                    spacing=4,
                ),
            )
        ),
        label=f"{p.mode} {p.rent}",
    )


async def prepay_view(app: App, contract_id: str) -> ft.View:
    t, page = app.t, app.page
    route = f"/contracts/{contract_id}/prepay"
    banner = ErrorBanner()
    amount = ft.TextField(
        label=t("prepay_amount"), prefix="¥", width=200, keyboard_type=ft.KeyboardType.NUMBER
    )
    cards = ft.Column(spacing=8)

    async def preview(e: ft.Event[Any]) -> None:
        try:
            found = await app.api.prepayment_previews(contract_id, (amount.value or "").strip())
        except ApiError as exc:
            banner.show(exc.message(t.language))
            cards.controls = []
            page.update()
            return
        banner.clear()
        cards.controls = [_prepayment_card(app, contract_id, p, banner) for p in found]
        page.update()

    controls: list[ft.Control] = [
        banner.control,
        muted(t("prepay_hint")),
        ft.Row(
            [
                tagged("prepay-amount", amount),
                tagged("prepay-preview", ft.OutlinedButton(t("prepay_preview"), on_click=preview)),
            ],
            wrap=True,
        ),
        cards,
    ]
    return screen(app, route, t("prepay_title"), controls)


# -- 到期处理 ---------------------------------------------------------------------------------
async def end_of_term_view(app: App, contract_id: str) -> ft.View:
    """From 90 days before the last due date: renew 续租 (offers on the balloon), buy out 留购
    (a payoff quote to pay), or return 退车 (an inspection slot)."""
    t, page = app.t, app.page
    route = f"/contracts/{contract_id}/end-of-term"
    banner = ErrorBanner()
    try:
        v = await app.api.end_of_term(contract_id)
    except ApiError as exc:
        banner.show(exc.message(t.language))
        return screen(app, route, t("eot_title"), [banner.control])
    outcome = ft.Column(spacing=4)

    async def choose(request: EndOfTermRequest) -> None:
        try:
            r = await app.api.choose_end_of_term(contract_id, request)
        except ApiError as exc:
            banner.show(exc.message(t.language))
            page.update()
            return
        banner.clear()
        text = t(f"eot_chosen_{r.choice.option}")
        outcome.controls = [
            tagged("eot-result", ft.Text(text, weight=ft.FontWeight.W_600), label=text)
        ]
        if r.quote is not None:
            quote_id = r.quote.id

            async def pay(e: ft.Event[Any]) -> None:
                request = PaymentRequest(option="quote", purpose="payoff", quote_id=quote_id)
                await start_payment(app, contract_id, request, banner)

            outcome.controls.append(
                ft.Button(
                    t("payoff_settle", amount=format_money(r.quote.total)), on_click=pay, height=48
                )
            )
        page.update()

    controls: list[ft.Control] = [
        banner.control,
        muted(t("eot_last_due", date=format_date(v.last_due_date))),
    ]
    if not v.open:
        controls.append(tagged("eot-closed", ft.Text(t("eot_opens", date=format_date(v.opens_on)))))
        return screen(app, route, t("eot_title"), controls)
    if v.choice is not None:
        controls.append(ft.Text(t(f"eot_chosen_{v.choice.option}"), weight=ft.FontWeight.W_600))
    for offer in v.renewal:

        async def renew(e: ft.Event[Any], months: int = offer.term_months) -> None:
            await choose(EndOfTermRequest(option="renewal", renewal_term_months=_term(months)))

        controls.append(
            ft.OutlinedButton(
                t(
                    "eot_renew",
                    n=offer.term_months,
                    rent=format_money(offer.monthly_payment),
                    rate=format_percent(offer.annualised_rate_percent),
                ),
                on_click=renew,
            )
        )
        if offer.end_date is not None:
            controls.append(
                muted(
                    t(
                        "eot_renew_detail",
                        count=offer.instalments,
                        first=format_date(offer.start_date),
                        end=format_date(offer.end_date),
                        principal=format_money(offer.principal),
                    ),
                    12,
                )
            )
    if v.buyout is not None:

        async def buy(e: ft.Event[Any]) -> None:
            await choose(EndOfTermRequest(option="buyout"))

        controls.append(
            tagged(
                "eot-buyout",
                ft.OutlinedButton(
                    t("eot_buyout", amount=format_money(v.buyout.total)), on_click=buy
                ),
            )
        )
    if v.slots:

        async def give_back(e: ft.Event[Any]) -> None:
            await choose(EndOfTermRequest(option="return", slot_at=v.slots[0]))

        controls.append(
            ft.OutlinedButton(t("eot_return", at=format_datetime(v.slots[0])), on_click=give_back)
        )
    controls.append(outcome)
    return screen(app, route, t("eot_title"), controls)


def _term(months: int) -> Literal[12, 24, 36]:
    return 12 if months == 12 else 24 if months == 24 else 36
