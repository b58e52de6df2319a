"""Surface variants of one identifier give one key (RGT-02); look-alikes give none."""

from __future__ import annotations

import pytest

from moisson.persons.normalise import identifier_keys, name_variants, normalise_identifier

# Each group: surface forms that must normalise to the same key.
SAME = [
    ("EMAIL", ["Jean.Dupont@Exemple.fr", "jean.dupont@exemple.fr", "<JEAN.DUPONT@EXEMPLE.FR>"]),
    ("EMAIL", ["jean [at] exemple [dot] fr", "jean@exemple.fr", "mailto:Jean@Exemple.fr"]),
    (
        "PHONE",
        ["06 12 34 56 78", "+33612345678", "06.12.34.56.78", "+33 6 12 34 56 78", "0612345678"],
    ),
    ("PERSON", ["DUPONT Jean", "Jean Dupont", "jean DUPONT", "Mme Jean Dupont"]),
    ("PERSON", ["Élise Lefèvre", "ELISE LEFEVRE", "Lefevre, Elise"]),
    ("IBAN", ["FR76 3000 6000 0112 3456 7890 189", "FR7630006000011234567890189"]),
]


@pytest.mark.parametrize(("label", "forms"), SAME)
def test_surface_forms_share_one_key(label: str, forms: list[str]) -> None:
    keys = {normalise_identifier(label, f) for f in forms}
    assert len(keys) == 1
    assert None not in keys


# Not identifiers: a single name token, an invalid number, an address without a domain.
@pytest.mark.parametrize(
    ("label", "text"),
    [("PERSON", "Dupont"), ("PHONE", "12 34"), ("EMAIL", "jean@localhost"), ("PERSON", "M. D.")],
)
def test_non_identifiers_have_no_key(label: str, text: str) -> None:
    assert normalise_identifier(label, text) is None
    assert identifier_keys(label, text) == []


def test_hyphenated_first_names_have_variants() -> None:
    variants = name_variants("Jean-Pierre DUPONT")
    assert normalise_identifier("PERSON", "Jean-Pierre Dupont") in variants
    assert normalise_identifier("PERSON", "Jean Pierre Dupont") in variants
    assert len(variants) == len(set(variants)) == 3
