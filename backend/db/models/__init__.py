"""Every mapped table, imported here so Alembic and create_all see them all."""

from backend.db.models.contracts import (
    Contract,
    ContractTemplateVersion,
    FunderKey,
    NumberSequence,
)
from backend.db.models.intake import Application, Customer, CustomerVersion, Photo
from backend.db.models.ledger import LedgerEntry, LedgerLine
from backend.db.models.payments import (
    Payment,
    PaymentException,
    ReconciliationMismatch,
    ReconciliationRun,
    SandboxProviderOrder,
)
from backend.db.models.platform import (
    AuditCheckpoint,
    AuditEvent,
    AuditHead,
    AuthSession,
    IdempotencyRecord,
    LoginThrottle,
    OneTimeCode,
    Organisation,
    RetiredRefreshToken,
    SpentUploadToken,
    User,
)
from backend.db.models.products import Product, ProductVersion
from backend.db.models.risk import (
    ActiveRuleSet,
    RegionFlag,
    RiskDecision,
    RiskReview,
    RuleSetChange,
    RuleSetVersion,
)
from backend.db.models.sandbox import SmsOutboxMessage
from backend.db.models.servicing import ContractInstalment, PaymentAllocation

__all__ = [
    "ActiveRuleSet",
    "Application",
    "AuditCheckpoint",
    "AuditEvent",
    "AuditHead",
    "AuthSession",
    "Contract",
    "ContractInstalment",
    "ContractTemplateVersion",
    "Customer",
    "CustomerVersion",
    "FunderKey",
    "IdempotencyRecord",
    "LedgerEntry",
    "LedgerLine",
    "LoginThrottle",
    "NumberSequence",
    "OneTimeCode",
    "Organisation",
    "Payment",
    "PaymentAllocation",
    "PaymentException",
    "Photo",
    "Product",
    "ProductVersion",
    "ReconciliationMismatch",
    "ReconciliationRun",
    "RegionFlag",
    "RetiredRefreshToken",
    "RiskDecision",
    "RiskReview",
    "RuleSetChange",
    "RuleSetVersion",
    "SandboxProviderOrder",
    "SmsOutboxMessage",
    "SpentUploadToken",
    "User",
]
