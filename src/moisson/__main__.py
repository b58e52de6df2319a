"""``python -m moisson``: the same as the ``moisson`` command."""

from moisson.cli.app import main

main()
