from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.assignment_page import AssignmentPage
from ...models.error import Error
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    pool_id: str,
    status: str | Unset = UNSET,
    sort: str | Unset = UNSET,
    limit: int | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["pool_id"] = pool_id

    params["status"] = status

    params["sort"] = sort

    params["limit"] = limit

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/assignments",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> AssignmentPage | Error | None:
    if response.status_code == 200:
        response_200 = AssignmentPage.from_dict(response.json())

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

    if response.status_code == 404:
        response_404 = Error.from_dict(response.json())

        return response_404

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
) -> Response[AssignmentPage | Error]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    pool_id: str,
    status: str | Unset = UNSET,
    sort: str | Unset = UNSET,
    limit: int | Unset = UNSET,
) -> Response[AssignmentPage | Error]:
    """Get assignments

     Assignments (task suites given to Tolokers), filtered and sorted. The pre-flight check
    asks for the most recent rejection in a pool with
    `pool_id=<id>&status=REJECTED&sort=-rejected&limit=1`.

    Args:
        pool_id (str):
        status (str | Unset):
        sort (str | Unset):
        limit (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AssignmentPage | Error]
    """

    kwargs = _get_kwargs(
        pool_id=pool_id,
        status=status,
        sort=sort,
        limit=limit,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    pool_id: str,
    status: str | Unset = UNSET,
    sort: str | Unset = UNSET,
    limit: int | Unset = UNSET,
) -> AssignmentPage | Error | None:
    """Get assignments

     Assignments (task suites given to Tolokers), filtered and sorted. The pre-flight check
    asks for the most recent rejection in a pool with
    `pool_id=<id>&status=REJECTED&sort=-rejected&limit=1`.

    Args:
        pool_id (str):
        status (str | Unset):
        sort (str | Unset):
        limit (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AssignmentPage | Error
    """

    return sync_detailed(
        client=client,
        pool_id=pool_id,
        status=status,
        sort=sort,
        limit=limit,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    pool_id: str,
    status: str | Unset = UNSET,
    sort: str | Unset = UNSET,
    limit: int | Unset = UNSET,
) -> Response[AssignmentPage | Error]:
    """Get assignments

     Assignments (task suites given to Tolokers), filtered and sorted. The pre-flight check
    asks for the most recent rejection in a pool with
    `pool_id=<id>&status=REJECTED&sort=-rejected&limit=1`.

    Args:
        pool_id (str):
        status (str | Unset):
        sort (str | Unset):
        limit (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[AssignmentPage | Error]
    """

    kwargs = _get_kwargs(
        pool_id=pool_id,
        status=status,
        sort=sort,
        limit=limit,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    pool_id: str,
    status: str | Unset = UNSET,
    sort: str | Unset = UNSET,
    limit: int | Unset = UNSET,
) -> AssignmentPage | Error | None:
    """Get assignments

     Assignments (task suites given to Tolokers), filtered and sorted. The pre-flight check
    asks for the most recent rejection in a pool with
    `pool_id=<id>&status=REJECTED&sort=-rejected&limit=1`.

    Args:
        pool_id (str):
        status (str | Unset):
        sort (str | Unset):
        limit (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        AssignmentPage | Error
    """

    return (
        await asyncio_detailed(
            client=client,
            pool_id=pool_id,
            status=status,
            sort=sort,
            limit=limit,
        )
    ).parsed
