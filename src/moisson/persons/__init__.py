"""Person index: keyed hashes of people's identifiers mapped to documents (RGT-02)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from moisson._lazy import lazy_attributes

if TYPE_CHECKING:
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

# Imported on first use: a command that needs one module must not pay for importing them all
# (the ledger's SQLAlchemy, the store's pyarrow) before it starts.
_LAZY = {
    "IndexManifest": "moisson.persons.index",
    "IndexMatch": "moisson.persons.index",
    "MapExecutor": "moisson.persons.index",
    "PersonIndex": "moisson.persons.index",
    "RayMap": "moisson.persons.index",
    "build_person_index": "moisson.persons.index",
    "derive_person_index": "moisson.persons.index",
    "IDENTIFIER_TYPES": "moisson.persons.normalise",
    "deobfuscate_email": "moisson.persons.normalise",
    "fold_text": "moisson.persons.normalise",
    "identifier_keys": "moisson.persons.normalise",
    "name_variants": "moisson.persons.normalise",
    "normalise_email": "moisson.persons.normalise",
    "normalise_identifier": "moisson.persons.normalise",
    "normalise_name": "moisson.persons.normalise",
    "normalise_phone": "moisson.persons.normalise",
}


__getattr__ = lazy_attributes(__name__, _LAZY, globals())


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
