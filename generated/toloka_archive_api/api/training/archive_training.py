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
        "url": "/trainings/{id}/archive".format(
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
    """Archive training

     Moves a training (a training pool) to the archive. Toloka's reference sets two
    conditions: the training must be closed (`CLOSED`), and every main pool it is linked to
    must be archived first (`POST /pools/{id}/archive`). A main pool is linked to the
    training when its `quality_control.training_requirement.training_pool_id` names it;
    `GET /pools?project_id=<id>` lists the project's pools to look in.

    Archiving runs as an asynchronous operation: the answer is `202` with the Operation
    (type `TRAINING.ARCHIVE`, `parameters.training_id`), whose progress is then read with
    `GET /operations/{id}`; once it succeeds, the training's status is `ARCHIVED`. A
    training that is already archived answers `204` with no content (Toloka: "if the
    training pool is already archived, attempting to archive it again returns an empty
    response with status 204").

    What Toloka documents stops there. Its reference does not say how a request is refused
    when a condition does not hold, so the rest is **our assumption**, and the fake Toloka
    follows it, in this order:

    - while an operation runs on the training (an archive, or a close), the training is
      locked: the request answers `409` `TRAINING_LOCKED_BY_ANOTHER_OPERATION`, with
      `payload.operation_id` naming the running operation; this comes before the `204`,
      since a training being archived is still `CLOSED`. Toloka's SDKs list no lock code
      for trainings, only `POOL_LOCKED_BY_ANOTHER_OPERATION`, which Toloka may well answer
      for a training too (a training is a pool of its own kind), documenting no payload
      for it: a client should take either code as the lock, and be ready for a lock that
      names no operation;
    - an open training (`OPEN`), or a locked one (`LOCKED`, no action possible), answers
      `409` `INAPPROPRIATE_STATUS` with `payload.appropriate_statuses` `[CLOSED]`, the one
      status from which an archive starts;
    - a closed training that a main pool not yet archived requires answers `409`
      `TRAINING_ARCHIVE_CONFLICT`, a code toloka-kit lists among those Toloka returns
      (`toloka.client.error_codes.InternalErrorCodes`) without saying when, nor with which
      status. No payload is documented for it; `GET /pools?project_id=<id>` shows which
      pools are in the way.

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
    """Archive training

     Moves a training (a training pool) to the archive. Toloka's reference sets two
    conditions: the training must be closed (`CLOSED`), and every main pool it is linked to
    must be archived first (`POST /pools/{id}/archive`). A main pool is linked to the
    training when its `quality_control.training_requirement.training_pool_id` names it;
    `GET /pools?project_id=<id>` lists the project's pools to look in.

    Archiving runs as an asynchronous operation: the answer is `202` with the Operation
    (type `TRAINING.ARCHIVE`, `parameters.training_id`), whose progress is then read with
    `GET /operations/{id}`; once it succeeds, the training's status is `ARCHIVED`. A
    training that is already archived answers `204` with no content (Toloka: "if the
    training pool is already archived, attempting to archive it again returns an empty
    response with status 204").

    What Toloka documents stops there. Its reference does not say how a request is refused
    when a condition does not hold, so the rest is **our assumption**, and the fake Toloka
    follows it, in this order:

    - while an operation runs on the training (an archive, or a close), the training is
      locked: the request answers `409` `TRAINING_LOCKED_BY_ANOTHER_OPERATION`, with
      `payload.operation_id` naming the running operation; this comes before the `204`,
      since a training being archived is still `CLOSED`. Toloka's SDKs list no lock code
      for trainings, only `POOL_LOCKED_BY_ANOTHER_OPERATION`, which Toloka may well answer
      for a training too (a training is a pool of its own kind), documenting no payload
      for it: a client should take either code as the lock, and be ready for a lock that
      names no operation;
    - an open training (`OPEN`), or a locked one (`LOCKED`, no action possible), answers
      `409` `INAPPROPRIATE_STATUS` with `payload.appropriate_statuses` `[CLOSED]`, the one
      status from which an archive starts;
    - a closed training that a main pool not yet archived requires answers `409`
      `TRAINING_ARCHIVE_CONFLICT`, a code toloka-kit lists among those Toloka returns
      (`toloka.client.error_codes.InternalErrorCodes`) without saying when, nor with which
      status. No payload is documented for it; `GET /pools?project_id=<id>` shows which
      pools are in the way.

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
    """Archive training

     Moves a training (a training pool) to the archive. Toloka's reference sets two
    conditions: the training must be closed (`CLOSED`), and every main pool it is linked to
    must be archived first (`POST /pools/{id}/archive`). A main pool is linked to the
    training when its `quality_control.training_requirement.training_pool_id` names it;
    `GET /pools?project_id=<id>` lists the project's pools to look in.

    Archiving runs as an asynchronous operation: the answer is `202` with the Operation
    (type `TRAINING.ARCHIVE`, `parameters.training_id`), whose progress is then read with
    `GET /operations/{id}`; once it succeeds, the training's status is `ARCHIVED`. A
    training that is already archived answers `204` with no content (Toloka: "if the
    training pool is already archived, attempting to archive it again returns an empty
    response with status 204").

    What Toloka documents stops there. Its reference does not say how a request is refused
    when a condition does not hold, so the rest is **our assumption**, and the fake Toloka
    follows it, in this order:

    - while an operation runs on the training (an archive, or a close), the training is
      locked: the request answers `409` `TRAINING_LOCKED_BY_ANOTHER_OPERATION`, with
      `payload.operation_id` naming the running operation; this comes before the `204`,
      since a training being archived is still `CLOSED`. Toloka's SDKs list no lock code
      for trainings, only `POOL_LOCKED_BY_ANOTHER_OPERATION`, which Toloka may well answer
      for a training too (a training is a pool of its own kind), documenting no payload
      for it: a client should take either code as the lock, and be ready for a lock that
      names no operation;
    - an open training (`OPEN`), or a locked one (`LOCKED`, no action possible), answers
      `409` `INAPPROPRIATE_STATUS` with `payload.appropriate_statuses` `[CLOSED]`, the one
      status from which an archive starts;
    - a closed training that a main pool not yet archived requires answers `409`
      `TRAINING_ARCHIVE_CONFLICT`, a code toloka-kit lists among those Toloka returns
      (`toloka.client.error_codes.InternalErrorCodes`) without saying when, nor with which
      status. No payload is documented for it; `GET /pools?project_id=<id>` shows which
      pools are in the way.

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
    """Archive training

     Moves a training (a training pool) to the archive. Toloka's reference sets two
    conditions: the training must be closed (`CLOSED`), and every main pool it is linked to
    must be archived first (`POST /pools/{id}/archive`). A main pool is linked to the
    training when its `quality_control.training_requirement.training_pool_id` names it;
    `GET /pools?project_id=<id>` lists the project's pools to look in.

    Archiving runs as an asynchronous operation: the answer is `202` with the Operation
    (type `TRAINING.ARCHIVE`, `parameters.training_id`), whose progress is then read with
    `GET /operations/{id}`; once it succeeds, the training's status is `ARCHIVED`. A
    training that is already archived answers `204` with no content (Toloka: "if the
    training pool is already archived, attempting to archive it again returns an empty
    response with status 204").

    What Toloka documents stops there. Its reference does not say how a request is refused
    when a condition does not hold, so the rest is **our assumption**, and the fake Toloka
    follows it, in this order:

    - while an operation runs on the training (an archive, or a close), the training is
      locked: the request answers `409` `TRAINING_LOCKED_BY_ANOTHER_OPERATION`, with
      `payload.operation_id` naming the running operation; this comes before the `204`,
      since a training being archived is still `CLOSED`. Toloka's SDKs list no lock code
      for trainings, only `POOL_LOCKED_BY_ANOTHER_OPERATION`, which Toloka may well answer
      for a training too (a training is a pool of its own kind), documenting no payload
      for it: a client should take either code as the lock, and be ready for a lock that
      names no operation;
    - an open training (`OPEN`), or a locked one (`LOCKED`, no action possible), answers
      `409` `INAPPROPRIATE_STATUS` with `payload.appropriate_statuses` `[CLOSED]`, the one
      status from which an archive starts;
    - a closed training that a main pool not yet archived requires answers `409`
      `TRAINING_ARCHIVE_CONFLICT`, a code toloka-kit lists among those Toloka returns
      (`toloka.client.error_codes.InternalErrorCodes`) without saying when, nor with which
      status. No payload is documented for it; `GET /pools?project_id=<id>` shows which
      pools are in the way.

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
