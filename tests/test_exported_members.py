"""The public names of the core are exactly what ``__all__`` says (style.md rule 2)."""

from __future__ import annotations

import moisson


def test_all_lists_exactly_the_public_names() -> None:
    public = {n for n in dir(moisson) if not n.startswith("_") or n == "__version__"}
    subpackages = {
        n
        for n in public
        if getattr(getattr(moisson, n), "__name__", "").startswith("moisson.")
        and type(getattr(moisson, n)).__name__ == "module"
    }
    assert set(moisson.__all__) == public - subpackages
    assert list(moisson.__all__) == sorted(moisson.__all__)
