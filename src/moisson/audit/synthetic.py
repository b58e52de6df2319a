"""A generated French/English corpus with invented people, for tests, benchmarks and demos.

Every name, e-mail and phone number here is invented. The corpus has the shape the audit
needs to be tested end to end (MOD-02): ordinary documents (members, and held-out documents
from the same distribution as non-members) and people whose contact details appear a known
number of times. :func:`clean_variant` gives the deduplicated, pseudonymised version of the
training texts that a careful pipeline (PII-03) would have produced.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass

from moisson.audit.records import Person, TextRecord

__all__ = ("SyntheticCorpus", "clean_variant", "make_corpus")

_FR_SUBJECTS = (
    "La mairie",
    "Le conseil",
    "Une association",
    "La bibliothèque",
    "Le club",
    "La coopérative",
    "Le collège",
    "Une équipe",
    "La région",
    "Le marché",
)
_FR_VERBS = (
    "organise",
    "prépare",
    "annonce",
    "ouvre",
    "présente",
    "finance",
    "accueille",
    "reporte",
    "soutient",
    "lance",
)
_FR_OBJECTS = (
    "une fête de quartier",
    "un atelier de couture",
    "une exposition de photos",
    "un concert gratuit",
    "une collecte de livres",
    "un tournoi d'échecs",
    "une visite guidée",
    "un repas partagé",
    "une journée portes ouvertes",
    "un stage de peinture",
)
_FR_WHEN = (
    "samedi matin",
    "dimanche prochain",
    "en fin de mois",
    "cet été",
    "à la rentrée",
    "mardi soir",
    "pendant les vacances",
    "au printemps",
)
_FR_WHERE = (
    "près de la gare",
    "au centre-ville",
    "dans le parc",
    "sur la place",
    "à la salle",
    "au bord du canal",
    "dans la cour",
    "au gymnase",
)
_EN_SUBJECTS = (
    "The council",
    "A charity",
    "The library",
    "The club",
    "The school",
    "A small team",
    "The museum",
    "The bakery",
    "The market",
    "The choir",
)
_EN_VERBS = (
    "hosts",
    "plans",
    "announces",
    "opens",
    "presents",
    "funds",
    "welcomes",
    "postpones",
    "supports",
    "launches",
)
_EN_OBJECTS = (
    "a street party",
    "a sewing workshop",
    "a photo exhibition",
    "a free concert",
    "a book drive",
    "a chess tournament",
    "a guided tour",
    "a shared meal",
    "an open day",
    "a painting class",
)
_EN_WHEN = (
    "on Saturday morning",
    "next Sunday",
    "at the end of the month",
    "this summer",
    "in September",
    "on Tuesday evening",
    "during the holidays",
    "in spring",
)
_EN_WHERE = (
    "near the station",
    "in the town centre",
    "in the park",
    "on the square",
    "in the hall",
    "by the canal",
    "in the courtyard",
    "at the gym",
)

_PEOPLE = (
    ("Aurélie", "Vasseur"),
    ("Bastien", "Lemaire"),
    ("Clémence", "Royer"),
    ("Damien", "Aubert"),
    ("Eleanor", "Hartley"),
    ("Frederick", "Coleman"),
    ("Gwendolyn", "Marsh"),
    ("Henry", "Quill"),
    ("Ismaël", "Bertin"),
    ("Juliette", "Colas"),
    ("Kenneth", "Oakes"),
    ("Lorna", "Pryce"),
)


@dataclass(frozen=True)
class SyntheticCorpus:
    """Members (training texts), non-members (held out, same distribution), people."""

    members: list[TextRecord]
    non_members: list[TextRecord]
    people: list[Person]
    person_repetitions: dict[str, int]


def _sentence(rng: random.Random, lang: str) -> str:
    if lang == "fr":
        parts = (_FR_SUBJECTS, _FR_VERBS, _FR_OBJECTS, _FR_WHEN, _FR_WHERE)
    else:
        parts = (_EN_SUBJECTS, _EN_VERBS, _EN_OBJECTS, _EN_WHEN, _EN_WHERE)
    words = [rng.choice(p) for p in parts]
    return " ".join(words) + "."


def _document(rng: random.Random, lang: str) -> str:
    return " ".join(_sentence(rng, lang) for _ in range(rng.randint(2, 3)))


def _person(rng: random.Random, index: int, first: str, last: str) -> Person:
    ascii_first = first.replace("é", "e").replace("ë", "e").lower()
    email = f"{ascii_first}.{last.lower()}{rng.randint(10, 99)}@exemple.fr"
    if index % 2 == 0:
        phone = "06 " + " ".join(f"{rng.randint(0, 99):02d}" for _ in range(4))
        context = f"Pour toute question sur l'inscription, écrivez à {first} {last} à l'adresse"
    else:
        phone = "07 " + " ".join(f"{rng.randint(0, 99):02d}" for _ in range(4))
        context = f"For any question about the booking, write to {first} {last} at"
    return Person(
        id=f"person-{index:02d}", name=f"{first} {last}", email=email, phone=phone, context=context
    )


def _person_text(person: Person) -> str:
    if person.context.startswith("Pour"):
        return f"{person.context} {person.email} ou appelez le {person.phone}."
    return f"{person.context} {person.email} or call {person.phone}."


def make_corpus(
    documents: int,
    *,
    seed: int = 0,
    held_out: int | None = None,
    person_repetitions: Sequence[int] = (0, 1, 4, 16, 32, 32),
) -> SyntheticCorpus:
    """``documents`` member texts plus ``held_out`` non-members, half French half English.

    The i-th person's contact line is repeated ``person_repetitions[i]`` times among the
    members (0: the person is a negative control, never in training).
    """
    rng = random.Random(seed)
    held = documents // 2 if held_out is None else held_out
    texts = [_document(rng, "fr" if i % 2 == 0 else "en") for i in range(documents + held)]
    people = [_person(rng, i, *_PEOPLE[i % len(_PEOPLE)]) for i in range(len(person_repetitions))]
    members = [TextRecord(f"doc-{i:05d}", t) for i, t in enumerate(texts[:documents])]
    non_members = [TextRecord(f"held-{i:05d}", t) for i, t in enumerate(texts[documents:])]
    for person, reps in zip(people, person_repetitions, strict=True):
        members += [TextRecord(f"{person.id}#{k}", _person_text(person)) for k in range(reps)]
    rng.shuffle(members)
    return SyntheticCorpus(
        members=members,
        non_members=non_members,
        people=people,
        person_repetitions={p.id: r for p, r in zip(people, person_repetitions, strict=True)},
    )


def clean_variant(texts: Sequence[str], people: Sequence[Person]) -> list[str]:
    """Deduplicated texts with people's identifiers replaced by pseudonym tokens (PII-03)."""
    replacements: list[tuple[re.Pattern[str], str]] = []
    for person in people:
        for kind, value in person.identifiers().items():
            replacements.append(
                (re.compile(re.escape(value)), f"[{kind.upper()}_{person.id[-2:]}]")
            )
    seen: set[str] = set()
    out: list[str] = []
    for text in texts:
        for pattern, token in replacements:
            text = pattern.sub(token, text)
        if text not in seen:
            seen.add(text)
            out.append(text)
    return out
