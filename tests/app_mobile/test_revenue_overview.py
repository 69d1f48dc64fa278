"""The admin home's count of overdue revenue-share months is asked once per visit to the home:
not again when the home is rendered again in the same visit (even while the question is out),
not at all beneath another screen, and again on coming back to the home."""

from __future__ import annotations

import asyncio

import pytest

from app_mobile.api import ApiError
from app_mobile.state.revenue_overview import OverdueMonths


class Server:
    """Answers the overview's count, and says how often it was asked."""

    def __init__(self, *answers: int | ApiError) -> None:
        self.answers = list(answers)
        self.asked = 0
        self.gate = asyncio.Event()
        self.gate.set()

    async def ask(self) -> int:
        self.asked += 1
        await self.gate.wait()
        answer = self.answers.pop(0)
        if isinstance(answer, ApiError):
            raise answer
        return answer


async def test_one_question_per_visit_to_the_home() -> None:
    server, home = Server(3, 1), OverdueMonths()
    assert await home.for_render(1, True, server.ask) == 3
    assert await home.for_render(1, True, server.ask) == 3  # a language switch: same visit
    assert server.asked == 1
    # a screen opened from the home: the home beneath it shows the count, asking nothing
    assert await home.for_render(2, False, server.ask) == 3
    assert server.asked == 1
    assert await home.for_render(3, True, server.ask) == 1  # back home: asked again
    assert server.asked == 2


async def test_renders_of_a_visit_wait_for_the_one_question_out() -> None:
    server, home = Server(2), OverdueMonths()
    server.gate.clear()
    first = asyncio.ensure_future(home.for_render(1, True, server.ask))
    second = asyncio.ensure_future(home.for_render(1, True, server.ask))
    await asyncio.sleep(0)
    server.gate.set()
    assert await asyncio.gather(first, second) == [2, 2]
    assert server.asked == 1


async def test_a_refusal_is_said_for_the_visit_and_the_next_visit_asks_again() -> None:
    refused = ApiError(503, "unavailable", "服务暂不可用")
    server, home = Server(4, refused, 0), OverdueMonths()
    assert await home.for_render(1, True, server.ask) == 4
    for _ in range(2):  # the render and a re-render of the visit: one question, one refusal
        with pytest.raises(ApiError):
            await home.for_render(2, True, server.ask)
    assert server.asked == 2 and home.count == 4  # the last answer stays
    assert await home.for_render(2, False, server.ask) == 4
    assert await home.for_render(3, True, server.ask) == 0
    assert server.asked == 3


async def test_nothing_is_asked_before_the_home_is_shown() -> None:
    server, home = Server(), OverdueMonths()
    assert await home.for_render(1, False, server.ask) is None  # a deep link to a screen
    assert server.asked == 0
