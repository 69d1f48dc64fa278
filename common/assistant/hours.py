"""When people answer 人工服务时间: every day 09:00–21:00 Asia/Shanghai, holidays included.
Outside these hours the assistant takes a callback request instead of a live handover."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from common.business_day import BUSINESS_TZ


@dataclass(frozen=True)
class ServiceHours:
    opens: time = time(9, 0)
    closes: time = time(21, 0)

    def is_open(self, at: datetime) -> bool:
        local = at.astimezone(BUSINESS_TZ).time()
        return self.opens <= local < self.closes

    def next_opening(self, at: datetime) -> datetime:
        """The next instant people answer (``at`` itself while open), in Asia/Shanghai."""
        local = at.astimezone(BUSINESS_TZ)
        if self.is_open(at):
            return local
        day = local.date() if local.time() < self.opens else local.date() + timedelta(days=1)
        return datetime.combine(day, self.opens, tzinfo=BUSINESS_TZ)

    def text(self) -> str:
        return f"每天 {self.opens:%H:%M}–{self.closes:%H:%M}（北京时间）"


SERVICE_HOURS = ServiceHours()
