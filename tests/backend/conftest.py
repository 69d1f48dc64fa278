"""The real app, in-process, against a migrated database on each engine (SQLite and PostgreSQL).

The schema is migrated once per engine per session with Alembic (so migrations are tested too);
every test starts from empty tables plus the demo organisations and accounts, and an empty data
directory. The app itself is built once per settings and clock and started afresh for each test:
building it (registering some 330 routes) costs more than most tests do.
"""

from __future__ import annotations

import asyncio
import base64
import os
import shutil
import uuid
from collections import OrderedDict
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa
from litestar import Litestar
from litestar.testing import AsyncTestClient
from sqlalchemy.ext.asyncio import create_async_engine

from backend.app import create_app
from backend.clock import Clock, system_clock
from backend.db.base import Base
from backend.db.migrate import upgrade
from backend.db.session import make_engine, make_sessionmaker
from backend.seed import seed_demo
from backend.settings import Settings

PG_URL = os.environ.get(
    "AUTOLEASE_TEST_PG_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)
TEST_PII_KEY = base64.b64encode(b"test-pii-key-of-exactly-32-bytes").decode()
TEST_AUDIT_KEY = base64.b64encode(bytes(range(32))).decode()  # the Ed25519 seed 0, 1, ... 31
ENGINES = [e for e in os.environ.get("AUTOLEASE_TEST_ENGINES", "sqlite,postgres").split(",") if e]


async def _ddl(sql: str) -> None:
    engine = create_async_engine(PG_URL, isolation_level="AUTOCOMMIT")
    async with engine.connect() as conn:
        await conn.execute(sa.text(sql))
    await engine.dispose()


@contextmanager
def scratch_database(engine: str, directory: Path) -> Iterator[str]:
    """An empty database of its own: a SQLite file in ``directory``, or a PostgreSQL database made
    for this run (parallel runs on one server never see each other's rows) and dropped after."""
    if engine == "sqlite":
        yield f"sqlite+aiosqlite:///{directory / 'test.db'}"
        return
    name = f"autolease_t_{uuid.uuid4().hex[:10]}"
    asyncio.run(_ddl(f"CREATE DATABASE {name}"))
    try:
        yield PG_URL.rsplit("/", 1)[0] + f"/{name}"
    finally:
        asyncio.run(_ddl(f"DROP DATABASE {name} WITH (FORCE)"))


@pytest.fixture(scope="session", params=ENGINES)
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    with scratch_database(request.param, tmp_path_factory.mktemp("db")) as url:
        upgrade(url)
        yield url


@pytest.fixture(scope="session")
def seal_trust_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One demo CA for the whole run (RSA keys take about a second to make)."""
    return tmp_path_factory.mktemp("trust")


@pytest.fixture(scope="session")
def data_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("data")


KEPT = {"payments-sandbox"}  # the sandbox's key pair: made once, cached by path in-process


@pytest.fixture
def data_dir(data_root: Path, database_url: str) -> Path:
    """The app's data directory (photos, contracts, exports), emptied for each test but for the
    sandbox's keys: one path per engine, so that settings, and the app built on them, stay the
    same from test to test."""
    directory = data_root / ("postgres" if database_url.startswith("postgresql") else "sqlite")
    directory.mkdir(exist_ok=True)
    for entry in directory.iterdir():
        if entry.name in KEPT:
            continue
        if entry.is_dir():
            shutil.rmtree(entry)
        else:
            entry.unlink()
    return directory


@pytest.fixture
def settings(database_url: str, data_dir: Path, seal_trust_dir: Path) -> Settings:
    return Settings(
        database_url=database_url,
        data_dir=data_dir,
        secret_key="test-secret-of-at-least-32-bytes-long",
        pii_key=TEST_PII_KEY,
        public_url="http://testserver.local",
        audit_signing_key=TEST_AUDIT_KEY,
        audit_link_interval_s=3600,  # tests link explicitly; no background run races them
        contract_job_interval_s=0,  # tests generate contracts (and run the job) explicitly
        payments_job_interval_s=0,  # tests run the payment job (notifier, query path) explicitly
        servicing_sweep_interval_s=0,  # tests run the sweep's days explicitly
        monitoring_job_interval_s=0,  # tests run the silence sweep explicitly
        floorplan_job_interval_s=0,  # tests run the floor-plan days explicitly
        webhook_job_interval_s=0,  # tests run the webhook worker explicitly
        statement_export_interval_s=0,  # tests run the statement export worker explicitly
        assistant_index_on_start=False,  # built by the first assistant test that asks
        trust_dir=seal_trust_dir,
    )


async def _reset(url: str) -> None:
    engine = make_engine(url)
    async with engine.begin() as conn:
        for table in reversed(Base.metadata.sorted_tables):
            await conn.execute(table.delete())
    async with make_sessionmaker(engine)() as db:
        await seed_demo(db)
    await engine.dispose()


@pytest.fixture
def clock() -> Clock:
    """The service's clock; a module that needs a chosen instant overrides this fixture."""
    return system_clock


_APPS: OrderedDict[tuple[Settings, Clock], Litestar] = OrderedDict()


def app_for(settings: Settings, clock: Clock) -> Litestar:
    """The app for these settings and this clock: built once, kept for the next tests that use
    the same (the last few; a module's own clock or settings make their own). Its lifespan
    starts and stops with each test's client, so no connection or job outlives a test."""
    key = (settings, clock)
    try:
        app = _APPS.pop(key)
    except KeyError:
        app = create_app(settings, clock=clock)
    except TypeError:  # a clock that cannot be a key: built for this test alone
        return create_app(settings, clock=clock)
    _APPS[key] = app
    while len(_APPS) > 4:
        _APPS.popitem(last=False)
    return app


@pytest.fixture
async def client(settings: Settings, clock: Clock) -> AsyncIterator[AsyncTestClient]:  # type: ignore[type-arg]
    await _reset(settings.database_url)
    app = app_for(settings, clock)
    async with AsyncTestClient(app=app, base_url="http://testserver.local") as c:
        yield c
