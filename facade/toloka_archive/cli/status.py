"""The command's name and exit statuses: what every part of the command says to the shell.

Kept apart from ``cli`` (the argument parser) so that the parts of the command import them from
below instead of from the module that imports them.
"""

from __future__ import annotations

import signal

PROG = "toloka-archive"

EXIT_OK = 0
EXIT_NOT_ARCHIVED = 1
EXIT_USAGE = 2  # also: a run no pool could get through (rejected key, Toloka unreachable, ...)
EXIT_OUTPUT_CLOSED = 3  # standard output was closed (``| head``): the rest is on stderr
EXIT_SIGNALLED = 128  # plus the signal's number, as a shell reports it: 130 for Ctrl-C
EXIT_INTERRUPTED = EXIT_SIGNALLED + signal.SIGINT  # 130
STOPPING_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
"""The signals that stop a run the same way: no new work, the started operations listed."""
