"""The public names of the core are exactly what ``__all__`` says (style.md rule 2)."""

from __future__ import annotations

import moisson


def test_all_lists_exactly_the_public_names() -> None:
    public = {n for n in dir(moisson) if not n.startswith("_") or n == "__version__"}
    modules = {n for n in public if type(getattr(moisson, n)).__name__ == "module"}
    assert set(moisson.__all__) == public - modules - {
        "annotations",
        "TYPE_CHECKING",
        "lazy_attributes",
    }
    assert list(moisson.__all__) == sorted(moisson.__all__)
    for name in moisson.__all__:
        assert getattr(moisson, name) is not None
