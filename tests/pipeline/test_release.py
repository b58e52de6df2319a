"""SCR-08b: no release before the objection window ends; objections are applied first."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from moisson.errors import ObjectionWindowError
from moisson.pipeline.release import release_version
from moisson.store import DatasetStore, Document
from moisson.workspace import Workspace


def _ws(tmp_path: Path, days: int) -> Workspace:
    return Workspace.init(
        tmp_path / "ws", policy_text=f"[collection]\nobjection_window_days = {days}\n"
    )


def _docs() -> list[Document]:
    return [
        Document.new(f"page {i}", url=f"https://{'blog' if i % 2 else 'shop'}.example/{i}")
        for i in range(6)
    ]


def test_release_refused_inside_the_window(tmp_path: Path) -> None:
    ws = _ws(tmp_path, 14)
    DatasetStore(ws).create_version("web", _docs(), reason="crawl")
    with pytest.raises(ObjectionWindowError) as info:
        release_version(ws, "web")
    assert "objection window until" in str(info.value)
    assert DatasetStore(ws).latest("web").released_at is None


def test_release_after_the_window_applies_domain_objections(tmp_path: Path) -> None:
    ws = _ws(tmp_path, 14)
    store = DatasetStore(ws)
    store.create_version("web", _docs(), reason="crawl")
    (ws.root / "optout").mkdir(exist_ok=True)
    (ws.root / "optout" / "register-domains.txt").write_text("blog.example\n", encoding="utf-8")
    later = datetime.now(UTC) + timedelta(days=15)
    result = release_version(ws, "web", now=later)
    assert result.removed_by_domain == 3
    assert result.released.version == 2
    assert result.released.released_at is not None
    assert all("blog.example" not in (d.url or "") for d in store.iter_documents("web", 2))
    assert "dataset.release" in [e.action for e in store.ledger.audit_entries()]


def test_release_without_objections_keeps_the_version(tmp_path: Path) -> None:
    ws = _ws(tmp_path, 0)
    DatasetStore(ws).create_version("web", _docs(), reason="crawl")
    result = release_version(ws, "web")
    assert result.released.version == 1
    assert (result.removed_by_domain, result.removed_by_person) == (0, 0)
