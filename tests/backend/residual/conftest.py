"""A small model trained once for these tests (seconds, not the shipped 40,000 sales)."""

from __future__ import annotations

from typing import Any

import pytest

from backend.intake.catalogue import Catalogue
from backend.residual.catalogue_market import market_models
from backend.residual.train import Config
from common.residual.market import MarketModel, Sale, simulate

SMALL = Config(seed=11, max_iter=60)


@pytest.fixture(scope="session")
def models() -> list[MarketModel]:
    return market_models(Catalogue.load())


@pytest.fixture(scope="session")
def sales(models: list[MarketModel]) -> list[Sale]:
    return simulate(models, 6000, seed=11)


@pytest.fixture(scope="session")
def small_artefact(sales: list[Sale]) -> dict[str, Any]:
    from backend.residual.train import train

    return train(sales, SMALL, trained_on="synthetic market, seed 11")
