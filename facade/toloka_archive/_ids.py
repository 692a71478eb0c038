"""Checking ids before they go anywhere near a URL."""

from __future__ import annotations

from toloka_archive._errors import InvalidOperationIdError, InvalidPoolIdError

_MAX_SHOWN = 40


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 1] + "…"


def normalize_pool_id(value: object) -> str:
    """A pool id as Toloka's path wants it: ASCII digits, from a str or a non-negative int.

    Everything else is refused before any request, so no input can change the request path
    (``"1/../../projects/5"``, ``"1?x=1"``), and look-alikes such as ``"١٢"`` (Arabic-Indic
    digits, which ``str.isdigit`` accepts) or ``True`` (an int to Python) never pass.
    """
    if isinstance(value, bool):
        raise InvalidPoolIdError(f"pool id must be digits or an int, not a bool: {value!r}")
    if isinstance(value, int):
        if value < 0:
            raise InvalidPoolIdError(f"pool id must not be negative: {value}")
        return str(value)
    if isinstance(value, str) and value and value.isascii() and value.isdigit():
        return value
    raise InvalidPoolIdError(
        f"pool id must be a string of ASCII digits or a non-negative int, got {_shown(value)}"
    )


def normalize_operation_id(value: object) -> str:
    """An operation id is opaque, but never empty and never holds spaces or control chars.

    ``.`` and ``..`` are refused too: quoting leaves them as they are, and httpx would then
    resolve them as path segments and send the request somewhere else.
    """
    if (
        isinstance(value, str)
        and value not in ("", ".", "..")
        and value.isprintable()
        and not any(ch.isspace() for ch in value)
    ):
        return value
    raise InvalidOperationIdError(
        f"operation id must be a non-empty string without spaces, got {_shown(value)}"
    )
