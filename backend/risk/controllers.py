"""Risk HTTP: the review queue, rule-set management, the change history, region flags."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from litestar import Controller, get, post, put
from litestar.datastructures import CacheControlHeader
from litestar.params import Parameter
from sqlalchemy.ext.asyncio import AsyncSession

from backend.auth.principal import Principal
from backend.intake.catalogue import Catalogue
from backend.jobs.adaptive import run_adaptive
from backend.risk import adaptive, reviews, rulesets, simulation
from backend.risk import history as change_history
from backend.risk.service import RiskEngine
from backend.security.pii import PiiCipher
from common.api.auth import Role
from common.api.intake import ApplicationView
from common.api.risk import (
    ChangeReason,
    RegionFlagView,
    RevealedCustomer,
    ReviewRequest,
    RuleChangeView,
    RuleSetCreate,
    RuleSetDetail,
    RuleSetEdit,
    RuleSetSummary,
    SimulateRequest,
    SimulationView,
)
from common.products import ProductFamily

RISK = (Role.RISK_OFFICER, Role.ADMIN)  # the only roles that see or change rules and reviews
JSON_LIMIT = 512 * 1024  # a whole rule set is about 40 KB


class ReviewController(Controller):
    path = "/api/reviews"
    tags = ["risk"]  # noqa: RUF012

    @get("/", opt={"roles": RISK})
    async def queue(
        self,
        db: AsyncSession,
        pii: PiiCipher,
        catalogue: Catalogue,
        limit: Annotated[int, Parameter(ge=1, le=200)] = 50,
    ) -> list[ApplicationView]:
        """Referred applications, oldest first, with photos and the decision trace."""
        return await reviews.pending(db, pii, catalogue, limit)

    @post("/{application_id:str}", opt={"roles": RISK}, status_code=200)
    async def decide(
        self,
        application_id: str,
        data: ReviewRequest,
        db: AsyncSession,
        pii: PiiCipher,
        catalogue: Catalogue,
        caller: Principal,
    ) -> ApplicationView:
        return await reviews.review(db, pii, catalogue, caller, application_id, data)

    @post(
        "/{application_id:str}/reveal",
        opt={"roles": RISK},
        status_code=200,
        cache_control=CacheControlHeader(no_store=True),  # personal data is never kept by a cache
    )
    async def reveal(
        self,
        application_id: str,
        db: AsyncSession,
        pii: PiiCipher,
        caller: Principal,
        now: datetime,
    ) -> RevealedCustomer:
        """The unmasked name and ID number of a case in review, on an explicit tap; audited."""
        return await reviews.reveal(db, pii, caller, application_id, now)


class RuleSetController(Controller):
    path = "/api/risk"
    tags = ["risk"]  # noqa: RUF012

    @get("/rulesets", opt={"roles": RISK})
    async def versions(
        self, db: AsyncSession, family: ProductFamily = ProductFamily.VEHICLE
    ) -> list[RuleSetSummary]:
        """One product family's versions (default vehicle), newest first."""
        return await rulesets.list_versions(db, family.value)

    @post("/rulesets", opt={"roles": RISK}, request_max_body_size=JSON_LIMIT)
    async def create(
        self, data: RuleSetCreate, db: AsyncSession, caller: Principal
    ) -> RuleSetDetail:
        """A new draft: a copy of the active set (or of ``from_id``), or the given rule set."""
        return await rulesets.create_draft(
            db, caller, data.from_id, data.ruleset, data.family.value if data.family else None
        )

    @get("/rulesets/{ruleset_id:str}", opt={"roles": RISK})
    async def show(self, ruleset_id: str, db: AsyncSession) -> RuleSetDetail:
        return await rulesets.detail(db, ruleset_id)

    @put("/rulesets/{ruleset_id:str}", opt={"roles": RISK}, request_max_body_size=JSON_LIMIT)
    async def edit(
        self, ruleset_id: str, data: RuleSetEdit, db: AsyncSession, caller: Principal
    ) -> RuleSetDetail:
        return await rulesets.edit_draft(db, caller, ruleset_id, data.lock_version, data.ruleset)

    @post("/rulesets/{ruleset_id:str}/simulate", opt={"roles": RISK}, status_code=200)
    async def simulate(
        self,
        ruleset_id: str,
        data: SimulateRequest,
        db: AsyncSession,
        risk: RiskEngine,
        catalogue: Catalogue,
    ) -> SimulationView:
        return await simulation.simulate(db, risk.cache, catalogue, ruleset_id, data.last_n)

    @post("/rulesets/{ruleset_id:str}/publish", opt={"roles": RISK}, status_code=200)
    async def publish(
        self, ruleset_id: str, data: ChangeReason, db: AsyncSession, caller: Principal
    ) -> RuleSetDetail:
        return await rulesets.publish(db, caller, ruleset_id, data.reason.strip())

    @post("/rulesets/{ruleset_id:str}/rollback", opt={"roles": RISK}, status_code=200)
    async def rollback(
        self, ruleset_id: str, data: ChangeReason, db: AsyncSession, caller: Principal
    ) -> RuleSetDetail:
        return await rulesets.rollback(db, caller, ruleset_id, data.reason.strip())

    @get("/history", opt={"roles": RISK})
    async def history(
        self,
        db: AsyncSession,
        ruleset_id: str | None = None,
        limit: Annotated[int, Parameter(ge=1, le=500)] = 100,
        family: ProductFamily = ProductFamily.VEHICLE,
    ) -> list[RuleChangeView]:
        """Every rule change of a product family's rule sets (default vehicle), or of one
        version: who, when, before, after, why (newest first)."""
        return await change_history.history(db, ruleset_id, limit, family.value)

    @get("/region-flags", opt={"roles": RISK})
    async def region_flags(
        self, db: AsyncSession, flagged_only: bool = False
    ) -> list[RegionFlagView]:
        return await adaptive.list_flags(db, flagged_only)

    @post("/region-flags/refresh", opt={"roles": RISK}, status_code=200)
    async def refresh_region_flags(self, db: AsyncSession, now: datetime) -> list[RegionFlagView]:
        """Run the adaptive-mode job now (it also runs on its own schedule)."""
        await run_adaptive(db, now)
        return await adaptive.list_flags(db)


RISK_ROUTES = [ReviewController, RuleSetController]
