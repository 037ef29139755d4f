"""The ``deterrence`` command line (also ``python -m deterrence``)."""

from deterrence.cli.main import main

__all__ = ["main"]
