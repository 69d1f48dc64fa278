"""The floor-plan routes, and the temporary-increase rule's (read by both, set by an admin)."""

from __future__ import annotations

from datetime import datetime

from litestar import Controller, get, put

from backend.auth.principal import Caller
from backend.db.deps import Db
from backend.floorplan import increases
from backend.floorplan.audit_routes import FloorplanAuditController
from backend.floorplan.controllers import READERS, FloorplanController
from common.api.auth import Role
from common.api.floorplan import IncreaseRuleBody, IncreaseRuleView


class IncreaseRuleController(Controller):
    path = "/api/floorplan/increase-rule"
    tags = ["floorplan"]  # noqa: RUF012

    @get("/", opt={"roles": READERS})
    async def show(self, db: Db) -> IncreaseRuleView:
        """临时提额规则 in force (version 1: the shipped default)."""
        version, rule, row = await increases.current(db)
        note = row.note if row else ""
        at = row.published_at if row else datetime(2026, 1, 1).astimezone()
        return IncreaseRuleView(version=version, rule=increases.rule_body(rule, note),
                                published_at=at)  # fmt: skip

    @put("/", opt={"roles": (Role.ADMIN,)})
    async def publish(
        self, data: IncreaseRuleBody, db: Db, caller: Caller, now: datetime
    ) -> IncreaseRuleView:
        """Publish a new version (audited); it applies from the next daily run."""
        row = await increases.publish(db, caller, data, now)
        return IncreaseRuleView(
            version=row.version, rule=increases.rule_body(increases.rule_from(row.body), row.note),
            published_at=row.published_at,
        )  # fmt: skip


FLOORPLAN_ROUTES = [FloorplanController, FloorplanAuditController, IncreaseRuleController]
