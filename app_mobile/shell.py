"""The app shell: one per connected page. Holds the session, the language and the router.

Routes: /login, /home, /applications, /intake/<step>. Every view is built afresh from state on a
route change, so a browser reload at any route lands in the same place.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeAlias

import flet as ft

from app_mobile.api import ApiClient, ApiError
from app_mobile.i18n import Translator
from app_mobile.state.assistant import Chat
from app_mobile.state.lessee_sign_in import LesseeSignIn
from app_mobile.state.revenue_overview import OverdueMonths
from app_mobile.state.session import SessionStore
from common.api.auth import Role, TokenPair, UserInfo

if TYPE_CHECKING:
    from app_mobile.views.staff.intake.controller import IntakeController

log = logging.getLogger("autolease.app")

ClientHeaders: TypeAlias = Callable[[str], dict[str, str]]  # browser address -> request headers

FONT_FAMILY = "Noto Sans SC"
FONTS = {FONT_FAMILY: "fonts/NotoSansSC-Subset.otf"}
PHONE_WIDTH = 390


class App:
    """Everything one person's session of the app knows."""

    def __init__(
        self, page: ft.Page, api_base_url: str, client_headers: ClientHeaders | None = None
    ) -> None:
        self.page = page
        self.t = Translator("zh")
        self.store = SessionStore(ft.SharedPreferences())
        # In web mode the API calls leave the server, not the browser: they name the browser's
        # address (attested by the backend) so sign-in limits count per person, not per server.
        headers = client_headers(page.client_ip) if client_headers and page.client_ip else {}
        self.api = ApiClient(api_base_url, on_tokens=self._keep_tokens, headers=headers)
        self.user: UserInfo | None = None
        self.intake: IntakeController | None = None
        self.flash = ""  # one-off message for the next view (e.g. "session expired")
        self.login_by_sms = False  # the sign-in screen shows the lessee's SMS-code way in
        self.lessee_sign_in: LesseeSignIn | None = None  # that way's state while signing in
        self.shown_route = ""  # what is on screen; a repeated route event must not wipe input
        # Counts the routes shown: the views built again for the same route (a language switch)
        # are the same visit, so what a screen asks once per visit is not asked again.
        self.visit = 0
        self.overdue_months = OverdueMonths()  # the admin home's 分账报送 count
        self.chat = Chat()  # the assistant's conversation: kept while the person moves around

    # -- start-up ----------------------------------------------------------------------------
    async def start(self) -> None:
        page = self.page
        page.title = self.t("app_title")
        page.fonts = FONTS
        page.theme = ft.Theme(font_family=FONT_FAMILY, color_scheme_seed=ft.Colors.INDIGO)
        # The phone's setting decides: a dealer checking accounts at 2 a.m. gets the dark theme.
        page.dark_theme = ft.Theme(font_family=FONT_FAMILY, color_scheme_seed=ft.Colors.INDIGO)
        page.theme_mode = ft.ThemeMode.SYSTEM
        page.on_route_change = self._on_route_change
        page.on_view_pop = self._on_view_pop
        self.t.language = await self.store.language()
        access, refresh = await self.store.tokens()
        self.api.access_token, self.api.refresh_token = access, refresh
        if access or refresh:
            try:
                self.user = await self.api.me()
            except ApiError as exc:
                if exc.status in (401, 403):
                    await self.store.clear_tokens()
                    self.flash = self.t("session_expired")
                else:
                    self.flash = exc.message(self.t.language)
        await self.show(page.route or "/")

    async def _keep_tokens(self, pair: TokenPair) -> None:
        await self.store.keep_tokens(pair.access_token, pair.refresh_token)

    # -- navigation ----------------------------------------------------------------------------
    async def go(self, route: str) -> None:
        if route == self.page.route:
            await self.show(route)
        else:
            await self.page.push_route(route)

    async def _on_route_change(self, e: ft.RouteChangeEvent) -> None:
        if self._resolve(e.route) != self.shown_route:
            await self.show(e.route)

    async def _on_view_pop(self, e: ft.ViewPopEvent) -> None:
        views = self.page.views
        if len(views) > 1:
            await self.go(views[-2].route)

    async def show(self, route: str) -> None:
        """Build the view stack for `route` (home underneath, the screen on top)."""
        from app_mobile.views import views_for

        route = self._resolve(route)
        if route != self.shown_route:
            self.visit += 1
        self.shown_route = route
        self.page.views.clear()
        self.page.views.extend(await views_for(self, route))
        self.page.update()

    def _resolve(self, route: str) -> str:
        route = route.split("?")[0].rstrip("/") or "/"
        if self.user is None and route not in ("/login", "/assistant"):  # visitors may ask
            return "/login"
        if self.user is not None and route in ("/", "/login"):
            return "/home"
        return route

    # -- session ---------------------------------------------------------------------------------
    async def signed_in(self, pair: TokenPair) -> None:
        self.user = pair.user
        self.chat = Chat()  # a visitor's conversation does not follow the signed-in user
        await self.go("/home")

    async def sign_out(self) -> None:
        try:
            await self.api.logout()
        except ApiError as exc:
            log.info("logout: %s", exc)
        await self.store.clear_tokens()
        self.user, self.intake, self.chat = None, None, Chat()
        self.overdue_months = OverdueMonths()
        await self.go("/login")

    async def toggle_language(self) -> None:
        self.t.toggle()
        self.page.title = self.t("app_title")
        await self.store.keep_language(self.t.language)
        await self.show(self.page.route)

    def role(self) -> Role | None:
        return self.user.role if self.user else None
