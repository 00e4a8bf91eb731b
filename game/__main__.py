"""`python -m game COMMAND`: the `switchyard` command where its script is not on PATH."""

import sys

from game.cli import main

sys.exit(main())
