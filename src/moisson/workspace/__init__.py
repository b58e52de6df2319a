"""Workspace folder, policy file and per-workspace secret."""

from moisson.workspace.config import (
    AuditSettings,
    CollectionSettings,
    CrawlerSettings,
    OptoutSettings,
    PiiAction,
    PiiSettings,
    Policy,
    RightsSettings,
    load_policy,
)
from moisson.workspace.workspace import POLICY_FILE, SECRET_FILE, Workspace

__all__ = (
    "POLICY_FILE",
    "SECRET_FILE",
    "AuditSettings",
    "CollectionSettings",
    "CrawlerSettings",
    "OptoutSettings",
    "PiiAction",
    "PiiSettings",
    "Policy",
    "RightsSettings",
    "Workspace",
    "load_policy",
)
