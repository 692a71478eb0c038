"""Toloka's refusals (its ``409`` codes), read as Toloka means them: one table, one line each.

Toloka's reference documents few of these codes; the rest are the ones its own SDKs name
(toloka-kit's ``error_codes.py``, the Java SDK's ``TlkError``), and their meaning is taken
from there and from the reference's prose (docs/contract.md lists each assumption). For each
code the table says what it means for whoever sent the request (``Conflict``), one line that
says why in words, and the next step: the one thing a person can do about it. A refusal that
waiting cannot change is final (``BLOCKED``, ``WRONG_STATUS``); running again is suggested
only where it can help. A code not in the table is shown as Toloka sent it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

LOCKED_SUFFIX = "_LOCKED_BY_ANOTHER_OPERATION"
"""``POOL_LOCKED_BY_ANOTHER_OPERATION`` and its kin, for trainings and whatever comes next."""


class Conflict(enum.Enum):
    """What a ``409`` means for the operation that got it."""

    LOCKED = "locked"  # another operation runs on the subject: find it, follow it or outwait it
    WRONG_STATUS = "wrong_status"  # the subject is not in a status that allows this
    NOT_YET = "not_yet"  # a pool with rejections in the last 9 days: archivable later
    BLOCKED = "blocked"  # something else has to happen first (the refusal says what)


@dataclass(frozen=True)
class Refusal:
    """One of Toloka's refusal codes: what it means, why (``says``), and what to do
    (``next_step``). ``{noun}`` in either is the subject's noun ("pool", "training", ...).
    ``of_another`` marks a refusal about another object than the subject (its project)."""

    meaning: Conflict
    says: str
    next_step: str
    of_another: bool = False


REFUSALS: dict[str, Refusal] = {
    "INAPPROPRIATE_STATUS": Refusal(
        Conflict.WRONG_STATUS, "the {noun} is not in a status that allows it", "check its status"
    ),
    "POOL_INAPPROPRIATE_STATUS": Refusal(
        Conflict.WRONG_STATUS, "the pool is not in a status that allows it", "check its status"
    ),
    "PROJECT_INAPPROPRIATE_STATUS": Refusal(
        Conflict.WRONG_STATUS,
        "its project is not in a status that allows it",
        "check the project's status in Toloka",
        of_another=True,
    ),
    "THERE_IS_REJECTED_ASSIGNMENT": Refusal(
        Conflict.NOT_YET,
        "it has tasks rejected less than 9 days ago",
        "run again once the 9-day appeal window is over",
    ),
    "UNARCHIVED_POOLS_CONFLICT": Refusal(
        Conflict.BLOCKED,
        "it has pools or trainings that are not archived",
        "archive them first: `project archive` takes its pools, then its trainings",
    ),
    "TRAINING_ARCHIVE_CONFLICT": Refusal(
        Conflict.BLOCKED,
        "a pool that requires this training is not archived",
        "archive the pools that require it first",
    ),
    "THERE_IS_ACTIVE_ASSIGNMENT": Refusal(
        Conflict.BLOCKED,
        "Tolokers are still doing its tasks",
        "run again once their assignments are submitted or expire",
    ),
    "SUBMITTED_ASSIGNMENTS_CONFLICT": Refusal(
        Conflict.BLOCKED,
        "it has submitted assignments waiting for review",
        "accept or reject them, then run again",
    ),
    "CONFLICT_STATE": Refusal(
        Conflict.BLOCKED,
        "its state does not allow it now (another operation may be running on it)",
        "run again once that operation has ended",
    ),
}


def refusal(code: str | None) -> Refusal | None:
    """What Toloka means by ``code``; None for a code not in the table (show it as sent)."""
    if code is None:
        return None
    if code.endswith(LOCKED_SUFFIX):
        return Refusal(
            Conflict.LOCKED, "another operation is running on it", "run again once it has ended"
        )
    return REFUSALS.get(code)


def in_words(code: str | None, message: str | None, noun: str) -> str:
    """One line for a refusal: Toloka's meaning and the next step, or, for a code this table
    does not know, the code and message exactly as Toloka sent them."""
    known = refusal(code)
    if known is None:
        sent = ": ".join(part for part in (code, message) if part) or "no reason given"
        return f"refused by Toloka: {sent}"
    said = known.says.format(noun=noun)
    return f"{said} ({code}); {known.next_step.format(noun=noun)}"
