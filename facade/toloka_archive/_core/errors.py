"""Every error the facade raises, and which class an HTTP status stands for.

One root, so ``except TolokaError`` catches everything this package raises on purpose::

    TolokaError
    ├── ConfigurationError            bad client settings: environment, base URL, credentials
    ├── InvalidIdError (ValueError)   an id that can never be valid; raised before any request
    │   ├── InvalidPoolIdError
    │   ├── InvalidProjectIdError
    │   └── InvalidOperationIdError
    ├── APIError                      talking to Toloka went wrong
    │   ├── APIConnectionError        no HTTP answer: refused, reset, closed without a response
    │   │   ├── APITimeoutError       no answer in time
    │   │   └── TolokaUnreachableError    * never one HTTP answer from this client yet
    │   ├── APIStatusError            Toloka answered with an error status
    │   │   ├── BadRequestError           400
    │   │   ├── AuthenticationError       401  *
    │   │   ├── PermissionDeniedError     403
    │   │   ├── NotFoundError             404
    │   │   │   └── NotTolokaAPIError     * a 404 that is not Toloka's: the base URL is wrong
    │   │   ├── ConflictError             409  (.appropriate_statuses)
    │   │   ├── RateLimitError            429  (.retry_after)
    │   │   └── InternalServerError       500 and above, 520 included
    │   ├── OperationNotStartedError  tries failed, and Toloka confirms nothing was started
    │   │                             (also reachable as ArchiveNotStartedError, its 0.1 name)
    │   ├── UnexpectedResponseError   a success status whose answer is not what was asked for
    │   └── ListingError              a list stopped part way (.after: the last id read)
    └── OperationError                the operation itself did not end well
        ├── OperationFailedError      it ended FAIL (.operation, .log, .reason)
        └── OperationTimeoutError     we stopped waiting (also a TimeoutError; resume by id)

The three marked ``*`` are also ``RunEndingError``: no pool could get past them, so a bulk run
stops at the first one instead of reporting it once per pool.

Status errors carry what Toloka's error body says (``code``, ``message``, ``request_id``,
``payload``); ``_wire.response.error_for`` reads the body and picks the class with
``status_error_class`` below, the one status-to-class table. A body that is not JSON (an HTML
page from a proxy) still gives the right class, with a short excerpt of the body as its message.
No message ever holds a request header, so a key cannot leak through an exception.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from toloka_archive._core.models import LogEntry, Operation, failure_reason

_EXCERPT_CHARS = 200
EXCERPT_SCAN_BYTES = 4096
"""How much of a body an excerpt reads: enough for a page's title and first heading."""
_REPEATED_PHRASE = re.compile(r"\b((?:\S+ ){0,4}\S+)(?: \1\b)+")


class TolokaError(Exception):
    """The root of every error this package raises on purpose."""


class ConfigurationError(TolokaError):
    """The client cannot be set up as asked: the message says how to fix it."""


class InvalidIdError(TolokaError, ValueError):
    """An id that no request could accept; raised before anything is sent."""


class InvalidPoolIdError(InvalidIdError):
    """A pool id that is not a string of ASCII digits or a non-negative int."""


class InvalidProjectIdError(InvalidIdError):
    """A project id that is not a string of ASCII digits or a non-negative int."""


class InvalidTrainingIdError(InvalidIdError):
    """A training id that is not a string of ASCII digits or a non-negative int."""


class InvalidOperationIdError(InvalidIdError):
    """An operation id that is empty, not a string, or holds spaces or control characters."""


class APIError(TolokaError):
    """A request to Toloka did not give a usable answer."""


class APIConnectionError(APIError):
    """No HTTP answer at all: the connection failed, was reset or closed without a response."""


class APITimeoutError(APIConnectionError):
    """The request got no answer within the client's HTTP timeout."""


class RunEndingError(TolokaError):
    """Marks the errors that no pool could get past: a bulk run stops at the first one.

    A rejected key, a Toloka that this client has never reached, a base URL that is not
    Toloka's API. Reporting them once per pool would only repeat one problem many times.
    """


class TolokaUnreachableError(APIConnectionError, RunEndingError):
    """Connecting failed (refused, DNS, TLS) on every try, and this client never had an answer."""


class APIStatusError(APIError):
    """Toloka (or a proxy in front of it) answered with an error status."""

    def __init__(
        self,
        status_code: int,
        *,
        code: str | None = None,
        message: str,
        request_id: str | None = None,
        payload: Mapping[str, Any] | None = None,
        retry_after: float | None = None,
    ) -> None:
        self.status_code = status_code
        self.code = code
        self.message = message
        self.request_id = request_id
        self.payload: Mapping[str, Any] = payload or {}
        self.retry_after = retry_after
        super().__init__(self._describe())

    def _describe(self) -> str:
        head = f"{self.status_code} {self.code}" if self.code else str(self.status_code)
        # A proxy's page often says its status itself ("404 Not Found"): say it once.
        text = self.message if self.message.startswith(head) else f"{head}: {self.message}"
        if self.request_id:
            text += f" (request_id {self.request_id})"
        return text


class BadRequestError(APIStatusError):
    """400: the request is malformed (Toloka's ``VALIDATION_ERROR``)."""


class AuthenticationError(APIStatusError, RunEndingError):
    """401: the key is missing, unknown or expired."""


class PermissionDeniedError(APIStatusError):
    """403: the key is valid but may not reach this object (``ACCESS_DENIED``)."""


class NotFoundError(APIStatusError):
    """404: there is no such pool or operation (``DOES_NOT_EXIST``)."""


class NotTolokaAPIError(NotFoundError, RunEndingError):
    """A 404 without Toloka's error body: the path is unknown there, so the base URL is wrong."""


class ConflictError(APIStatusError):
    """409: the object's state does not allow the request (not closed, locked, rejections)."""

    @property
    def appropriate_statuses(self) -> list[str] | None:
        """The statuses in which Toloka would have accepted the request, when it says so."""
        statuses = self.payload.get("appropriate_statuses")
        if isinstance(statuses, Sequence) and not isinstance(statuses, str):
            return [str(status) for status in statuses]
        return None


class RateLimitError(APIStatusError):
    """429: too many requests; ``retry_after`` holds the server's hint in seconds, if any."""


class InternalServerError(APIStatusError):
    """500 or above: a fault on Toloka's side or in a proxy before it."""


class OperationNotStartedError(APIError):
    """Every try to start an operation failed in passing, and Toloka shows none of it.

    The pool (or project) is as it was, and trying again later is safe. ``__cause__`` is the
    last failure.
    """


ArchiveNotStartedError = OperationNotStartedError
"""The 0.1 name of ``OperationNotStartedError``, from when archiving was the only operation."""


class UnexpectedResponseError(APIError):
    """A success status whose answer is not what was asked for.

    The body is not what the contract promises (not JSON, too large, the wrong shape), or it
    contradicts the request: an operation for another pool, another operation than the one
    polled, a progress outside 0-100.
    """

    def __init__(
        self, status_code: int, reason: str, body: bytes, *, contradicts: bool = False
    ) -> None:
        self.status_code = status_code
        self.body_excerpt = excerpt(body)
        self.contradicts = contradicts
        """True when the answer was read and contradicts the request; False when unreadable."""
        what = "contradicts the request" if contradicts else "could not be read"
        self.summary = f"{status_code} answer {what} ({reason})"
        """The message without the body's excerpt: one short line."""
        super().__init__(f"{self.summary}: {self.body_excerpt}")


class ListingError(APIError):
    """A list (Toloka's pools, its operations) could not be read to its end.

    One page failed for good after its retries, or was not a page that moves the list forward.
    Everything read before it was used: a bulk run finishes and reports the pools it had found,
    then raises this. ``after`` is the last id read (None: not even the first page);
    ``__cause__`` is the page's own error. Reading the list again resumes it safely.
    """

    def __init__(self, what: str, after: str | None, reason: str) -> None:
        self.what = what
        self.after = after
        where = f"after {what} {after}" if after is not None else "at its first page"
        super().__init__(f"the {what} list stopped {where}: {reason}")


class OperationError(TolokaError):
    """The operation did not end in success while we watched it."""

    def __init__(self, message: str, *, operation_id: str, operation: Operation | None) -> None:
        self.operation_id = operation_id
        self.operation = operation
        super().__init__(message)


class OperationFailedError(OperationError):
    """The operation ended ``FAIL``. Toloka gives no reason on it; its ``log`` may hold one,
    and ``reason`` is that, in words, or else what its ``details`` say (None when neither says
    anything)."""

    def __init__(
        self,
        operation_id: str,
        operation: Operation,
        log: list[LogEntry] | None,
    ) -> None:
        self.log = log
        self.reason = failure_reason(log, operation.details)
        message = f"operation {operation_id} failed"
        super().__init__(
            f"{message}: {self.reason}" if self.reason else message,
            operation_id=operation_id,
            operation=operation,
        )


class OperationTimeoutError(OperationError, TimeoutError):
    """We stopped waiting; the operation goes on. Resume with ``client.get_operation(id)``."""

    def __init__(self, operation_id: str, operation: Operation | None, waited: float) -> None:
        self.waited = waited
        status = "unfinished" if operation is None else operation.status
        super().__init__(
            f"operation {operation_id} still {status} after {waited:.1f} s; resume waiting with "
            f"client.get_operation({operation_id!r}).wait()",
            operation_id=operation_id,
            operation=operation,
        )


_STATUS_ERRORS: dict[int, type[APIStatusError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    404: NotFoundError,
    409: ConflictError,
    429: RateLimitError,
}


def status_error_class(status_code: int) -> type[APIStatusError]:
    """The error class for an HTTP status: exact for the documented ones, by range otherwise."""
    if status_code >= 500:
        return InternalServerError
    return _STATUS_ERRORS.get(status_code, APIStatusError)


def excerpt(body: bytes) -> str:
    """A short, one-line, tag-free glimpse of a body, for messages about unreadable answers.

    A page's title and heading often say the same ("404 Not Found", "Not Found"): a phrase
    that repeats the one just before it is said once.

    Only a fixed prefix is ever looked at (``EXCERPT_SCAN_BYTES``, then a few excerpts' worth of
    text): the answer may be a megabyte from a proxy or a hostile server, and the phrase rule is
    a regular expression whose work grows faster than its input. What is shown comes from the
    start of the body anyway.
    """
    text = body[:EXCERPT_SCAN_BYTES].decode("utf-8", errors="replace")
    text = re.sub(r"<[^>]*>", " ", text)
    text = " ".join(text.split())[: 4 * _EXCERPT_CHARS]
    text = _REPEATED_PHRASE.sub(r"\1", text)
    return text if len(text) <= _EXCERPT_CHARS else text[: _EXCERPT_CHARS - 1] + "…"
