"""The baseline: a bare Litestar hello-world endpoint under the same uvicorn settings."""

from __future__ import annotations

import sys

import uvicorn
from litestar import Litestar, get, post


@get("/healthz")
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@post("/hello", status_code=200)
async def hello(data: dict[str, str]) -> dict[str, str]:
    return {"hello": data.get("name", "world")}


if __name__ == "__main__":
    uvicorn.run(
        Litestar([healthz, hello]), host="127.0.0.1", port=int(sys.argv[1]), log_level="warning"
    )
