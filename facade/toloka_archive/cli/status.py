"""The command's name and exit statuses: what every part of the command says to the shell.

Kept apart from ``cli`` (the argument parser) so that the parts of the command import them from
below instead of from the module that imports them.
"""

from __future__ import annotations

PROG = "toloka-archive"

EXIT_OK = 0
EXIT_NOT_ARCHIVED = 1
EXIT_USAGE = 2  # also: a run no pool could get through (rejected key, Toloka unreachable, ...)
EXIT_OUTPUT_CLOSED = 3  # standard output was closed (``| head``): the rest is on stderr
EXIT_INTERRUPTED = 130
