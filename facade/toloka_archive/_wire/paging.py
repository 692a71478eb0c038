"""Reading one of Toloka's lists a page at a time, as Toloka pages them, and never past the truth.

A ``Listing`` says what to ask first, how one page is read (a flow that returns the page's items
and the query for the next page, None at the end), which items to keep (what Toloka's filters
cannot say), and what to check before the first page (a project that must exist). A ``Pager``
reads it: each client drives any listing with one small loop, blocking or async, so a list of
100,000 items streams in constant memory.

A list is only as good as its pages. Toloka pages by id (sorted by id, ``id_gt`` the last id
seen), so each page must move forward: ids above the last one, in order, none repeated
(``moving_forward``), and ``has_more`` a real boolean. A page that fails for good after its
retries, or is not such a page, ends the list with a ``ListingError`` that says after which id
and why; so does a list longer than ``MAX_PAGES``, which no real one is. What was read before
it has been handed out already and stays good.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

import httpx

from toloka_archive._core.context import FlowContext
from toloka_archive._core.errors import (
    APIError,
    ListingError,
    RunEndingError,
    UnexpectedResponseError,
)
from toloka_archive._core.flow import Flow

Q = TypeVar("Q")
I = TypeVar("I")  # noqa: E741 - an item, as in Generic containers

PageFlow = Callable[[Q, FlowContext], Flow[tuple[Sequence[I], Q | None]]]

MAX_PAGES = 10_000
"""More pages than any real list has (3,000,000 items at 300 a page): past it, a server that
keeps inventing items is refused rather than followed forever."""


def _keep_all(_item: object) -> bool:
    return True


@dataclass(frozen=True)
class Listing(Generic[Q, I]):
    """One list: its first query, how a page is read, what to keep and what to check first.

    ``what`` names an item ("pool", "operation") for messages; ``key`` gives an item's id.
    ``before``, when given, runs once before the first page; its errors are the answer as they
    are (a project that does not exist is not a list that stopped).
    """

    what: str
    first: Q
    page: PageFlow[Q, I]
    key: Callable[[I], str]
    wants: Callable[[I], bool] = _keep_all
    before: Callable[[FlowContext], Flow[object]] | None = None


@dataclass(frozen=True)
class Page(Generic[I]):
    """One page of a list, as the facade's own types: its items, and whether more follow."""

    items: list[I]
    has_more: bool


class Pager(Generic[Q, I]):
    """One reading of a listing, a page at a time: ``next_page`` gives the flow that reads the
    next page (its items to keep), or None at the end."""

    def __init__(self, listing: Listing[Q, I]) -> None:
        self._listing = listing
        self._query: Q | None = listing.first
        self._pages = 0
        self._after: str | None = None
        self._checked = listing.before is None

    def next_page(self) -> Callable[[FlowContext], Flow[list[I]]] | None:
        return None if self._query is None else self._read

    def _read(self, context: FlowContext) -> Flow[list[I]]:
        listing, query = self._listing, self._query
        assert query is not None
        if not self._checked:
            assert listing.before is not None
            yield from listing.before(context)
            self._checked = True
        if self._pages >= MAX_PAGES:
            raise ListingError(listing.what, self._after, f"more than {MAX_PAGES} pages")
        try:
            items, self._query = yield from listing.page(query, context)
        except RunEndingError:
            raise  # no list can get past it: it ends the run, not the list
        except APIError as error:
            raise ListingError(listing.what, self._after, _first_line(error)) from error
        self._pages += 1
        if items:
            self._after = listing.key(items[-1])
        return [item for item in items if listing.wants(item)]


class Ordered(Protocol):
    """What an id is turned into to be compared: an int (pool ids), a str (operation ids)."""

    def __gt__(self, other: Any, /) -> bool: ...


def moving_forward(
    ids: Sequence[object], after: str | None, order: Callable[[str], Ordered]
) -> str | None:
    """What makes a page of ids sorted by ``order`` not the page after ``after``, in words;
    None when the first id is past ``after`` and each one past the one before it. ``order``
    raises ``ValueError`` for a text that is no id at all."""
    previous = after
    for position, item in enumerate(ids):
        try:
            if not isinstance(item, str):
                raise ValueError(item)
            moved = previous is None or order(item) > order(previous)
        except ValueError:
            return f"an item whose id is not an id ({item!r})"
        if not moved:
            if position == 0:
                return f"its ids do not move forward ({item} is not past {previous})"
            return f"its ids do not move forward ({item} comes after {previous})"
        previous = item
    return None


def refuse_unless_moving_forward(
    response: httpx.Response,
    ids: Sequence[object],
    after: str | None,
    order: Callable[[str], Ordered],
) -> None:
    """``moving_forward``, as the answer it reads: a page that is not the next one is an
    ``UnexpectedResponseError`` that contradicts the request."""
    problem = moving_forward(ids, after, order)
    if problem is not None:
        raise UnexpectedResponseError(
            response.status_code, problem, response.content, contradicts=True
        )


def _first_line(error: Exception) -> str:
    said = error.summary if isinstance(error, UnexpectedResponseError) else str(error)
    return f"{type(error).__name__}: {said}".strip().splitlines()[0]
