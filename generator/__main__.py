"""``python -m generator``: the same as the ``gleanery`` command."""

from generator.cli import entry

entry()
