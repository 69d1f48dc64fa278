"""The fen core of every schedule: principal and interest parts in integer fen, exactly.

Interest on a regular month is `div_half_up(balance_fen * num, den)` for the exact monthly rate
num/den (annual % / 1200): computed exactly, rounded once. Nothing here touches `Decimal`.

Rounding residue (stated once). The exact level rent R* is rational; the rent charged is R*
rounded half up to the fen, R. Paying R every month, the last instalment absorbs what is left.
That residue grows like half a fen x ((1+r)^n - 1) / r: a few tens of fen on a 36-month lease,
but millions of yuan at 60 % over 360 months, where R even falls below the first period's
interest. So:

- LEVEL: every rent is R and the last absorbs the residue, when that residue is at most
  `RESIDUE_LIMIT_FEN` and no row repays negative principal (the worked examples: 3,042.19 x 35,
  then 3,042.36);
- TRACKED otherwise: each balance is the exact balance rounded half up, so every rent is within
  two fen of R* (the last included) and principal never goes negative (the exact balance falls
  every month). Equal principal and flat do the same with the principal parts
  (round(k P / n) - round((k-1) P / n)).

A `level` given by the caller (keep the rent, shorten the term) is always honoured as LEVEL.
"""

from __future__ import annotations

from itertools import pairwise
from typing import NamedTuple

from common.money import div_half_up

RESIDUE_LIMIT_FEN = 50  # ¥0.50: beyond it the level rent gives way to the tracked balance


class Rows(NamedTuple):
    principal: list[int]
    interest: list[int]
    rent: int  # the level rent (annuity, balloon, flat) or principal part (equal principal)
    tracked: bool


def exact_rent(
    p: int, n: int, num: int, den: int, balloon: int, advance: bool, at_end: bool
) -> tuple[int, int]:
    """The exact level rent R* = (numerator, denominator) that brings `p` to `balloon`.

    Arrears: P = R a(n) + B v^n. In advance (first rent at signing): P = R ä(n) + B v^n with the
    balloon at the term end (`at_end`, Excel PMT type 1), or B v^(n-1) with the last rent."""
    if num == 0:
        return p - balloon, n
    a = den + num  # 1 + r = a / den
    an, bn = a**n, den**n
    if not advance:
        return (p * an - balloon * bn) * num, den * (an - bn)
    if at_end:
        return (p * an - balloon * bn) * num, a * (an - bn)
    return (p * an - balloon * (bn // den) * a) * num, a * (an - bn)


def annuity_rows(
    p: int,
    n: int,
    num: int,
    den: int,
    *,
    balloon: int = 0,
    advance: bool = False,
    at_end: bool = False,
    level: int | None = None,
) -> Rows:
    """Rows of an annuity (or balloon) of `n` rents; with `at_end` (in advance only) one more
    row, the balloon at the term end, whose total is exactly `balloon`."""
    rn, rd = exact_rent(p, n, num, den, balloon, advance, at_end)
    rent = div_half_up(rn, rd) if level is None else level
    # What the last rent leaves: the balloon line's principal (the exact balance B / (1 + r)).
    after = div_half_up(balloon * den, den + num) if at_end else 0
    floor = after if at_end else balloon
    principals: list[int] = []
    interests: list[int] = []
    add_principal, add_interest = principals.append, interests.append
    balance, limit = p, p - floor
    twice, num2 = 2 * den, 2 * num
    first = 0
    if advance:  # the rent at signing carries no interest
        repaid = min(rent, limit)
        balance, limit = balance - repaid, limit - repaid
        add_principal(repaid)
        add_interest(0)
        first = 1
    for _ in range(first, n - 1):
        interest = (balance * num2 + den) // twice
        repaid = rent - interest
        if repaid > limit:
            repaid = limit
        balance -= repaid
        limit -= repaid
        add_principal(repaid)
        add_interest(interest)
    interest = (balance * num2 + den) // twice
    add_principal(balance - after)
    add_interest(interest)
    residue = principals[-1] + interest - rent - (0 if at_end else balloon)
    if level is None and (abs(residue) > RESIDUE_LIMIT_FEN or min(principals) < 0):
        principals, interests = _tracked(p, n, num, den, rn, rd, advance, after)
        tracked = True
    else:
        tracked = False
    if at_end:  # the balloon line: what the last rent left, and its interest, total `balloon`
        principals.append(after)
        interests.append(balloon - after)
    return Rows(principals, interests, rent, tracked)


def _tracked(
    p: int, n: int, num: int, den: int, rn: int, rd: int, advance: bool, after: int
) -> tuple[list[int], list[int]]:
    """Balances = the exact balances (of the exact rent rn / rd) rounded half up."""
    principals: list[int] = []
    interests: list[int] = []
    a = den + num
    exact_num, power = p * rd, 1  # exact balance = exact_num / (rd * power)
    balance = p
    twice = 2 * den
    for k in range(n - 1):
        if advance and k == 0:
            interest = 0
            exact_num -= rn * power
        else:
            interest = (2 * balance * num + den) // twice
            power *= den
            exact_num = exact_num * a - rn * power
        target = div_half_up(exact_num, rd * power)
        principals.append(balance - target)
        interests.append(interest)
        balance = target
    interests.append(0 if (advance and n == 1) else (2 * balance * num + den) // twice)
    principals.append(balance - after)
    return principals, interests


def level_part_rows(
    p: int,
    n: int,
    part: int | None,
    interest_of: tuple[int, int] | int,
    *,
    signing: bool = False,
) -> Rows:
    """Equal principal (`interest_of` = the monthly rate (num, den)) or flat (`interest_of` = the
    fixed monthly fee in fen): a principal part of round(P / n) a month, the last taking the
    residue; TRACKED parts when that residue would exceed `RESIDUE_LIMIT_FEN`."""
    given = part is not None
    level = div_half_up(p, n) if part is None else part
    tracked = not given and abs(p - level * n) > RESIDUE_LIMIT_FEN
    if tracked:
        cumulative = [div_half_up(k * p, n) for k in range(n + 1)]
        principals = [b - a for a, b in pairwise(cumulative)]
    else:
        # `level` a month while the balance lasts (what is left, once smaller), the last the rest.
        whole = min(n - 1, p // level) if level else 0
        principals = [level] * whole
        if whole < n - 1:
            principals += [p - level * whole] + [0] * (n - 2 - whole)
            principals.append(0)
        else:
            principals.append(p - level * whole)
    if isinstance(interest_of, int):
        return Rows(principals, [interest_of] * n, level, tracked)
    num, den = interest_of
    twice, num2 = 2 * den, 2 * num
    interests: list[int] = []
    add_interest = interests.append
    balance = p
    for repaid in principals:
        add_interest((balance * num2 + den) // twice)
        balance -= repaid
    if signing:
        interests[0] = 0
    return Rows(principals, interests, level, tracked)


def interest_only_rows(p: int, n: int, num: int, den: int) -> Rows:
    """先息后本: the month's interest every month, the principal with the last one."""
    interest = div_half_up(p * num, den)
    return Rows([0] * (n - 1) + [p], [interest] * n, 0, False)
