"""Sending one request, and trying again when the failure was only in passing.

Archiving is idempotent by nature (a repeat answers 204, or 409 while the first one runs), which
is what makes retrying even the POST safe. Statuses that mean "this request is wrong" (400, 401,
403, 404, 409) are never retried: asking again cannot change the answer.
"""

from __future__ import annotations

import logging
import math
from datetime import datetime
from email.utils import parsedate_to_datetime

import httpx

from toloka_archive._context import FlowContext
from toloka_archive._errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    error_from_response,
)
from toloka_archive._flow import Flow, Outcome, Request, Runtime, Send, Sleep
from toloka_archive._policies import RetryPolicy

logger = logging.getLogger("toloka_archive")


def retry_after_seconds(headers: httpx.Headers, now: datetime) -> float | None:
    """The server's hint, from ``retry-after-ms`` or ``Retry-After`` (seconds or HTTP date)."""
    millis = _non_negative_number(headers.get("retry-after-ms"))
    if millis is not None:
        return millis / 1000.0
    value = headers.get("retry-after")
    if value is None:
        return None
    seconds = _non_negative_number(value)
    if seconds is not None:
        return seconds
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None  # an unreadable hint is no hint: the policy's own backoff applies
    if moment.tzinfo is None:
        return None
    return max(0.0, (moment - now).total_seconds())


def _non_negative_number(text: str | None) -> float | None:
    if text is None:
        return None
    try:
        number = float(text.strip())
    except ValueError:
        return None
    return number if math.isfinite(number) and number >= 0 else None


def request_id_of(response: httpx.Response) -> str | None:
    """Toloka's request id from an error body, for logs; None when there is none."""
    if response.is_success or not response.content.startswith(b"{"):
        return None
    try:
        body = response.json()
    except ValueError:
        return None
    value = body.get("request_id") if isinstance(body, dict) else None
    return value if isinstance(value, str) else None


def error_for(
    outcome: httpx.Response | httpx.TransportError, request: Request, runtime: Runtime
) -> APIError:
    """The typed error an unsuccessful outcome stands for."""
    if isinstance(outcome, httpx.TimeoutException):
        return APITimeoutError(f"{request.label}: no answer in time ({type(outcome).__name__})")
    if isinstance(outcome, httpx.TransportError):
        return APIConnectionError(f"{request.label}: {type(outcome).__name__}: {outcome}")
    hint = retry_after_seconds(outcome.headers, runtime.wall_clock())
    return error_from_response(outcome, retry_after=hint)


def retry_delay(
    outcome: httpx.Response | httpx.TransportError,
    retries_done: int,
    policy: RetryPolicy,
    runtime: Runtime,
) -> float | None:
    """How long to pause before trying again, or None to give up now."""
    if retries_done >= policy.max_retries:
        return None
    if isinstance(outcome, httpx.Response):
        if outcome.status_code not in policy.retry_statuses:
            return None
        hint = retry_after_seconds(outcome.headers, runtime.wall_clock())
        if hint is not None:
            return policy.clamp_hint(hint)
    return policy.backoff(retries_done + 1, runtime.random())


def send(request: Request, context: FlowContext) -> Flow[httpx.Response]:
    """Send ``request`` until it succeeds (2xx), or raise the typed error for the last failure.

    Before each attempt it waits out the client's shared throttle; a 429 that will be retried
    moves that throttle forward, so every flow of the client slows down together.
    """
    policy, runtime, throttle = context.retry, context.runtime, context.throttle
    retries = 0
    while True:
        pause = throttle.remaining(runtime.monotonic())
        if pause > 0:
            logger.debug("%s waits %.2f s for the shared rate-limit pause", request.label, pause)
            yield Sleep(pause)
        outcome: Outcome = yield Send(request)
        assert outcome is not None, "a driver answers Send with a response or an error"
        if logger.isEnabledFor(logging.DEBUG):  # the label and request id cost, even unlogged
            _log_outcome(request, outcome)
        if isinstance(outcome, httpx.Response) and outcome.is_success:
            return outcome
        error = error_for(outcome, request, runtime)
        delay = retry_delay(outcome, retries, policy, runtime)
        if delay is None:
            if retries:
                error.add_note(f"gave up after {retries} retr{'y' if retries == 1 else 'ies'}")
            if isinstance(outcome, httpx.TransportError):
                raise error from outcome
            raise error
        retries += 1
        if (
            isinstance(outcome, httpx.Response)
            and outcome.status_code == httpx.codes.TOO_MANY_REQUESTS
        ):
            throttle.hold_until(runtime.monotonic() + delay)
        logger.info(
            "retrying %s in %.2f s (retry %d of %d) after %s",
            request.label,
            delay,
            retries,
            policy.max_retries,
            error,
        )
        yield Sleep(delay)


def _log_outcome(request: Request, outcome: httpx.Response | httpx.TransportError) -> None:
    if isinstance(outcome, httpx.TransportError):
        logger.debug("%s -> %s: %s", request.label, type(outcome).__name__, outcome)
        return
    request_id = request_id_of(outcome)
    suffix = f" (request_id {request_id})" if request_id else ""
    logger.debug("%s -> %s%s", request.label, outcome.status_code, suffix)
