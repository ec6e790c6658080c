"""``python -m claude_models`` is the ``claude-models`` command."""

from claude_models.cli import console

console()
