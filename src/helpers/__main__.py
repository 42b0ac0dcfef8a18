"""``python -m helpers`` and the ``hf-papers`` script: the command line of :mod:`helpers.cli`."""

import os
import sys

from helpers.cli import main


def run() -> None:
    """The ``hf-papers`` script: :func:`helpers.cli.main`, then the process ends at once with
    its exit code. Everything it writes is in place by then (files are written atomically
    and closed, the build's workers and kernels have stopped); only tearing down the imported
    modules is skipped, which takes Python 0.6-0.8 s after a report build (papermill alone
    0.5 s, pandas and matplotlib 0.2 s each) and holds the shell prompt for nothing.
    An exception other than the package's own errors still ends it the usual way, traceback
    included."""
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(int(code or 0))


if __name__ == "__main__":
    run()
