"""create_app(settings): the one place where the service is assembled.

The service never imports the app. What else is served on the same origin (the Flet web app at
/app) is composed at the edge: the command that serves both (`autolease demo`, `serve --with-app`;
`backend/commands/serve.py`) builds the mount and passes it in; create_app starts and stops it in
the lifespan. The app's sessions then call the API over HTTP like any other client.
"""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import AsyncGenerator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, Protocol

import swagger_ui
from litestar import Litestar, Router, get
from litestar.di import Provide
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.openapi.spec import Components, SecurityScheme
from litestar.static_files import create_static_files_router
from sqlalchemy.ext.asyncio import AsyncSession

from backend import http_security
from backend.assistant.controllers import ASSISTANT_ROUTES
from backend.assistant.embedder import EMBEDDER
from backend.audit.checkpoint import CheckpointKeys, CheckpointSigner
from backend.audit.controllers import AuditController
from backend.audit.sequencer import run_sequencer
from backend.auth.controllers import AuthController
from backend.auth.guards import access_guard, provide_principal
from backend.auth.otp import OneTimeCodes
from backend.bodies import check_request
from backend.clock import Clock, system_clock
from backend.collections.controllers import COLLECTIONS_ROUTES
from backend.contracts.controllers import ROUTES as CONTRACT_ROUTES
from backend.db.deps import close_session, provide_db
from backend.db.session import make_engine, make_reader, make_sessionmaker
from backend.dealers.controllers import DEALER_ROUTES
from backend.errors import EXCEPTION_HANDLERS
from backend.floorplan import job as floorplan_job
from backend.floorplan.routes import FLOORPLAN_ROUTES
from backend.funders.controllers import FUNDER_ROUTES
from backend.intake.catalogue import Catalogue
from backend.intake.controllers import INTAKE_ROUTES
from backend.jobs import contracts as contract_job
from backend.jobs import retention, servicing_sweep
from backend.jobs.adaptive import run_periodically
from backend.ledger.controllers import LEDGER_ROUTES
from backend.logs import configure_logging
from backend.monitoring import job as monitoring_job
from backend.monitoring import mqtt_road, partner_events
from backend.monitoring.controllers import MONITORING_ROUTES
from backend.monitoring.jt808_gateway import Jt808Gateway
from backend.oem.controllers import OEM_ROUTES
from backend.partners import controllers as partners
from backend.partners import worker as webhooks
from backend.payments import job as payments
from backend.products.controllers import PRODUCT_ROUTES
from backend.providers.controllers import SANDBOX_ROUTES
from backend.providers.registry import sms_senders_for
from backend.providers.sms import SmsSender
from backend.reminders.controllers import REMINDER_ROUTES
from backend.residual import store as residual_store
from backend.residual.controllers import RESIDUAL_ROUTES
from backend.revenue_share.controllers import REVENUE_SHARE_ROUTES
from backend.risk.controllers import RISK_ROUTES
from backend.risk.service import engine_for as risk_engine_for
from backend.security.pii import PiiCipher
from backend.servicing.controllers import SERVICING_ROUTES
from backend.servicing.hall import HALL_ROUTES
from backend.settings import Settings
from backend.statements import exports as statement_exports
from backend.statements.controllers import STATEMENT_ROUTES
from backend.trust.store import TrustStore

log = logging.getLogger("autolease")


class Mount(Protocol):
    """Another ASGI app served beside the API (e.g. `app_mobile.web.FletMount`)."""

    @property
    def route(self) -> Any: ...  # a Litestar route handler (an ASGI mount)

    async def start(self) -> None: ...

    async def stop(self) -> None: ...


async def warm_up_assistant(sessionmaker: Any) -> None:
    """Embed the knowledge base in use, so the first question does not wait for it."""
    from backend.assistant import knowledge

    try:
        async with sessionmaker() as db:
            kb, key = await knowledge.in_use(db)
        await EMBEDDER.index_of(kb, key)
    except Exception:  # the first question builds it then
        log.exception("assistant: the matching index was not built at start-up")


async def freeze_start_up(warming: asyncio.Task[None] | None) -> None:
    """Once the worker has started (and built the assistant's index), move what start-up made
    out of the garbage collector's sight: a worker holds a few hundred thousand long-lived
    objects (models, catalogue, mappers, compiled routes), and every full collection walked them
    all — a 100-200 ms stop of every request in flight, every few seconds under load."""
    if warming is not None:
        await asyncio.wait([warming])
    gc.freeze()  # until the worker stops (lifespan's end unfreezes)


@get("/healthz", opt={"public": True}, include_in_schema=False)
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


def _docs() -> tuple[OpenAPIConfig, Any]:
    """Interactive API docs served from the bundled Swagger UI: nothing comes from a CDN."""
    static = create_static_files_router(
        path="/docs/static",
        directories=[Path(swagger_ui.__file__).parent / "static"],
        opt={"public": True},
        include_in_schema=False,
    )
    render = SwaggerRenderPlugin(
        js_url="/docs/static/swagger-ui-bundle.js",
        css_url="/docs/static/swagger-ui.css",
        standalone_preset_js_url="/docs/static/swagger-ui-standalone-preset.js",
        path="/",
    )
    config = OpenAPIConfig(
        title="AutoLease API",
        version="0.1.0",
        description="汽车金融融资租赁 — intake, approval, contracts, servicing, monitoring",
        render_plugins=[render],
        components=Components(
            security_schemes={
                "bearer": SecurityScheme(type="http", scheme="bearer", bearer_format="JWT")
            }
        ),
        security=[{"bearer": []}],
        openapi_router=Router(path="/docs", route_handlers=[], opt={"public": True}),
    )
    return config, static


def create_app(
    settings: Settings | None = None,
    *,
    clock: Clock = system_clock,
    mounts: Sequence[Mount] = (),
) -> Litestar:
    """The API; ``mounts`` are served beside it and started/stopped with it."""
    settings = settings or Settings.from_env()
    configure_logging(settings.log_level)
    engine = make_engine(settings.database_url)
    reader = make_reader(settings.database_url)  # SQLite: reads beside the one writer
    signer = CheckpointSigner(settings.audit_signing_seed())
    keys = CheckpointKeys(signer)
    pii = PiiCipher(settings.pii_key_bytes(), settings.lookup_key_bytes())
    catalogue = Catalogue.load()
    residual = residual_store.load()  # the residual-value model, once per process
    risk = risk_engine_for(settings, pii, catalogue)
    codes = OneTimeCodes.for_settings(settings)
    sms_for = sms_senders_for(settings, pii, clock)
    trust = TrustStore(settings.seal_trust_dir, may_create=settings.providers == "sandbox")
    mounts = tuple(mounts)

    def provide_sms(db: AsyncSession) -> SmsSender:
        return sms_for(db)  # the sandbox writes its outbox in the request's transaction

    @asynccontextmanager
    async def lifespan(app: Litestar) -> AsyncGenerator[None, None]:
        settings.storage_dir.mkdir(parents=True, exist_ok=True)
        partner_events.install(pii, sms_for)  # the running app's alerts reach the partners
        for mount in mounts:
            await mount.start()
        # Adaptive mode (F12): the region-volume job on every worker; runs are idempotent.
        interval = settings.adaptive_job_interval_s
        job = (
            asyncio.create_task(run_periodically(app.state.sessionmaker, interval, clock))
            if interval > 0
            else None
        )
        # Abandoned drafts and spent credentials expire on every worker; the sweep is idempotent.
        sweep = (
            asyncio.create_task(retention.run_periodically(app.state.sessionmaker, settings, clock))
            if settings.retention_sweep_interval_s > 0
            else None
        )
        # Approved applications get their contracts (and lessees an SMS) on every worker.
        contracts = (
            asyncio.create_task(
                contract_job.run_periodically(
                    app.state.sessionmaker,
                    pii,
                    catalogue,
                    sms_for,
                    settings.contract_job_interval_s,
                    clock,
                    settings.app_url,
                )
            )
            if settings.contract_job_interval_s > 0
            else None
        )
        # The payment provider's notifier (sandbox) and the query path, on every worker.
        payment_job = (
            asyncio.create_task(payments.run_periodically(app.state.sessionmaker, settings, clock))
            if settings.payments_job_interval_s > 0
            else None
        )
        # The daily servicing sweep: each business day once across workers (a lease row).
        servicing = (
            asyncio.create_task(
                servicing_sweep.run_periodically(
                    app.state.sessionmaker, sms_for, pii, settings.servicing_sweep_interval_s, clock
                )
            )
            if settings.servicing_sweep_interval_s > 0
            else None
        )
        # Monitoring: signal loss judged on every worker; partitions made ahead.
        monitoring = (
            asyncio.create_task(
                monitoring_job.run_periodically(
                    app.state.sessionmaker, settings.monitoring_job_interval_s, clock
                )
            )
            if settings.monitoring_job_interval_s > 0
            else None
        )
        # Floor-plan financing: each business day once across workers (a lease row).
        floorplan = (
            asyncio.create_task(
                floorplan_job.run_periodically(
                    app.state.sessionmaker, settings.floorplan_job_interval_s, clock
                )
            )
            if settings.floorplan_job_interval_s > 0
            else None
        )
        # The JT/T 808 and MQTT roads into the monitoring pipeline, when configured.
        gateway = (
            Jt808Gateway(app.state.sessionmaker, clock, host=settings.jt808_host,
                         port=settings.jt808_port, idle_timeout_s=settings.jt808_idle_timeout_s,
                         max_connections=settings.jt808_max_connections)
            if settings.jt808_port > 0
            else None
        )  # fmt: skip
        if gateway is not None:
            await gateway.start()
        mqtt = (
            asyncio.create_task(
                mqtt_road.run_as_host_leader(
                    mqtt_road.MqttRoad(
                        app.state.sessionmaker, clock, settings.secret_key,
                        mqtt_road.broker_of(settings.mqtt_url, settings.mqtt_username,
                                            settings.mqtt_password),
                        prefix=settings.mqtt_topic_prefix,
                        client_id=settings.mqtt_client_id or mqtt_road.default_client_id(),
                        share_group=settings.mqtt_share_group,
                    ),
                    settings.data_dir / "run",
                )
            )
            if settings.mqtt_url
            else None
        )  # fmt: skip
        # Partner webhooks: every worker sends what is due; a row is claimed by one at a time.
        webhook_job = (
            asyncio.create_task(
                webhooks.run_periodically(
                    webhooks.Worker.for_settings(app.state.sessionmaker, settings, pii, clock),
                    settings.webhook_job_interval_s,
                )
            )
            if settings.webhook_job_interval_s > 0
            else None
        )
        # Large statement exports: every worker polls; a job is claimed by one at a time.
        export_job = (
            asyncio.create_task(
                statement_exports.run_periodically(
                    app.state.sessionmaker, settings, clock, settings.statement_export_interval_s
                )
            )
            if settings.statement_export_interval_s > 0
            else None
        )
        # The assistant's matching index, built off the event loop while the worker starts.
        index = (
            asyncio.create_task(warm_up_assistant(app.state.sessionmaker))
            if settings.assistant_index_on_start
            else None
        )
        frozen = asyncio.create_task(freeze_start_up(index))
        sequencer = asyncio.create_task(
            run_sequencer(
                app.state.sessionmaker,
                signer,
                clock,
                settings.audit_link_interval_s,
                settings.audit_checkpoint_interval_s,
            )
        )
        try:
            yield
        finally:
            sequencer.cancel()
            frozen.cancel()
            gc.unfreeze()  # a process that starts another app (tests) collects this one's
            for task in (
                job,
                sweep,
                contracts,
                payment_job,
                servicing,
                monitoring,
                floorplan,
                mqtt,
                webhook_job,
                export_job,
                index,
            ):
                if task is not None:
                    task.cancel()
            if gateway is not None:
                await gateway.stop()
            for mount in reversed(mounts):
                await mount.stop()
            await engine.dispose()
            if reader is not None:
                await reader.dispose()

    openapi, docs_static = _docs()
    handlers: list[Any] = [
        healthz,
        AuthController,
        AuditController,
        *INTAKE_ROUTES,
        *RESIDUAL_ROUTES,
        *RISK_ROUTES,
        *PRODUCT_ROUTES,
        *LEDGER_ROUTES,
        *CONTRACT_ROUTES,
        *HALL_ROUTES,
        *payments.routes(settings),
        *SERVICING_ROUTES,
        *COLLECTIONS_ROUTES,
        *REMINDER_ROUTES,
        *MONITORING_ROUTES,
        *DEALER_ROUTES,
        *OEM_ROUTES,
        *REVENUE_SHARE_ROUTES,
        *FUNDER_ROUTES,
        *FLOORPLAN_ROUTES,
        *partners.routes(settings),
        *STATEMENT_ROUTES,
        *ASSISTANT_ROUTES,
        *(SANDBOX_ROUTES if settings.providers == "sandbox" else ()),
        docs_static,
        *(mount.route for mount in mounts),
    ]
    options = http_security.app_options(settings)  # headers, client address, CORS
    # The request's session never outlives it (backend/db/deps.py).
    options["before_send"] = [close_session, *options["before_send"]]
    app = Litestar(
        route_handlers=handlers,
        guards=[access_guard],
        before_request=check_request,  # JSON bodies and URLs checked once (backend/bodies.py)
        dependencies={
            "db": Provide(provide_db),
            "caller": Provide(provide_principal, sync_to_thread=False),
            "now": Provide(clock, sync_to_thread=False),  # the request's instant
            "checkpoint_keys": Provide(lambda: keys, sync_to_thread=False),
            # The services, injected by name (one of each per worker).
            "settings": Provide(lambda: settings, sync_to_thread=False),
            "pii": Provide(lambda: pii, sync_to_thread=False),
            "catalogue": Provide(lambda: catalogue, sync_to_thread=False),
            "residual": Provide(lambda: residual, sync_to_thread=False),
            "risk": Provide(lambda: risk, sync_to_thread=False),
            "otp": Provide(lambda: codes, sync_to_thread=False),
            "sms": Provide(provide_sms, sync_to_thread=False),
            # Loaded (or, in the sandbox, made) on the first seal or check, not at start-up.
            "trust": Provide(trust.material, sync_to_thread=False),
            # The assistant's embedding model: one per process, shared by the apps it builds.
            "embedder": Provide(lambda: EMBEDDER, sync_to_thread=False),
        },
        exception_handlers=EXCEPTION_HANDLERS,
        openapi_config=openapi,
        lifespan=[lifespan],
        request_max_body_size=settings.max_photo_bytes + 1024,
        debug=False,
        **options,
    )
    # Kept on the app for what runs outside a request: the guard, the lifespan's jobs, tests.
    app.state.settings = settings
    app.state.engine = engine
    app.state.reader_engine = reader
    app.state.sessionmaker = make_sessionmaker(engine, reader)
    app.state.pii = pii
    app.state.catalogue = catalogue
    app.state.risk = risk
    return app
