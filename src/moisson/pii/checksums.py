"""Checksums that tell real identifiers from look-alikes (PII-01).

Luhn (ISO/IEC 7812-1 annex B) for payment cards and SIREN/SIRET (INSEE), ISO 13616 mod 97 for
IBAN, and the NIR key (97 minus the number mod 97, Corsica's 2A/2B read as 19/18).
"""

from __future__ import annotations

__all__ = ("IBAN_LENGTHS", "iban_valid", "luhn_valid", "nir_valid", "siren_valid", "siret_valid")

# ISO 13616 registry: IBAN length per country code.
IBAN_LENGTHS: dict[str, int] = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22,
    "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "DO": 28,
    "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23,
    "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26,
    "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20,
    "LV": 21, "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MR": 27, "MT": 31, "MU": 30, "NL": 18,
    "NO": 15, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "SA": 24,
    "SC": 31, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "ST": 25, "SV": 28, "TL": 23, "TN": 24,
    "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20,
}  # fmt: skip

_LA_POSTE_SIREN = "356000000"


def luhn_valid(digits: str) -> bool:
    """Luhn check on a string of ASCII digits (no separators)."""
    if not digits.isdigit():
        return False
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = ord(char) - 48
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def iban_valid(compact: str) -> bool:
    """ISO 13616: right length for the country and ``int(rearranged) % 97 == 1``."""
    if len(compact) < 15 or IBAN_LENGTHS.get(compact[:2]) != len(compact):
        return False
    if not compact[2:4].isdigit() or not compact.isalnum() or not compact.isascii():
        return False
    rearranged = compact[4:] + compact[:4]
    numeric = "".join(str(int(c, 36)) for c in rearranged)
    return int(numeric) % 97 == 1


def nir_valid(compact: str) -> bool:
    """French social security number (15 chars with key); 2A/2B are Corsican departments."""
    if len(compact) != 15:
        return False
    body, key = compact[:13].upper(), compact[13:]
    if body[5:7] == "2A":
        body = body[:5] + "19" + body[7:]
    elif body[5:7] == "2B":
        body = body[:5] + "18" + body[7:]
    if not body.isdigit() or not key.isdigit():
        return False
    return 97 - int(body) % 97 == int(key)


def siren_valid(digits: str) -> bool:
    """SIREN: 9 digits, Luhn (INSEE)."""
    return len(digits) == 9 and luhn_valid(digits)


def siret_valid(digits: str) -> bool:
    """SIRET: 14 digits, Luhn; La Poste's establishments use a digit sum multiple of 5."""
    if len(digits) != 14 or not digits.isdigit():
        return False
    if digits.startswith(_LA_POSTE_SIREN):
        return sum(int(c) for c in digits) % 5 == 0
    return luhn_valid(digits)
