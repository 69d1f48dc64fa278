"""The assembled service: docs offline, health, masked logs."""

from __future__ import annotations

import logging

from backend.logs import JsonFormatter, mask_text


async def test_interactive_docs_are_served_without_a_cdn(client):
    page = await client.get("/docs")
    assert page.status_code == 200 and "/docs/static/swagger-ui-bundle.js" in page.text
    assert (await client.get("/docs/static/swagger-ui-bundle.js")).status_code == 200
    spec = (await client.get("/docs/openapi.json")).json()
    assert "/api/applications" in spec["paths"] and "/api/auth/login" in spec["paths"]


async def test_health(client):
    assert (await client.get("/healthz")).json() == {"status": "ok"}


def test_personal_data_is_masked_in_log_lines():
    text = "customer 11010519491231002X mobile 13812345678 company 91350100M000100Y43"
    masked = mask_text(text)
    assert "11010519491231002X" not in masked and "13812345678" not in masked
    assert "91350100M000100Y43" not in masked
    record = logging.LogRecord(
        "autolease", logging.INFO, "x", 1, "id %s", ("11010519491231002X",), None
    )
    assert "1101**********002X" in JsonFormatter().format(record)
