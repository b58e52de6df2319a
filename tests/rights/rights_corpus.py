"""A generated corpus where the documents of each person are known by construction.

Each person has an email, a phone and a name; each document mentions zero to three people,
each in a randomly chosen surface form (``Jean.Dupont@Exemple.fr`` / lower-case,
``06 12 34 56 78`` / ``+33612345678`` / ``06.12.34.56.78``, ``DUPONT Jean`` / ``Jean Dupont``).
The ``pii`` attribute rows are what a detector would record: label, span, keyed hash of the
normalised value. Two people share a name (homonyms) so name precision is not trivially 1.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from moisson.persons.normalise import normalise_identifier
from moisson.store import DatasetStore, DatasetVersion, Document
from moisson.workspace import Workspace

FIRST = ["Jean", "Marie", "Luc", "Élise", "Hélène", "Paul", "Chloé", "Jean-Pierre", "Anaïs", "Théo"]
LAST = ["Dupont", "Martin", "Lefèvre", "Bernard", "Moreau", "Girard", "Roux", "Fournier", "Mercier"]
FILLER = (
    "La réunion du conseil a porté sur le budget de la médiathèque. ",
    "Les horaires d'ouverture changent à partir de lundi. ",
    "Merci de confirmer votre présence avant vendredi. ",
    "Le compte rendu sera publié sur le site de l'association. ",
)


@dataclass
class Person:
    pid: int
    first: str
    last: str
    email: str
    phone_digits: str  # national form, 10 digits

    def email_forms(self) -> list[str]:
        return [self.email, self.email.lower(), self.email.upper()]

    def phone_forms(self) -> list[str]:
        d = self.phone_digits
        spaced = " ".join(d[i : i + 2] for i in range(0, 10, 2))
        return [
            spaced,
            "+33" + d[1:],
            ".".join(d[i : i + 2] for i in range(0, 10, 2)),
            "+33 " + spaced[1:],
        ]

    def name_forms(self) -> list[str]:
        return [
            f"{self.first} {self.last}",
            f"{self.last.upper()} {self.first}",
            f"{self.first} {self.last.upper()}",
        ]


@dataclass
class Corpus:
    people: list[Person]
    docs: list[Document]
    rows: list[dict[str, Any]]
    # person id -> doc ids mentioning them, per identifier type
    truth: dict[int, dict[str, set[str]]] = field(default_factory=dict)


def make_people(rng: random.Random, n: int) -> list[Person]:
    people = []
    for pid in range(n):
        first, last = FIRST[pid % len(FIRST)], LAST[(pid * 7 + pid // len(FIRST)) % len(LAST)]
        email = f"{first.split('-')[0]}.{last}{pid}@Exemple.fr".replace("é", "e").replace("É", "E")
        email = email.replace("ï", "i").replace("è", "e")
        phone = "06" + f"{rng.randrange(10**8):08d}"
        people.append(Person(pid, first, last, email, phone))
    # homonyms: the last person gets the first person's name
    people[-1].first, people[-1].last = people[0].first, people[0].last
    return people


def make_corpus(workspace: Workspace, *, people: int = 12, docs: int = 80, seed: int = 7) -> Corpus:
    rng = random.Random(seed)
    persons = make_people(rng, people)
    corpus = Corpus(persons, [], [])
    for p in persons:
        corpus.truth[p.pid] = {"EMAIL": set(), "PHONE": set(), "PERSON": set()}
    for i in range(docs):
        text = rng.choice(FILLER)
        mentions: list[tuple[str, int, int, Person]] = []
        for person in rng.sample(persons, rng.randint(0, 3)):
            for label, forms in (
                ("PERSON", person.name_forms()),
                ("EMAIL", person.email_forms()),
                ("PHONE", person.phone_forms()),
            ):
                if rng.random() < 0.6:
                    text += "Contact : " if label != "PERSON" else "Signé : "
                    start = len(text)
                    text += rng.choice(forms)
                    mentions.append((label, start, len(text), person))
                    text += ". " + rng.choice(FILLER)
        doc = Document.new(text, url=f"https://site{i % 9}.example/page{i}", source_id=f"src-{i}")
        corpus.docs.append(doc)
        for label, start, end, person in mentions:
            canonical = normalise_identifier(label, text[start:end])
            assert canonical is not None, text[start:end]
            corpus.rows.append(
                {
                    "doc_id": doc.doc_id,
                    "label": label,
                    "start": start,
                    "end": end,
                    "action": "keep",
                    "token": None,
                    "key_hash": workspace.keyed_hash(canonical, purpose="person"),
                    "detector": f"{label.lower()}_synthetic_v1",
                }
            )
            corpus.truth[person.pid][label].add(doc.doc_id)
    return corpus


def ingest(workspace: Workspace, corpus: Corpus, name: str = "corpus") -> DatasetVersion:
    store = DatasetStore(workspace)
    return store.create_version(
        name, corpus.docs, reason="synthetic corpus", attributes={"pii": corpus.rows}
    )
