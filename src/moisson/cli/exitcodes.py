"""Exit codes of the ``moisson`` command (documented in the README).

0  success (for ``optout check``: whatever the decisions)
1  the operation failed: bad input with ``--on-error stop``, a failed check, a tampered ledger
2  usage error: unknown option, missing argument, invalid value
3  configuration error: invalid ``moisson.toml`` (the message names the key)
4  no workspace, or not found (dataset, version, request)
5  a required optional extra is not installed
"""

from __future__ import annotations

__all__ = ("CONFIG", "FAILURE", "MISSING_DEPENDENCY", "NOT_FOUND", "OK", "USAGE")

OK = 0
FAILURE = 1
USAGE = 2
CONFIG = 3
NOT_FOUND = 4
MISSING_DEPENDENCY = 5
