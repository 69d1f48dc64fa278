"""`AUTOLEASE_PROVIDERS` picks the provider bundle; the sandbox stays deterministic."""

from __future__ import annotations

import pytest

from backend.providers import Providers, providers_for, providers_problem
from backend.providers.identity import SandboxIdentity
from backend.providers.registry import FACTORIES
from backend.settings import Settings

SECRET = "registry-test-secret-of-32-bytes!!"


def test_the_default_is_the_sandbox_and_it_is_known():
    assert Settings().providers == "sandbox"
    assert Settings.from_env({}).providers == "sandbox"
    assert providers_problem("sandbox") is None
    assert isinstance(providers_for(Settings(secret_key=SECRET)).identity, SandboxIdentity)


def test_an_unknown_name_is_one_line_naming_the_variable_and_the_choices():
    problem = providers_problem("pboc")
    assert problem is not None and "\n" not in problem
    assert "AUTOLEASE_PROVIDERS" in problem and "sandbox" in problem
    with pytest.raises(ValueError, match="AUTOLEASE_PROVIDERS"):
        providers_for(Settings(secret_key=SECRET, providers="pboc"))


async def test_the_sandbox_answers_the_same_for_the_same_settings():
    one = providers_for(Settings(secret_key=SECRET))
    two = providers_for(Settings(secret_key=SECRET))
    id_number = "110101199003070011"
    assert await one.bureau.report(id_number, "张三") == await two.bureau.report(id_number, "张三")
    assert await one.carrier.three_elements("张三", id_number, "13800000000") == (
        await two.carrier.three_elements("张三", id_number, "13800000000")
    )


def test_a_new_bundle_is_one_registry_line(monkeypatch):
    built: list[Settings] = []

    def other(settings: Settings) -> Providers:
        built.append(settings)
        return FACTORIES["sandbox"](settings)

    monkeypatch.setitem(FACTORIES, "other", other)
    settings = Settings(secret_key=SECRET, providers="other")
    assert providers_problem("other") is None
    assert isinstance(providers_for(settings), Providers) and built == [settings]


async def test_the_sandbox_registry_reports_pledged_only_its_documented_vins():
    vehicles = providers_for(Settings(secret_key=SECRET)).vehicles
    assert await vehicles.pledged("LSVAB12C0NA990001") is True
    assert await vehicles.pledged("LSVAB12C0NA000001") is False
    assert await vehicles.pledged("LSVAB12C0NA909901") is False  # only the serial's start counts
