"""Checksums against published reference values (PII-01)."""

from __future__ import annotations

import pytest

from moisson.pii.checksums import iban_valid, luhn_valid, nir_valid, siren_valid, siret_valid


@pytest.mark.parametrize(
    ("digits", "expected"),
    [
        ("4111111111111111", True),  # Visa test number
        ("5555555555554444", True),  # Mastercard test number
        ("378282246310005", True),  # Amex test number
        ("4111111111111112", False),
        ("1234567890123456", False),
        ("12a4", False),
    ],
)
def test_luhn(digits: str, expected: bool) -> None:
    assert luhn_valid(digits) is expected


@pytest.mark.parametrize(
    ("iban", "expected"),
    [
        ("GB82WEST12345698765432", True),  # ECBS example
        ("DE89370400440532013000", True),
        ("FR7630006000011234567890189", True),
        ("GB82WEST12345698765433", False),  # wrong check
        ("FR763000600001123456789018", False),  # one character short for France
        ("XX82WEST12345698765432", False),  # unknown country
    ],
)
def test_iban(iban: str, expected: bool) -> None:
    assert iban_valid(iban) is expected


@pytest.mark.parametrize(
    ("nir", "expected"),
    [
        ("185037511623881", True),
        ("182072A05123472", True),  # Corse-du-Sud: 2A read as 19
        ("291102B01045682", True),  # Haute-Corse: 2B read as 18
        ("182072A05123473", False),
        ("185037511623882", False),
        ("18503751162388", False),
    ],
)
def test_nir(nir: str, expected: bool) -> None:
    assert nir_valid(nir) is expected


def test_siren_and_siret() -> None:
    assert siren_valid("552100554")
    assert not siren_valid("552100555")
    assert siret_valid("44306184100047")
    assert not siret_valid("44306184100048")
    assert siret_valid("35600000000051")  # La Poste: digit sum multiple of 5
    assert not siret_valid("35600000000052")
