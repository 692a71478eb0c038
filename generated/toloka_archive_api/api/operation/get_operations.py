from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.known_operation_status import KnownOperationStatus
from ...models.known_operation_type import KnownOperationType
from ...models.operation_page import OperationPage
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    type_: KnownOperationType | str | Unset = UNSET,
    status: KnownOperationStatus | str | Unset = UNSET,
    sort: str | Unset = UNSET,
    limit: int | Unset = 50,
    id_gt: str | Unset = UNSET,
    id_gte: str | Unset = UNSET,
    id_lt: str | Unset = UNSET,
    id_lte: str | Unset = UNSET,
    submitted_gt: str | Unset = UNSET,
    submitted_gte: str | Unset = UNSET,
    submitted_lt: str | Unset = UNSET,
    submitted_lte: str | Unset = UNSET,
    finished_gt: str | Unset = UNSET,
    finished_gte: str | Unset = UNSET,
    finished_lt: str | Unset = UNSET,
    finished_lte: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_type_: str | Unset
    if isinstance(type_, Unset):
        json_type_ = UNSET
    elif isinstance(type_, KnownOperationType):
        json_type_ = type_.value
    else:
        json_type_ = type_
    params["type"] = json_type_

    json_status: str | Unset
    if isinstance(status, Unset):
        json_status = UNSET
    elif isinstance(status, KnownOperationStatus):
        json_status = status.value
    else:
        json_status = status
    params["status"] = json_status

    params["sort"] = sort

    params["limit"] = limit

    params["id_gt"] = id_gt

    params["id_gte"] = id_gte

    params["id_lt"] = id_lt

    params["id_lte"] = id_lte

    params["submitted_gt"] = submitted_gt

    params["submitted_gte"] = submitted_gte

    params["submitted_lt"] = submitted_lt

    params["submitted_lte"] = submitted_lte

    params["finished_gt"] = finished_gt

    params["finished_gte"] = finished_gte

    params["finished_lt"] = finished_lt

    params["finished_lte"] = finished_lte

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/operations",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | OperationPage | None:
    if response.status_code == 200:
        response_200 = OperationPage.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Error.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Error.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = Error.from_dict(response.json())

        return response_403

    if response.status_code == 429:
        response_429 = Error.from_dict(response.json())

        return response_429

    if response.status_code == 500:
        response_500 = Error.from_dict(response.json())

        return response_500

    if response.status_code == 503:
        response_503 = Error.from_dict(response.json())

        return response_503

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Error | OperationPage]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    type_: KnownOperationType | str | Unset = UNSET,
    status: KnownOperationStatus | str | Unset = UNSET,
    sort: str | Unset = UNSET,
    limit: int | Unset = 50,
    id_gt: str | Unset = UNSET,
    id_gte: str | Unset = UNSET,
    id_lt: str | Unset = UNSET,
    id_lte: str | Unset = UNSET,
    submitted_gt: str | Unset = UNSET,
    submitted_gte: str | Unset = UNSET,
    submitted_lt: str | Unset = UNSET,
    submitted_lte: str | Unset = UNSET,
    finished_gt: str | Unset = UNSET,
    finished_gte: str | Unset = UNSET,
    finished_lt: str | Unset = UNSET,
    finished_lte: str | Unset = UNSET,
) -> Response[Error | OperationPage]:
    """Get list of operations

     The requester's operations, filtered and sorted, one page at a time.

    Without `sort` the items come in ascending order of `id`. To read the next page, ask
    again with `sort=id` and `id_gt=<the id of the last item>`; `has_more` is true when more
    items match than `limit` let through.

    Date filters take a UTC date and time, `YYYY-MM-DDThh:mm:ss[.sss]`, or a date
    (`YYYY-MM-DD`, the start of that day). An operation that has not finished has no
    `finished` and matches no `finished_*` filter.

    Args:
        type_ (KnownOperationType | str | Unset): A documented operation type, or a string that
            Toloka adds later.
        status (KnownOperationStatus | str | Unset): A documented status, or a string that Toloka
            adds later.
        sort (str | Unset):
        limit (int | Unset):  Default: 50.
        id_gt (str | Unset):
        id_gte (str | Unset):
        id_lt (str | Unset):
        id_lte (str | Unset):
        submitted_gt (str | Unset): A moment to filter on: UTC date and time without an offset
            (`YYYY-MM-DDThh:mm:ss[.sss]`), or a date (`YYYY-MM-DD`, the start of that day). Only
            real moments: the pattern checks the calendar, and the fake Toloka answers `400` to a
            date that does not exist.
             Example: 2022-12-01.
        submitted_gte (str | Unset): A moment to filter on: UTC date and time without an offset
            (`YYYY-MM-DDThh:mm:ss[.sss]`), or a date (`YYYY-MM-DD`, the start of that day). Only
            real moments: the pattern checks the calendar, and the fake Toloka answers `400` to a
            date that does not exist.
             Example: 2022-12-01.
        submitted_lt (str | Unset): A moment to filter on: UTC date and time without an offset
            (`YYYY-MM-DDThh:mm:ss[.sss]`), or a date (`YYYY-MM-DD`, the start of that day). Only
            real moments: the pattern checks the calendar, and the fake Toloka answers `400` to a
            date that does not exist.
             Example: 2022-12-01.
        submitted_lte (str | Unset): A moment to filter on: UTC date and time without an offset
            (`YYYY-MM-DDThh:mm:ss[.sss]`), or a date (`YYYY-MM-DD`, the start of that day). Only
            real moments: the pattern checks the calendar, and the fake Toloka answers `400` to a
            date that does not exist.
             Example: 2022-12-01.
        finished_gt (str | Unset): A moment to filter on: UTC date and time without an offset
            (`YYYY-MM-DDThh:mm:ss[.sss]`), or a date (`YYYY-MM-DD`, the start of that day). Only
            real moments: the pattern checks the calendar, and the fake Toloka answers `400` to a
            date that does not exist.
             Example: 2022-12-01.
        finished_gte (str | Unset): A moment to filter on: UTC date and time without an offset
            (`YYYY-MM-DDThh:mm:ss[.sss]`), or a date (`YYYY-MM-DD`, the start of that day). Only
            real moments: the pattern checks the calendar, and the fake Toloka answers `400` to a
            date that does not exist.
             Example: 2022-12-01.
        finished_lt (str | Unset): A moment to filter on: UTC date and time without an offset
            (`YYYY-MM-DDThh:mm:ss[.sss]`), or a date (`YYYY-MM-DD`, the start of that day). Only
            real moments: the pattern checks the calendar, and the fake Toloka answers `400` to a
            date that does not exist.
             Example: 2022-12-01.
        finished_lte (str | Unset): A moment to filter on: UTC date and time without an offset
            (`YYYY-MM-DDThh:mm:ss[.sss]`), or a date (`YYYY-MM-DD`, the start of that day). Only
            real moments: the pattern checks the calendar, and the fake Toloka answers `400` to a
            date that does not exist.
             Example: 2022-12-01.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | OperationPage]
    """

    kwargs = _get_kwargs(
        type_=type_,
        status=status,
        sort=sort,
        limit=limit,
        id_gt=id_gt,
        id_gte=id_gte,
        id_lt=id_lt,
        id_lte=id_lte,
        submitted_gt=submitted_gt,
        submitted_gte=submitted_gte,
        submitted_lt=submitted_lt,
        submitted_lte=submitted_lte,
        finished_gt=finished_gt,
        finished_gte=finished_gte,
        finished_lt=finished_lt,
        finished_lte=finished_lte,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    type_: KnownOperationType | str | Unset = UNSET,
    status: KnownOperationStatus | str | Unset = UNSET,
    sort: str | Unset = UNSET,
    limit: int | Unset = 50,
    id_gt: str | Unset = UNSET,
    id_gte: str | Unset = UNSET,
    id_lt: str | Unset = UNSET,
    id_lte: str | Unset = UNSET,
    submitted_gt: str | Unset = UNSET,
    submitted_gte: str | Unset = UNSET,
    submitted_lt: str | Unset = UNSET,
    submitted_lte: str | Unset = UNSET,
    finished_gt: str | Unset = UNSET,
    finished_gte: str | Unset = UNSET,
    finished_lt: str | Unset = UNSET,
    finished_lte: str | Unset = UNSET,
) -> Error | OperationPage | None:
    """Get list of operations

     The requester's operations, filtered and sorted, one page at a time.

    Without `sort` the items come in ascending order of `id`. To read the next page, ask
    again with `sort=id` and `id_gt=<the id of the last item>`; `has_more` is true when more
    items match than `limit` let through.

    Date filters take a UTC date and time, `YYYY-MM-DDThh:mm:ss[.sss]`, or a date
    (`YYYY-MM-DD`, the start of that day). An operation that has not finished has no
    `finished` and matches no `finished_*` filter.

    Args:
        type_ (KnownOperationType | str | Unset): A documented operation type, or a string that
            Toloka adds later.
        status (KnownOperationStatus | str | Unset): A documented status, or a string that Toloka
            adds later.
        sort (str | Unset):
        limit (int | Unset):  Default: 50.
        id_gt (str | Unset):
        id_gte (str | Unset):
        id_lt (str | Unset):
        id_lte (str | Unset):
        submitted_gt (str | Unset): A moment to filter on: UTC date and time without an offset
            (`YYYY-MM-DDThh:mm:ss[.sss]`), or a date (`YYYY-MM-DD`, the start of that day). Only
            real moments: the pattern checks the calendar, and the fake Toloka answers `400` to a
            date that does not exist.
             Example: 2022-12-01.
        submitted_gte (str | Unset): A moment to filter on: UTC date and time without an offset
            (`YYYY-MM-DDThh:mm:ss[.sss]`), or a date (`YYYY-MM-DD`, the start of that day). Only
            real moments: the pattern checks the calendar, and the fake Toloka answers `400` to a
            date that does not exist.
             Example: 2022-12-01.
        submitted_lt (str | Unset): A moment to filter on: UTC date and time without an offset
            (`YYYY-MM-DDThh:mm:ss[.sss]`), or a date (`YYYY-MM-DD`, the start of that day). Only
            real moments: the pattern checks the calendar, and the fake Toloka answers `400` to a
            date that does not exist.
             Example: 2022-12-01.
        submitted_lte (str | Unset): A moment to filter on: UTC date and time without an offset
            (`YYYY-MM-DDThh:mm:ss[.sss]`), or a date (`YYYY-MM-DD`, the start of that day). Only
            real moments: the pattern checks the calendar, and the fake Toloka answers `400` to a
            date that does not exist.
             Example: 2022-12-01.
        finished_gt (str | Unset): A moment to filter on: UTC date and time without an offset
            (`YYYY-MM-DDThh:mm:ss[.sss]`), or a date (`YYYY-MM-DD`, the start of that day). Only
            real moments: the pattern checks the calendar, and the fake Toloka answers `400` to a
            date that does not exist.
             Example: 2022-12-01.
        finished_gte (str | Unset): A moment to filter on: UTC date and time without an offset
            (`YYYY-MM-DDThh:mm:ss[.sss]`), or a date (`YYYY-MM-DD`, the start of that day). Only
            real moments: the pattern checks the calendar, and the fake Toloka answers `400` to a
            date that does not exist.
             Example: 2022-12-01.
        finished_lt (str | Unset): A moment to filter on: UTC date and time without an offset
            (`YYYY-MM-DDThh:mm:ss[.sss]`), or a date (`YYYY-MM-DD`, the start of that day). Only
            real moments: the pattern checks the calendar, and the fake Toloka answers `400` to a
            date that does not exist.
             Example: 2022-12-01.
        finished_lte (str | Unset): A moment to filter on: UTC date and time without an offset
            (`YYYY-MM-DDThh:mm:ss[.sss]`), or a date (`YYYY-MM-DD`, the start of that day). Only
            real moments: the pattern checks the calendar, and the fake Toloka answers `400` to a
            date that does not exist.
             Example: 2022-12-01.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | OperationPage
    """

    return sync_detailed(
        client=client,
        type_=type_,
        status=status,
        sort=sort,
        limit=limit,
        id_gt=id_gt,
        id_gte=id_gte,
        id_lt=id_lt,
        id_lte=id_lte,
        submitted_gt=submitted_gt,
        submitted_gte=submitted_gte,
        submitted_lt=submitted_lt,
        submitted_lte=submitted_lte,
        finished_gt=finished_gt,
        finished_gte=finished_gte,
        finished_lt=finished_lt,
        finished_lte=finished_lte,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    type_: KnownOperationType | str | Unset = UNSET,
    status: KnownOperationStatus | str | Unset = UNSET,
    sort: str | Unset = UNSET,
    limit: int | Unset = 50,
    id_gt: str | Unset = UNSET,
    id_gte: str | Unset = UNSET,
    id_lt: str | Unset = UNSET,
    id_lte: str | Unset = UNSET,
    submitted_gt: str | Unset = UNSET,
    submitted_gte: str | Unset = UNSET,
    submitted_lt: str | Unset = UNSET,
    submitted_lte: str | Unset = UNSET,
    finished_gt: str | Unset = UNSET,
    finished_gte: str | Unset = UNSET,
    finished_lt: str | Unset = UNSET,
    finished_lte: str | Unset = UNSET,
) -> Response[Error | OperationPage]:
    """Get list of operations

     The requester's operations, filtered and sorted, one page at a time.

    Without `sort` the items come in ascending order of `id`. To read the next page, ask
    again with `sort=id` and `id_gt=<the id of the last item>`; `has_more` is true when more
    items match than `limit` let through.

    Date filters take a UTC date and time, `YYYY-MM-DDThh:mm:ss[.sss]`, or a date
    (`YYYY-MM-DD`, the start of that day). An operation that has not finished has no
    `finished` and matches no `finished_*` filter.

    Args:
        type_ (KnownOperationType | str | Unset): A documented operation type, or a string that
            Toloka adds later.
        status (KnownOperationStatus | str | Unset): A documented status, or a string that Toloka
            adds later.
        sort (str | Unset):
        limit (int | Unset):  Default: 50.
        id_gt (str | Unset):
        id_gte (str | Unset):
        id_lt (str | Unset):
        id_lte (str | Unset):
        submitted_gt (str | Unset): A moment to filter on: UTC date and time without an offset
            (`YYYY-MM-DDThh:mm:ss[.sss]`), or a date (`YYYY-MM-DD`, the start of that day). Only
            real moments: the pattern checks the calendar, and the fake Toloka answers `400` to a
            date that does not exist.
             Example: 2022-12-01.
        submitted_gte (str | Unset): A moment to filter on: UTC date and time without an offset
            (`YYYY-MM-DDThh:mm:ss[.sss]`), or a date (`YYYY-MM-DD`, the start of that day). Only
            real moments: the pattern checks the calendar, and the fake Toloka answers `400` to a
            date that does not exist.
             Example: 2022-12-01.
        submitted_lt (str | Unset): A moment to filter on: UTC date and time without an offset
            (`YYYY-MM-DDThh:mm:ss[.sss]`), or a date (`YYYY-MM-DD`, the start of that day). Only
            real moments: the pattern checks the calendar, and the fake Toloka answers `400` to a
            date that does not exist.
             Example: 2022-12-01.
        submitted_lte (str | Unset): A moment to filter on: UTC date and time without an offset
            (`YYYY-MM-DDThh:mm:ss[.sss]`), or a date (`YYYY-MM-DD`, the start of that day). Only
            real moments: the pattern checks the calendar, and the fake Toloka answers `400` to a
            date that does not exist.
             Example: 2022-12-01.
        finished_gt (str | Unset): A moment to filter on: UTC date and time without an offset
            (`YYYY-MM-DDThh:mm:ss[.sss]`), or a date (`YYYY-MM-DD`, the start of that day). Only
            real moments: the pattern checks the calendar, and the fake Toloka answers `400` to a
            date that does not exist.
             Example: 2022-12-01.
        finished_gte (str | Unset): A moment to filter on: UTC date and time without an offset
            (`YYYY-MM-DDThh:mm:ss[.sss]`), or a date (`YYYY-MM-DD`, the start of that day). Only
            real moments: the pattern checks the calendar, and the fake Toloka answers `400` to a
            date that does not exist.
             Example: 2022-12-01.
        finished_lt (str | Unset): A moment to filter on: UTC date and time without an offset
            (`YYYY-MM-DDThh:mm:ss[.sss]`), or a date (`YYYY-MM-DD`, the start of that day). Only
            real moments: the pattern checks the calendar, and the fake Toloka answers `400` to a
            date that does not exist.
             Example: 2022-12-01.
        finished_lte (str | Unset): A moment to filter on: UTC date and time without an offset
            (`YYYY-MM-DDThh:mm:ss[.sss]`), or a date (`YYYY-MM-DD`, the start of that day). Only
            real moments: the pattern checks the calendar, and the fake Toloka answers `400` to a
            date that does not exist.
             Example: 2022-12-01.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | OperationPage]
    """

    kwargs = _get_kwargs(
        type_=type_,
        status=status,
        sort=sort,
        limit=limit,
        id_gt=id_gt,
        id_gte=id_gte,
        id_lt=id_lt,
        id_lte=id_lte,
        submitted_gt=submitted_gt,
        submitted_gte=submitted_gte,
        submitted_lt=submitted_lt,
        submitted_lte=submitted_lte,
        finished_gt=finished_gt,
        finished_gte=finished_gte,
        finished_lt=finished_lt,
        finished_lte=finished_lte,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    type_: KnownOperationType | str | Unset = UNSET,
    status: KnownOperationStatus | str | Unset = UNSET,
    sort: str | Unset = UNSET,
    limit: int | Unset = 50,
    id_gt: str | Unset = UNSET,
    id_gte: str | Unset = UNSET,
    id_lt: str | Unset = UNSET,
    id_lte: str | Unset = UNSET,
    submitted_gt: str | Unset = UNSET,
    submitted_gte: str | Unset = UNSET,
    submitted_lt: str | Unset = UNSET,
    submitted_lte: str | Unset = UNSET,
    finished_gt: str | Unset = UNSET,
    finished_gte: str | Unset = UNSET,
    finished_lt: str | Unset = UNSET,
    finished_lte: str | Unset = UNSET,
) -> Error | OperationPage | None:
    """Get list of operations

     The requester's operations, filtered and sorted, one page at a time.

    Without `sort` the items come in ascending order of `id`. To read the next page, ask
    again with `sort=id` and `id_gt=<the id of the last item>`; `has_more` is true when more
    items match than `limit` let through.

    Date filters take a UTC date and time, `YYYY-MM-DDThh:mm:ss[.sss]`, or a date
    (`YYYY-MM-DD`, the start of that day). An operation that has not finished has no
    `finished` and matches no `finished_*` filter.

    Args:
        type_ (KnownOperationType | str | Unset): A documented operation type, or a string that
            Toloka adds later.
        status (KnownOperationStatus | str | Unset): A documented status, or a string that Toloka
            adds later.
        sort (str | Unset):
        limit (int | Unset):  Default: 50.
        id_gt (str | Unset):
        id_gte (str | Unset):
        id_lt (str | Unset):
        id_lte (str | Unset):
        submitted_gt (str | Unset): A moment to filter on: UTC date and time without an offset
            (`YYYY-MM-DDThh:mm:ss[.sss]`), or a date (`YYYY-MM-DD`, the start of that day). Only
            real moments: the pattern checks the calendar, and the fake Toloka answers `400` to a
            date that does not exist.
             Example: 2022-12-01.
        submitted_gte (str | Unset): A moment to filter on: UTC date and time without an offset
            (`YYYY-MM-DDThh:mm:ss[.sss]`), or a date (`YYYY-MM-DD`, the start of that day). Only
            real moments: the pattern checks the calendar, and the fake Toloka answers `400` to a
            date that does not exist.
             Example: 2022-12-01.
        submitted_lt (str | Unset): A moment to filter on: UTC date and time without an offset
            (`YYYY-MM-DDThh:mm:ss[.sss]`), or a date (`YYYY-MM-DD`, the start of that day). Only
            real moments: the pattern checks the calendar, and the fake Toloka answers `400` to a
            date that does not exist.
             Example: 2022-12-01.
        submitted_lte (str | Unset): A moment to filter on: UTC date and time without an offset
            (`YYYY-MM-DDThh:mm:ss[.sss]`), or a date (`YYYY-MM-DD`, the start of that day). Only
            real moments: the pattern checks the calendar, and the fake Toloka answers `400` to a
            date that does not exist.
             Example: 2022-12-01.
        finished_gt (str | Unset): A moment to filter on: UTC date and time without an offset
            (`YYYY-MM-DDThh:mm:ss[.sss]`), or a date (`YYYY-MM-DD`, the start of that day). Only
            real moments: the pattern checks the calendar, and the fake Toloka answers `400` to a
            date that does not exist.
             Example: 2022-12-01.
        finished_gte (str | Unset): A moment to filter on: UTC date and time without an offset
            (`YYYY-MM-DDThh:mm:ss[.sss]`), or a date (`YYYY-MM-DD`, the start of that day). Only
            real moments: the pattern checks the calendar, and the fake Toloka answers `400` to a
            date that does not exist.
             Example: 2022-12-01.
        finished_lt (str | Unset): A moment to filter on: UTC date and time without an offset
            (`YYYY-MM-DDThh:mm:ss[.sss]`), or a date (`YYYY-MM-DD`, the start of that day). Only
            real moments: the pattern checks the calendar, and the fake Toloka answers `400` to a
            date that does not exist.
             Example: 2022-12-01.
        finished_lte (str | Unset): A moment to filter on: UTC date and time without an offset
            (`YYYY-MM-DDThh:mm:ss[.sss]`), or a date (`YYYY-MM-DD`, the start of that day). Only
            real moments: the pattern checks the calendar, and the fake Toloka answers `400` to a
            date that does not exist.
             Example: 2022-12-01.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | OperationPage
    """

    return (
        await asyncio_detailed(
            client=client,
            type_=type_,
            status=status,
            sort=sort,
            limit=limit,
            id_gt=id_gt,
            id_gte=id_gte,
            id_lt=id_lt,
            id_lte=id_lte,
            submitted_gt=submitted_gt,
            submitted_gte=submitted_gte,
            submitted_lt=submitted_lt,
            submitted_lte=submitted_lte,
            finished_gt=finished_gt,
            finished_gte=finished_gte,
            finished_lt=finished_lt,
            finished_lte=finished_lte,
        )
    ).parsed
