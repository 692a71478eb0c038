"""Sending one request, and trying again when the failure was only in passing.

Archiving is idempotent by nature (a repeat answers 204, or 409 while the first one runs), which
is what makes retrying even the POST safe. Statuses that mean "this request is wrong" (400, 401,
403, 404, 409) are never retried: asking again cannot change the answer.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime

import httpx

from toloka_archive._core.clock import utc_now
from toloka_archive._core.context import FlowContext
from toloka_archive._core.errors import TolokaUnreachableError
from toloka_archive._core.flow import Flow, Reply, Request, Send, Sleep
from toloka_archive._core.policies import RetryPolicy, shortened
from toloka_archive._flows.failures import never_sent
from toloka_archive._wire.response import error_for, request_id_of, retry_after_seconds

logger = logging.getLogger("toloka_archive")


def retry_delay(
    reply: httpx.Response | httpx.TransportError,
    retries_done: int,
    ceiling: float,
    policy: RetryPolicy,
    *,
    now: datetime,
    random: Callable[[], float],
) -> float | None:
    """How long to pause before trying again, or None to give up now.

    ``ceiling`` is the policy's backoff for this retry (``RetryPolicy.ceilings``); ``now`` (UTC)
    reads a ``Retry-After`` date; ``random`` draws the jitter, only when the policy's own
    backoff applies.
    """
    if retries_done >= policy.max_retries:
        return None
    if isinstance(reply, httpx.Response):
        if reply.status_code not in policy.retry_statuses:
            return None
        hint = retry_after_seconds(reply, now)
        if hint is not None:
            return policy.clamp_hint(hint)
    return shortened(ceiling, policy.jitter, random())


def send(
    request: Request,
    context: FlowContext,
    *,
    stop_on: Callable[[httpx.Response | httpx.TransportError], bool] | None = None,
) -> Flow[httpx.Response]:
    """Send ``request`` until it succeeds (2xx), or raise the typed error for the last failure.

    Before each attempt it waits out the client's shared throttle; a 429 that will be retried
    moves that throttle forward when the client's recent answers show it is over Toloka's
    limit, so every flow of the client slows down together (see ``Throttle``). A failure
    for which ``stop_on`` is true is raised at once, not retried: the archive start uses it for
    failures that may have been acted on, which it must ask Toloka about before sending again.
    """
    policy, clock, throttle = context.retry, context.clock, context.throttle
    ceilings = policy.ceilings()
    retries = 0
    while True:
        pause = throttle.remaining(clock.monotonic())
        if pause > 0:
            logger.debug("%s waits %.2f s for the shared rate-limit pause", request.label, pause)
            yield Sleep(pause)
        reply: Reply = yield Send(request)
        assert reply is not None, "a driver answers Send with a response or an error"
        if logger.isEnabledFor(logging.DEBUG):  # the label and request id cost, even unlogged
            _log_reply(request, reply)
        if isinstance(reply, httpx.Response):
            context.contact.answered = True
            throttle.note(reply.status_code == httpx.codes.TOO_MANY_REQUESTS)
            if reply.is_success:
                return reply
        now = utc_now(clock)
        error = error_for(reply, request, now)
        stop = stop_on is not None and stop_on(reply)
        ceiling = next(ceilings)  # every retry moves the schedule on, hinted or not
        delay = (
            None
            if stop
            else retry_delay(reply, retries, ceiling, policy, now=now, random=context.random)
        )
        if delay is None:
            if never_sent(reply) and not context.contact.answered:
                error = TolokaUnreachableError(f"Toloka is unreachable: {error}")
            if retries:
                error.add_note(f"gave up after {retries} retr{'y' if retries == 1 else 'ies'}")
            if isinstance(reply, httpx.TransportError):
                raise error from without_request(reply)
            raise error
        retries += 1
        rate_limited = (
            isinstance(reply, httpx.Response) and reply.status_code == httpx.codes.TOO_MANY_REQUESTS
        )
        if rate_limited and throttle.over_limit:
            throttle.hold_until(clock.monotonic() + delay)
        logger.info(
            "retrying %s in %.2f s (retry %d of %d) after %s",
            request.label,
            delay,
            retries,
            policy.max_retries,
            error,
        )
        yield Sleep(delay)


def without_request(error: httpx.TransportError) -> httpx.TransportError:
    """A copy of httpx's error without its ``.request``, whose headers hold the key.

    Error reporters collect the attributes of an exception and of its causes; the copy keeps
    the type and the message, which is all a reader needs.
    """
    return type(error)(str(error))


def _log_reply(request: Request, reply: httpx.Response | httpx.TransportError) -> None:
    if isinstance(reply, httpx.TransportError):
        logger.debug("%s -> %s: %s", request.label, type(reply).__name__, reply)
        return
    request_id = request_id_of(reply)
    suffix = f" (request_id {request_id})" if request_id else ""
    logger.debug("%s -> %s%s", request.label, reply.status_code, suffix)
