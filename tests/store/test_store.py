from __future__ import annotations

from moisson.store import DatasetStore, Document, make_doc_id
from moisson.store import dataset as dataset_module
from moisson.workspace import Workspace


def _docs(n: int) -> list[Document]:
    return [
        Document.new(
            f"Page {i}: bonjour le monde, contenu numéro {i}.",
            url=f"https://Site-{i % 3}.example:443/page/{i}#frag",
            http_headers=[("X-Robots-Tag", "noindex"), ("x-robots-tag", "noai")],
            html_meta=[("robots", "noml")],
        )
        for i in range(n)
    ]


def test_doc_id_ignores_url_cosmetics_but_not_content() -> None:
    a = make_doc_id(url="https://Example.org:443/a#x", source_id=None, raw_text_hash="h")
    b = make_doc_id(url="https://example.org/a", source_id=None, raw_text_hash="h")
    c = make_doc_id(url="https://example.org/a", source_id=None, raw_text_hash="other")
    assert a == b != c


def test_round_trip_keeps_provenance(workspace: Workspace) -> None:
    store = DatasetStore(workspace)
    docs = _docs(5)
    store.create_version("web", docs, reason="test")
    back = list(store.iter_documents("web"))
    assert [d.doc_id for d in back] == [d.doc_id for d in docs]
    assert back[0].header_values("X-Robots-Tag") == ["noindex", "noai"]
    assert back[0].html_meta == [("robots", "noml")]
    assert back[0].domain == "site-0.example"


def test_resharding_keeps_doc_ids_and_content_hash(workspace: Workspace, monkeypatch) -> None:
    store = DatasetStore(workspace)
    docs = _docs(25)
    v1 = store.create_version("one", docs, reason="one shard")
    monkeypatch.setattr(dataset_module, "SHARD_DOCUMENTS", 4)
    v2 = store.create_version("many", docs, reason="many shards")
    assert len(v1.shards) == 1 and len(v2.shards) == 7
    assert v1.content_hash == v2.content_hash
    assert sorted(d.doc_id for d in store.iter_documents("one")) == sorted(
        d.doc_id for d in store.iter_documents("many")
    )


def test_derive_removes_and_reuses_unchanged_shards(workspace: Workspace, monkeypatch) -> None:
    monkeypatch.setattr(dataset_module, "SHARD_DOCUMENTS", 10)
    store = DatasetStore(workspace)
    docs = _docs(30)
    attrs = {"pii": [{"doc_id": d.doc_id, "label": "EMAIL", "start": 0, "end": 4} for d in docs]}
    v1 = store.create_version("web", docs, reason="first", attributes=attrs)
    victim = docs[12].doc_id
    v2 = store.derive_version("web", lambda d: None if d.doc_id == victim else d, reason="erasure")
    assert v2.version == 2 and v2.parent == 1
    assert v2.removed == (victim,)
    assert v2.document_count == 29
    assert set(v1.shards) & set(v2.shards) == {v1.shards[0], v1.shards[2]}
    assert victim not in {r["doc_id"] for r in store.iter_attributes("web", "pii")}
    assert len(list(store.iter_attributes("web", "pii", version=1))) == 30
    assert victim in {d.doc_id for d in store.iter_documents("web", 1)}  # versions are immutable
    # SCR-03: the deletion log holds the content hash, the rule and the time, never the text.
    [entry] = store.deletions("web", 2)
    assert entry == {
        "doc_id": victim,
        "content_hash": docs[12].content_hash,
        "rule": "erasure",
        "deleted_at": v2.created_at.isoformat(),
    }
    assert "bonjour" not in store.deletion_log_path("web", 2).read_text()
    assert store.deletions("web", 1) == []


def test_versions_are_recorded_in_the_audit_log(workspace: Workspace) -> None:
    store = DatasetStore(workspace)
    store.create_version("web", _docs(2), reason="first")
    actions = [e.action for e in store.ledger.audit_entries()]
    assert "dataset.version" in actions
    assert store.ledger.verify() == len(actions)
