"""``python -m policycite``: the command-line interface, as the ``policycite`` script runs it."""

import sys

from policycite.cli import main

sys.exit(main())
