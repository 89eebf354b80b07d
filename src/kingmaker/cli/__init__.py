"""The command-line front end: ``kingmaker`` (a thin layer over ``kingmaker.service``)."""

from kingmaker.cli.app import app, main

__all__ = ["app", "main"]
