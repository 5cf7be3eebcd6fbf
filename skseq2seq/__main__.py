"""Command line: ``python -m skseq2seq demo|cluster|segment|compare`` (or ``skseq2seq``).

The commands live in :mod:`skseq2seq._cli`, one module each.
"""

import sys

from ._cli import main

__all__ = ["main"]

if __name__ == "__main__":
    sys.exit(main())
