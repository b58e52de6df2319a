"""Packages that import their names on first use (moisson/_lazy.py) give the same objects as
an eager import would, whatever was imported before.

A lazily exported name must not also be a submodule: the first import of ``package.name``
sets the package's attribute to the module, so ``from package import name`` would then give
the module instead of the function (it did for ``moisson.pipeline.ingest``).
"""

from __future__ import annotations

import importlib
import pkgutil
import subprocess
import sys

import pytest

_LAZY_PACKAGES = ("moisson", "moisson.crawl", "moisson.optout", "moisson.persons",
                  "moisson.pii", "moisson.pipeline", "moisson.reports", "moisson.rights")  # fmt: skip


@pytest.mark.parametrize("name", _LAZY_PACKAGES)
def test_no_lazy_name_is_also_a_submodule(name: str) -> None:
    package = importlib.import_module(name)
    submodules = {info.name for info in pkgutil.iter_modules(package.__path__)}
    lazy = package.__getattr__.lazy_names
    assert lazy and not lazy & submodules


@pytest.mark.parametrize("name", _LAZY_PACKAGES)
def test_names_resolve_after_every_submodule_was_imported(name: str) -> None:
    """In a fresh interpreter: import every submodule first, then every exported name."""
    code = (
        "import importlib, pkgutil, types\n"
        f"p = importlib.import_module({name!r})\n"
        "for info in pkgutil.iter_modules(p.__path__):\n"
        "    if info.name == '__main__':\n"
        "        continue  # runs the command line\n"
        "    try:\n"
        "        importlib.import_module(f'{p.__name__}.{info.name}')\n"
        "    except ImportError:\n"
        "        pass  # an optional extra that is not installed\n"
        "bad = [n for n in p.__all__ if isinstance(getattr(p, n), types.ModuleType)]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=120)
