"""Talking to the assistant through the real API."""

from __future__ import annotations

from typing import Any

from litestar.testing import AsyncTestClient

Client = AsyncTestClient  # type: ignore[type-arg]


async def say(
    client: Client,
    text: str,
    conversation_id: str | None = None,
    headers: dict[str, str] | None = None,
    status: int = 200,
) -> dict[str, Any]:
    body: dict[str, Any] = {"text": text}
    if conversation_id is not None:
        body["conversation_id"] = conversation_id
    r = await client.post("/api/assistant/messages", json=body, headers=headers or {})
    assert r.status_code == status, r.text
    reply: dict[str, Any] = r.json()
    return reply


async def conversation(
    client: Client, reply: dict[str, Any], *lines: str, headers: dict[str, str] | None = None
) -> dict[str, Any]:
    """Go on with ``reply``'s conversation line by line; the last reply."""
    for line in lines:
        reply = await say(client, line, reply["conversation_id"], headers)
    return reply
