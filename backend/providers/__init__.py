"""Everything outside our walls, each behind an interface with a deterministic sandbox.

Risk facts (issue 5): credit bureau 征信, identity (face match + liveness) 人脸识别, carrier
three-element check 运营商三要素, applicant profile (income, blacklists) 客户画像, vehicle registry
(pledges) 抵押登记, and our own repayment history. `Providers` bundles one of each;
`providers_for(settings)` builds the set ``AUTOLEASE_PROVIDERS`` selects (`registry`; only
``sandbox`` today).
"""

from backend.providers.base import ProviderUnavailable
from backend.providers.bundle import Providers
from backend.providers.registry import providers_for, providers_problem, sandbox_providers

__all__ = [
    "ProviderUnavailable",
    "Providers",
    "providers_for",
    "providers_problem",
    "sandbox_providers",
]
