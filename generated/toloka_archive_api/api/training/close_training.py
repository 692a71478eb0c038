from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.operation import Operation
from ...types import Response


def _get_kwargs(
    id: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/trainings/{id}/close".format(
            id=quote(str(id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | Error | Operation | None:
    if response.status_code == 202:
        response_202 = Operation.from_dict(response.json())

        return response_202

    if response.status_code == 204:
        response_204 = cast(Any, None)
        return response_204

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

    if response.status_code == 409:
        response_409 = Error.from_dict(response.json())

        return response_409

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
) -> Response[Any | Error | Operation]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    id: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[Any | Error | Operation]:
    """Close training

     Closes a training (a training pool): Tolokers stop getting its tasks, and so stop
    earning the skill that the main pools requiring it ask for. Only an open training
    (`OPEN`) is closed; a training must be closed before it can be archived. Close a
    training only when the user asked for it.

    Closing runs as an asynchronous operation: the answer is `202` with the Operation
    (type `TRAINING.CLOSE`, `parameters.training_id`), whose progress is then read with
    `GET /operations/{id}`; once it succeeds, the training's status is `CLOSED`. A training
    that is already closed answers `204` with no content (Toloka: "if the current training
    pool status is the same as the requested status, an empty response with status 204 is
    returned").

    What Toloka documents stops there. Its reference says nothing about the other statuses,
    so the rest is **our assumption**, and the fake Toloka follows it, as for a pool:

    - while an operation runs on the training (a close, or an archive), the training is
      locked: the request answers `409` `TRAINING_LOCKED_BY_ANOTHER_OPERATION`, with
      `payload.operation_id` naming the running operation; this comes before the `204`,
      since a training being archived is still `CLOSED`. As for archiving a training,
      Toloka may answer `POOL_LOCKED_BY_ANOTHER_OPERATION` instead, and document no
      payload: a client should take either code as the lock;
    - an archived training (`ARCHIVED`), or a locked one (`LOCKED`, no action possible),
      answers `409` `INAPPROPRIATE_STATUS` with `payload.appropriate_statuses` `[OPEN]`,
      the one status from which a close starts.

    Args:
        id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Error | Operation]
    """

    kwargs = _get_kwargs(
        id=id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    id: str,
    *,
    client: AuthenticatedClient | Client,
) -> Any | Error | Operation | None:
    """Close training

     Closes a training (a training pool): Tolokers stop getting its tasks, and so stop
    earning the skill that the main pools requiring it ask for. Only an open training
    (`OPEN`) is closed; a training must be closed before it can be archived. Close a
    training only when the user asked for it.

    Closing runs as an asynchronous operation: the answer is `202` with the Operation
    (type `TRAINING.CLOSE`, `parameters.training_id`), whose progress is then read with
    `GET /operations/{id}`; once it succeeds, the training's status is `CLOSED`. A training
    that is already closed answers `204` with no content (Toloka: "if the current training
    pool status is the same as the requested status, an empty response with status 204 is
    returned").

    What Toloka documents stops there. Its reference says nothing about the other statuses,
    so the rest is **our assumption**, and the fake Toloka follows it, as for a pool:

    - while an operation runs on the training (a close, or an archive), the training is
      locked: the request answers `409` `TRAINING_LOCKED_BY_ANOTHER_OPERATION`, with
      `payload.operation_id` naming the running operation; this comes before the `204`,
      since a training being archived is still `CLOSED`. As for archiving a training,
      Toloka may answer `POOL_LOCKED_BY_ANOTHER_OPERATION` instead, and document no
      payload: a client should take either code as the lock;
    - an archived training (`ARCHIVED`), or a locked one (`LOCKED`, no action possible),
      answers `409` `INAPPROPRIATE_STATUS` with `payload.appropriate_statuses` `[OPEN]`,
      the one status from which a close starts.

    Args:
        id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Error | Operation
    """

    return sync_detailed(
        id=id,
        client=client,
    ).parsed


async def asyncio_detailed(
    id: str,
    *,
    client: AuthenticatedClient | Client,
) -> Response[Any | Error | Operation]:
    """Close training

     Closes a training (a training pool): Tolokers stop getting its tasks, and so stop
    earning the skill that the main pools requiring it ask for. Only an open training
    (`OPEN`) is closed; a training must be closed before it can be archived. Close a
    training only when the user asked for it.

    Closing runs as an asynchronous operation: the answer is `202` with the Operation
    (type `TRAINING.CLOSE`, `parameters.training_id`), whose progress is then read with
    `GET /operations/{id}`; once it succeeds, the training's status is `CLOSED`. A training
    that is already closed answers `204` with no content (Toloka: "if the current training
    pool status is the same as the requested status, an empty response with status 204 is
    returned").

    What Toloka documents stops there. Its reference says nothing about the other statuses,
    so the rest is **our assumption**, and the fake Toloka follows it, as for a pool:

    - while an operation runs on the training (a close, or an archive), the training is
      locked: the request answers `409` `TRAINING_LOCKED_BY_ANOTHER_OPERATION`, with
      `payload.operation_id` naming the running operation; this comes before the `204`,
      since a training being archived is still `CLOSED`. As for archiving a training,
      Toloka may answer `POOL_LOCKED_BY_ANOTHER_OPERATION` instead, and document no
      payload: a client should take either code as the lock;
    - an archived training (`ARCHIVED`), or a locked one (`LOCKED`, no action possible),
      answers `409` `INAPPROPRIATE_STATUS` with `payload.appropriate_statuses` `[OPEN]`,
      the one status from which a close starts.

    Args:
        id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | Error | Operation]
    """

    kwargs = _get_kwargs(
        id=id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: str,
    *,
    client: AuthenticatedClient | Client,
) -> Any | Error | Operation | None:
    """Close training

     Closes a training (a training pool): Tolokers stop getting its tasks, and so stop
    earning the skill that the main pools requiring it ask for. Only an open training
    (`OPEN`) is closed; a training must be closed before it can be archived. Close a
    training only when the user asked for it.

    Closing runs as an asynchronous operation: the answer is `202` with the Operation
    (type `TRAINING.CLOSE`, `parameters.training_id`), whose progress is then read with
    `GET /operations/{id}`; once it succeeds, the training's status is `CLOSED`. A training
    that is already closed answers `204` with no content (Toloka: "if the current training
    pool status is the same as the requested status, an empty response with status 204 is
    returned").

    What Toloka documents stops there. Its reference says nothing about the other statuses,
    so the rest is **our assumption**, and the fake Toloka follows it, as for a pool:

    - while an operation runs on the training (a close, or an archive), the training is
      locked: the request answers `409` `TRAINING_LOCKED_BY_ANOTHER_OPERATION`, with
      `payload.operation_id` naming the running operation; this comes before the `204`,
      since a training being archived is still `CLOSED`. As for archiving a training,
      Toloka may answer `POOL_LOCKED_BY_ANOTHER_OPERATION` instead, and document no
      payload: a client should take either code as the lock;
    - an archived training (`ARCHIVED`), or a locked one (`LOCKED`, no action possible),
      answers `409` `INAPPROPRIATE_STATUS` with `payload.appropriate_statuses` `[OPEN]`,
      the one status from which a close starts.

    Args:
        id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | Error | Operation
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
        )
    ).parsed
