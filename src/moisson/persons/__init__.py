"""Person index: keyed hashes of people's identifiers mapped to documents (RGT-02)."""

from moisson.persons.index import (
    IndexManifest,
    IndexMatch,
    MapExecutor,
    PersonIndex,
    RayMap,
    build_person_index,
    derive_person_index,
)
from moisson.persons.normalise import (
    IDENTIFIER_TYPES,
    deobfuscate_email,
    fold_text,
    identifier_keys,
    name_variants,
    normalise_email,
    normalise_identifier,
    normalise_name,
    normalise_phone,
)

__all__ = (
    "IDENTIFIER_TYPES",
    "IndexManifest",
    "IndexMatch",
    "MapExecutor",
    "PersonIndex",
    "RayMap",
    "build_person_index",
    "deobfuscate_email",
    "derive_person_index",
    "fold_text",
    "identifier_keys",
    "name_variants",
    "normalise_email",
    "normalise_identifier",
    "normalise_name",
    "normalise_phone",
)
