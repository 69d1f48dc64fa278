"""Everything outside our walls, each behind an interface with a deterministic sandbox.

Risk facts (issue 5): credit bureau 征信, identity (face match + liveness) 人脸识别, carrier
three-element check 运营商三要素, applicant profile (income, blacklists) 客户画像, vehicle registry
(pledges) 抵押登记, and our own repayment history. `Providers` bundles one of each;
`sandbox_providers(...)` builds the sandbox set the settings select.
"""

from backend.providers.base import ProviderUnavailable
from backend.providers.registry import Providers, sandbox_providers

__all__ = ["ProviderUnavailable", "Providers", "sandbox_providers"]
