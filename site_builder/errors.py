"""The exceptions commands raise, and the exit codes the CLI turns them into."""

from __future__ import annotations

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """A command was asked something it cannot do (bad path, bad option value)."""
