"""Risk decision benchmark (issue 5).

Prints microseconds per decision for the seeded default rule set, in-process (p50, p99), and the
same decision through zen-engine (GoRules) on an equivalent JDM graph built from our rule set in
the same run, as a ratio. Before timing, both engines decide every sample case and must agree on
outcome, score, reasons and gates.

zen-engine is NOT a project dependency; install it into the venv for this script only:
    .venv/bin/pip install zen-engine

Then submit-to-decision over HTTP: a real uvicorn server on 127.0.0.1 (started here, SQLite in a
temporary directory, sandbox providers without latency), complete applications filed up front,
then submitted by 16 concurrent clients; prints p50/p99 per submit and the throughput.

Run: .venv/bin/python bench/risk.py [--cases 2000] [--rounds 5] [--http-apps 320] [--no-http]
"""

from __future__ import annotations

import argparse
import itertools
import json
import random
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import msgspec

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from common.rules import Facts, compile_ruleset, default_ruleset, evaluate
from common.rules.compiler import operand_values
from common.rules.examples import EXAMPLE_CASES, example_facts, with_changes
from common.rules.model import (
    AdjustScore,
    All,
    AnyOf,
    Approve,
    Calc,
    Cond,
    Decline,
    Expr,
    FieldRef,
    Not,
    ParamRef,
    Refer,
    RequireVerification,
    RuleSet,
)
from common.rules.validation import CheckedRuleSet, validate


@dataclass(frozen=True)
class Stats:
    label: str
    samples: int
    p50_us: float
    p99_us: float
    mean_us: float

    def line(self) -> str:
        return (
            f"{self.label:<34} p50 {self.p50_us:8.2f} µs   p99 {self.p99_us:8.2f} µs   "
            f"mean {self.mean_us:8.2f} µs   (n={self.samples})"
        )


def timed(label: str, call: Callable[[Any], object], inputs: Sequence[Any], rounds: int) -> Stats:
    """Time each call separately so that p99 means something."""
    for item in inputs[:200]:  # warm up
        call(item)
    clock = time.perf_counter_ns
    samples: list[float] = []
    for _ in range(rounds):
        for item in inputs:
            start = clock()
            call(item)
            samples.append((clock() - start) / 1000)
    samples.sort()
    return Stats(
        label=label,
        samples=len(samples),
        p50_us=samples[len(samples) // 2],
        p99_us=samples[int(len(samples) * 0.99)],
        mean_us=statistics.fmean(samples),
    )


# -- sample cases --------------------------------------------------------------------------------

_VARIATIONS: list[dict[str, object]] = [dict(changes) for changes, _ in EXAMPLE_CASES.values()] + [
    {"region.adaptive_flag": True},
    {"history.on_time_streak": 40, "history.contracts_count": 2},
    {"vehicle.vehicle_type": "cold_chain", "deal.term_months": 12},
    {"vehicle.vehicle_type": "nev", "vehicle.model_code": "BYD-HAN"},
    {"applicant.debt_to_income": Decimal("0.50")},
    {"bureau.inquiries_6m": 8, "bureau.open_loans": 6},
    {"identity.face_match_score": Decimal("71.5")},
    {"deal.term_months": 60},
]


def sample_facts(count: int, seed: int = 5) -> list[Facts]:
    """A mix like a day's applications: mostly clean, a quarter with one or two problems."""
    rng = random.Random(seed)
    base = example_facts()
    out = []
    for _ in range(count):
        changes: dict[str, object] = {
            "bureau.score": rng.randint(580, 820),
            "applicant.debt_to_income": Decimal(rng.randint(10, 50)) / 100,
            "deal.down_payment_ratio": Decimal(rng.randint(15, 45)) / 100,
            "vehicle.age_years": rng.randint(0, 12),
        }
        if rng.random() < 0.25:
            changes.update(rng.choice(_VARIATIONS))
        out.append(with_changes(base, changes))
    return out


# -- our rule set as a JDM graph for zen-engine ------------------------------------------------


class JdmBuilder:
    """Translate a (validated) rule set into an equivalent JDM decision graph.

    Derived values and rule conditions become expression nodes; each decision table becomes a
    decision-table node (priority as first-hit over rows sorted by priority, unique as collect);
    each score-card characteristic a first-hit table; a final expression node resolves outcome,
    score, reasons and gates the way our evaluator does.
    """

    def __init__(self, checked: CheckedRuleSet) -> None:
        self.checked = checked
        self.rs: RuleSet = checked.ruleset
        self.nodes: list[dict[str, Any]] = []

    @staticmethod
    def literal(value: object) -> str:
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int | Decimal):
            return str(value)
        return json.dumps(value)

    def ref(self, path: str) -> str:
        return "d." + path.removeprefix("derived.") if path.startswith("derived.") else path

    def expr(self, e: Expr) -> str:
        if isinstance(e, FieldRef):
            return self.ref(e.path)
        if isinstance(e, ParamRef):
            return self.literal(self.checked.params[e.name])
        if isinstance(e, Calc):
            a = [self.expr(x) for x in e.args]
            if e.op == "div":
                return f"({a[1]} == 0 ? 0 : {a[0]} / {a[1]})"
            if e.op in ("min", "max"):
                return f"{e.op}([{', '.join(a)}])"
            return "(" + {"add": " + ", "sub": " - ", "mul": " * "}[e.op].join(a) + ")"
        return self.literal(e if isinstance(e, int) else Decimal(str(e)))

    def test(self, path: str, op: str, value: Any) -> str:
        x = self.ref(path)
        if op in ("is_true", "is_false"):
            return f"{x} == {'true' if op == 'is_true' else 'false'}"
        c = [self.literal(v) for v in operand_values(self.checked, path, value)]
        simple = {"eq": "==", "ne": "!=", "lt": "<", "le": "<=", "gt": ">", "ge": ">="}
        if op in simple:
            return f"{x} {simple[op]} {c[0]}"
        if op == "between":
            return f"({x} >= {c[0]} and {x} <= {c[1]})"
        if op == "not_between":
            return f"({x} < {c[0]} or {x} > {c[1]})"
        if op == "in":
            return f"({x} in [{', '.join(c)}])"
        if op == "not_in":
            return f"not ({x} in [{', '.join(c)}])"
        return "(" + " or ".join(f"startsWith({x}, {p})" for p in c) + ")"

    def cond(self, cond: Any) -> str:
        if isinstance(cond, All):
            return "(" + " and ".join(self.cond(c) for c in cond.of) + ")"
        if isinstance(cond, AnyOf):
            return "(" + " or ".join(self.cond(c) for c in cond.of) + ")"
        if isinstance(cond, Not):
            return f"not ({self.cond(cond.of)})"
        assert isinstance(cond, Cond)
        return f"({self.test(cond.field, cond.op, cond.value)})"

    def add(self, kind: str, name: str, content: dict[str, Any]) -> None:
        content = {"passThrough": True, "inputField": None, "executionMode": "single", **content}
        node = {"id": name, "type": kind, "name": name, "position": {"x": 0, "y": 0}}
        self.nodes.append({**node, "content": content})

    def expressions(self, name: str, pairs: list[tuple[str, str]]) -> None:
        exprs = [{"id": f"{name}{i}", "key": k, "value": v} for i, (k, v) in enumerate(pairs)]
        self.add("expressionNode", name, {"expressions": exprs, "outputPath": None})

    def table(self, name: str, policy: str, rows: list[tuple[list[str], dict[str, str]]]) -> None:
        width = max((len(cells) for cells, _ in rows), default=0)
        inputs = [{"id": f"i{j}", "name": f"i{j}"} for j in range(width)]
        outputs = [{"id": o, "name": o, "field": o} for o in ("row", "points", "gates", "reason")]
        jdm_rows = []
        for r, (cells, out) in enumerate(rows):
            row = {"_id": f"{name}_{r}", **{f"i{j}": cell for j, cell in enumerate(cells)}}
            row.update({o: out.get(o, "null") for o in ("row", "points", "gates", "reason")})
            jdm_rows.append(row)
        content = {"hitPolicy": policy, "inputs": inputs, "outputs": outputs, "rules": jdm_rows}
        self.add("decisionTableNode", name, {**content, "outputPath": name})

    def effects(self, actions: Sequence[Any]) -> dict[str, Any]:
        out: dict[str, Any] = {"points": 0, "gates": [], "decline": [], "refer": [], "approve": []}
        for a in actions:
            if isinstance(a, AdjustScore):
                p = a.points
                out["points"] += self.checked.params[p.name] if isinstance(p, ParamRef) else p
            elif isinstance(a, RequireVerification):
                out["gates"].append(a.gate)
            elif isinstance(a, Decline | Refer | Approve):
                out[type(a).__name__.lower()].append(a.reason)
        return out

    def build(self) -> dict[str, Any]:
        rs, params = self.rs, self.checked.params
        derived = {d.name: d.expr for d in rs.derived}
        self.expressions(
            "derived", [(f"d.{n}", self.expr(derived[n])) for n in self.checked.derived_kinds]
        )
        rules = [r for r in rs.rules if r.enabled]
        self.expressions("rules", [(f"h.{r.id}", self.cond(r.when)) for r in rules])
        # final tallies, built as zen expressions alongside the nodes
        declines: list[str] = []
        refers: list[str] = []
        approves: list[str] = []
        gates: list[str] = []
        points = ["0"]
        for r in rules:
            e = self.effects(r.then)
            for kind, bucket in (("decline", declines), ("refer", refers), ("approve", approves)):
                bucket += [f'(h.{r.id} ? ["{code}"] : [])' for code in e[kind]]
            gates += [f'(h.{r.id} ? ["{g}"] : [])' for g in e["gates"]]
            if e["points"]:
                points.append(f"(h.{r.id} ? {e['points']} : 0)")
        for t, table in enumerate(rs.tables):
            name = f"t{t}"
            order = list(range(len(table.rows)))
            if table.hit_policy == "priority":
                order.sort(key=lambda i: -table.rows[i].priority)
            rows = []
            for i in order:
                row = table.rows[i]
                cells = [
                    "" if cell is None else self.test(path, cell.op, cell.value)
                    for path, cell in zip(table.inputs, row.cells, strict=True)
                ]
                e = self.effects(row.then)
                rows.append((cells, {"row": json.dumps(row.id), "points": str(e["points"]),
                                     "gates": json.dumps(e["gates"])}))  # fmt: skip
            policy = "first" if table.hit_policy in ("first", "priority") else "collect"
            self.table(name, policy, rows)
            d = self.effects(table.default)
            if policy == "first":
                points.append(f"({name}.row == null ? {d['points']} : {name}.points)")
                gates.append(f"({name}.row == null ? {json.dumps(d['gates'])} : {name}.gates)")
            else:
                hits = f"len({name} ?? [])"
                if table.hit_policy == "unique":
                    picked = f"({hits} == 1 ? {name}[0]"
                    points.append(f"{picked}.points : ({hits} == 0 ? {d['points']} : 0))")
                    gates.append(f"{picked}.gates : ({hits} == 0 ? {json.dumps(d['gates'])} : []))")
                    refers.append(f'({hits} > 1 ? ["table_conflict"] : [])')
                else:
                    points.append(f"({hits} == 0 ? {d['points']} : sum(map({name}, #.points)))")
                    gates.append(
                        f"({hits} == 0 ? {json.dumps(d['gates'])} : flatten(map({name}, #.gates)))"
                    )
        sc = rs.scorecard
        base = params[sc.base.name] if isinstance(sc.base, ParamRef) else sc.base
        points.append(str(base))
        for c, ch in enumerate(sc.characteristics):
            rows = [
                ([("" if b.op is None else self.test(ch.field, b.op, b.value))],
                 {"row": json.dumps(b.id), "points": str(b.points)})
                for b in ch.bins
            ]  # fmt: skip
            self.table(f"b{c}", "first", rows)
            points.append(f"(b{c}.points ?? 0)")
        amin = (
            params[sc.approve_min.name] if isinstance(sc.approve_min, ParamRef) else sc.approve_min
        )
        rmin = params[sc.refer_min.name] if isinstance(sc.refer_min, ParamRef) else sc.refer_min

        def concat(parts: list[str]) -> str:
            return f"flatten([{', '.join(parts)}])" if parts else "[]"

        self.expressions(
            "decision",
            [
                ("declines", concat(declines)),
                ("refers", concat(refers)),
                ("approves", concat(approves)),
                ("gates", concat(gates)),
                ("score", " + ".join(points)),
                ("outcome", f'len($.declines) > 0 ? "declined" : '
                            f'len($.approves) > 0 ? "approved" : '
                            f'len($.refers) > 0 ? "referred" : $.score >= {amin} ? "approved" : '
                            f'$.score >= {rmin} ? "referred" : "declined"'),
            ],
        )  # fmt: skip
        nodes = [
            {"id": "request", "type": "inputNode", "name": "request", "position": {"x": 0, "y": 0}}
        ]
        nodes += self.nodes
        nodes.append(
            {
                "id": "response",
                "type": "outputNode",
                "name": "response",
                "position": {"x": 0, "y": 0},
            }
        )
        edges = [
            {"id": f"e{i}", "sourceId": a["id"], "targetId": b["id"], "type": "edge"}
            for i, (a, b) in enumerate(itertools.pairwise(nodes))
        ]
        return {"nodes": nodes, "edges": edges}


def zen_decider(ruleset: RuleSet) -> Callable[[bytes], dict[str, Any]] | None:
    try:
        import zen
    except ImportError:
        return None
    # The fastest way we found: a loader that hands back content parsed once. (A loader returning
    # the JSON text re-parses it on every call; create_decision(...).evaluate is slower still.)
    content = zen.ZenDecisionContent(json.dumps(JdmBuilder(validate(ruleset)).build()))
    engine = zen.ZenEngine({"loader": lambda key: content})

    def decide(context: bytes) -> dict[str, Any]:
        return engine.evaluate("risk", context)["result"]

    return decide


_ENCODER = msgspec.json.Encoder(decimal_format="number")


def zen_context(facts: Facts) -> bytes:
    return _ENCODER.encode(facts)


def agreement(
    ruleset: RuleSet, zen_decide: Callable[[bytes], dict[str, Any]], cases: list[Facts]
) -> int:
    """How many cases both engines decide alike (outcome, score, reason codes, gates)."""
    compiled = compile_ruleset(ruleset)
    same = 0
    for facts in cases:
        ours = evaluate(compiled, facts)
        theirs = zen_decide(zen_context(facts))
        our_codes = {r.code for r in ours.reasons if r.source != "scorecard"}
        alike = (
            ours.outcome == theirs["outcome"]
            and ours.score == int(theirs["score"])
            and our_codes == set(theirs["declines"] + theirs["refers"] + theirs["approves"])
            and [g.code for g in ours.gates] == list(dict.fromkeys(theirs["gates"]))
        )
        if not alike and same < 3:
            print(
                f"  disagreement: ours {ours.outcome}/{ours.score} "
                f"zen {theirs['outcome']}/{theirs['score']}"
            )
        same += alike
    return same


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--http-apps", type=int, default=320, help="0 skips the HTTP section")
    parser.add_argument("--http-clients", type=int, default=16)
    parser.add_argument("--no-http", dest="http_apps", action="store_const", const=0)
    args = parser.parse_args(argv)

    ruleset = default_ruleset()
    started = time.perf_counter()
    compiled = compile_ruleset(ruleset)
    compile_ms = (time.perf_counter() - started) * 1000
    cases = sample_facts(args.cases)
    outcomes = [evaluate(compiled, f).outcome for f in cases]
    print(f"default rule set: {len(ruleset.rules)} rules, {len(ruleset.tables)} tables, "
          f"{len(ruleset.scorecard.characteristics)} score-card characteristics; "
          f"compiled in {compile_ms:.1f} ms")  # fmt: skip
    print(
        "sample outcomes: "
        + ", ".join(f"{o} {outcomes.count(o)}" for o in ("approved", "referred", "declined"))
    )

    ours = timed("in-process evaluate()", lambda f: evaluate(compiled, f), cases, args.rounds)
    print(ours.line())

    zen_decide = zen_decider(ruleset)
    if zen_decide is None:
        print(
            "zen-engine: not installed; `.venv/bin/pip install zen-engine` to compare (bench only)"
        )
    else:
        compare_with_zen(ruleset, zen_decide, cases, ours, args.rounds)
    if args.http_apps:
        http_submit_to_decision(args.http_apps, args.http_clients)


def compare_with_zen(
    ruleset: RuleSet,
    zen_decide: Callable[[bytes], dict[str, Any]],
    cases: list[Facts],
    ours: Stats,
    rounds: int,
) -> None:
    same = agreement(ruleset, zen_decide, cases)
    print(f"zen-engine agrees with us on {same} of {len(cases)} cases")
    contexts = [zen_context(f) for f in cases]  # encoded up front: zen is timed on its own work
    theirs = timed("zen-engine evaluate() (JDM graph)", zen_decide, contexts, rounds)
    print(theirs.line())
    print(
        f"ratio zen / ours: p50 {theirs.p50_us / ours.p50_us:.1f}x   "
        f"p99 {theirs.p99_us / ours.p99_us:.1f}x"
    )


# --- submit-to-decision over HTTP --------------------------------------------------------------


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _valid_id(n: int) -> str:
    """A resident ID with a valid check digit; birth years 1970-1999, Shanghai Xuhui."""
    from stdnum.cn import ric

    body = f"310104{1970 + n % 30}{1 + n % 12:02d}{1 + n % 28:02d}{n % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


def _application_body(n: int, today: Any) -> dict[str, Any]:
    from backend.intake.catalogue import Catalogue
    from backend.residual.vehicles import market_value
    from backend.risk.demo import make_vin

    model = Catalogue.load().get("saicvw-lavida")
    assert model is not None
    value = market_value(model, 2021, 60_000, today, "310104")
    return {
        "vehicle": {"vin": make_vin("LSV", 2021, n), "catalogue_model_id": model.id,
                    "model_year": 2021, "mileage_km": 60_000, "price": str(value),
                    "is_new": False},
        "customer": {"kind": "person", "name": "压测客户", "id_number": _valid_id(n),
                     "mobile": f"139{n:08d}", "region_code": "310104"},
        # 二手车回租 (seeded): 40 % down, its 36-month rate
        "quote": {"product_id": "p-used-leaseback", "price": str(value),
                  "down_payment": str((value * Decimal("0.4")).quantize(Decimal(1))),
                  "term_months": 36, "start_date": today.isoformat()},
    }  # fmt: skip


def http_submit_to_decision(apps: int, clients: int) -> None:
    """Start uvicorn (one worker, SQLite in a temp dir), file ``apps`` complete applications,
    then time POST /submit (the whole decision) from ``clients`` concurrent clients."""
    import asyncio
    import io
    import os
    import subprocess
    import tempfile
    from datetime import date

    from PIL import Image

    from bench.http_load import fresh_keys

    root = Path(__file__).resolve().parents[1]
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    buf = io.BytesIO()
    Image.new("RGB", (320, 240), "steelblue").save(buf, "JPEG")
    photo = buf.getvalue()

    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "AUTOLEASE_DATA_DIR": tmp,
               "AUTOLEASE_LOG_LEVEL": "WARNING",
               "AUTOLEASE_DATABASE_URL": f"sqlite+aiosqlite:///{tmp}/bench.db",
               **fresh_keys()}  # fmt: skip
        seed = "import asyncio; from backend.commands.serve import _seed; from backend.db.migrate import upgrade; from backend.settings import Settings; s = Settings.from_env(); upgrade(s.database_url); asyncio.run(_seed(s))"  # noqa: E501
        subprocess.run([sys.executable, "-c", seed], cwd=root, env=env, check=True)
        server = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "backend.app:create_app", "--factory",
             "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
            cwd=root, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        try:
            asyncio.run(_http_run(base, apps, clients, photo, date.today()))
        finally:
            server.terminate()
            server.wait(timeout=20)


async def _http_run(base: str, apps: int, clients: int, photo: bytes, today: Any) -> None:
    import asyncio

    import httpx

    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        for _ in range(300):
            try:
                if (await client.get("/healthz")).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            await asyncio.sleep(0.2)
        r = await client.post("/api/auth/login", json={"username": "staff", "password": "demo"})
        headers = {"Authorization": f"Bearer {r.json()['access_token']}"}
        ids: list[str] = []
        for n in range(1, apps + 1):  # filed up front: only the submit is timed
            created = await client.post("/api/applications", json=_application_body(n, today),
                                        headers=headers)  # fmt: skip
            app_id = created.json()["id"]
            for kind in ("id_front", "id_back", "customer_face", "driving_licence", "vehicle"):
                await client.put(f"/api/applications/{app_id}/photos/{kind}", content=photo,
                                 headers={**headers, "Content-Type": "image/jpeg"})  # fmt: skip
            ids.append(app_id)

    outcomes: dict[str, int] = {}

    async def run(batch: list[str], workers: int) -> None:
        latencies: list[float] = []
        queue = list(reversed(batch))

        async def worker() -> None:
            async with httpx.AsyncClient(base_url=base, timeout=30) as c:
                await c.get("/healthz")  # connected before the clock starts
                while queue:
                    app_id = queue.pop()
                    start = time.perf_counter()
                    resp = await c.post(f"/api/applications/{app_id}/submit", headers=headers)
                    latencies.append((time.perf_counter() - start) * 1000)
                    key = (
                        resp.json()["status"] if resp.status_code == 200 else str(resp.status_code)
                    )
                    outcomes[key] = outcomes.get(key, 0) + 1

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(workers)))
        wall = time.perf_counter() - started
        latencies.sort()
        p50 = statistics.median(latencies)
        p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
        print(
            f"HTTP submit-to-decision, {workers} concurrent client(s), {len(latencies)} submits "
            f"(uvicorn, 1 worker, SQLite): p50 {p50:.1f} ms   p99 {p99:.1f} ms   "
            f"{len(latencies) / wall:.0f} decisions/s"
        )

    alone = min(40, len(ids) // 4)  # one clerk at a time: the latency a person waits for
    await run(ids[:alone], 1)
    await run(ids[alone:], clients)
    print("  statuses: " + ", ".join(f"{k} {v}" for k, v in sorted(outcomes.items())))


if __name__ == "__main__":
    main()
