"""The baseline for the request path: a bare Litestar POST that decodes a small JSON body and
writes one row, on the database given (SQLite through one connection, as the service does, or
PostgreSQL with a pool), served by uvicorn as `autolease serve` serves the API (h11 with its bound
on request heads, uvloop). Run: python bench/baseline_app.py PORT DATABASE_URL"""

from __future__ import annotations

import sys
from pathlib import Path

import msgspec
import sqlalchemy as sa
import uvicorn
from litestar import Litestar, get, post

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from backend.commands.serve import server_options  # the service's own server settings
from backend.db.session import make_engine  # the service's own engine settings
from backend.settings import Settings

URL = sys.argv[2]
engine = make_engine(URL)
rows = sa.Table(
    "bench_rows",
    sa.MetaData(),
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(50)),
    sa.Column("note", sa.String(200)),
)


class Row(msgspec.Struct, forbid_unknown_fields=True):
    name: str
    note: str


@get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@post("/write", status_code=201)
async def write(data: Row) -> dict[str, int]:
    async with engine.begin() as conn:
        result = await conn.execute(rows.insert().values(name=data.name, note=data.note))
    return {"id": int(result.inserted_primary_key[0])}


async def _create() -> None:
    async with engine.begin() as conn:
        await conn.run_sync(rows.metadata.create_all)


app = Litestar([healthz, write], on_startup=[_create])

if __name__ == "__main__":
    uvicorn.run(app, **server_options("127.0.0.1", int(sys.argv[1]), Settings().max_header_bytes))
