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
from backend.db.models.servicing_requests import (
    EndOfTermChoice,
    ExtensionRequest,
    ExtensionRuleSet,
    PayoffQuote,
    ScheduleRevision,
    TitleRelease,
)
from backend.db.models.sweeps import (
    CollectionAction,
    CollectionCase,
    JobTick,
    Notification,
    Reminder,
    ReminderPreference,
    ServiceDates,
)

__all__ = [
    "ActiveRuleSet",
    "Application",
    "AuditCheckpoint",
    "AuditEvent",
    "AuditHead",
    "AuthSession",
    "CollectionAction",
    "CollectionCase",
    "Contract",
    "ContractInstalment",
    "ContractTemplateVersion",
    "Customer",
    "CustomerVersion",
    "EndOfTermChoice",
    "ExtensionRequest",
    "ExtensionRuleSet",
    "FunderKey",
    "IdempotencyRecord",
    "JobTick",
    "LedgerEntry",
    "LedgerLine",
    "LoginThrottle",
    "Notification",
    "NumberSequence",
    "OneTimeCode",
    "Organisation",
    "Payment",
    "PaymentAllocation",
    "PaymentException",
    "PayoffQuote",
    "Photo",
    "Product",
    "ProductVersion",
    "ReconciliationMismatch",
    "ReconciliationRun",
    "RegionFlag",
    "Reminder",
    "ReminderPreference",
    "RetiredRefreshToken",
    "RiskDecision",
    "RiskReview",
    "RuleSetChange",
    "RuleSetVersion",
    "SandboxProviderOrder",
    "ScheduleRevision",
    "ServiceDates",
    "SmsOutboxMessage",
    "SpentUploadToken",
    "TitleRelease",
    "User",
]
