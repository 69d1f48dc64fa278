"""Every mapped table, imported here so Alembic and create_all see them all."""

from backend.db.models.intake import Application, Customer, Photo
from backend.db.models.platform import (
    AuditEvent,
    AuditHead,
    AuthSession,
    IdempotencyRecord,
    LoginThrottle,
    Organisation,
    RetiredRefreshToken,
    SpentUploadToken,
    User,
)
from backend.db.models.risk import (
    ActiveRuleSet,
    RegionFlag,
    RiskDecision,
    RiskReview,
    RuleSetChange,
    RuleSetVersion,
)

__all__ = [
    "ActiveRuleSet",
    "Application",
    "AuditEvent",
    "AuditHead",
    "AuthSession",
    "Customer",
    "IdempotencyRecord",
    "LoginThrottle",
    "Organisation",
    "Photo",
    "RegionFlag",
    "RetiredRefreshToken",
    "RiskDecision",
    "RiskReview",
    "RuleSetChange",
    "RuleSetVersion",
    "SpentUploadToken",
    "User",
]
