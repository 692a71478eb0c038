"""How one subject of a run ended: the words every report, view and exit code is built from.

Written beside the operation kinds (``kinds``), because each kind names its own outcomes (an
archive ends ``archived`` or ``already_archived``, a close ``closed`` or ``already_closed``):
nothing above has to turn a verb into an outcome.
"""

from __future__ import annotations

import enum


class Outcome(enum.Enum):
    """How one pool, training (or other subject) ended. ``ok`` tells the ones that need nothing
    more from anybody."""

    ARCHIVED = "archived"
    ALREADY_ARCHIVED = "already_archived"
    CLOSED = "closed"  # closing: it was closed
    ALREADY_CLOSED = "already_closed"  # closing: Toloka answered 204
    STARTED = "started"  # the operation started and was not waited for (wait=False)
    ARCHIVABLE = "archivable"  # dry run: would be archived now
    NOT_ARCHIVABLE_YET = "not_archivable_yet"  # rejections in the last 9 days
    WRONG_STATUS = "wrong_status"  # not CLOSED, e.g. still OPEN
    BEING_EDITED = "being_edited"  # closed for editing (FOR_UPDATE): left alone without consent
    BLOCKED = "blocked"  # Toloka refuses until something else happens first (the detail says)
    NOT_FOUND = "not_found"
    NO_ACCESS = "no_access"
    INVALID_ID = "invalid_id"
    TIMED_OUT = "timed_out"  # still running at Toloka; resume with the operation id
    FAILED = "failed"  # Toloka says so: the operation ended FAIL, or it refused the request
    UNKNOWN = "unknown"  # Toloka could not be asked, or answered nonsense: check it

    @property
    def ok(self) -> bool:
        return self in _OK


_OK = frozenset(
    {
        Outcome.ARCHIVED,
        Outcome.ALREADY_ARCHIVED,
        Outcome.CLOSED,
        Outcome.ALREADY_CLOSED,
        Outcome.STARTED,
        Outcome.ARCHIVABLE,
    }
)
