"""What a failure means, decided once: did it reach Toloka, may Toloka have acted on it, and
could asking again change the answer?

Every flow asks here instead of deciding for itself (h11's ``_state.py`` keeps everything that
moves its state machine in one file, for the same reason): sending decides when Toloka is
unreachable and which failures the start must not repeat blindly, the start decides which
failure to reconcile by asking Toloka, and a report decides whether an error is a final answer
("refused") or leaves the outcome unknown.

Which statuses are retried, and how often, is the retry policy's to say (``RetryPolicy``): a
setting, not a meaning.
"""

from __future__ import annotations

import httpx

from toloka_archive._core.errors import APIError, APIStatusError

NO_CONNECTION = (httpx.ConnectError, httpx.ConnectTimeout)
"""Failures to open a connection at all: refused, DNS, TLS (ConnectError) or no reply to
connect. Nothing was sent."""


def never_sent(reply: httpx.Response | httpx.TransportError) -> bool:
    """Whether the request never left: no connection was opened for it."""
    return isinstance(reply, NO_CONNECTION)


def may_have_acted(reply: httpx.Response | httpx.TransportError) -> bool:
    """Whether Toloka may have done what a failed request asked, although we got no answer.

    A connection that was never opened carried nothing, and a 429 or a 4xx says it was not
    done; but a request lost after it was sent (a read timeout, a dropped connection) or
    answered with a 5xx (by Toloka, or by a proxy after forwarding it) may have been done.
    """
    if isinstance(reply, httpx.TransportError):
        return not isinstance(reply, (*NO_CONNECTION, httpx.PoolTimeout))
    return _status_may_have_acted(reply.status_code)


def error_may_have_acted(error: APIError) -> bool:
    """``may_have_acted`` for the typed error a failed send raised."""
    cause = error.__cause__
    if isinstance(cause, httpx.TransportError):
        return may_have_acted(cause)
    status = getattr(error, "status_code", None)
    return isinstance(status, int) and _status_may_have_acted(status)


def is_final(error: APIError) -> bool:
    """Whether the error is Toloka's own final answer to the request (a 4xx other than 429):
    asking again cannot change it. Anything else (no answer, a 5xx, a 429) leaves the outcome
    unknown."""
    status = error.status_code if isinstance(error, APIStatusError) else None
    return status is not None and status < 500 and status != httpx.codes.TOO_MANY_REQUESTS


def _status_may_have_acted(status: int) -> bool:
    return status >= 500 or status == httpx.codes.REQUEST_TIMEOUT
