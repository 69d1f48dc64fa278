"""Drives one intake: keeps the state, saves the draft (server + device), quotes, scans, uploads.

The screens (steps.py, photos.py) only read the state and call the coroutines here.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

import flet as ft

from app_mobile.api import NETWORK_ERROR, ApiError
from app_mobile.components import ErrorBanner
from app_mobile.state.intake import IntakeState, Step
from app_mobile.state.product import products_of
from common.api.intake import ApplicationStatus, VehicleView
from common.api.risk import DecisionView
from common.business_day import business_date
from common.identity import validate_vin
from common.products import Product, fitting

if TYPE_CHECKING:
    from app_mobile.shell import App

log = logging.getLogger("autolease.app.intake")

STEP_NAMES = ("vehicle", "customer", "photos", "product", "review", "result")
CONTENT_TYPES = {
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "webp": "image/webp",
}
LOCAL_SAVE_DELAY_S = 0.3
QUOTE_DELAY_S = 0.4


def today() -> date:
    """The Shanghai business date: the shell reads the clock, the state never does."""
    return business_date(datetime.now(UTC))


def content_type_for(file_name: str) -> str:
    return CONTENT_TYPES.get(file_name.rsplit(".", 1)[-1].lower(), "image/jpeg")


class IntakeController:
    def __init__(self, app: App, state: IntakeState) -> None:
        self.app = app
        self.state = state
        self.banner = ErrorBanner()
        self.note = ft.Text("", size=12, color=ft.Colors.ON_SURFACE_VARIANT)
        self._local_task: asyncio.Task[None] | None = None
        self._quote_task: asyncio.Task[None] | None = None
        self.on_quote: list[object] = []  # callbacks set by the product screen
        self.decision: DecisionView | None = None  # the risk decision of the submit (issue 5)
        self._decoding_vin = ""  # the typed VIN whose server decode is under way
        self._banner_problems: list[str] = []  # what the banner says is wrong with this step
        # products 金融产品: those on sale, and the vehicle as the server last saved it
        self.products: list[Product] | None = None
        self._products_task: asyncio.Task[None] | None = None
        self.vehicle: VehicleView | None = None
        self.fields: dict[str, ft.TextField] = {}  # the product step's amount fields
        from app_mobile.views.staff.intake.photos import PhotoUploads

        self.vin_picker = ft.FilePicker(on_result=self._on_vin_picked)
        self.photos = PhotoUploads(self)

    # -- life cycle --------------------------------------------------------------------------
    @classmethod
    async def start_new(cls, app: App) -> IntakeController:
        state = IntakeState()
        if app.user is not None:  # the customer's region is proposed from the shop's
            state.region_code = app.user.organisation_region_code or ""
        controller = cls(app, state)
        await controller.keep_local()
        return controller

    @classmethod
    async def resume(cls, app: App) -> IntakeController:
        """Continue the draft kept on the device, refreshed from the server when reachable."""
        assert app.user is not None
        text = await app.store.draft(app.user.id)
        state = IntakeState.from_local(text) if text else IntakeState()
        controller = cls(app, state)
        if state.application_id:
            try:
                view = await app.api.get_application(state.application_id)
                state.apply_view(view)
                controller.decision = view.decision
                controller.vehicle = view.vehicle
            except ApiError as exc:
                controller.note.value = exc.message(app.t.language)
        return controller

    async def view_for(self, route: str) -> ft.View:
        from app_mobile.views.staff.intake.steps import build_view

        name = route.removeprefix("/intake").strip("/")
        if name in STEP_NAMES:
            wanted = STEP_NAMES.index(name)
            # never jump past what is filled in (a reload or a typed URL lands on the draft's step)
            if wanted <= self.state.step or (wanted == Step.RESULT and self._finished()):
                self.state.step = wanted
        return build_view(self)

    def submitted(self) -> bool:
        """Past draft: the server has it, and this intake only shows its result."""
        return bool(self.state.application_id) and self.state.status != ApplicationStatus.DRAFT

    def _finished(self) -> bool:
        return self.state.status != ApplicationStatus.DRAFT.value or bool(self.state.missing)

    def route(self) -> str:
        return f"/intake/{STEP_NAMES[self.state.step]}"

    def refresh(self) -> None:
        self.app.page.update()

    # -- the device copy and the server draft ------------------------------------------------
    async def keep_local(self) -> None:
        user = self.app.user
        if user is not None and self.state.status == ApplicationStatus.DRAFT.value:
            await self.app.store.keep_draft(user.id, self.state.to_local())

    def changed(self) -> None:
        """Called after every edit: the device copy follows shortly (debounced)."""
        if self._local_task is not None:
            self._local_task.cancel()
        self._local_task = asyncio.create_task(self._keep_local_later())

    async def _keep_local_later(self) -> None:
        await asyncio.sleep(LOCAL_SAVE_DELAY_S)
        await self.keep_local()

    async def save(self) -> bool:
        """Save the server draft: created once (with the draft's Idempotency-Key), then PATCHed."""
        state = self.state
        if state.status != ApplicationStatus.DRAFT.value:
            return True
        api = self.app.api
        try:
            if not state.application_id:
                view = await api.create_application(state.to_draft(today()), state.idempotency_key)
            else:
                try:
                    view = await api.patch_application(
                        state.application_id, state.to_draft(today())
                    )
                except ApiError as exc:
                    if exc.code != "version_conflict":
                        raise
                    # someone (or an earlier retry) saved first: take their version, then ours
                    state.version = (await api.get_application(state.application_id)).version
                    view = await api.patch_application(
                        state.application_id, state.to_draft(today())
                    )
        except ApiError as exc:
            await self.keep_local()
            if exc.code == NETWORK_ERROR:
                self.note.value = self.app.t("saved_locally")
            self.banner.show(exc.message(self.app.t.language))
            return False
        state.apply_view(view)
        self.vehicle = view.vehicle
        state.dirty = False
        self.note.value = self.app.t("saved")
        await self.keep_local()
        return True

    # -- moving between steps ------------------------------------------------------------------
    def recheck_banner(self) -> None:
        """After an edit: a banner about this step's input goes once what it said is fixed (a
        problem it did not name waits for the next tap on Next)."""
        if not self.banner.shown:
            return
        now = self.state.step_problems(self.state.step, today(), self.app.t.language)
        if not set(self._banner_problems) & set(now):
            self.banner.clear()
            self._banner_problems = []

    async def next(self) -> None:
        problems = self.state.step_problems(self.state.step, today(), self.app.t.language)
        self._banner_problems = problems
        if problems:
            self.banner.show(("；" if self.app.t.language == "zh" else "; ").join(problems))
            self.refresh()
            return
        self.banner.clear()
        if not await self.save() and not self.state.application_id:
            self.refresh()
            return
        self.state.step = min(self.state.step + 1, Step.REVIEW)
        await self.keep_local()
        await self.app.go(self.route())

    async def back(self) -> None:
        self.banner.clear()
        if self.state.step == Step.VEHICLE:
            await self.app.go("/home")
            return
        if self.state.dirty and self.state.application_id:
            await self.save()
        self.state.step -= 1
        await self.keep_local()
        await self.app.go(self.route())

    async def goto(self, step: int) -> None:
        self.banner.clear()
        self.state.step = step
        await self.app.go(self.route())

    async def submit(self) -> None:
        state = self.state
        if not await self.save():
            self.refresh()
            return
        try:
            view = await self.app.api.submit_application(state.application_id)
        except ApiError as exc:
            if exc.code != "application_incomplete":
                self.banner.show(exc.message(self.app.t.language))
                self.refresh()
                return
            state.missing = dict(exc.fields)
        else:
            state.apply_view(view)
            self.decision = view.decision
        state.step = Step.RESULT
        if state.status != ApplicationStatus.DRAFT.value and self.app.user is not None:
            await self.app.store.drop_draft(self.app.user.id)
        else:
            await self.keep_local()
        await self.app.go(self.route())

    # -- vehicle -------------------------------------------------------------------------------
    async def _on_vin_picked(self, e: ft.FilePickerResultEvent) -> None:
        if not e.files or e.files[0].bytes is None:
            return
        file = e.files[0]
        self.note.value = self.app.t("scanning")
        self.banner.clear()
        self.refresh()
        try:
            scan = await self.app.api.scan_vin(file.bytes or b"", content_type_for(file.name))
        except ApiError as exc:
            self.note.value = ""
            self.banner.show(exc.message(self.app.t.language))
            self.refresh()
            return
        self.state.apply_scan(scan)
        self.note.value = ""
        self.changed()
        await self.app.show(self.route())

    async def decode_typed_vin(self) -> None:
        """Once a typed VIN is valid, ask the server for its catalogue match (as a scan would),
        unless the facts shown are already this VIN's (a scan, or an earlier decode)."""
        check = validate_vin(self.state.vin)
        if not check.valid or check.value in (self.state.facts_vin, self._decoding_vin):
            return
        self._decoding_vin = check.value
        try:
            decoded = await self.app.api.decode_vin(check.value)
        except ApiError:
            return  # the live check already says what is wrong; the model can be picked later
        finally:
            self._decoding_vin = ""
        if validate_vin(self.state.vin).value == decoded.vin:  # still the VIN on screen
            self.state.apply_scan(decoded)
            from app_mobile.views.staff.intake.vehicle import refresh_vehicle_facts

            refresh_vehicle_facts(self)
            self.changed()
            self.refresh()

    # -- product -------------------------------------------------------------------------------
    def quote_later(self) -> None:
        if self._quote_task is not None:
            self._quote_task.cancel()
        self._quote_task = asyncio.create_task(self._quote_after_pause())

    async def _quote_after_pause(self) -> None:
        await asyncio.sleep(QUOTE_DELAY_S)
        await self.quote_now()

    async def quote_now(self) -> None:
        """Check the choice here first (the field says why it is outside the product), then ask
        the server for the figures."""
        request = self.state.live_quote_request(today())
        if request is None or self.choice_errors():
            self.state.quote = None
        else:
            try:
                answer = await self.app.api.quote(request)
                self.state.apply_quote(answer.quote)
                limit = answer.balloon_limit
                self.state.balloon_limit = "" if limit is None else str(limit)
                self.banner.clear()
            except ApiError as exc:
                self.state.quote = None
                field = self.fields.get(next(iter(exc.fields), ""))
                if field is not None:  # said on the field it concerns
                    field.error = exc.message(self.app.t.language)
                else:
                    self.banner.show(exc.message(self.app.t.language))
        for callback in self.on_quote:
            callback()  # type: ignore[operator]
        self.refresh()

    # -- products ----------------------------------------------------------------------------
    @staticmethod
    def today() -> date:
        return today()

    def fitting_products(self) -> list[Product] | None:
        """The products that cover this vehicle, or the partner family's (None while they load)."""
        if self.products is None:
            return None
        if self.state.is_partner:
            return [p for p in self.products if p.family.value == self.state.family]
        v = self.vehicle
        kind = v.vehicle_type.value if v is not None and v.vehicle_type is not None else None
        return fitting(self.products, v.is_new if v is not None else True, kind)

    def chosen_product(self) -> Product | None:
        wanted = self.state.product.product_id
        return next((p for p in self.fitting_products() or [] if p.id == wanted), None)

    def ensure_products(self) -> None:
        if self.products is None and self._products_task is None:
            self._products_task = asyncio.create_task(self._load_products())

    async def _load_products(self) -> None:
        try:
            self.products = products_of(await self.app.api.products())
        except ApiError as exc:
            self._products_task = None
            self.banner.show(exc.message(self.app.t.language))
            self.refresh()
            return
        fits = self.fitting_products() or []
        if fits and self.chosen_product() is None:  # the first fitting product, pre-selected
            self.state.product.choose(fits[0], self.state.deal_price)
            self.state.dirty = True
            self.changed()
        if self.state.step == Step.PRODUCT:
            await self.app.show(self.route())

    async def choose_product(self, product: Product) -> None:
        self.state.product.choose(product, self.state.deal_price)
        self.state.quote = None
        self.state.dirty = True
        self.changed()
        await self.app.show(self.route())
        self.quote_later()

    def choice_errors(self) -> dict[str, str]:
        return self.state.product.check(
            self.chosen_product(), self.state.deal_price, self.app.t.language
        )

    def show_choice_errors(self) -> None:
        """Say on each field why the choice is outside the product; the figures of the last quote
        go at once (they no longer describe what is on the screen)."""
        errors = self.choice_errors()
        for name, field in self.fields.items():
            field.error = errors.get(name)
        if errors and self.state.quote is not None:
            self.state.quote = None
            for callback in self.on_quote:
                callback()  # type: ignore[operator]
