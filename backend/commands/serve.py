"""`autolease serve` (migrate, then run) and `autolease demo` (the same, SQLite, demo data)."""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from pathlib import Path

from backend.db.migrate import upgrade
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


def settings_for(args: argparse.Namespace) -> Settings:
    settings = Settings.from_env()
    if args.demo:
        data_dir = args.data_dir.resolve()
        settings = settings.with_(
            data_dir=data_dir, database_url=f"sqlite+aiosqlite:///{data_dir / 'autolease.db'}"
        )
    public = f"http://{'127.0.0.1' if args.host in ('0.0.0.0', '::') else args.host}:{args.port}"  # noqa: S104
    return settings.with_(public_url=public, serve_app=settings.serve_app and not args.no_app)


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
    if not args.demo and settings.uses_dev_secret:
        print(
            "WARNING: AUTOLEASE_SECRET_KEY is not set; tokens are signed with the public"
            " development key. Set it (and AUTOLEASE_PII_KEY) before real use.",
            file=sys.stderr,
        )
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
    }
    if args.workers > 1:
        # Each worker builds its own app from the environment (a process cannot share one).
        os.environ.update(settings.to_env())
        uvicorn.run("backend.app:create_app", factory=True, workers=args.workers, **options)
    else:
        uvicorn.run(create_app(settings), **options)
    return 0
