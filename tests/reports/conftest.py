"""Fixtures of the reports tests: a real workspace (see reports_workspace) and its documents."""

from __future__ import annotations

import pytest
from reports_workspace import build_workspace

from moisson.reports.build import BuildResult, build_documents
from moisson.workspace import Workspace


@pytest.fixture(scope="module")
def facts_workspace(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    return build_workspace(tmp_path_factory.mktemp("reports") / "ws")


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    """Every document, both languages, all formats, built once for the session (read-only)."""
    ws = build_workspace(tmp_path_factory.mktemp("built") / "ws")
    return build_documents(ws)
