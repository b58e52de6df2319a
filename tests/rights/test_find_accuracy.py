"""Acceptance: find recall and precision on a corpus whose truth is known by construction.

Emails and phones, in several surface forms each (``Jean.Dupont@Exemple.fr``, ``06 12 34 56
78`` and ``+33612345678``...), must be found with recall and precision 1.0. Names are
reported: the corpus holds homonyms, so name precision is below 1 by construction.
"""

from __future__ import annotations

import pytest
from rights_corpus import Corpus, Person, ingest, make_corpus

from moisson.persons.index import build_person_index
from moisson.rights.find import find_person
from moisson.rights.identifiers import SuppliedIdentifiers, hash_identifiers
from moisson.workspace import Workspace


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Workspace, Corpus]:
    ws = Workspace.init(tmp_path_factory.mktemp("acc") / "ws")
    corpus = make_corpus(ws, people=15, docs=300, seed=11)
    ingest(ws, corpus)
    build_person_index(ws, "corpus", 1, buckets=32)
    return ws, corpus


def _supplied(person: Person, label: str, form: int) -> SuppliedIdentifiers:
    if label == "EMAIL":
        return SuppliedIdentifiers(emails=[person.email_forms()[form % 3]])
    if label == "PHONE":
        return SuppliedIdentifiers(phones=[person.phone_forms()[form % 4]])
    return SuppliedIdentifiers(names=[person.name_forms()[form % 3]])


def _scores(ws: Workspace, corpus: Corpus, label: str) -> tuple[float, float]:
    tp = fp = fn = 0
    for person in corpus.people:
        hashed, _ = hash_identifiers(ws, _supplied(person, label, person.pid))
        result = find_person(ws, "corpus", hashed, max_name_only_sources=10**6)
        found = {d.doc_id for d in result.documents}
        truth = corpus.truth[person.pid][label]
        tp += len(found & truth)
        fp += len(found - truth)
        fn += len(truth - found)
    return tp / (tp + fn), tp / (tp + fp)


@pytest.mark.parametrize("label", ["EMAIL", "PHONE"])
def test_email_and_phone_recall_and_precision_are_one(
    indexed: tuple[Workspace, Corpus], label: str
) -> None:
    ws, corpus = indexed
    assert sum(len(t[label]) for t in corpus.truth.values()) > 50  # the test has something to find
    recall, precision = _scores(ws, corpus, label)
    assert (recall, precision) == (1.0, 1.0)


def test_name_recall_and_precision_are_reported(
    indexed: tuple[Workspace, Corpus], capsys: pytest.CaptureFixture[str]
) -> None:
    ws, corpus = indexed
    recall, precision = _scores(ws, corpus, "PERSON")
    with capsys.disabled():
        print(f"\nname find on the generated corpus: recall={recall:.3f} precision={precision:.3f}")
    # Every surface form of a name folds to one key: nothing is missed...
    assert recall == 1.0
    # ...but the two homonyms find each other's documents: precision is what the truth implies.
    a, b = corpus.people[0], corpus.people[-1]
    shared = len(corpus.truth[a.pid]["PERSON"] ^ corpus.truth[b.pid]["PERSON"])
    assert shared > 0
    total = sum(len(t["PERSON"]) for t in corpus.truth.values())
    assert precision == pytest.approx(total / (total + shared))


def test_name_alone_on_many_sources_cannot_identify(indexed: tuple[Workspace, Corpus]) -> None:
    ws, corpus = indexed
    hashed, _ = hash_identifiers(ws, SuppliedIdentifiers(names=[corpus.people[0].name_forms()[0]]))
    result = find_person(ws, "corpus", hashed)
    assert result.status == "cannot_identify"
    assert result.documents == []
    assert "email address" in result.would_help


def test_not_found_differs_from_cannot_identify(indexed: tuple[Workspace, Corpus]) -> None:
    ws, _ = indexed
    hashed, _ = hash_identifiers(ws, SuppliedIdentifiers(emails=["nobody@nowhere.example"]))
    assert find_person(ws, "corpus", hashed).status == "not_found"
    hashed, unusable = hash_identifiers(ws, SuppliedIdentifiers(phones=["12"], names=["Dupont"]))
    result = find_person(ws, "corpus", hashed, unusable=unusable)
    assert result.status == "cannot_identify"
    assert "PHONE" in result.explanation
