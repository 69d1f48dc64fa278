"""The dealer's floor plan 库存融资 on the phone: the line (limit, used, available, temporary
increase), a drawdown form (the VIN typed or photographed with the intake's VIN scanner, the
invoice amount, the payee), the financed vehicles a page at a time (newest first, or only those
still owed) with age, interest, curtailment due and payoff amount, per vehicle its payoff and its
curtailment due paid through the provider (`floorplan_pay`), and the stock audits 盘库 to do
(`audit_view`)."""

from __future__ import annotations

from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

import flet as ft

from app_mobile.api import ApiError
from app_mobile.components import ErrorBanner, LabelledText, figure, tagged
from app_mobile.i18n import format_date, format_money, format_percent
from app_mobile.state.floorplan import FloorplanSession, curtailment_ask
from app_mobile.views.dealer.floorplan_pay import CURTAILMENT, PAYOFF, payment_view, start_payment
from app_mobile.views.dealer.floorplan_pay import ROUTE as PAY_ROUTE
from app_mobile.views.dealer.floorplan_units import unit_card
from app_mobile.views.dealer.sell_timing import PREFIX as SELL
from app_mobile.views.dealer.sell_timing import sell_button, sell_timing_view
from app_mobile.views.risk.common import heading, muted, screen
from app_mobile.views.staff.intake.controller import content_type_for
from common.api.floorplan import LineView, UnitView

if TYPE_CHECKING:
    from app_mobile.shell import App

ROUTE = "/floorplan"
_SESSIONS: WeakKeyDictionary[App, FloorplanSession] = WeakKeyDictionary()


def floorplan_session(app: App) -> FloorplanSession:
    session = _SESSIONS.get(app)
    if session is None:
        session = _SESSIONS[app] = FloorplanSession()
    return session


def floorplan_entry(app: App) -> ft.Control:
    """A card for the dealer's home: the line's headline; a tap opens /floorplan."""
    t = app.t
    headline = LabelledText("fp-entry-headline", "…", size=14)

    async def load() -> None:
        try:
            line = await app.api.floorplan_line()
            headline.set(t("fp_entry_headline", available=format_money(line.available),
                           limit=format_money(line.limit)))  # fmt: skip
        except ApiError as exc:
            headline.set(t("fp_entry_none") if exc.status == 404 else exc.message(t.language))
        app.page.update()

    async def opened(_: ft.Event[ft.ListTile]) -> None:
        await app.go(ROUTE)

    app.page.run_task(load)
    card = ft.Card(content=ft.ListTile(
        leading=ft.Icon(ft.Icons.WAREHOUSE_OUTLINED), title=ft.Text(t("fp_title")),
        subtitle=headline.control, trailing=ft.Icon(ft.Icons.CHEVRON_RIGHT), on_click=opened,
    ))  # fmt: skip
    return tagged("fp-entry", card)


def line_card(app: App, line: LineView) -> ft.Control:
    t = app.t
    rows: list[ft.Control] = [
        ft.ResponsiveRow([
            ft.Container(figure(t("fp_limit"), format_money(line.limit), "fp-limit"), col=6),
            ft.Container(figure(t("fp_available"), format_money(line.available), "fp-available"),
                         col=6),
            ft.Container(figure(t("fp_used"), format_money(line.used), "fp-used", size=16),
                         col=6),
            ft.Container(figure(t("fp_temporary"), format_money(line.temporary_increase),
                                "fp-temporary", size=16), col=6),
        ]),
        muted(t("fp_rate", rate=format_percent(line.annual_rate_percent))),
    ]  # fmt: skip
    rows += [muted(t("fp_temporary_until", amount=format_money(x.amount), model=x.model,
                     date=format_date(x.expires_on))) for x in line.increases]  # fmt: skip
    if line.curtailments_overdue != "0.00":
        rows.append(ft.Text(t("fp_overdue_total", amount=format_money(line.curtailments_overdue)),
                            color=ft.Colors.RED_800, size=13))  # fmt: skip
    if line.alerts:
        rows.append(ft.Text(t("fp_alerts", n=line.alerts), color=ft.Colors.RED_800, size=13))
    return tagged("fp-line", ft.Card(content=ft.Container(ft.Column(rows, spacing=8), padding=16)))


async def floorplan_view(app: App) -> ft.View:
    t, page, session = app.t, app.page, floorplan_session(app)
    banner = ErrorBanner()
    listed = session.units
    try:
        line = await app.api.floorplan_line()
        listed.first(await app.api.floorplan_units(status=listed.status))
        audits = [a for a in await app.api.floorplan_audits() if a.status == "open"]
    except ApiError as exc:
        banner.show(exc.message(t.language))
        return screen(app, ROUTE, t("fp_title"), [banner.control])
    if session.notice:
        banner.show(session.notice, success=True)
        session.notice = ""
    form = session.form
    vin = ft.TextField(label=t("fp_vin"), value=form.vin, max_length=17,
                       capitalization=ft.TextCapitalization.CHARACTERS)  # fmt: skip
    amount = ft.TextField(label=t("fp_invoice_amount"), value=form.amount,
                          keyboard_type=ft.KeyboardType.NUMBER)  # fmt: skip
    payee = ft.TextField(label=t("fp_payee"), value=form.payee)
    fields = {"vin": vin, "amount": amount, "payee": payee}
    read = LabelledText("fp-vin-read", "", size=13, color=ft.Colors.GREEN_800)
    read.control.visible = False  # until a photo is read

    async def picked(e: ft.FilePickerResultEvent) -> None:
        if not e.files or e.files[0].bytes is None:
            return
        banner.show(t("fp_scanning"), success=True)
        page.update()
        try:
            scan = await app.api.scan_vin(e.files[0].bytes, content_type_for(e.files[0].name))
        except ApiError as exc:
            banner.show(exc.message(t.language))
        else:
            vin.value = form.vin = scan.vin
            read.set(f"{t('vin_ok')}：{scan.vin}")
            read.control.visible = True
            banner.clear()
        page.update()

    picker = ft.FilePicker(on_result=picked)
    scan = tagged("fp-vin-photo", ft.Button(
        t("fp_scan_vin"), icon=ft.Icons.QR_CODE_SCANNER, height=48,
        action=ft.PickFiles(picker, file_type=ft.FilePickerFileType.IMAGE, with_data=True,
                            cancel_upload_on_window_blur=False),
    ))  # fmt: skip

    async def submit(_: ft.Event[ft.Button]) -> None:
        form.vin, form.amount, form.payee = vin.value or "", amount.value or "", payee.value or ""
        problems = form.problems()
        for name, field in fields.items():
            field.error = t(problems[name]) if name in problems else None
        if problems:
            page.update()
            return
        try:
            unit = await app.api.floorplan_drawdown(form.body(), form.key)
        except ApiError as exc:
            for name in exc.fields:
                target = {"invoice_amount": "amount"}.get(name, name)
                if target in fields:
                    fields[target].error = exc.message(t.language)
            banner.show(exc.message(t.language))
            page.update()
            return
        form.done()
        session.notice = t("fp_drawn", vin=unit.vin, amount=format_money(unit.principal))
        await app.show(ROUTE)

    def card(unit: UnitView) -> ft.Control:
        """The unit with its payments: the payoff, and the curtailment due when there is one."""
        if unit.status == "paid_off":
            return unit_card(app, unit, [])

        def pay(purpose: str):  # type: ignore[no-untyped-def]
            async def tapped(_: ft.Event[ft.Button]) -> None:
                await start_payment(app, session, unit, purpose, banner)

            return tapped

        actions: list[ft.Control] = [tagged(f"fp-payoff-{unit.vin}", ft.FilledButton(
            t("fp_payoff"), icon=ft.Icons.PAYMENTS, on_click=pay(PAYOFF)))]  # fmt: skip
        ask = curtailment_ask(unit)
        if ask is not None:
            actions.append(tagged(f"fp-curtail-{unit.vin}", ft.OutlinedButton(
                t("fp_curtail", amount=format_money(ask)), on_click=pay(CURTAILMENT))))  # fmt: skip
        actions.append(sell_button(app, unit.vin))
        return unit_card(app, unit, actions)

    cards = ft.Column([card(u) for u in listed.units] or [muted(t("fp_no_units"))], spacing=6)

    async def load_more(_: ft.Event[ft.OutlinedButton]) -> None:
        """The next page, after the cards shown (the cursor of the last page loaded)."""
        try:
            page_ = await app.api.floorplan_units(status=listed.status, cursor=listed.next_cursor)
        except ApiError as exc:
            banner.show(exc.message(t.language))
            page.update()
            return
        cards.controls += [card(u) for u in listed.more(page_)]
        more.visible = listed.has_more
        page.update()

    more = tagged("fp-units-more", ft.OutlinedButton(
        t("fp_units_more"), icon=ft.Icons.EXPAND_MORE, on_click=load_more))  # fmt: skip
    more.visible = listed.has_more

    async def filtered(e: ft.Event[ft.Switch]) -> None:
        listed.owed_only = bool(e.control.value)
        await app.show(ROUTE)

    owed_only = tagged(
        "fp-units-owed",
        ft.Switch(label=t("fp_units_owed_only"), value=listed.owed_only, on_change=filtered),
    )

    audit_links: list[ft.Control] = [
        tagged(f"fp-audit-{a.id}", ft.ListTile(
            leading=ft.Icon(ft.Icons.FACT_CHECK_OUTLINED), title=ft.Text(t("fp_audit_title")),
            subtitle=ft.Text(t("fp_audit_due", date=format_date(a.deadline), scanned=a.scanned,
                               total=len(a.units))),
            on_click=lambda _, audit_id=a.id: page.run_task(app.go, f"{ROUTE}/audits/{audit_id}"),
        ))
        for a in audits
    ]  # fmt: skip
    controls: list[ft.Control] = [
        banner.control,
        line_card(app, line),
        *([heading(t("fp_audits")), *audit_links] if audit_links else []),
        heading(t("fp_drawdown")),
        scan,
        tagged("fp-vin", vin),
        read.control,
        tagged("fp-amount", amount),
        tagged("fp-payee", payee),
        tagged(
            "fp-submit",
            ft.FilledButton(t("fp_submit"), icon=ft.Icons.PAYMENTS, on_click=submit, height=48),
        ),
        ft.Row([ft.Container(heading(t("fp_units")), expand=True), owed_only]),
        tagged("fp-units", cards),
        more,
    ]
    return screen(app, ROUTE, t("fp_title"), controls)


async def screens_for(app: App, route: str) -> list[ft.View]:
    """The floor-plan screens over the dealer's home: /floorplan, /floorplan/audits/{id},
    /floorplan/payments/{id}, /floorplan/sell/{vin}."""
    if route == ROUTE:
        return [await floorplan_view(app)]
    paying = f"{PAY_ROUTE}/"
    if route.startswith(paying) and route[len(paying) :]:
        return [await floorplan_view(app), await payment_view(app, route[len(paying) :])]
    if route.startswith(SELL) and route[len(SELL) :]:
        return [await floorplan_view(app), await sell_timing_view(app, route[len(SELL) :])]
    prefix = f"{ROUTE}/audits/"
    if route.startswith(prefix) and route[len(prefix) :]:
        from app_mobile.views.dealer.floorplan_audit import audit_view

        return [await floorplan_view(app), await audit_view(app, route[len(prefix) :])]
    return []
