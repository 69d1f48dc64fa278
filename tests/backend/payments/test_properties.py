"""Property: whatever sequence of payments a lessee makes — amounts, duplicated notifications,
their order, some confirmed only by the query path — the books stay balanced, each repayment's
allocations equal its entry, and each paid payment is posted exactly once (one contract, the
examples accumulating on it)."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from backend.payments import query
from tests.backend.payments.helpers import (
    active_contract,
    assert_books,
    create,
    deliver,
    pay,
    sessions_of,
    signed,
)

OP = st.tuples(
    st.integers(min_value=100, max_value=400_000),  # fen
    st.integers(min_value=1, max_value=3),  # notifications of it
    st.booleans(),  # confirmed by the query path instead
)


@hsettings(max_examples=6, deadline=None,
           suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(ops=st.lists(OP, min_size=1, max_size=5), seed=st.integers(0, 2**16))
async def test_random_payments_keep_the_books(client, settings, ops, seed):
    state = client.__dict__.setdefault("property_contract", {})
    if not state:
        state["contract"], state["lessee"] = await active_contract(client, settings)
    contract, lessee = state["contract"], state["lessee"]
    now = datetime.now(UTC)
    made = []
    for k, (fen, times, by_query) in enumerate(ops):
        amount = f"{fen // 100}.{fen % 100:02d}"
        r = await create(client, lessee, contract["id"], "custom", amount, key=f"{seed}-{k}-{now}")
        if r.status_code == 422:  # more than is left, or nothing left: refused, nothing made
            assert r.json()["code"] in ("payment_amount_invalid", "nothing_due"), r.text
            continue
        assert r.status_code == 201, r.text
        p = r.json()
        await pay(client, p["out_trade_no"], now)
        made.append((p, times, by_query))
    deliveries = [(p, by_query) for p, times, by_query in made for _ in range(times)]
    random.Random(seed).shuffle(deliveries)
    for p, by_query in deliveries:
        if not by_query:
            r = await deliver(client, *await signed(client, settings, p["out_trade_no"], now))
            assert r.status_code == 200, r.text
    await query.settle_stale(sessions_of(client), now + timedelta(minutes=2), settings)
    for p, _, _ in made:
        view = (await client.get(f"/api/payments/{p['id']}", headers=lessee)).json()
        assert view["status"] == "paid"
    await assert_books(client, contract["id"])
