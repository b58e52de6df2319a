"""Fixtures of the opt-out tests: the loopback server with every conformance case."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from fixture_server import FixtureServer
from optout_cases import serve_cases


@pytest.fixture(scope="session")
def case_server() -> Iterator[FixtureServer]:
    with FixtureServer() as server:
        serve_cases(server)
        yield server
