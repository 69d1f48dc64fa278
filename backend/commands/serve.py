"""`autolease serve` (migrate, then run) and `autolease demo` (the same, SQLite, demo data)."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from pathlib import Path

from backend.commands import demo_keys
from backend.db.migrate import upgrade
from backend.providers.registry import providers_problem
from backend.settings import Settings


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    for name, help_text in (
        ("serve", "run the API (and the app at /app); applies migrations first"),
        ("demo", "run everything on SQLite with demo organisations and accounts (password: demo)"),
    ):
        p = sub.add_parser(name, help=help_text)
        p.add_argument("--host", default="127.0.0.1")
        p.add_argument("--port", type=int, default=8000)
        p.add_argument("--no-app", action="store_true", help="serve the API only")
        p.add_argument(
            "--workers", type=int, default=1, help="worker processes (PostgreSQL; SQLite wants 1)"
        )
        if name == "demo":
            p.add_argument("--data-dir", type=Path, default=Path("data/demo"))
        p.set_defaults(handler=run, demo=name == "demo")


def settings_for(args: argparse.Namespace, env: dict[str, str] | None = None) -> Settings:
    env = dict(os.environ if env is None else env)
    settings = Settings.from_env(env)
    if args.demo:
        data_dir = args.data_dir.resolve()
        moved = demo_keys.set_aside_keyless_data(data_dir)
        if moved is not None:
            print(f"demo data from before the demo had its own keys moved to {moved}")
        settings = settings.with_(
            data_dir=data_dir,
            database_url=f"sqlite+aiosqlite:///{data_dir / 'autolease.db'}",
            **demo_keys.load_or_create(data_dir),
        )
    if "AUTOLEASE_PUBLIC_URL" not in env:
        host = "127.0.0.1" if args.host in ("0.0.0.0", "::") else args.host  # noqa: S104
        settings = settings.with_(public_url=f"http://{host}:{args.port}")
    return settings.with_(serve_app=settings.serve_app and not args.no_app)


async def _seed(settings: Settings) -> tuple[bool, int]:
    """Accounts on an empty database, then demo applications decided by the real rule engine."""
    from backend.db.session import make_engine, make_sessionmaker
    from backend.seed import seed_demo, seed_demo_data

    engine = make_engine(settings.database_url)
    try:
        async with make_sessionmaker(engine)() as db:
            accounts = await seed_demo(db)
            return accounts, await seed_demo_data(db, settings)
    finally:
        await engine.dispose()


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from backend.app import create_app

    settings = settings_for(args)
    problem = settings.key_problem() or providers_problem(settings.providers)
    if problem is not None:
        print(f"autolease serve: {problem}; refusing to start", file=sys.stderr)
        return 2
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    upgrade(settings.database_url)
    if args.demo:
        accounts, applications = asyncio.run(_seed(settings))
        if accounts:
            print(
                "demo accounts: staff, staff2, dealer, dealer2, lessee, risk, monitor, admin"
                " (password: demo)"
            )
        if applications:
            print(f"demo applications filed and decided: {applications}")
    base = settings.public_url
    print(
        f"AutoLease is running.\n  API docs: {base}/docs\n"
        + (f"  App:      {base}/app\n" if settings.serve_app else ""),
        flush=True,
    )
    options = {
        "host": args.host,
        "port": args.port,
        "log_level": "warning",
        "ws": "websockets-sansio",  # the Flet app talks over a websocket at /app/ws
        "http": "h11",  # httptools takes request heads of any size; h11 has a bound
        "h11_max_incomplete_event_size": settings.max_header_bytes,
        # X-Forwarded-* are read by the app itself, and only from AUTOLEASE_TRUSTED_PROXIES.
        "proxy_headers": False,
        "server_header": False,
    }
    if args.workers > 1:
        # Each worker builds its own app from the environment (a process cannot share one).
        os.environ.update(settings.to_env())
        uvicorn.run("backend.app:create_app", factory=True, workers=args.workers, **options)
    else:
        uvicorn.run(create_app(settings), **options)
    return 0
