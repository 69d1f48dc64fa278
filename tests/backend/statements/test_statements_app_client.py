"""The app's API client on the statements: the dealer reads its statement and months, a small
export is a link, a large one a job it follows to its link (the client the phone screen uses)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app_mobile.api import ApiClient, ApiError
from backend.db.session import make_engine, make_sessionmaker
from backend.statements import exports
from common.api.statements import DownloadLink, ExportJobView, ExportStatus, StatementFormat
from common.business_day import business_date
from tests.backend.servicing.helpers import active


async def test_the_phone_client_reads_exports_and_follows_a_job(client, settings, monkeypatch):
    contract, _ = await active(client, settings)
    api = ApiClient(str(client.base_url), http=client)
    await api.login("dealer", "demo")
    today = business_date(datetime.now(UTC))
    start = today.replace(day=1)
    s = await api.dealer_statement(start, today)
    assert [r.document for r in s.rows] == [contract["number"]] * 3 and s.closing == 0
    assert await api.dealer_statement_months() == []  # funded this month: nothing closed
    small = await api.dealer_statement_link(start, today, StatementFormat.PDF)
    assert isinstance(small, DownloadLink) and "token=" in small.url
    monkeypatch.setattr(exports, "JOB_THRESHOLD", 2)
    job = await api.dealer_statement_link(start, today, StatementFormat.CSV)
    assert isinstance(job, ExportJobView) and job.status is ExportStatus.QUEUED
    with pytest.raises(ApiError) as not_yet:
        await api.dealer_statement_export_link(job.id)
    assert not_yet.value.code == "statement_export_not_ready"
    engine = make_engine(settings.database_url)
    assert await exports.run_once(make_sessionmaker(engine), settings,
                                  lambda: datetime.now(UTC)) == "done"  # fmt: skip
    await engine.dispose()
    assert (await api.dealer_statement_export(job.id)).progress == 100
    assert "token=" in (await api.dealer_statement_export_link(job.id)).url
