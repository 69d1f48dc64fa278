"""Sign-in limiting that holds across workers and under concurrency.

Three buckets, each a counter row in `login_throttle` with a fixed window:
- an account from one client address: `login_max_failures` per `login_window_s` (5 / 15 min), so
  a stranger elsewhere cannot lock a user out;
- one client address across usernames: `login_max_per_address` per `login_window_s` (20 / 15 min);
- an account from anywhere: `login_max_per_account` per `login_account_window_s` (50 / hour), the
  slower backoff against many addresses.

An attempt takes a place in every bucket *before* the password is checked, each with one atomic
`INSERT .. ON CONFLICT DO UPDATE .. WHERE attempts < limit RETURNING`, so concurrent attempts are
counted one by one (PostgreSQL locks the row; SQLite has one writer). A refused attempt takes no
place (its transaction rolls back); a successful sign-in gives its places back. Keys are keyed
hashes of the normalised username and the address: the typed text is never stored.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, delete, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from backend.db.models import LoginThrottle
from backend.security.pii import PiiCipher
from backend.settings import Settings
from common.errors import DomainError

SWEEP_ROWS = 500


class LoginRateLimited(DomainError):
    status = 429

    def __init__(self, retry_after_s: int) -> None:
        super().__init__(
            "login_rate_limited",
            "登录失败次数过多，请稍后再试",
            "Too many failed sign-ins; try again later",
        )
        self.retry_after_s = retry_after_s


@dataclass(frozen=True)
class Bucket:
    scope: str
    key: str
    limit: int
    window_s: int


def buckets(settings: Settings, pii: PiiCipher, username: str, address: str) -> list[Bucket]:
    """In a fixed order, so concurrent attempts lock rows in the same order (no deadlock)."""
    account = username.strip().casefold()
    return [
        Bucket(
            "account_address",
            pii.lookup_hash(f"{account}\x00{address}", context="login.account_address"),
            settings.login_max_failures,
            settings.login_window_s,
        ),
        Bucket(
            "address",
            pii.lookup_hash(address, context="login.address"),
            settings.login_max_per_address,
            settings.login_window_s,
        ),
        Bucket(
            "account",
            pii.lookup_hash(account, context="login.account"),
            settings.login_max_per_account,
            settings.login_account_window_s,
        ),
    ]


async def take(db: AsyncSession, bucket: Bucket, now: datetime) -> bool:
    """One place in ``bucket`` (False: it is full until its window ends); other limits, such as
    the assistant's for visitors, count in the same table under their own scope."""
    dialect = db.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    stmt = insert(LoginThrottle).values(
        key=bucket.key,
        scope=bucket.scope,
        attempts=1,
        window_ends=now + timedelta(seconds=bucket.window_s),
    )
    expired = LoginThrottle.window_ends <= now
    upsert = stmt.on_conflict_do_update(
        index_elements=["key"],
        set_={
            "attempts": case((expired, 1), else_=LoginThrottle.attempts + 1),
            "window_ends": case(
                (expired, stmt.excluded.window_ends), else_=LoginThrottle.window_ends
            ),
        },
        where=or_(expired, LoginThrottle.attempts < bucket.limit),
    ).returning(LoginThrottle.attempts)
    return (await db.execute(upsert)).scalar_one_or_none() is not None


async def reserve(db: AsyncSession, taken: list[Bucket], now: datetime) -> None:
    """Takes a place in every bucket and commits, or raises LoginRateLimited having taken none."""
    for bucket in taken:
        if not await take(db, bucket, now):
            ends = await db.scalar(
                select(LoginThrottle.window_ends).where(LoginThrottle.key == bucket.key)
            )
            await db.rollback()
            wait = (ends - now).total_seconds() if ends is not None else bucket.window_s
            raise LoginRateLimited(max(1, math.ceil(wait)))
    await db.commit()


async def release(db: AsyncSession, taken: list[Bucket], now: datetime) -> None:
    """After a successful sign-in: this account and address start afresh; the shared buckets get
    back the place this attempt took; a few expired counters are swept. The caller commits."""
    first, *shared = taken
    await db.execute(delete(LoginThrottle).where(LoginThrottle.key == first.key))
    for bucket in shared:
        await db.execute(
            update(LoginThrottle)
            .where(LoginThrottle.key == bucket.key, LoginThrottle.attempts > 0)
            .values(attempts=LoginThrottle.attempts - 1)
        )
    # Rows another sign-in holds are skipped (PostgreSQL): the sweep never waits, so it cannot
    # deadlock with the buckets taken in order above.
    expired = (
        select(LoginThrottle.key)
        .where(LoginThrottle.window_ends <= now)
        .limit(SWEEP_ROWS)
        .with_for_update(skip_locked=True)
    )
    await db.execute(delete(LoginThrottle).where(LoginThrottle.key.in_(expired.scalar_subquery())))


async def forget_past_windows(db: AsyncSession, now: datetime) -> int:
    """Delete the counters of windows that are over (a new attempt starts a new one anyway)."""
    gone = await db.execute(delete(LoginThrottle).where(LoginThrottle.window_ends <= now))
    return int(getattr(gone, "rowcount", 0) or 0)
