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
        "url": "/projects/{id}/archive".format(
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
    """Archive project

     Moves a project to the archive. Every pool of the project must be archived first
    (`POST /pools/{id}/archive`), and so must every training (`POST /trainings/{id}/archive`,
    which in turn waits for the main pools that require the training);
    `GET /pools?project_id=<id>` and `GET /trainings?project_id=<id>` list them.

    Archiving runs as an asynchronous operation: the answer is `202` with the Operation
    (type `PROJECT.ARCHIVE`, `parameters.project_id`), whose progress is then read with
    `GET /operations/{id}`; once it succeeds, the project's status is `ARCHIVED`.

    What Toloka documents stops there: its reference names the pools only ("all the pools
    in the project must be archived"). That the trainings must be archived too is **our
    assumption**: a training is a pool of its own kind (a "training pool"), and the Java
    SDK's `TlkError` explains `UNARCHIVED_POOLS_CONFLICT` as "archive all active pools
    before you proceed". Its reference and guides say nothing either about a project that
    is already archived, or one with pools or trainings still to archive, so the rest is
    **our assumption** too, and the fake Toloka follows it:

    - a project that is already archived answers `204` with no content, as a pool does;
      but note that toloka-kit 1.2.3, which reads the `204` of archiving (and opening and
      closing) a pool or a training, does not expect one here, so a client should also be
      ready for a `409` (e.g. `INAPPROPRIATE_STATUS`) and then read the project;
    - a project with a pool or a training that is not `ARCHIVED` answers `409` with the
      code `UNARCHIVED_POOLS_CONFLICT`, a code toloka-kit lists among those Toloka returns
      (`toloka.client.error_codes.InternalErrorCodes`) without saying when;
    - while an archive of the project is still running, another request answers `409`
      `CONFLICT_STATE`, Toloka's general code for a request the object's state refuses.

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
    """Archive project

     Moves a project to the archive. Every pool of the project must be archived first
    (`POST /pools/{id}/archive`), and so must every training (`POST /trainings/{id}/archive`,
    which in turn waits for the main pools that require the training);
    `GET /pools?project_id=<id>` and `GET /trainings?project_id=<id>` list them.

    Archiving runs as an asynchronous operation: the answer is `202` with the Operation
    (type `PROJECT.ARCHIVE`, `parameters.project_id`), whose progress is then read with
    `GET /operations/{id}`; once it succeeds, the project's status is `ARCHIVED`.

    What Toloka documents stops there: its reference names the pools only ("all the pools
    in the project must be archived"). That the trainings must be archived too is **our
    assumption**: a training is a pool of its own kind (a "training pool"), and the Java
    SDK's `TlkError` explains `UNARCHIVED_POOLS_CONFLICT` as "archive all active pools
    before you proceed". Its reference and guides say nothing either about a project that
    is already archived, or one with pools or trainings still to archive, so the rest is
    **our assumption** too, and the fake Toloka follows it:

    - a project that is already archived answers `204` with no content, as a pool does;
      but note that toloka-kit 1.2.3, which reads the `204` of archiving (and opening and
      closing) a pool or a training, does not expect one here, so a client should also be
      ready for a `409` (e.g. `INAPPROPRIATE_STATUS`) and then read the project;
    - a project with a pool or a training that is not `ARCHIVED` answers `409` with the
      code `UNARCHIVED_POOLS_CONFLICT`, a code toloka-kit lists among those Toloka returns
      (`toloka.client.error_codes.InternalErrorCodes`) without saying when;
    - while an archive of the project is still running, another request answers `409`
      `CONFLICT_STATE`, Toloka's general code for a request the object's state refuses.

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
    """Archive project

     Moves a project to the archive. Every pool of the project must be archived first
    (`POST /pools/{id}/archive`), and so must every training (`POST /trainings/{id}/archive`,
    which in turn waits for the main pools that require the training);
    `GET /pools?project_id=<id>` and `GET /trainings?project_id=<id>` list them.

    Archiving runs as an asynchronous operation: the answer is `202` with the Operation
    (type `PROJECT.ARCHIVE`, `parameters.project_id`), whose progress is then read with
    `GET /operations/{id}`; once it succeeds, the project's status is `ARCHIVED`.

    What Toloka documents stops there: its reference names the pools only ("all the pools
    in the project must be archived"). That the trainings must be archived too is **our
    assumption**: a training is a pool of its own kind (a "training pool"), and the Java
    SDK's `TlkError` explains `UNARCHIVED_POOLS_CONFLICT` as "archive all active pools
    before you proceed". Its reference and guides say nothing either about a project that
    is already archived, or one with pools or trainings still to archive, so the rest is
    **our assumption** too, and the fake Toloka follows it:

    - a project that is already archived answers `204` with no content, as a pool does;
      but note that toloka-kit 1.2.3, which reads the `204` of archiving (and opening and
      closing) a pool or a training, does not expect one here, so a client should also be
      ready for a `409` (e.g. `INAPPROPRIATE_STATUS`) and then read the project;
    - a project with a pool or a training that is not `ARCHIVED` answers `409` with the
      code `UNARCHIVED_POOLS_CONFLICT`, a code toloka-kit lists among those Toloka returns
      (`toloka.client.error_codes.InternalErrorCodes`) without saying when;
    - while an archive of the project is still running, another request answers `409`
      `CONFLICT_STATE`, Toloka's general code for a request the object's state refuses.

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
    """Archive project

     Moves a project to the archive. Every pool of the project must be archived first
    (`POST /pools/{id}/archive`), and so must every training (`POST /trainings/{id}/archive`,
    which in turn waits for the main pools that require the training);
    `GET /pools?project_id=<id>` and `GET /trainings?project_id=<id>` list them.

    Archiving runs as an asynchronous operation: the answer is `202` with the Operation
    (type `PROJECT.ARCHIVE`, `parameters.project_id`), whose progress is then read with
    `GET /operations/{id}`; once it succeeds, the project's status is `ARCHIVED`.

    What Toloka documents stops there: its reference names the pools only ("all the pools
    in the project must be archived"). That the trainings must be archived too is **our
    assumption**: a training is a pool of its own kind (a "training pool"), and the Java
    SDK's `TlkError` explains `UNARCHIVED_POOLS_CONFLICT` as "archive all active pools
    before you proceed". Its reference and guides say nothing either about a project that
    is already archived, or one with pools or trainings still to archive, so the rest is
    **our assumption** too, and the fake Toloka follows it:

    - a project that is already archived answers `204` with no content, as a pool does;
      but note that toloka-kit 1.2.3, which reads the `204` of archiving (and opening and
      closing) a pool or a training, does not expect one here, so a client should also be
      ready for a `409` (e.g. `INAPPROPRIATE_STATUS`) and then read the project;
    - a project with a pool or a training that is not `ARCHIVED` answers `409` with the
      code `UNARCHIVED_POOLS_CONFLICT`, a code toloka-kit lists among those Toloka returns
      (`toloka.client.error_codes.InternalErrorCodes`) without saying when;
    - while an archive of the project is still running, another request answers `409`
      `CONFLICT_STATE`, Toloka's general code for a request the object's state refuses.

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
