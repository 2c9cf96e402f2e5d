"""``python -m iameval``: the ``iameval`` command line (see :mod:`iameval.cli`)."""

from iameval.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
