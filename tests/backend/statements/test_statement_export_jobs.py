"""Large statement exports run as jobs: more rows than the threshold answers 202 with a queued
job instead of the file; a worker claims it (one worker per job, a dead worker's job is taken
over when its lease passes and the old claim can write nothing), shows progress while it
builds, and the finished file downloads through a short-lived link. Another dealer's job is
404. (The threshold is lowered here so a single funded lease, three rows, is "large".)"""

from __future__ import annotations

import asyncio
import io
import threading
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import openpyxl
import pytest
from sqlalchemy import update

from backend.db.models import StatementExport
from backend.db.session import make_engine, make_sessionmaker
from backend.statements import exports
from common.business_day import business_date
from tests.backend.helpers import login
from tests.backend.servicing.helpers import active

URL = "/api/dealer/statements"


@pytest.fixture
def small_threshold(monkeypatch):
    monkeypatch.setattr(exports, "JOB_THRESHOLD", 2)


@pytest.fixture
async def sessions(client, settings):
    engine = make_engine(settings.database_url)
    yield make_sessionmaker(engine)
    await engine.dispose()


def _range() -> dict[str, str]:
    today = business_date(datetime.now(UTC))
    return {"from": today.replace(day=1).isoformat(), "to": today.isoformat()}


def _now() -> datetime:
    return datetime.now(UTC)


async def _queued(client, settings, fmt: str = "xlsx") -> tuple[dict, dict]:
    await active(client, settings)
    dealer = await login(client, "dealer")
    r = await client.get(URL, params={**_range(), "format": fmt}, headers=dealer)
    assert r.status_code == 202, r.text
    return r.json(), dealer


async def test_a_large_export_is_a_job_that_downloads_when_done(
    client, settings, sessions, small_threshold
):
    job, dealer = await _queued(client, settings)
    assert (job["status"], job["progress"], job["rows"], job["format"]) == ("queued", 0, 3, "xlsx")
    show = f"{URL}/exports/{job['id']}"
    assert (await client.get(show, headers=dealer)).json()["status"] == "queued"
    r = await client.post(f"{show}/link", headers=dealer)
    assert r.status_code == 409 and r.json()["code"] == "statement_export_not_ready"
    west = await login(client, "dealer2")
    for method, path in (("GET", show), ("POST", f"{show}/link"), ("GET", f"{show}/file")):
        r = await client.request(method, path, headers=west)
        assert r.status_code == 404 and r.json()["code"] == "statement_export_not_found"

    assert await exports.run_once(sessions, settings, _now) == "done"
    assert await exports.run_once(sessions, settings, _now) is None  # nothing else is due
    done = (await client.get(show, headers=dealer)).json()
    assert (done["status"], done["progress"], done["rows"]) == ("done", 100, 3)
    assert done["finished_at"] is not None
    admin = await login(client, "admin")
    assert (await client.get(show, headers=admin)).status_code == 200
    r = await client.post(f"{show}/link", headers=dealer)
    assert r.status_code == 200, r.text
    url = urlsplit(r.json()["url"])
    got = await client.get(f"{url.path}?{url.query}")  # the browser, without the bearer
    assert got.status_code == 200 and "attachment" in got.headers["content-disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(got.content))["对账单"]
    assert [sheet.cell(row=r, column=2).value for r in (8, 9, 10)] == [
        "起租应付车款", "代收首付款", "支付车款",
    ]  # fmt: skip
    token = url.query.rsplit("token=", 1)[1]
    other = f"{URL}?{'&'.join(f'{k}={v}' for k, v in _range().items())}&format=csv&token={token}"
    assert (await client.get(other)).status_code == 404  # the job's link opens the job only


async def test_the_link_request_starts_the_job_for_a_large_statement(
    client, settings, small_threshold
):
    await active(client, settings)
    dealer = await login(client, "dealer")
    r = await client.post(f"{URL}/link", json={**_range(), "format": "pdf"}, headers=dealer)
    assert r.status_code == 202 and r.json()["status"] == "queued", r.text


async def test_one_worker_claims_a_job_and_a_dead_workers_job_is_taken_over(
    client, settings, sessions, small_threshold
):
    job, _ = await _queued(client, settings, "csv")
    async with sessions() as a, sessions() as b:
        first = await exports.claim(a, _now())
        await a.commit()
        assert first is not None and first[0] == job["id"]
        assert await exports.claim(b, _now()) is None  # claimed: not due for anyone else
        await b.commit()
    async with sessions() as db:  # the first worker died: its lease runs out
        await db.execute(update(StatementExport).values(locked_until=_now() - timedelta(1)))
        await db.commit()
    async with sessions() as db:
        second = await exports.claim(db, _now())
        await db.commit()
    assert second is not None and second[1] != first[1]
    # the dead worker comes back: under its old claim it can finish nothing
    assert await exports.build(sessions, settings, _now, *first) == "lost_claim"
    assert await exports.build(sessions, settings, _now, *second) == "done"
    assert (
        (settings.data_dir / "statements" / f"{job['id']}.csv")
        .read_bytes()
        .startswith(b"\xef\xbb\xbf")
    )


async def test_progress_is_shown_while_the_file_is_built(
    client, settings, sessions, small_threshold, monkeypatch
):
    job, dealer = await _queued(client, settings, "csv")
    halfway, go_on = threading.Event(), threading.Event()

    def slow_csv(s, name, at, on_rows=None):
        on_rows(len(s.rows) // 2 + 1)
        halfway.set()
        go_on.wait(10)
        return b"done"

    monkeypatch.setitem(exports.RENDERERS, "csv", slow_csv)
    monkeypatch.setattr(exports, "PROGRESS_EVERY_S", 0.05)
    worker = asyncio.create_task(exports.run_once(sessions, settings, _now))
    seen = []
    for _ in range(100):
        await asyncio.sleep(0.05)
        seen.append((await client.get(f"{URL}/exports/{job['id']}", headers=dealer)).json())
        if seen[-1]["progress"] > 5:
            break
    go_on.set()
    assert await worker == "done"
    assert seen[-1]["status"] == "running" and 5 < seen[-1]["progress"] < 100


async def test_a_build_that_breaks_marks_the_job_failed(
    client, settings, sessions, small_threshold, monkeypatch
):
    job, dealer = await _queued(client, settings, "pdf")

    def broken(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setitem(exports.RENDERERS, "pdf", broken)
    assert await exports.run_once(sessions, settings, _now) == "failed"
    shown = (await client.get(f"{URL}/exports/{job['id']}", headers=dealer)).json()
    assert (shown["status"], shown["error"]) == ("failed", "statement_export_failed")
