"""Products HTTP 金融产品: clerks read what is on sale; the lessor's risk officers and admins
define products, add versions, activate an earlier one and retire. Thin controllers."""

from __future__ import annotations

from datetime import datetime

from litestar import Controller, get, post
from litestar.params import FromPath

from backend.auth.principal import Caller
from backend.db.deps import Db
from backend.intake.catalogue import Catalogue
from backend.products import quotes, service
from common.api.auth import Role
from common.api.intake import VehicleType
from common.api.products import (
    ProductActivate,
    ProductCreate,
    ProductNewVersion,
    ProductQuoteRequest,
    ProductQuoteResponse,
    ProductView,
)
from common.api.risk import ChangeReason
from common.business_day import business_date
from common.products import ProductFamily, fitting

READERS = (Role.STAFF, Role.DEALER_ADMIN, Role.RISK_OFFICER, Role.ADMIN)
MANAGERS = (Role.RISK_OFFICER, Role.ADMIN)
JSON_LIMIT = 256 * 1024  # as intake: the bad-body checks (backend/bodies.py) see the whole body


class ProductController(Controller):
    path = "/api/products"
    tags = ["products"]  # noqa: RUF012

    @get("/", opt={"roles": READERS})
    async def index(
        self,
        db: Db,
        caller: Caller,
        now: datetime,
        is_new: bool | None = None,
        vehicle_type: VehicleType | None = None,
        include_retired: bool = False,
        family: ProductFamily | None = None,
    ) -> list[ProductView]:
        """Products on sale (their active versions), of one ``family`` if given; with ``is_new``
        those that cover the vehicle (a vehicle without a catalogue type counts as a passenger
        car, as the risk facts do)."""
        retired = include_retired and caller.role in MANAGERS
        rows = await service.active(db, include_retired=retired)
        if family is not None:
            rows = [(p, v) for p, v in rows if service.product_from(v).family is family]
        views = [service.view(p, v, business_date(now)) for p, v in rows]
        if is_new is None:
            return views
        fit = {
            p.id
            for p in fitting(
                [service.product_from(v) for _, v in rows],
                is_new,
                vehicle_type.value if vehicle_type else None,
            )
        }
        return [v for v in views if v.id in fit]

    @get("/{product_id:str}", opt={"roles": READERS})
    async def show(
        self, product_id: FromPath[str], db: Db, caller: Caller, now: datetime,
        version: int | None = None,
    ) -> ProductView:  # fmt: skip
        return await service.detail(
            db, product_id, version, business_date(now), managers=caller.role in MANAGERS
        )

    @get("/{product_id:str}/versions", opt={"roles": MANAGERS})
    async def versions(self, product_id: FromPath[str], db: Db, now: datetime) -> list[ProductView]:
        return await service.versions(db, product_id, business_date(now))

    @post("/", opt={"roles": MANAGERS}, request_max_body_size=JSON_LIMIT)
    async def create(
        self, data: ProductCreate, db: Db, caller: Caller, now: datetime
    ) -> ProductView:
        return await service.create(
            db, caller, data.definition, data.reason.strip(), business_date(now)
        )

    @post("/{product_id:str}/versions", opt={"roles": MANAGERS}, request_max_body_size=JSON_LIMIT)
    async def new_version(
        self, product_id: FromPath[str], data: ProductNewVersion, db: Db, caller: Caller,
        now: datetime,
    ) -> ProductView:  # fmt: skip
        """A new version, active at once; ``based_on_version`` must be the newest (else 409)."""
        return await service.add_version(
            db, caller, product_id, data.definition, data.based_on_version, data.reason.strip(),
            business_date(now),
        )  # fmt: skip

    @post("/{product_id:str}/activate", opt={"roles": MANAGERS}, status_code=200)
    async def activate(
        self, product_id: FromPath[str], data: ProductActivate, db: Db, caller: Caller,
        now: datetime,
    ) -> ProductView:  # fmt: skip
        return await service.activate(
            db, caller, product_id, data.version, data.reason.strip(), business_date(now)
        )

    @post("/{product_id:str}/retire", opt={"roles": MANAGERS}, status_code=200)
    async def retire(
        self, product_id: FromPath[str], data: ChangeReason, db: Db, caller: Caller,
        now: datetime,
    ) -> ProductView:  # fmt: skip
        return await service.retire(db, caller, product_id, data.reason.strip(), business_date(now))


class QuoteController(Controller):
    path = "/api/quotes"
    tags = ["products"]  # noqa: RUF012

    @post("/", opt={"roles": READERS}, status_code=200, request_max_body_size=JSON_LIMIT)
    async def quote(
        self, data: ProductQuoteRequest, db: Db, catalogue: Catalogue, now: datetime
    ) -> ProductQuoteResponse:
        """Rent, fees, deposit, total cost and the annualised rate (IRR, fees included) of a
        choice within a product; a choice outside it is 422 with a code and the field. With the
        catalogue vehicle a balloon may not exceed its predicted low value at term end
        (422 ``balloon_above_residual``)."""
        return await quotes.quote(db, catalogue, data, business_date(now))


PRODUCT_ROUTES = [ProductController, QuoteController]
