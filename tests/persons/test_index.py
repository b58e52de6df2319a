"""The hash-bucketed person index (RGT-02): two stages, one bucket per lookup, no clear values."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

import pyarrow.parquet as pq
import pytest
from rights_corpus import Corpus, ingest, make_corpus

from moisson.persons.buckets import bucket_of_hex
from moisson.persons.index import (
    PersonIndex,
    build_person_index,
    derive_person_index,
    index_dir,
)
from moisson.persons.normalise import normalise_identifier
from moisson.workspace import Workspace


@pytest.fixture
def corpus(workspace: Workspace) -> Corpus:
    c = make_corpus(workspace, people=10, docs=60)
    ingest(workspace, c)
    return c


def _rows_by_doc(index: PersonIndex, keys: list[str]) -> set[str]:
    return {m.doc_id for m in index.lookup(keys)}


def test_lookup_finds_exactly_the_documents_of_each_email(
    workspace: Workspace, corpus: Corpus
) -> None:
    build_person_index(workspace, "corpus", 1, buckets=8)
    index = PersonIndex.open(workspace, "corpus", 1)
    for person in corpus.people:
        key = workspace.keyed_hash(
            normalise_identifier("EMAIL", person.email) or "", purpose="person"
        )
        assert _rows_by_doc(index, [key]) == corpus.truth[person.pid]["EMAIL"]
    assert index.manifest.rows == len(corpus.rows)


def test_lookup_opens_only_the_bucket_of_the_key(workspace: Workspace, corpus: Corpus) -> None:
    build_person_index(workspace, "corpus", 1, buckets=16)
    folder = index_dir(workspace, "corpus", 1)
    files = sorted(folder.glob("b*.parquet"))
    assert len(files) == 16
    person = corpus.people[0]
    key = workspace.keyed_hash(
        normalise_identifier("PHONE", person.phone_digits) or "", purpose="person"
    )
    bucket = bucket_of_hex(key, 16)
    # The key's rows are all in its bucket file, and in no other.
    for number, path in enumerate(files):
        keys = {k.hex() for k in pq.read_table(path).column("key_hash").to_pylist()}
        assert (key in keys) == (number == bucket and bool(corpus.truth[person.pid]["PHONE"]))


def test_index_holds_no_identifier_in_clear(workspace: Workspace, corpus: Corpus) -> None:
    build_person_index(workspace, "corpus", 1, buckets=4)
    blob = b"".join(p.read_bytes() for p in index_dir(workspace, "corpus", 1).iterdir())
    for person in corpus.people:
        assert person.email.lower().encode() not in blob
        assert person.phone_digits[1:].encode() not in blob


def test_process_pool_builds_the_same_index(workspace: Workspace, corpus: Corpus) -> None:
    build_person_index(workspace, "corpus", 1, buckets=8)
    serial = {
        p.name: pq.read_table(p) for p in index_dir(workspace, "corpus", 1).glob("b*.parquet")
    }
    with ProcessPoolExecutor(2, mp_context=get_context("forkserver")) as pool:
        build_person_index(workspace, "corpus", 1, buckets=8, executor=pool)
    pooled = {
        p.name: pq.read_table(p) for p in index_dir(workspace, "corpus", 1).glob("b*.parquet")
    }
    assert serial.keys() == pooled.keys()
    for name, table in serial.items():
        assert table.drop_columns(["shard"]).equals(pooled[name].drop_columns(["shard"]))


def test_derived_index_drops_removed_documents_and_suppressed_keys(
    workspace: Workspace, corpus: Corpus
) -> None:
    build_person_index(workspace, "corpus", 1, buckets=8)
    person = corpus.people[3]
    email = workspace.keyed_hash(
        normalise_identifier("EMAIL", person.email) or "", purpose="person"
    )
    gone = sorted(corpus.truth[person.pid]["EMAIL"])
    assert gone, "the generated corpus must mention this person"
    derive_person_index(workspace, "corpus", 1, 2, removed_doc_ids=gone[:1], suppressed=[email])
    index = PersonIndex.open(workspace, "corpus", 2)
    assert index.lookup([email]) == []
    assert index.manifest.derived_from == 1
    left = {m.doc_id for m in index.lookup([r["key_hash"] for r in corpus.rows])}
    assert gone[0] not in left
    assert PersonIndex.versions(workspace, "corpus") == [1, 2]


@pytest.mark.ray
@pytest.mark.slow
def test_ray_builds_the_same_index(workspace: Workspace, corpus: Corpus, ray_cluster) -> None:
    from moisson.persons.index import RayMap

    build_person_index(workspace, "corpus", 1, buckets=8)
    serial = {
        p.name: pq.read_table(p) for p in index_dir(workspace, "corpus", 1).glob("b*.parquet")
    }
    build_person_index(workspace, "corpus", 1, buckets=8, executor=RayMap())
    on_ray = {
        p.name: pq.read_table(p) for p in index_dir(workspace, "corpus", 1).glob("b*.parquet")
    }
    assert serial.keys() == on_ray.keys()
    for name, table in serial.items():
        assert table.drop_columns(["shard"]).equals(on_ray[name].drop_columns(["shard"]))
