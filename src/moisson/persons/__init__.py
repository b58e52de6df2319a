"""Person index: keyed hashes of people's identifiers mapped to documents (RGT-02)."""

from moisson.persons.normalise import (
    IDENTIFIER_TYPES,
    deobfuscate_email,
    fold_text,
    normalise_email,
    normalise_identifier,
    normalise_name,
    normalise_phone,
)

__all__ = (
    "IDENTIFIER_TYPES",
    "deobfuscate_email",
    "fold_text",
    "normalise_email",
    "normalise_identifier",
    "normalise_name",
    "normalise_phone",
)
