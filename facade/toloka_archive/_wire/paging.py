"""Reading one of Toloka's lists a page at a time, as Toloka pages them.

A ``Listing`` says what to ask first, how one page is read (a flow that returns the page's items
and the query for the next page, None at the end), and which items to keep (what Toloka's filters
cannot say). Each client drives any listing with one small loop, blocking or async, so a list of
100,000 items streams in constant memory.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from toloka_archive._core.context import FlowContext
from toloka_archive._core.flow import Flow

Q = TypeVar("Q")
I = TypeVar("I")  # noqa: E741 - an item, as in Generic containers

PageFlow = Callable[[Q, FlowContext], Flow[tuple[Sequence[I], Q | None]]]


def _keep_all(_item: object) -> bool:
    return True


@dataclass(frozen=True)
class Listing(Generic[Q, I]):
    first: Q
    page: PageFlow[Q, I]
    wants: Callable[[I], bool] = _keep_all


@dataclass(frozen=True)
class Page(Generic[I]):
    """One page of a list, as the facade's own types: its items, and whether more follow."""

    items: list[I]
    has_more: bool
