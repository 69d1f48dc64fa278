"""The one API client of the app: httpx.AsyncClient + common.api wire types.

Every failure becomes an `ApiError` carrying the problem-details `code`, the Chinese `title`, the
English `detail` and the per-field messages, so screens never parse HTTP themselves.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any, TypeVar
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx
import msgspec

from common.api.assistant import (
    AgentReply,
    CloseBody,
    ConversationView,
    HandoverDetail,
    InboxView,
    KnowledgeSave,
    KnowledgeView,
    MessageBody,
    Reply,
    RevealedMobile,
)
from common.api.audit import ChainVerification, CheckpointView
from common.api.auth import (
    LesseeCodeRequest,
    LesseeCodeSent,
    LesseeLoginRequest,
    LoginRequest,
    RefreshRequest,
    TokenPair,
    UserInfo,
)
from common.api.collections import ActionRequest, ActionView, QueueItem, TimelineEvent
from common.api.contracts import (
    ContractSummary,
    ContractView,
    Instalment,
    PdfLink,
    SignCodeSent,
    SignRequest,
    TemplateSave,
    VerifyReport,
)
from common.api.dealers import CommissionRules, CommissionRulesView, Deal, DealerSummary
from common.api.floorplan import (
    AlertView as FloorplanAlertView,
)
from common.api.floorplan import (
    AuditBody,
    AuditView,
    CurtailmentBody,
    DealerLine,
    DrawdownBody,
    LineBody,
    LineView,
    UnitPage,
    UnitView,
)
from common.api.funders import Portfolio, PortfolioContractDetail
from common.api.hall import HallView
from common.api.intake import (
    ApplicationDraft,
    ApplicationSummary,
    ApplicationView,
    CatalogueModel,
    PhotoKind,
    PhotoView,
    UploadUrl,
    Valuation,
    VinScan,
)
from common.api.ledger import TrialBalanceView
from common.api.monitoring import (
    AlertView,
    LastPositionView,
    PlanBody,
    ResolveAlertBody,
    TerminalBody,
    TerminalView,
    TrackView,
)
from common.api.oem import NetworkDealer
from common.api.partners import ContractPartnerView, DeliveryView
from common.api.payments import (
    PaymentExceptionView,
    PaymentRequest,
    PaymentView,
    ReceiptView,
    ReconciliationRequest,
    ReconciliationView,
    ResolveExceptionRequest,
)
from common.api.problems import Problem
from common.api.products import (
    ProductActivate,
    ProductQuoteRequest,
    ProductQuoteResponse,
    ProductView,
)
from common.api.reminders import (
    NotificationView,
    ReminderPreferences,
    ServiceDatesRequest,
    ServiceDatesView,
)
from common.api.residual import SellTiming
from common.api.revenue_share import (
    OverdueReportView,
    RevenueMonthView,
    RevenueReportBody,
    RevenueReportsView,
)
from common.api.risk import (
    ChangeReason,
    RegionFlagView,
    RevealedCustomer,
    ReviewDecision,
    ReviewRequest,
    RuleChangeView,
    RuleSetCreate,
    RuleSetDetail,
    RuleSetEdit,
    RuleSetSummary,
    SimulateRequest,
    SimulationView,
)
from common.api.servicing import (
    EndOfTermRequest,
    EndOfTermResult,
    EndOfTermView,
    ExtensionDecisionBody,
    ExtensionPreview,
    ExtensionRequestBody,
    ExtensionRuleSetBody,
    ExtensionRuleSetView,
    ExtensionSimulateBody,
    ExtensionSimulationView,
    ExtensionView,
    PayoffQuoteRequest,
    PayoffQuoteView,
    PrepaymentModeName,
    PrepaymentPreview,
    PrepaymentPreviewRequest,
    PrepaymentQuoteView,
    PrepaymentRequest,
)
from common.api.statements import (
    DownloadLink,
    ExportJobView,
    MonthView,
    StatementFormat,
    StatementLinkRequest,
    StatementView,
)
from common.contract_templates import ContractTemplate

T = TypeVar("T")

NETWORK_ERROR = "network_error"


class ApiError(Exception):
    """A problem reported by the backend (or the network), ready to show."""

    def __init__(
        self,
        status: int,
        code: str,
        title: str,
        detail: str = "",
        fields: dict[str, str] | None = None,
        retry_after_s: int | None = None,
    ) -> None:
        super().__init__(f"{status} {code}: {detail or title}")
        self.status = status
        self.code = code
        self.title = title
        self.detail = detail
        self.fields = fields or {}
        self.retry_after_s = retry_after_s  # from Retry-After (e.g. otp_too_soon)

    def message(self, language: str = "zh") -> str:
        return self.title if language == "zh" or not self.detail else self.detail


def problem_from(response: httpx.Response) -> ApiError:
    """Turn an error response into an ApiError; tolerate bodies that are not problem details."""
    try:
        problem = msgspec.json.decode(response.content, type=Problem)
    except (msgspec.DecodeError, msgspec.ValidationError):
        problem = _loose_problem(response)
    retry = response.headers.get("Retry-After", "")
    return ApiError(
        problem.status, problem.code, problem.title, problem.detail, problem.fields,
        retry_after_s=int(retry) if retry.isdigit() else None,
    )  # fmt: skip


def upload_failure(error: str) -> ApiError | None:
    """The problem inside a browser upload's error text ("Upload endpoint returned code 422:
    {...}"): the client passes the server's body on as text, so the message is found there."""
    start = error.find("{")
    if start < 0:
        return None
    try:
        problem = msgspec.json.decode(error[start:].encode(), type=Problem)
    except (msgspec.DecodeError, msgspec.ValidationError):
        return None
    return ApiError(problem.status, problem.code, problem.title, problem.detail, problem.fields)


def _loose_problem(response: httpx.Response) -> Problem:
    status = response.status_code
    try:
        body = response.json()
    except ValueError:
        body = {}
    detail = str(body.get("detail", "")) if isinstance(body, dict) else ""
    code = str(body.get("code", "")) if isinstance(body, dict) else ""
    fallback = {401: "unauthorized", 403: "forbidden", 404: "not_found", 409: "conflict"}
    title = {401: "请先登录", 403: "没有权限", 404: "未找到", 409: "数据已被修改，请刷新"}
    return Problem(
        status=status,
        code=code or fallback.get(status, "http_error" if status < 500 else "server_error"),
        title=title.get(status, "服务暂时不可用，请稍后重试" if status >= 500 else "请求有误"),
        detail=detail or response.reason_phrase,
    )


class ApiClient:
    """Talks to the AutoLease backend on behalf of one signed-in person."""

    def __init__(
        self,
        base_url: str,
        *,
        access_token: str | None = None,
        refresh_token: str | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        http: httpx.AsyncClient | None = None,
        timeout: float = 15.0,
        on_tokens: Callable[[TokenPair], Awaitable[None]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.access_token = access_token
        self.refresh_token = refresh_token
        self.on_tokens = on_tokens  # persists renewed tokens
        self.headers = dict(headers or {})  # sent with every request (e.g. the client's address)
        # One refresh at a time: the server revokes the session when a rotated refresh token is
        # presented again, so two screens renewing at once must not both send the old one.
        self._refreshing = asyncio.Lock()
        # `http` lets tests pass an in-process client (e.g. Litestar's AsyncTestClient)
        self._http = http or httpx.AsyncClient(
            base_url=self.base_url, transport=transport, timeout=timeout
        )

    async def aclose(self) -> None:
        await self._http.aclose()

    def absolute(self, url: str) -> str:
        """An API-relative URL (/api/...) made absolute against the backend."""
        return urljoin(self.base_url + "/", url)

    @staticmethod
    def same_origin(url: str) -> str:
        """Path and query only: what a browser page served by the backend itself should use."""
        parts = urlsplit(url)
        return urlunsplit(("", "", parts.path, parts.query, ""))

    # -- plumbing ----------------------------------------------------------------------------
    async def _send(
        self,
        method: str,
        path: str,
        *,
        body: Any = None,
        content: bytes | None = None,
        headers: dict[str, str] | None = None,
        params: dict[str, str] | None = None,
        retry_auth: bool = True,
    ) -> httpx.Response:
        sent_headers = {**self.headers, **(headers or {})}
        if self.access_token:
            sent_headers["Authorization"] = f"Bearer {self.access_token}"
        if body is not None:
            content = msgspec.json.encode(body)
            sent_headers["Content-Type"] = "application/json"
        try:
            response = await self._http.request(
                method, path, content=content, headers=sent_headers, params=params
            )
        except httpx.HTTPError as exc:
            raise ApiError(0, NETWORK_ERROR, "网络连接失败，请稍后重试", str(exc)) from exc
        renewed = response.status_code == 401 and retry_auth and bool(self.refresh_token)
        if renewed and await self._refresh():
            return await self._send(
                method, path, body=body, content=content, headers=headers, params=params,
                retry_auth=False,
            )  # fmt: skip
        if response.status_code >= 400:
            raise problem_from(response)
        return response

    async def _json(self, method: str, path: str, into: type[T], **kwargs: Any) -> T:
        response = await self._send(method, path, **kwargs)
        try:
            return msgspec.json.decode(response.content, type=into)
        except (msgspec.DecodeError, msgspec.ValidationError) as exc:
            raise ApiError(
                response.status_code, "bad_response", "服务返回了无法识别的数据", str(exc)
            ) from exc

    async def _refresh(self) -> bool:
        stale = self.refresh_token
        async with self._refreshing:
            if self.refresh_token != stale:  # renewed by another call while this one waited
                return self.refresh_token is not None
            return await self._refresh_now()

    async def _refresh_now(self) -> bool:
        try:
            pair = await self._json(
                "POST",
                "/api/auth/refresh",
                TokenPair,
                body=RefreshRequest(refresh_token=self.refresh_token or ""),
                retry_auth=False,
            )
        except ApiError:
            return False
        await self._adopt(pair)
        return True

    async def _adopt(self, pair: TokenPair) -> None:
        self.access_token = pair.access_token
        self.refresh_token = pair.refresh_token
        if self.on_tokens is not None:
            await self.on_tokens(pair)

    # -- sign-in 登录 -------------------------------------------------------------------------
    async def login(self, username: str, password: str) -> TokenPair:
        request = LoginRequest(username=username, password=password)
        pair = await self._json("POST", "/api/auth/login", TokenPair, body=request)
        await self._adopt(pair)
        return pair

    async def request_lessee_code(self, mobile: str) -> LesseeCodeSent:
        """Asks for a sign-in code by SMS 获取验证码 (`mobile`: a valid mainland number)."""
        request = LesseeCodeRequest(mobile=mobile)
        return await self._json(
            "POST", "/api/auth/lessee/code", LesseeCodeSent, body=request, retry_auth=False
        )

    async def lessee_login(self, mobile: str, code: str, id_last6: str | None = None) -> TokenPair:
        """Signs a lessee in with the code 验证码登录; the first time also with the last six
        characters of the ID number (without them: ApiError ``identity_required``)."""
        request = LesseeLoginRequest(mobile=mobile, code=code, id_last6=id_last6)
        pair = await self._json(
            "POST", "/api/auth/lessee/login", TokenPair, body=request, retry_auth=False
        )
        await self._adopt(pair)
        return pair

    async def me(self) -> UserInfo:
        return await self._json("GET", "/api/auth/me", UserInfo)

    async def logout(self) -> None:
        try:
            await self._send("POST", "/api/auth/logout", retry_auth=False)
        finally:
            self.access_token = None
            self.refresh_token = None

    # -- vehicle and quote ---------------------------------------------------------------------
    async def scan_vin(self, photo: bytes, content_type: str = "image/jpeg") -> VinScan:
        headers = {"Content-Type": content_type}
        return await self._json("POST", "/api/vin/scan", VinScan, content=photo, headers=headers)

    async def decode_vin(self, vin: str) -> VinScan:
        """A typed VIN, decoded by the server with its catalogue matches."""
        return await self._json("GET", f"/api/vin/{vin}", VinScan)

    async def catalogue_models(self, maker: str = "", q: str = "") -> list[CatalogueModel]:
        params = {k: v for k, v in (("maker", maker), ("q", q)) if v}
        return await self._json("GET", "/api/catalogue/models", list[CatalogueModel], params=params)

    async def products(
        self,
        is_new: bool | None = None,
        vehicle_type: str | None = None,
        *,
        include_retired: bool = False,
    ) -> list[ProductView]:
        """The products on sale; with ``is_new``, those that cover the vehicle; managers may ask
        for the retired ones too."""
        params: dict[str, str] = {"include_retired": "true"} if include_retired else {}
        if is_new is not None:
            params["is_new"] = "true" if is_new else "false"
        if vehicle_type:
            params["vehicle_type"] = vehicle_type
        return await self._json("GET", "/api/products", list[ProductView], params=params)

    async def retire_product(self, product_id: str, reason: str) -> ProductView:
        path = f"/api/products/{product_id}/retire"
        return await self._json("POST", path, ProductView, body=ChangeReason(reason))

    async def activate_product(self, product_id: str, version: int, reason: str) -> ProductView:
        path = f"/api/products/{product_id}/activate"
        body = ProductActivate(version=version, reason=reason)
        return await self._json("POST", path, ProductView, body=body)

    async def quote(self, request: ProductQuoteRequest) -> ProductQuoteResponse:
        return await self._json("POST", "/api/quotes", ProductQuoteResponse, body=request)

    async def valuation(self, **query: str | int | None) -> Valuation:
        """车辆估值: vin or model_id, model_year, mileage_km, region_code, condition, ..."""
        params = {k: str(v) for k, v in query.items() if v is not None and v != ""}
        return await self._json("GET", "/api/valuation", Valuation, params=params)

    # -- applications 进件 ---------------------------------------------------------------------
    async def create_application(
        self, draft: ApplicationDraft, idempotency_key: str
    ) -> ApplicationView:
        headers = {"Idempotency-Key": idempotency_key}
        return await self._json(
            "POST", "/api/applications", ApplicationView, body=draft, headers=headers
        )

    async def list_applications(self) -> list[ApplicationSummary]:
        return await self._json("GET", "/api/applications", list[ApplicationSummary])

    async def get_application(self, application_id: str) -> ApplicationView:
        return await self._json("GET", f"/api/applications/{application_id}", ApplicationView)

    async def patch_application(
        self, application_id: str, draft: ApplicationDraft
    ) -> ApplicationView:
        return await self._json(
            "PATCH", f"/api/applications/{application_id}", ApplicationView, body=draft
        )

    async def submit_application(self, application_id: str) -> ApplicationView:
        return await self._json(
            "POST", f"/api/applications/{application_id}/submit", ApplicationView
        )

    async def delete_application(self, application_id: str) -> None:
        """Delete a draft of the shop (409 application_not_draft once submitted)."""
        await self._send("DELETE", f"/api/applications/{application_id}")

    # -- photos --------------------------------------------------------------------------------
    async def photo_upload_url(self, application_id: str, kind: PhotoKind) -> UploadUrl:
        path = f"/api/applications/{application_id}/photos/{kind.value}/upload-url"
        return await self._json("POST", path, UploadUrl)

    async def upload_photo(
        self, application_id: str, kind: PhotoKind, photo: bytes, content_type: str
    ) -> PhotoView:
        path = f"/api/applications/{application_id}/photos/{kind.value}"
        headers = {"Content-Type": content_type}
        return await self._json("PUT", path, PhotoView, content=photo, headers=headers)

    async def fetch_image(self, url: str) -> bytes:
        """A photo or thumbnail (bearer-authorised), e.g. PhotoView.thumbnail_url."""
        response = await self._send("GET", self.absolute(url))
        return response.content

    # -- manual review 人工审核 (risk officers) -------------------------------------------------
    async def review_queue(self, limit: int = 50) -> list[ApplicationView]:
        """Referred applications, oldest first, with photos and the decision trace."""
        params = {"limit": str(limit)}
        return await self._json("GET", "/api/reviews", list[ApplicationView], params=params)

    async def review(
        self, application_id: str, decision: ReviewDecision, note: str
    ) -> ApplicationView:
        body = ReviewRequest(decision=decision, note=note)
        return await self._json(
            "POST", f"/api/reviews/{application_id}", ApplicationView, body=body
        )

    async def reveal_customer(self, application_id: str) -> RevealedCustomer:
        """The unmasked name and ID number of a case in review (audited; keep it on screen only)."""
        path = f"/api/reviews/{application_id}/reveal"
        return await self._json("POST", path, RevealedCustomer)

    # -- rule sets 规则集 ----------------------------------------------------------------------
    async def rulesets(self) -> list[RuleSetSummary]:
        return await self._json("GET", "/api/risk/rulesets", list[RuleSetSummary])

    async def create_ruleset(self, from_id: str | None = None) -> RuleSetDetail:
        body = RuleSetCreate(from_id=from_id)
        return await self._json("POST", "/api/risk/rulesets", RuleSetDetail, body=body)

    async def ruleset(self, ruleset_id: str) -> RuleSetDetail:
        return await self._json("GET", f"/api/risk/rulesets/{ruleset_id}", RuleSetDetail)

    async def save_ruleset(
        self, ruleset_id: str, lock_version: int, ruleset: dict[str, Any]
    ) -> RuleSetDetail:
        """409 version_conflict / ruleset_published; 422 ruleset_invalid with field paths."""
        body = RuleSetEdit(lock_version=lock_version, ruleset=ruleset)
        path = f"/api/risk/rulesets/{ruleset_id}"
        return await self._json("PUT", path, RuleSetDetail, body=body)

    async def simulate_ruleset(self, ruleset_id: str, last_n: int = 200) -> SimulationView:
        path = f"/api/risk/rulesets/{ruleset_id}/simulate"
        return await self._json("POST", path, SimulationView, body=SimulateRequest(last_n=last_n))

    async def publish_ruleset(self, ruleset_id: str, reason: str) -> RuleSetDetail:
        path = f"/api/risk/rulesets/{ruleset_id}/publish"
        return await self._json("POST", path, RuleSetDetail, body=ChangeReason(reason=reason))

    async def rollback_ruleset(self, ruleset_id: str, reason: str) -> RuleSetDetail:
        path = f"/api/risk/rulesets/{ruleset_id}/rollback"
        return await self._json("POST", path, RuleSetDetail, body=ChangeReason(reason=reason))

    async def rule_history(self, limit: int = 100) -> list[RuleChangeView]:
        params = {"limit": str(limit)}
        return await self._json("GET", "/api/risk/history", list[RuleChangeView], params=params)

    async def region_flags(self) -> list[RegionFlagView]:
        return await self._json("GET", "/api/risk/region-flags", list[RegionFlagView])

    # -- extensions 展期审核 and their rules (risk officers) -----------------------------------
    async def extension_queue(
        self, status: str | None = None, *, newest: bool = True, limit: int = 100
    ) -> list[ExtensionView]:
        """Requests with what a reviewer needs (contract number, masked lessee, facts)."""
        params = {"newest": "true" if newest else "false", "limit": str(limit)}
        if status:
            params["status"] = status
        return await self._json("GET", "/api/extensions", list[ExtensionView], params=params)

    async def decide_extension(self, extension_id: str, approve: bool, note: str) -> ExtensionView:
        """409 extension_not_referred / extension_stale (the schedule changed since)."""
        path = f"/api/extensions/{extension_id}/decision"
        body = ExtensionDecisionBody(approve=approve, note=note)
        return await self._json("POST", path, ExtensionView, body=body)

    async def extension_rules(self) -> ExtensionRuleSetView:
        return await self._json("GET", "/api/extension-rules", ExtensionRuleSetView)

    async def simulate_extension_rules(
        self, ruleset: dict[str, Any], last_n: int = 500
    ) -> ExtensionSimulationView:
        """422 ruleset_invalid with field paths, as publishing would answer."""
        body = ExtensionSimulateBody(ruleset=ruleset, last_n=last_n)
        path = "/api/extension-rules/simulate"
        return await self._json("POST", path, ExtensionSimulationView, body=body)

    async def publish_extension_rules(
        self, ruleset: dict[str, Any], note: str
    ) -> ExtensionRuleSetView:
        body = ExtensionRuleSetBody(ruleset=ruleset, note=note)
        return await self._json("POST", "/api/extension-rules", ExtensionRuleSetView, body=body)

    async def verify_audit(self) -> ChainVerification:
        return await self._json("GET", "/api/audit/verify", ChainVerification)

    async def latest_checkpoint(self) -> CheckpointView | None:
        """The newest signed checkpoint, or None while the log has none yet."""
        try:
            return await self._json("GET", "/api/audit/checkpoints/latest", CheckpointView)
        except ApiError as exc:
            if exc.status == 404:
                return None
            raise

    # -- contracts 电子合同 ----------------------------------------------------------------------
    async def contracts(self) -> list[ContractSummary]:
        return await self._json("GET", "/api/contracts", list[ContractSummary])

    async def contract(self, contract_id: str) -> ContractView:
        return await self._json("GET", f"/api/contracts/{contract_id}", ContractView)

    async def application_contract(self, application_id: str) -> ContractSummary | None:
        path = f"/api/applications/{application_id}/contract"
        return await self._json("GET", path, ContractSummary | None)  # type: ignore[arg-type]

    async def generate_contract(self, application_id: str) -> ContractView:
        path = f"/api/applications/{application_id}/contract"
        return await self._json("POST", path, ContractView)

    async def contract_pdf_link(self, contract_id: str) -> PdfLink:
        """A short-lived link to the PDF that a browser can open without the bearer token."""
        return await self._json("POST", f"/api/contracts/{contract_id}/pdf-link", PdfLink)

    async def send_sign_code(self, contract_id: str) -> SignCodeSent:
        return await self._json("POST", f"/api/contracts/{contract_id}/sign/otp", SignCodeSent)

    async def sign_contract(self, contract_id: str, request: SignRequest) -> ContractView:
        path = f"/api/contracts/{contract_id}/sign"
        return await self._json("POST", path, ContractView, body=request)

    async def verify_contract(self, contract_id: str) -> VerifyReport:
        return await self._json("GET", f"/api/contracts/{contract_id}/verify", VerifyReport)

    async def contract_template(self, family: str = "vehicle") -> ContractTemplate:
        """The template in use for a product family's contracts."""
        return await self._json(
            "GET", "/api/contract-templates/current", ContractTemplate, params={"family": family}
        )

    async def save_contract_template(self, request: TemplateSave) -> ContractTemplate:
        return await self._json("POST", "/api/contract-templates", ContractTemplate, body=request)

    async def schedule(self, contract_id: str) -> list[Instalment]:
        """The schedule in force, each row with its status (paid / due / overdue / upcoming)."""
        return await self._json("GET", f"/api/contracts/{contract_id}/schedule", list[Instalment])

    # -- the lessee's hall 自助服务大厅 --------------------------------------------------------
    async def hall(self) -> HallView:
        return await self._json("GET", "/api/me/hall", HallView)

    async def pay(self, contract_id: str, request: PaymentRequest, key: str) -> PaymentView:
        """A payment and the provider's pay page; `key` (Idempotency-Key) makes a retried tap
        the same payment."""
        path = f"/api/contracts/{contract_id}/payments"
        return await self._json("POST", path, PaymentView, body=request,
                                headers={"Idempotency-Key": key})  # fmt: skip

    async def payments(self, contract_id: str) -> list[PaymentView]:
        return await self._json("GET", f"/api/contracts/{contract_id}/payments", list[PaymentView])

    async def payment(self, payment_id: str) -> PaymentView:
        return await self._json("GET", f"/api/payments/{payment_id}", PaymentView)

    async def refresh_payment(self, payment_id: str) -> PaymentView:
        return await self._json("POST", f"/api/payments/{payment_id}/refresh", PaymentView)

    async def receipt(self, payment_id: str) -> ReceiptView:
        return await self._json("GET", f"/api/payments/{payment_id}/receipt", ReceiptView)

    async def payoff_quote(self, contract_id: str, settle_on: date | None) -> PayoffQuoteView:
        path = f"/api/contracts/{contract_id}/payoff-quotes"
        return await self._json("POST", path, PayoffQuoteView,
                                body=PayoffQuoteRequest(settle_on=settle_on))  # fmt: skip

    async def extension_preview(self, contract_id: str, months: int) -> ExtensionPreview:
        path = f"/api/contracts/{contract_id}/extensions/preview"
        return await self._json("POST", path, ExtensionPreview,
                                body=ExtensionRequestBody(months_to_add=months))  # fmt: skip

    async def request_extension(self, contract_id: str, months: int, reason: str) -> ExtensionView:
        path = f"/api/contracts/{contract_id}/extensions"
        body = ExtensionRequestBody(months_to_add=months, reason=reason)
        return await self._json("POST", path, ExtensionView, body=body)

    async def prepayment_previews(self, contract_id: str, amount: str) -> list[PrepaymentPreview]:
        path = f"/api/contracts/{contract_id}/prepayments/preview"
        return await self._json("POST", path, list[PrepaymentPreview],
                                body=PrepaymentPreviewRequest(amount=amount))  # fmt: skip

    async def prepayment_quote(
        self, contract_id: str, amount: str, mode: PrepaymentModeName
    ) -> PrepaymentQuoteView:
        path = f"/api/contracts/{contract_id}/prepayments"
        body = PrepaymentRequest(amount=amount, mode=mode)
        return await self._json("POST", path, PrepaymentQuoteView, body=body)

    async def end_of_term(self, contract_id: str) -> EndOfTermView:
        return await self._json("GET", f"/api/contracts/{contract_id}/end-of-term", EndOfTermView)

    async def choose_end_of_term(
        self, contract_id: str, request: EndOfTermRequest
    ) -> EndOfTermResult:
        path = f"/api/contracts/{contract_id}/end-of-term"
        return await self._json("POST", path, EndOfTermResult, body=request)

    async def reconciliation(self, day: date) -> ReconciliationView:
        """The day's run against the provider's statement (runs it: idempotent per day)."""
        return await self._json("POST", "/api/payments/reconciliation", ReconciliationView,
                                body=ReconciliationRequest(date=day))  # fmt: skip

    async def payment_exceptions(self, status: str = "open") -> list[PaymentExceptionView]:
        """The payment exceptions 异常收款: ``open`` (with those being refunded) or
        ``resolved``."""
        return await self._json("GET", "/api/payments/exceptions", list[PaymentExceptionView],
                                params={"status": status})  # fmt: skip

    async def resolve_payment_exception(
        self, exception_id: str, action: str, note: str
    ) -> PaymentExceptionView:
        path = f"/api/payments/exceptions/{exception_id}/resolve"
        body = ResolveExceptionRequest(action=action, note=note)
        return await self._json("POST", path, PaymentExceptionView, body=body)

    # -- collections 催收 and reminders 提醒 -----------------------------------------------------
    async def monitoring_alerts(self, **filters: str) -> list[AlertView]:
        params = {k: v for k, v in filters.items() if v}
        return await self._json("GET", "/api/monitoring/alerts", list[AlertView], params=params)

    async def monitoring_alert(self, alert_id: str) -> AlertView:
        return await self._json("GET", f"/api/monitoring/alerts/{alert_id}", AlertView)

    async def acknowledge_alert(self, alert_id: str) -> AlertView:
        return await self._json("POST", f"/api/monitoring/alerts/{alert_id}/ack", AlertView)

    async def resolve_alert(self, alert_id: str, outcome: str, note: str) -> AlertView:
        body = ResolveAlertBody(outcome=outcome, note=note)
        path = f"/api/monitoring/alerts/{alert_id}/resolve"
        return await self._json("POST", path, AlertView, body=body)

    async def vehicle_position(self, contract_id: str) -> LastPositionView:
        path = f"/api/contracts/{contract_id}/vehicle-position"
        return await self._json("GET", path, LastPositionView)

    async def vehicle_track(self, contract_id: str, hours: int = 24) -> TrackView:
        path = f"/api/monitoring/contracts/{contract_id}/track"
        return await self._json("GET", path, TrackView, params={"hours": str(hours)})

    async def contract_terminals(self, contract_id: str) -> list[TerminalView]:
        path = f"/api/monitoring/contracts/{contract_id}/terminals"
        return await self._json("GET", path, list[TerminalView])

    async def register_terminal(self, body: TerminalBody) -> TerminalView:
        return await self._json("POST", "/api/monitoring/terminals", TerminalView, body=body)

    async def monitoring_plan(self, contract_id: str) -> PlanBody:
        return await self._json("GET", f"/api/monitoring/contracts/{contract_id}/plan", PlanBody)

    async def save_monitoring_plan(self, contract_id: str, plan: PlanBody) -> PlanBody:
        path = f"/api/monitoring/contracts/{contract_id}/plan"
        return await self._json("PUT", path, PlanBody, body=plan)

    # -- the vehicle maker's view 主机厂 -------------------------------------------------------
    async def oem_dealers(self) -> list[NetworkDealer]:
        return await self._json("GET", "/api/oem/dealers", list[NetworkDealer])

    # -- the dealer's account 经销商账户 ----------------------------------------------------------
    async def dealer_summary(self) -> DealerSummary:
        return await self._json("GET", "/api/dealer/summary", DealerSummary)

    async def dealer_deals(self, stage: str | None = None, month: str | None = None) -> list[Deal]:
        params = {k: v for k, v in (("stage", stage), ("month", month)) if v}
        return await self._json("GET", "/api/dealer/deals", list[Deal], params=params)

    async def commission_rules(self) -> CommissionRulesView:
        return await self._json("GET", "/api/dealer/commission-rules", CommissionRulesView)

    async def save_commission_rules(self, rules: CommissionRules) -> CommissionRulesView:
        path = "/api/dealer/commission-rules"
        return await self._json("PUT", path, CommissionRulesView, body=rules)

    async def collections_queue(self) -> list[QueueItem]:
        return await self._json("GET", "/api/collections/queue", list[QueueItem])

    async def collection_action(self, case_id: str, request: ActionRequest) -> ActionView:
        path = f"/api/collections/cases/{case_id}/actions"
        return await self._json("POST", path, ActionView, body=request)

    async def timeline(self, contract_id: str) -> list[TimelineEvent]:
        path = f"/api/contracts/{contract_id}/timeline"
        return await self._json("GET", path, list[TimelineEvent])

    async def notifications(self) -> list[NotificationView]:
        return await self._json("GET", "/api/me/notifications", list[NotificationView])

    async def reminder_preferences(self) -> ReminderPreferences:
        return await self._json("GET", "/api/me/reminder-preferences", ReminderPreferences)

    async def save_reminder_preferences(self, prefs: ReminderPreferences) -> ReminderPreferences:
        path = "/api/me/reminder-preferences"
        return await self._json("PUT", path, ReminderPreferences, body=prefs)

    async def service_dates(self, contract_id: str) -> ServiceDatesView:
        path = f"/api/contracts/{contract_id}/service-dates"
        return await self._json("GET", path, ServiceDatesView)

    async def save_service_dates(
        self, contract_id: str, request: ServiceDatesRequest
    ) -> ServiceDatesView:
        path = f"/api/contracts/{contract_id}/service-dates"
        return await self._json("PUT", path, ServiceDatesView, body=request)

    async def trial_balance(self) -> TrialBalanceView:
        return await self._json("GET", "/api/ledger/trial-balance", TrialBalanceView)

    # -- partner notification 合作方通知 (the monitor console's delivery log) ---------------------
    async def partner_deliveries(
        self, event_id: str | None = None, contract_id: str | None = None,
        status: str | None = None, alert_id: str | None = None,
    ) -> list[DeliveryView]:  # fmt: skip
        given = {"event_id": event_id, "contract_id": contract_id, "status": status,
                 "alert_id": alert_id}  # fmt: skip
        params = {k: v for k, v in given.items() if v is not None}
        return await self._json("GET", "/api/partners/deliveries", list[DeliveryView],
                                params=params)  # fmt: skip

    async def partner_delivery(self, delivery_id: str) -> DeliveryView:
        return await self._json("GET", f"/api/partners/deliveries/{delivery_id}", DeliveryView)

    async def retry_partner_delivery(self, delivery_id: str) -> DeliveryView:
        path = f"/api/partners/deliveries/{delivery_id}/retry"
        return await self._json("POST", path, DeliveryView)

    async def contract_partners(self, contract_id: str) -> list[ContractPartnerView]:
        path = f"/api/partners/contracts/{contract_id}"
        return await self._json("GET", path, list[ContractPartnerView])

    # -- dealer statements 对账单 (app_mobile/views/dealer/statements.py) -----------------------
    async def dealer_statement(self, start: date, end: date) -> StatementView:
        params = {"from": start.isoformat(), "to": end.isoformat()}
        return await self._json("GET", "/api/dealer/statements", StatementView, params=params)

    async def dealer_statement_months(self) -> list[MonthView]:
        return await self._json("GET", "/api/dealer/statements/months", list[MonthView])

    async def dealer_statement_link(
        self, start: date, end: date, fmt: StatementFormat
    ) -> DownloadLink | ExportJobView:
        """A browser link to the file, or (202) the export job a large statement became."""
        body = StatementLinkRequest(start=start.isoformat(), end=end.isoformat(), format=fmt)
        response = await self._send("POST", "/api/dealer/statements/link", body=body)
        if response.status_code == 202:
            return msgspec.json.decode(response.content, type=ExportJobView)
        return msgspec.json.decode(response.content, type=DownloadLink)

    async def dealer_statement_export(self, job_id: str) -> ExportJobView:
        path = f"/api/dealer/statements/exports/{job_id}"
        return await self._json("GET", path, ExportJobView)

    async def dealer_statement_export_link(self, job_id: str) -> DownloadLink:
        path = f"/api/dealer/statements/exports/{job_id}/link"
        return await self._json("POST", path, DownloadLink)

    # -- the funder's portfolio 资金方资产组合 ---------------------------------------------------
    async def funder_portfolio(self) -> Portfolio:
        return await self._json("GET", "/api/funder/portfolio", Portfolio)

    async def funder_contract(self, contract_id: str) -> PortfolioContractDetail:
        path = f"/api/funder/portfolio/contracts/{contract_id}"
        return await self._json("GET", path, PortfolioContractDetail)

    # -- revenue sharing 电费分账 (a charging-pile lease's monthly reports) ----------------------
    async def revenue_reports(self, contract_id: str) -> RevenueReportsView:
        path = f"/api/contracts/{contract_id}/revenue-reports"
        return await self._json("GET", path, RevenueReportsView)

    async def report_revenue(
        self, contract_id: str, body: RevenueReportBody, key: str
    ) -> RevenueMonthView:
        """电费收入报送; `key` (Idempotency-Key) makes a retried tap the same report."""
        path = f"/api/contracts/{contract_id}/revenue-reports"
        return await self._json("POST", path, RevenueMonthView, body=body,
                                headers={"Idempotency-Key": key})  # fmt: skip

    async def revenue_overview(self, status: str | None = None) -> list[OverdueReportView]:
        params = {"status": status} if status else None
        return await self._json("GET", "/api/revenue-share/reports", list[OverdueReportView],
                                params=params)  # fmt: skip

    # -- floor-plan financing 库存融资 (the dealer's line, units, stock audits) -------------------
    async def floorplan_line(self, dealer_id: str | None = None) -> LineView:
        params = {"dealer_id": dealer_id} if dealer_id else None
        return await self._json("GET", "/api/floorplan/line", LineView, params=params)

    async def floorplan_units(
        self, status: str | None = None, cursor: str | None = None, limit: int | None = None
    ) -> UnitPage:
        """A page of the dealer's units, newest first; `cursor` the last page's next_cursor."""
        params = {k: str(v) for k, v in (("status", status), ("cursor", cursor),
                                         ("limit", limit)) if v}  # fmt: skip
        return await self._json("GET", "/api/floorplan/units", UnitPage, params=params or None)

    async def floorplan_unit(self, vin: str) -> UnitView:
        return await self._json("GET", f"/api/floorplan/units/{vin}", UnitView)

    async def floorplan_sell_timing(self, vin: str) -> SellTiming:
        """最佳出手时机 of a unit in stock."""
        return await self._json("GET", f"/api/floorplan/units/{vin}/sell-timing", SellTiming)

    async def floorplan_drawdown(self, body: DrawdownBody, key: str) -> UnitView:
        """单车放款; `key` (Idempotency-Key) makes a retried tap the same drawdown."""
        return await self._json("POST", "/api/floorplan/drawdowns", UnitView, body=body,
                                headers={"Idempotency-Key": key})  # fmt: skip

    async def floorplan_payoff(self, vin: str, key: str) -> PaymentView:
        """结清: a payment of today's payoff amount and the provider's pay page; `key` makes a
        retried tap the same payment."""
        path = f"/api/floorplan/units/{vin}/payoff"
        return await self._json("POST", path, PaymentView, headers={"Idempotency-Key": key})

    async def floorplan_curtailment(self, vin: str, amount: str | None, key: str) -> PaymentView:
        """还本: a payment of `amount` (None: what is due now) and the provider's pay page."""
        path = f"/api/floorplan/units/{vin}/curtailments"
        return await self._json("POST", path, PaymentView, body=CurtailmentBody(amount=amount),
                                headers={"Idempotency-Key": key})  # fmt: skip

    async def floorplan_audits(self, dealer_id: str | None = None) -> list[AuditView]:
        params = {"dealer_id": dealer_id} if dealer_id else None
        return await self._json("GET", "/api/floorplan/audits", list[AuditView], params=params)

    async def floorplan_lines(self) -> list[DealerLine]:
        """The lessor's list: every dealer with its line or none (admins)."""
        return await self._json("GET", "/api/floorplan/lines", list[DealerLine])

    async def floorplan_set_line(self, dealer_id: str, body: LineBody) -> LineView:
        return await self._json("PUT", f"/api/floorplan/lines/{dealer_id}", LineView, body=body)

    async def floorplan_open_audit(self, dealer_id: str, deadline: date) -> AuditView:
        body = AuditBody(dealer_id=dealer_id, deadline=deadline)
        return await self._json("POST", "/api/floorplan/audits", AuditView, body=body)

    async def floorplan_close_audit(self, audit_id: str) -> AuditView:
        return await self._json("POST", f"/api/floorplan/audits/{audit_id}/close", AuditView)

    async def floorplan_audit(self, audit_id: str) -> AuditView:
        return await self._json("GET", f"/api/floorplan/audits/{audit_id}", AuditView)

    async def floorplan_scan(
        self, audit_id: str, vin: str, photo: bytes, content_type: str = "image/jpeg"
    ) -> AuditView:
        """盘库扫码: the unit's VIN and its photo on the lot."""
        return await self._json(
            "POST", f"/api/floorplan/audits/{audit_id}/scans", AuditView, content=photo,
            headers={"Content-Type": content_type}, params={"vin": vin},
        )  # fmt: skip

    async def floorplan_alerts(self, dealer_id: str | None = None) -> list[FloorplanAlertView]:
        params = {"dealer_id": dealer_id} if dealer_id else None
        return await self._json(
            "GET", "/api/floorplan/alerts", list[FloorplanAlertView], params=params
        )

    # -- the service assistant 智能客服 (signed in or not) ----------------------------------------
    async def assistant_say(self, text: str, conversation_id: str | None = None) -> Reply:
        body = MessageBody(text=text, conversation_id=conversation_id)
        return await self._json("POST", "/api/assistant/messages", Reply, body=body)

    async def assistant_conversation(self, conversation_id: str) -> ConversationView:
        return await self._json(
            "GET", f"/api/assistant/conversations/{conversation_id}", ConversationView
        )

    async def assistant_inbox(self, status: str | None = "open") -> InboxView:
        params = {"status": status} if status else None
        return await self._json("GET", "/api/assistant/handovers", InboxView, params=params)

    async def assistant_handover(self, handover_id: str) -> HandoverDetail:
        return await self._json("GET", f"/api/assistant/handovers/{handover_id}", HandoverDetail)

    async def assistant_reveal(self, handover_id: str) -> str:
        """The number to call, unmasked (audited on the server)."""
        found = await self._json(
            "POST", f"/api/assistant/handovers/{handover_id}/reveal", RevealedMobile
        )
        return found.mobile

    async def assistant_reply(self, handover_id: str, text: str) -> HandoverDetail:
        return await self._json(
            "POST", f"/api/assistant/handovers/{handover_id}/reply", HandoverDetail,
            body=AgentReply(text=text),
        )  # fmt: skip

    async def assistant_close(self, handover_id: str, note: str) -> HandoverDetail:
        return await self._json(
            "POST", f"/api/assistant/handovers/{handover_id}/close", HandoverDetail,
            body=CloseBody(note=note),
        )  # fmt: skip

    async def assistant_knowledge(self) -> KnowledgeView:
        return await self._json("GET", "/api/assistant/knowledge", KnowledgeView)

    async def assistant_save_knowledge(self, body: KnowledgeSave) -> KnowledgeView:
        return await self._json("POST", "/api/assistant/knowledge", KnowledgeView, body=body)
