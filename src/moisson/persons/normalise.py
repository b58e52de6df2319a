"""Normalised forms of people's identifiers, so that surface variants hash alike (RGT-02).

``Jean.Dupont@Exemple.fr`` and ``jean.dupont@exemple.fr``; ``06 12 34 56 78`` and
``+33612345678``; ``DUPONT Jean`` and ``Jean Dupont`` must give the same keyed hash. Every
identifier type has one function returning the canonical keys to hash (a name yields one key:
its folded tokens, sorted, so word order does not matter).
"""

from __future__ import annotations

import contextlib
import re
import unicodedata

import phonenumbers

__all__ = (
    "IDENTIFIER_TYPES",
    "deobfuscate_email",
    "fold_text",
    "identifier_keys",
    "name_variants",
    "normalise_email",
    "normalise_identifier",
    "normalise_name",
    "normalise_phone",
)

# Labels of the PII detectors whose values identify a person and go to the person index.
IDENTIFIER_TYPES = ("EMAIL", "PHONE", "PERSON", "IBAN", "FR_NIR", "CREDIT_CARD", "IDENTIFIER")

# At most 64 blanks before the obfuscated "at"/"dot": with ``\s*`` the engine re-read a long run
# of blanks from each of its positions, in time growing with the square of its length (5 kB:
# 1 s, 20 kB: 15 s), on identifiers people supply.
_AT = re.compile(
    r"\s{0,64}(?:\[at\]|\(at\)|\{at\}|\sat\s|\sarobase\s|\[arobase\]|\(arobase\))\s*", re.I
)
_DOT = re.compile(
    r"\s{0,64}(?:\[dot\]|\(dot\)|\{dot\}|\sdot\s|\[point\]|\(point\)|\spoint\s)\s*", re.I
)


def fold_text(text: str) -> str:
    """Case- and accent-folded text with collapsed whitespace."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().split())


def deobfuscate_email(text: str) -> str:
    """``jean [at] exemple [dot] fr`` -> ``jean@exemple.fr``."""
    return _DOT.sub(".", _AT.sub("@", f" {text} ")).strip()


def normalise_email(text: str) -> str | None:
    value = deobfuscate_email(text).strip().strip("<>").lower()
    value = value.removeprefix("mailto:")
    if value.count("@") != 1:
        return None
    local, domain = value.split("@")
    if not local or "." not in domain:
        return None
    with contextlib.suppress(UnicodeError):
        domain = domain.encode("idna").decode("ascii")
    return f"{local}@{domain}"


def normalise_phone(text: str, *, default_region: str = "FR") -> str | None:
    """E.164 form, or None when the text is not a valid number."""
    try:
        number = phonenumbers.parse(text, default_region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def normalise_name(text: str) -> str | None:
    """Folded name tokens, sorted: ``DUPONT Jean`` and ``Jean Dupont`` -> ``dupont jean``."""
    tokens = re.findall(r"[^\W\d_]+(?:[-'][^\W\d_]+)*", fold_text(text))
    tokens = [t for t in tokens if len(t) > 1 and t not in {"mr", "mme", "mrs", "ms", "dr", "m"}]
    if len(tokens) < 2:
        return None
    return " ".join(sorted(tokens))


def name_variants(text: str) -> list[str]:
    """Every normalised key a name may have been indexed under (RGT-02 "name variants").

    A detector may see ``Jean-Pierre Dupont`` as written or with the hyphen dropped; a
    person may write ``Jean Pierre DUPONT``. We return the normalised form, the form with
    hyphenated tokens split and the form with them joined, without duplicates.
    """
    base = normalise_name(text)
    if base is None:
        return []
    variants = [base]
    for replacement in (" ", ""):
        other = normalise_name(fold_text(text).replace("-", replacement))
        if other is not None and other not in variants:
            variants.append(other)
    return variants


def identifier_keys(label: str, text: str, *, default_region: str = "FR") -> list[str]:
    """All canonical keys to look up for an identifier supplied by a person.

    Lookups try every variant; indexing uses :func:`normalise_identifier` (one key).
    """
    if label == "PERSON":
        return name_variants(text)
    key = normalise_identifier(label, text, default_region=default_region)
    return [key] if key is not None else []


def _compact(text: str) -> str:
    return re.sub(r"[\s.\-]", "", text).upper()


def normalise_identifier(label: str, text: str, *, default_region: str = "FR") -> str | None:
    """The canonical key of an identifier of type ``label``, or None when it is not one."""
    if label == "EMAIL":
        return normalise_email(text)
    if label == "PHONE":
        return normalise_phone(text, default_region=default_region)
    if label == "PERSON":
        return normalise_name(text)
    if label in {"IBAN", "FR_NIR", "CREDIT_CARD"}:
        return _compact(text) or None
    if label == "IDENTIFIER":
        return fold_text(text) or None
    return None
