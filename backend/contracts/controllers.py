"""Contracts HTTP 电子合同: generate from an approved application, read, sign on the phone,
verify a file; the funder API confirms funding. Thin controllers."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Annotated, Any

from litestar import Controller, Request, Response, get, post
from litestar.params import FromPath, HeaderParameter

from backend.auth.otp import OneTimeCodes
from backend.auth.principal import Caller
from backend.contracts import evidence, funding, service, signing, templates, views
from backend.db.deps import Db
from backend.idempotency import run_idempotent
from backend.intake.catalogue import Catalogue
from backend.providers.sms import SmsSender
from backend.security import tokens
from backend.security.pii import PiiCipher
from backend.servicing import dues
from backend.settings import Settings
from backend.trust.ca import TrustMaterial
from common.api.auth import Role
from common.api.contracts import (
    ContractSummary,
    ContractView,
    FunderContract,
    FundingRequest,
    Instalment,
    PdfLink,
    SignCodeSent,
    SignRequest,
    TemplateSave,
    VerifyReport,
)
from common.business_day import business_date
from common.contract_templates import FAMILY_TEMPLATE_IDS, ContractTemplate
from common.errors import DomainError, NotFound
from common.money import parse_money, to_fen
from common.products import ProductFamily

SHOP = (Role.STAFF, Role.DEALER_ADMIN)
READERS = (*SHOP, Role.LESSEE, Role.RISK_OFFICER, Role.ADMIN, Role.MONITOR)
MAX_PDF_BYTES = 20 * 1024 * 1024
LINK_TTL_S = 300
PDF_HEADERS = {"Cache-Control": "no-store"}
IdempotencyKey = Annotated[str | None, HeaderParameter(name="Idempotency-Key", required=False)]
ApiKey = Annotated[str, HeaderParameter(name="X-Api-Key", required=False)]


def _pdf(data: bytes, number: str) -> Response[bytes]:
    return Response(
        data,
        media_type="application/pdf",
        headers={**PDF_HEADERS, "Content-Disposition": f'inline; filename="{number}.pdf"'},
    )


class ContractController(Controller):
    path = "/api"
    tags = ["contracts"]  # noqa: RUF012

    @post("/applications/{application_id:str}/contract", opt={"roles": (*SHOP, Role.ADMIN)},
          status_code=200)  # fmt: skip
    async def generate(
        self, application_id: FromPath[str], db: Db, pii: PiiCipher, catalogue: Catalogue,
        sms: SmsSender, settings: Settings, caller: Caller, now: datetime,
    ) -> ContractView:  # fmt: skip
        """The application's contract (generated now, or the one it has); invites the lessee."""
        contract = await service.generate(
            db, pii, catalogue, sms, caller, application_id, now, app_url=settings.app_url
        )
        return views.detail(contract)

    @get("/applications/{application_id:str}/contract", opt={"roles": (*SHOP, Role.ADMIN,
         Role.RISK_OFFICER)})  # fmt: skip
    async def of_application(
        self, application_id: FromPath[str], db: Db, caller: Caller
    ) -> ContractSummary | None:
        """The application's contract, if it has one (its status on the clerk's screen)."""
        contract = await service.for_application(db, caller, application_id)
        return None if contract is None else views.summary(contract)

    @get("/contracts", opt={"roles": READERS})
    async def index(
        self, db: Db, caller: Caller, status: str | None = None
    ) -> list[ContractSummary]:
        """我的合同 for a lessee; the shop's for staff; all for the lessor's people."""
        return [views.summary(c) for c in await service.listing(db, caller, status)]

    @get("/contracts/{contract_id:str}", opt={"roles": READERS})
    async def show(self, contract_id: FromPath[str], db: Db, caller: Caller) -> ContractView:
        return views.detail(await service.get(db, caller, contract_id))

    @get("/contracts/{contract_id:str}/schedule", opt={"roles": READERS})
    async def schedule(
        self, contract_id: FromPath[str], db: Db, caller: Caller, now: datetime
    ) -> list[Instalment]:
        """The schedule in force with each row's status (paid / due / overdue / upcoming) once
        the contract is active; before that, the schedule as it will be signed."""
        contract = await service.get(db, caller, contract_id)
        rows = await dues.instalments(db, contract)
        if not rows:
            return views.schedule(contract)
        return views.serviced(rows, business_date(now))

    @post("/contracts/{contract_id:str}/pdf-link", opt={"roles": READERS}, status_code=200)
    async def pdf_link(
        self, contract_id: FromPath[str], db: Db, settings: Settings, caller: Caller,
        now: datetime,
    ) -> PdfLink:  # fmt: skip
        """A link to the PDF for a browser (which cannot send the bearer token): 5 minutes."""
        contract = await service.get(db, caller, contract_id)
        claims = {"sub": caller.user_id, "sid": caller.session_id, "contract": contract.id}
        token = tokens.issue(settings.secret_key, "download", claims, now, LINK_TTL_S)
        url = f"{settings.public_url}/api/contracts/{contract.id}/pdf?token={token}"
        return PdfLink(url=url, expires_at=now + timedelta(seconds=LINK_TTL_S))

    @get("/contracts/{contract_id:str}/pdf", opt={"roles": READERS, "download_token": True},
         media_type="application/pdf")  # fmt: skip
    async def pdf(
        self, request: Request[Any, Any, Any], contract_id: FromPath[str], db: Db,
        pii: PiiCipher, caller: Caller, now: datetime,
    ) -> Response[bytes]:  # fmt: skip
        """The PDF: the sealed original once signed. A lessee's opening is an audited view."""
        grant = request.scope.get("download_grant")
        if grant is not None and grant != contract_id:
            raise service.CONTRACT_NOT_FOUND  # a link opens the one contract it was made for
        contract = await service.get(db, caller, contract_id)
        if caller.role == Role.LESSEE:
            await service.record_view(db, caller, contract, now)
        return _pdf(service.document_pdf(pii, contract), contract.number)

    @post("/contracts/{contract_id:str}/sign/otp", opt={"roles": (Role.LESSEE,)}, status_code=202)
    async def send_code(
        self, contract_id: FromPath[str], db: Db, pii: PiiCipher, otp: OneTimeCodes,
        sms: SmsSender, caller: Caller, now: datetime,
    ) -> SignCodeSent:  # fmt: skip
        """Text a signing code to the lessee's phone."""
        sent_to = await signing.send_code(db, pii, otp, sms, caller, contract_id, now)
        return SignCodeSent(sent_to=sent_to)

    @post("/contracts/{contract_id:str}/sign", opt={"roles": (Role.LESSEE,)}, status_code=200)
    async def sign(
        self, contract_id: FromPath[str], data: SignRequest, db: Db, pii: PiiCipher,
        otp: OneTimeCodes, trust: TrustMaterial, caller: Caller, now: datetime,
    ) -> ContractView:  # fmt: skip
        """Confirm and sign with the code: the platform seals the document (PAdES B-T)."""
        contract = await signing.sign(
            db, pii, otp, trust, caller, contract_id, code=data.code,
            confirmations=list(data.confirmations), device=data.device, now=now,
        )  # fmt: skip
        return views.detail(contract)

    @get("/contracts/{contract_id:str}/verify", opt={"roles": READERS})
    async def verify(
        self, contract_id: FromPath[str], db: Db, pii: PiiCipher, trust: TrustMaterial,
        caller: Caller,
    ) -> VerifyReport:  # fmt: skip
        contract = await service.get(db, caller, contract_id)
        signed = service.document_pdf(pii, contract) if contract.signed_pdf else None
        return views.report(await evidence.of_contract(db, trust, contract, signed))

    @get("/contracts/{contract_id:str}/evidence", opt={"roles": READERS})
    async def evidence(self, contract_id: FromPath[str], db: Db, caller: Caller) -> dict[str, Any]:
        """The bundle `autolease verify-contract` checks offline: the signed checkpoint covering
        the sealing and the chain of events up to it (404 ``evidence_pending`` until the
        sealing is linked and checkpointed, within about a minute)."""
        contract = await service.get(db, caller, contract_id)
        found = await evidence.bundle(db, contract)
        if found is None:
            raise NotFound(
                "evidence_pending",
                "合同签章尚未被审计检查点覆盖，请稍后再试",
                "Not covered by a signed checkpoint yet: try again in a minute",
            )
        return found

    @get("/trust/ca.pem", opt={"public": True}, media_type="application/x-pem-file")
    async def ca(self, trust: TrustMaterial) -> Response[bytes]:
        """The lessor's CA certificate: what a contract's seal chains to."""
        return Response(trust.ca_cert_pem, media_type="application/x-pem-file")

    @post("/contracts/verify", opt={"public": True}, status_code=200,
          request_max_body_size=MAX_PDF_BYTES)  # fmt: skip
    async def verify_file(
        self, request: Request[Any, Any, Any], db: Db, trust: TrustMaterial
    ) -> VerifyReport:
        """Upload a PDF (``Content-Type: application/pdf``): is it one of our sealed originals?"""
        if request.headers.get("content-type", "").split(";")[0].strip() != "application/pdf":
            raise DomainError("unsupported_media_type", "请上传 PDF 文件",
                              "Send the file as application/pdf", status=415)  # fmt: skip
        return views.report(await evidence.examine(db, trust, await request.body()))


class TemplateController(Controller):
    """Contract templates 合同模板 (admins): versions are data, checked to render when saved."""

    path = "/api/contract-templates"
    tags = ["contracts"]  # noqa: RUF012

    @get("/current", opt={"roles": (Role.ADMIN,)})
    async def current(
        self, db: Db, family: ProductFamily = ProductFamily.VEHICLE
    ) -> ContractTemplate:
        """The template in use for a product family's contracts (the vehicle leases' unless
        ``family`` says another)."""
        return await templates.current(db, FAMILY_TEMPLATE_IDS[family])

    @post("/", opt={"roles": (Role.ADMIN,)}, status_code=201, request_max_body_size=256 * 1024)
    async def save(
        self, data: TemplateSave, db: Db, caller: Caller, now: datetime
    ) -> ContractTemplate:
        """A new version of the template ``template.id`` (refused with 422 ``template_invalid``
        if it does not render: unknown template fields, a section its family lacks)."""
        return await templates.save(db, caller, data.template, data.reason, now)


class FunderController(Controller):
    """The funder's machine API (``X-Api-Key``): deals awaiting funding, and the confirmation."""

    path = "/api/funder"
    tags = ["funder"]  # noqa: RUF012

    @get("/contracts", opt={"public": True})
    async def index(
        self, db: Db, settings: Settings, status: str | None = None, x_api_key: ApiKey = ""
    ) -> list[FunderContract]:
        funder = await funding.funder_for(db, settings.secret_key, x_api_key)
        return [views.for_funder(c) for c in await funding.offered(db, funder, status)]

    @post("/contracts/{contract_id:str}/funding", opt={"public": True})
    async def confirm(
        self, request: Request[Any, Any, Any], contract_id: FromPath[str],
        data: FundingRequest, db: Db, settings: Settings, now: datetime,
        x_api_key: ApiKey = "", idempotency_key: IdempotencyKey = None,
    ) -> Response[bytes]:  # fmt: skip
        """Confirm funding (``Idempotency-Key`` required; the amount must be the financed amount):
        the contract becomes active and the lease is booked."""
        funder = await funding.funder_for(db, settings.secret_key, x_api_key)
        if not idempotency_key:
            raise DomainError("idempotency_key_required", "放款确认需要请求编号",
                              "Idempotency-Key is required", status=400)  # fmt: skip
        amount = to_fen(parse_money(data.amount, field="amount"))

        async def effect() -> tuple[int, FunderContract]:
            contract = await funding.confirm(
                db, funder, contract_id, amount_fen=amount, value_date=data.value_date,
                reference=data.reference, now=now,
            )  # fmt: skip
            return 200, views.for_funder(contract)

        return await run_idempotent(
            db, funder.as_caller(), idempotency_key,
            f"POST /api/funder/contracts/{contract_id}/funding", await request.body(), effect,
        )  # fmt: skip


ROUTES = [ContractController, TemplateController, FunderController]
