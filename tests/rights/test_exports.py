"""Every public module of the rights and persons packages declares ``__all__`` (style.md rule 2)."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import moisson.persons
import moisson.rights

MODULES = [
    f"{pkg.__name__}.{info.name}"
    for pkg in (moisson.persons, moisson.rights)
    for info in pkgutil.iter_modules(pkg.__path__)
]


@pytest.mark.parametrize("name", [*MODULES, "moisson.persons", "moisson.rights"])
def test_all_lists_exactly_the_public_names(name: str) -> None:
    module = importlib.import_module(name)
    exported = set(module.__all__)
    assert all(hasattr(module, n) for n in exported)
    defined = {
        n
        for n, obj in vars(module).items()
        if not n.startswith("_") and getattr(obj, "__module__", None) == name and callable(obj)
    }
    assert defined <= exported, f"public but not in __all__: {sorted(defined - exported)}"
