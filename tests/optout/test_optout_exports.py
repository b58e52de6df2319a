"""The public surface of moisson.optout is exactly its sorted ``__all__`` (style.md rule 2)."""

from __future__ import annotations

import importlib
import pkgutil
import types

import moisson.optout as optout


def test_all_is_sorted_and_complete() -> None:
    for name in optout.__all__:  # imported on first use (moisson/_lazy.py): resolve them all
        getattr(optout, name)
    public = {
        n
        for n in dir(optout)
        if not n.startswith("_") and not isinstance(getattr(optout, n), types.ModuleType)
    }
    assert set(optout.__all__) == public - {"annotations", "TYPE_CHECKING", "lazy_attributes"}
    # isort-style order, as ruff RUF022 keeps it: CONSTANTS, Classes, functions.
    kind = {True: 0}
    assert list(optout.__all__) == sorted(
        optout.__all__, key=lambda n: (kind.get(n.isupper(), 1 if n[0].isupper() else 2), n)
    )


def test_every_module_declares_all() -> None:
    for info in pkgutil.iter_modules(optout.__path__):
        module = importlib.import_module(f"moisson.optout.{info.name}")
        assert isinstance(getattr(module, "__all__", None), tuple), info.name
