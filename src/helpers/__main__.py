"""``python -m helpers`` and the ``hf-papers`` script: the command line of :mod:`helpers.cli`."""

import sys

from helpers.cli import main

if __name__ == "__main__":
    sys.exit(main())
