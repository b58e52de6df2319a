"""Calling the real ``moisson`` entry point from tests and reading its one-line errors."""

from __future__ import annotations

import pytest

from moisson.cli.app import main

__all__ = ("run_cli", "says")


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    """Exit code and standard error of ``moisson *argv``, error without whitespace."""
    capsys.readouterr()
    with pytest.raises(SystemExit) as info:
        main(list(argv))
    # The console wraps long lines, inside long paths too: compare without any whitespace.
    return int(info.value.code or 0), "".join(capsys.readouterr().err.split())


def says(err: str, message: str) -> bool:
    """Whether ``message`` is in an error read by :func:`run_cli`."""
    return "".join(message.split()) in err
