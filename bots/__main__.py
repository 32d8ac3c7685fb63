"""`python -m bots`: the same as the `backit` command."""

from bots.cli import main

raise SystemExit(main())
