"""How a pillar plugs its stage into ``moisson demo``.

Each pillar exposes ``demo_stage(ctx: DemoContext) -> StageReport`` in ``moisson.<pillar>.demo``.
The runner calls them in data-flow order on one temporary workspace and assembles the HTML
report from their fragments.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console

from moisson.workspace import Workspace

__all__ = ("DemoContext", "StageReport")


@dataclass
class DemoContext:
    """Shared state of one demo run; stages add what later stages need to ``state``."""

    workspace: Workspace
    out_dir: Path
    state: dict[str, Any] = field(default_factory=dict)
    quick: bool = False
    console: Console = field(default_factory=lambda: Console(stderr=True))


@dataclass
class StageReport:
    """What a stage shows: a title, a few figures for the console, an HTML fragment."""

    title: str
    summary: dict[str, Any]
    html: str = ""
    ok: bool = True
