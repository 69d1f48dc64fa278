"""`autolease residual train [--csv FILE]` and `autolease residual market --out FILE`: train the
residual-value model on real sales (backend/residual/sales_csv.py gives the columns) or on the
synthetic market, and write the synthetic market in the same layout."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from backend.intake.catalogue import Catalogue
from backend.residual import sales_csv, store
from backend.residual.catalogue_market import market_models
from common.residual.market import simulate

SEED = 20260901  # backend.residual.train.Config's: scikit-learn loads only to train
MAX_ITER = 150

SHIPPED_ROWS = 40_000


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("residual", help="train the residual-value model 残值模型")
    commands = p.add_subparsers(dest="residual_command", required=True, metavar="COMMAND")
    t = commands.add_parser("train", help="train and write the model artefact")
    t.add_argument("--csv", type=Path, help="real sales (UTF-8 CSV); default: the synthetic market")
    t.add_argument("--rows", type=int, default=SHIPPED_ROWS, help="synthetic sales to train on")
    t.add_argument("--seed", type=int, default=SEED)
    t.add_argument("--max-iter", type=int, default=MAX_ITER)
    t.add_argument("--out", type=Path, default=store.MODEL_FILE, help="the artefact (JSON)")
    t.set_defaults(handler=run_train)
    m = commands.add_parser("market", help="write the synthetic market as sales CSV")
    m.add_argument("--rows", type=int, default=10_000)
    m.add_argument("--seed", type=int, default=SEED)
    m.add_argument("--out", type=Path, required=True)
    m.set_defaults(handler=run_market)


def run_train(args: argparse.Namespace) -> int:
    from backend.residual.train import Config, save, summary, train

    config = Config(seed=args.seed, max_iter=args.max_iter)
    if args.csv is not None:
        try:
            sales = sales_csv.read_sales(args.csv.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, sales_csv.SalesFileError) as exc:
            print(f"autolease residual train: {exc}", file=sys.stderr)
            return 2
        source = f"csv {args.csv.name}"
    else:
        sales = simulate(market_models(Catalogue.load()), args.rows, args.seed)
        source = f"synthetic market v1, seed {args.seed}"
    try:
        artefact = train(sales, config, trained_on=source)
    except ValueError as exc:
        print(f"autolease residual train: {exc}", file=sys.stderr)
        return 2
    save(artefact, args.out)
    print(summary(artefact))
    print(f"written to {args.out}")
    return 0


def run_market(args: argparse.Namespace) -> int:
    sales = simulate(market_models(Catalogue.load()), args.rows, args.seed)
    args.out.write_text(sales_csv.write_sales(sales), encoding="utf-8")
    print(f"{len(sales)} sales written to {args.out}")
    return 0
