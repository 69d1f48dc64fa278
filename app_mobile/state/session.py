"""What the app keeps on the device 本机存储: the session tokens, the language, the intake draft.

Only tokens are kept for the session (no personal data). The intake draft copy exists so a reload
or a lost connection loses nothing; it is removed when the application is submitted or the clerk
signs out.
"""

from __future__ import annotations

from typing import Protocol

ACCESS_KEY = "autolease.access_token"
REFRESH_KEY = "autolease.refresh_token"
LANGUAGE_KEY = "autolease.language"
DRAFT_PREFIX = "autolease.draft."


class KeyValueStore(Protocol):
    """The subset of flet.SharedPreferences the app uses (and what tests fake)."""

    async def get(self, key: str) -> object: ...
    async def set(self, key: str, value: str) -> bool: ...
    async def remove(self, key: str) -> bool: ...
    async def get_keys(self, key_prefix: str) -> list[str]: ...


class SessionStore:
    def __init__(self, backend: KeyValueStore) -> None:
        self.backend = backend

    async def _text(self, key: str) -> str | None:
        value = await self.backend.get(key)
        return value if isinstance(value, str) and value else None

    async def tokens(self) -> tuple[str | None, str | None]:
        return await self._text(ACCESS_KEY), await self._text(REFRESH_KEY)

    async def keep_tokens(self, access: str, refresh: str) -> None:
        await self.backend.set(ACCESS_KEY, access)
        await self.backend.set(REFRESH_KEY, refresh)

    async def clear_tokens(self) -> None:
        await self.backend.remove(ACCESS_KEY)
        await self.backend.remove(REFRESH_KEY)
        for key in await self.backend.get_keys(DRAFT_PREFIX):
            await self.backend.remove(key)

    async def language(self) -> str:
        return await self._text(LANGUAGE_KEY) or "zh"

    async def keep_language(self, language: str) -> None:
        await self.backend.set(LANGUAGE_KEY, language)

    async def draft(self, user_id: str) -> str | None:
        return await self._text(DRAFT_PREFIX + user_id)

    async def keep_draft(self, user_id: str, text: str) -> None:
        await self.backend.set(DRAFT_PREFIX + user_id, text)

    async def drop_draft(self, user_id: str) -> None:
        await self.backend.remove(DRAFT_PREFIX + user_id)
