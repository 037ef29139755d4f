"""``python -m deterrence`` runs the command line."""

import sys

from deterrence.cli.main import main

sys.exit(main())
