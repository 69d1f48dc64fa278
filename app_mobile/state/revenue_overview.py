"""The admin home's count of revenue-share months overdue 逾期未报 (its 分账报送 card), testable
without Flet.

The home is built again on every navigation (it lies beneath each screen opened from it) and on
a language switch. The count is asked of the server once per visit to the home — on its first
render with the home on top — and every other render shows what was counted: a render of the
same visit while the question is out waits for the same answer; the home beneath another screen
asks nothing. Coming back to the home is a new visit, and asks again (the count may have moved).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable


class OverdueMonths:
    def __init__(self) -> None:
        self.count: int | None = None  # the last answer (None: none yet)
        self._visit: int | None = None
        self._asked: asyncio.Future[int] | None = None

    async def for_render(
        self, visit: int, on_top: bool, ask: Callable[[], Awaitable[int]]
    ) -> int | None:
        """The count a render of the home shows. `visit`: the app's visit number (`App.visit`);
        `on_top`: the home is the screen shown. An `ApiError` of the question reaches each render
        of its visit (the next visit asks again); the last answer stays."""
        if not on_top:
            return self.count
        if self._asked is None or self._visit != visit:
            self._visit, self._asked = visit, asyncio.ensure_future(ask())
        # shielded: a render whose task is cancelled (the page closed) leaves the answer to others
        self.count = await asyncio.shield(self._asked)
        return self.count
