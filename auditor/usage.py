"""The error a user can fix (a wrong option, an unreadable rule, configuration or baseline
file, an output folder that cannot be written or is in use): printed as one message, exit 2.

It lives outside auditor.cli so that library modules (outputs, loading) can raise it without
importing the command line; auditor.cli.common re-exports it.
"""


class UsageError(Exception):
    """A usage, configuration, rule-file, baseline or output-folder error: printed, exit code 2."""
