"""`autolease db upgrade`: apply the schema migrations to AUTOLEASE_DATABASE_URL."""

from __future__ import annotations

import argparse

from backend.db.migrate import upgrade
from backend.settings import Settings


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("db", help="database schema")
    p.add_argument("action", choices=["upgrade"])
    p.add_argument("--revision", default="head")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    settings = Settings.from_env()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    upgrade(settings.database_url, args.revision)
    print(f"database at revision {args.revision}")
    return 0
