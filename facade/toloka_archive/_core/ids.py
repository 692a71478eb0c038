"""Checking ids before they go anywhere near a URL."""

from __future__ import annotations

import re

from toloka_archive._core.errors import (
    InvalidIdError,
    InvalidOperationIdError,
    InvalidPoolIdError,
    InvalidProjectIdError,
    InvalidTrainingIdError,
)

_MAX_SHOWN = 40
_OPERATION_ID = re.compile(r"[A-Za-z0-9._~-]{1,128}")
_MAX_ID_DIGITS = 20  # 2**64 has 20 digits; anything longer is no pool or project id


def _shown(value: object) -> str:
    if isinstance(value, int) and value.bit_length() > 64:
        return f"an int of {value.bit_length()} bits"  # repr may refuse one of 5,000 digits
    text = repr(value)
    return text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 1] + "…"


def _normalize_digits(value: object, noun: str, error: type[InvalidIdError]) -> str:
    """A pool's or project's id as Toloka's path wants it: ASCII digits, from a str or a
    non-negative int of at most 64 bits.

    Everything else is refused before any request, so no input can change the request path
    (``"1/../../projects/5"``, ``"1?x=1"``), and look-alikes such as ``"١٢"`` (Arabic-Indic
    digits, which ``str.isdigit`` accepts) or ``True`` (an int to Python) never pass.
    """
    if isinstance(value, bool):
        raise error(f"{noun} id must be digits or an int, not a bool: {value!r}")
    if isinstance(value, int):
        if value < 0:
            raise error(f"{noun} id must not be negative: {_shown(value)}")
        if value.bit_length() > 64:
            raise error(f"{noun} id is too large to be one: {_shown(value)}")
        return str(value)
    if isinstance(value, str) and value and value.isascii() and value.isdigit():
        if len(value) > _MAX_ID_DIGITS:
            raise error(f"{noun} id is too long to be one: {_shown(value)}")
        return value
    raise error(
        f"{noun} id must be a string of ASCII digits or a non-negative int, got {_shown(value)}"
    )


def normalize_pool_id(value: object) -> str:
    """A pool id: ASCII digits, from a str or a non-negative int (see ``_normalize_digits``)."""
    return _normalize_digits(value, "pool", InvalidPoolIdError)


def normalize_project_id(value: object) -> str:
    """A project id: ASCII digits, from a str or a non-negative int, like a pool id."""
    return _normalize_digits(value, "project", InvalidProjectIdError)


def normalize_training_id(value: object) -> str:
    """A training's id (a training pool's): ASCII digits, from a str or a non-negative int."""
    return _normalize_digits(value, "training", InvalidTrainingIdError)


def id_key(subject_id: str) -> str:
    """The same for the same pool or project however its id is written (``"007"`` is 7)."""
    return str(int(subject_id)) if subject_id.isascii() and subject_id.isdigit() else subject_id


def same_id(found: str | None, wanted: str) -> bool:
    """Whether ``found`` (from an answer) names the pool or project ``wanted``: digits, compared
    as numbers."""
    if found is None or not (found.isascii() and found.isdigit()):
        return False
    return id_key(found) == id_key(wanted)


def normalize_operation_id(value: object) -> str:
    """An operation id is opaque to us, but it goes into a URL path, so it must be safe there.

    Toloka's ids are hex strings or UUIDs. Accepted: 1 to 128 of the characters a URL path
    carries as they are (letters, digits, ``-``, ``.``, ``_``, ``~``), but not ``.`` or ``..``,
    which httpx would resolve as path segments and send somewhere else. The same check applies
    to ids that come from Toloka's answers before they are polled.
    """
    if isinstance(value, str) and _OPERATION_ID.fullmatch(value) and value not in (".", ".."):
        return value
    raise InvalidOperationIdError(
        f"operation id must be 1 to 128 letters, digits, '-', '.', '_' or '~', got {_shown(value)}"
    )
