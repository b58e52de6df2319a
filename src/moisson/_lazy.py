"""Names of a package imported on first use (PEP 562): commands must not pay, before they
start, for importing SQLAlchemy, pyarrow, Scrapy or torch that they may not need."""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from typing import Any

__all__ = ("lazy_attributes",)


def lazy_attributes(
    package: str, names: Mapping[str, str], namespace: dict[str, Any]
) -> Callable[[str], Any]:
    """A module ``__getattr__``: ``names`` maps an attribute to the module that defines it;
    the value is imported on first access and kept in ``namespace`` (the package's globals)."""

    def __getattr__(name: str) -> Any:
        module = names.get(name)
        if module is None:
            msg = f"module {package!r} has no attribute {name!r}"
            raise AttributeError(msg)
        value = getattr(importlib.import_module(module), name)
        namespace[name] = value
        return value

    # Which names are lazy: tests/test_lazy_packages.py checks none is also a submodule name
    # (importing the submodule would set the package attribute to the module).
    __getattr__.lazy_names = frozenset(names)  # type: ignore[attr-defined]
    return __getattr__
