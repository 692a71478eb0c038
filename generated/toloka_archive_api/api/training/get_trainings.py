from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error import Error
from ...models.known_training_status import KnownTrainingStatus
from ...models.training_page import TrainingPage
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    status: KnownTrainingStatus | str | Unset = UNSET,
    project_id: str | Unset = UNSET,
    sort: str | Unset = UNSET,
    limit: int | Unset = 50,
    id_gt: str | Unset = UNSET,
    id_gte: str | Unset = UNSET,
    id_lt: str | Unset = UNSET,
    id_lte: str | Unset = UNSET,
    created_gt: str | Unset = UNSET,
    created_gte: str | Unset = UNSET,
    created_lt: str | Unset = UNSET,
    created_lte: str | Unset = UNSET,
    last_started_gt: str | Unset = UNSET,
    last_started_gte: str | Unset = UNSET,
    last_started_lt: str | Unset = UNSET,
    last_started_lte: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_status: str | Unset
    if isinstance(status, Unset):
        json_status = UNSET
    elif isinstance(status, KnownTrainingStatus):
        json_status = status.value
    else:
        json_status = status
    params["status"] = json_status

    params["project_id"] = project_id

    params["sort"] = sort

    params["limit"] = limit

    params["id_gt"] = id_gt

    params["id_gte"] = id_gte

    params["id_lt"] = id_lt

    params["id_lte"] = id_lte

    params["created_gt"] = created_gt

    params["created_gte"] = created_gte

    params["created_lt"] = created_lt

    params["created_lte"] = created_lte

    params["last_started_gt"] = last_started_gt

    params["last_started_gte"] = last_started_gte

    params["last_started_lt"] = last_started_lt

    params["last_started_lte"] = last_started_lte

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/trainings",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Error | TrainingPage | None:
    if response.status_code == 200:
        response_200 = TrainingPage.from_dict(response.json())

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
) -> Response[Error | TrainingPage]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    status: KnownTrainingStatus | str | Unset = UNSET,
    project_id: str | Unset = UNSET,
    sort: str | Unset = UNSET,
    limit: int | Unset = 50,
    id_gt: str | Unset = UNSET,
    id_gte: str | Unset = UNSET,
    id_lt: str | Unset = UNSET,
    id_lte: str | Unset = UNSET,
    created_gt: str | Unset = UNSET,
    created_gte: str | Unset = UNSET,
    created_lt: str | Unset = UNSET,
    created_lte: str | Unset = UNSET,
    last_started_gt: str | Unset = UNSET,
    last_started_gte: str | Unset = UNSET,
    last_started_lt: str | Unset = UNSET,
    last_started_lte: str | Unset = UNSET,
) -> Response[Error | TrainingPage]:
    """Get list of trainings

     The requester's trainings (training pools, archived ones included), filtered and
    sorted, one page at a time. `project_id=<id>` lists one project's trainings.

    Without `sort` the items come in ascending order of `id`. To read the next page, ask
    again with `sort=id` and `id_gt=<the id of the last item>`; `has_more` is true when more
    items match than `limit` let through.

    Date filters take a UTC date and time, `YYYY-MM-DDThh:mm:ss[.sss]`, or a date
    (`YYYY-MM-DD`, the start of that day). A training that was never started has no
    `last_started` and matches no `last_started_*` filter.

    Args:
        status (KnownTrainingStatus | str | Unset): A documented training status, or a string that
            Toloka adds later.
        project_id (str | Unset):
        sort (str | Unset):
        limit (int | Unset):  Default: 50.
        id_gt (str | Unset): A pool or training ID to compare with (decimal digits). Example:
            32267581.
        id_gte (str | Unset): A pool or training ID to compare with (decimal digits). Example:
            32267581.
        id_lt (str | Unset): A pool or training ID to compare with (decimal digits). Example:
            32267581.
        id_lte (str | Unset): A pool or training ID to compare with (decimal digits). Example:
            32267581.
        created_gt (str | Unset): A moment to filter on: UTC date and time without an offset
            (`YYYY-MM-DDThh:mm:ss[.sss]`), or a date (`YYYY-MM-DD`, the start of that day). Only
            real moments: the pattern checks the calendar, and the fake Toloka answers `400` to a
            date that does not exist.
             Example: 2022-12-01.
        created_gte (str | Unset): A moment to filter on: UTC date and time without an offset
            (`YYYY-MM-DDThh:mm:ss[.sss]`), or a date (`YYYY-MM-DD`, the start of that day). Only
            real moments: the pattern checks the calendar, and the fake Toloka answers `400` to a
            date that does not exist.
             Example: 2022-12-01.
        created_lt (str | Unset): A moment to filter on: UTC date and time without an offset
            (`YYYY-MM-DDThh:mm:ss[.sss]`), or a date (`YYYY-MM-DD`, the start of that day). Only
            real moments: the pattern checks the calendar, and the fake Toloka answers `400` to a
            date that does not exist.
             Example: 2022-12-01.
        created_lte (str | Unset): A moment to filter on: UTC date and time without an offset
            (`YYYY-MM-DDThh:mm:ss[.sss]`), or a date (`YYYY-MM-DD`, the start of that day). Only
            real moments: the pattern checks the calendar, and the fake Toloka answers `400` to a
            date that does not exist.
             Example: 2022-12-01.
        last_started_gt (str | Unset): A moment to filter on: UTC date and time without an offset
            (`YYYY-MM-DDThh:mm:ss[.sss]`), or a date (`YYYY-MM-DD`, the start of that day). Only
            real moments: the pattern checks the calendar, and the fake Toloka answers `400` to a
            date that does not exist.
             Example: 2022-12-01.
        last_started_gte (str | Unset): A moment to filter on: UTC date and time without an offset
            (`YYYY-MM-DDThh:mm:ss[.sss]`), or a date (`YYYY-MM-DD`, the start of that day). Only
            real moments: the pattern checks the calendar, and the fake Toloka answers `400` to a
            date that does not exist.
             Example: 2022-12-01.
        last_started_lt (str | Unset): A moment to filter on: UTC date and time without an offset
            (`YYYY-MM-DDThh:mm:ss[.sss]`), or a date (`YYYY-MM-DD`, the start of that day). Only
            real moments: the pattern checks the calendar, and the fake Toloka answers `400` to a
            date that does not exist.
             Example: 2022-12-01.
        last_started_lte (str | Unset): A moment to filter on: UTC date and time without an offset
            (`YYYY-MM-DDThh:mm:ss[.sss]`), or a date (`YYYY-MM-DD`, the start of that day). Only
            real moments: the pattern checks the calendar, and the fake Toloka answers `400` to a
            date that does not exist.
             Example: 2022-12-01.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | TrainingPage]
    """

    kwargs = _get_kwargs(
        status=status,
        project_id=project_id,
        sort=sort,
        limit=limit,
        id_gt=id_gt,
        id_gte=id_gte,
        id_lt=id_lt,
        id_lte=id_lte,
        created_gt=created_gt,
        created_gte=created_gte,
        created_lt=created_lt,
        created_lte=created_lte,
        last_started_gt=last_started_gt,
        last_started_gte=last_started_gte,
        last_started_lt=last_started_lt,
        last_started_lte=last_started_lte,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    status: KnownTrainingStatus | str | Unset = UNSET,
    project_id: str | Unset = UNSET,
    sort: str | Unset = UNSET,
    limit: int | Unset = 50,
    id_gt: str | Unset = UNSET,
    id_gte: str | Unset = UNSET,
    id_lt: str | Unset = UNSET,
    id_lte: str | Unset = UNSET,
    created_gt: str | Unset = UNSET,
    created_gte: str | Unset = UNSET,
    created_lt: str | Unset = UNSET,
    created_lte: str | Unset = UNSET,
    last_started_gt: str | Unset = UNSET,
    last_started_gte: str | Unset = UNSET,
    last_started_lt: str | Unset = UNSET,
    last_started_lte: str | Unset = UNSET,
) -> Error | TrainingPage | None:
    """Get list of trainings

     The requester's trainings (training pools, archived ones included), filtered and
    sorted, one page at a time. `project_id=<id>` lists one project's trainings.

    Without `sort` the items come in ascending order of `id`. To read the next page, ask
    again with `sort=id` and `id_gt=<the id of the last item>`; `has_more` is true when more
    items match than `limit` let through.

    Date filters take a UTC date and time, `YYYY-MM-DDThh:mm:ss[.sss]`, or a date
    (`YYYY-MM-DD`, the start of that day). A training that was never started has no
    `last_started` and matches no `last_started_*` filter.

    Args:
        status (KnownTrainingStatus | str | Unset): A documented training status, or a string that
            Toloka adds later.
        project_id (str | Unset):
        sort (str | Unset):
        limit (int | Unset):  Default: 50.
        id_gt (str | Unset): A pool or training ID to compare with (decimal digits). Example:
            32267581.
        id_gte (str | Unset): A pool or training ID to compare with (decimal digits). Example:
            32267581.
        id_lt (str | Unset): A pool or training ID to compare with (decimal digits). Example:
            32267581.
        id_lte (str | Unset): A pool or training ID to compare with (decimal digits). Example:
            32267581.
        created_gt (str | Unset): A moment to filter on: UTC date and time without an offset
            (`YYYY-MM-DDThh:mm:ss[.sss]`), or a date (`YYYY-MM-DD`, the start of that day). Only
            real moments: the pattern checks the calendar, and the fake Toloka answers `400` to a
            date that does not exist.
             Example: 2022-12-01.
        created_gte (str | Unset): A moment to filter on: UTC date and time without an offset
            (`YYYY-MM-DDThh:mm:ss[.sss]`), or a date (`YYYY-MM-DD`, the start of that day). Only
            real moments: the pattern checks the calendar, and the fake Toloka answers `400` to a
            date that does not exist.
             Example: 2022-12-01.
        created_lt (str | Unset): A moment to filter on: UTC date and time without an offset
            (`YYYY-MM-DDThh:mm:ss[.sss]`), or a date (`YYYY-MM-DD`, the start of that day). Only
            real moments: the pattern checks the calendar, and the fake Toloka answers `400` to a
            date that does not exist.
             Example: 2022-12-01.
        created_lte (str | Unset): A moment to filter on: UTC date and time without an offset
            (`YYYY-MM-DDThh:mm:ss[.sss]`), or a date (`YYYY-MM-DD`, the start of that day). Only
            real moments: the pattern checks the calendar, and the fake Toloka answers `400` to a
            date that does not exist.
             Example: 2022-12-01.
        last_started_gt (str | Unset): A moment to filter on: UTC date and time without an offset
            (`YYYY-MM-DDThh:mm:ss[.sss]`), or a date (`YYYY-MM-DD`, the start of that day). Only
            real moments: the pattern checks the calendar, and the fake Toloka answers `400` to a
            date that does not exist.
             Example: 2022-12-01.
        last_started_gte (str | Unset): A moment to filter on: UTC date and time without an offset
            (`YYYY-MM-DDThh:mm:ss[.sss]`), or a date (`YYYY-MM-DD`, the start of that day). Only
            real moments: the pattern checks the calendar, and the fake Toloka answers `400` to a
            date that does not exist.
             Example: 2022-12-01.
        last_started_lt (str | Unset): A moment to filter on: UTC date and time without an offset
            (`YYYY-MM-DDThh:mm:ss[.sss]`), or a date (`YYYY-MM-DD`, the start of that day). Only
            real moments: the pattern checks the calendar, and the fake Toloka answers `400` to a
            date that does not exist.
             Example: 2022-12-01.
        last_started_lte (str | Unset): A moment to filter on: UTC date and time without an offset
            (`YYYY-MM-DDThh:mm:ss[.sss]`), or a date (`YYYY-MM-DD`, the start of that day). Only
            real moments: the pattern checks the calendar, and the fake Toloka answers `400` to a
            date that does not exist.
             Example: 2022-12-01.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | TrainingPage
    """

    return sync_detailed(
        client=client,
        status=status,
        project_id=project_id,
        sort=sort,
        limit=limit,
        id_gt=id_gt,
        id_gte=id_gte,
        id_lt=id_lt,
        id_lte=id_lte,
        created_gt=created_gt,
        created_gte=created_gte,
        created_lt=created_lt,
        created_lte=created_lte,
        last_started_gt=last_started_gt,
        last_started_gte=last_started_gte,
        last_started_lt=last_started_lt,
        last_started_lte=last_started_lte,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    status: KnownTrainingStatus | str | Unset = UNSET,
    project_id: str | Unset = UNSET,
    sort: str | Unset = UNSET,
    limit: int | Unset = 50,
    id_gt: str | Unset = UNSET,
    id_gte: str | Unset = UNSET,
    id_lt: str | Unset = UNSET,
    id_lte: str | Unset = UNSET,
    created_gt: str | Unset = UNSET,
    created_gte: str | Unset = UNSET,
    created_lt: str | Unset = UNSET,
    created_lte: str | Unset = UNSET,
    last_started_gt: str | Unset = UNSET,
    last_started_gte: str | Unset = UNSET,
    last_started_lt: str | Unset = UNSET,
    last_started_lte: str | Unset = UNSET,
) -> Response[Error | TrainingPage]:
    """Get list of trainings

     The requester's trainings (training pools, archived ones included), filtered and
    sorted, one page at a time. `project_id=<id>` lists one project's trainings.

    Without `sort` the items come in ascending order of `id`. To read the next page, ask
    again with `sort=id` and `id_gt=<the id of the last item>`; `has_more` is true when more
    items match than `limit` let through.

    Date filters take a UTC date and time, `YYYY-MM-DDThh:mm:ss[.sss]`, or a date
    (`YYYY-MM-DD`, the start of that day). A training that was never started has no
    `last_started` and matches no `last_started_*` filter.

    Args:
        status (KnownTrainingStatus | str | Unset): A documented training status, or a string that
            Toloka adds later.
        project_id (str | Unset):
        sort (str | Unset):
        limit (int | Unset):  Default: 50.
        id_gt (str | Unset): A pool or training ID to compare with (decimal digits). Example:
            32267581.
        id_gte (str | Unset): A pool or training ID to compare with (decimal digits). Example:
            32267581.
        id_lt (str | Unset): A pool or training ID to compare with (decimal digits). Example:
            32267581.
        id_lte (str | Unset): A pool or training ID to compare with (decimal digits). Example:
            32267581.
        created_gt (str | Unset): A moment to filter on: UTC date and time without an offset
            (`YYYY-MM-DDThh:mm:ss[.sss]`), or a date (`YYYY-MM-DD`, the start of that day). Only
            real moments: the pattern checks the calendar, and the fake Toloka answers `400` to a
            date that does not exist.
             Example: 2022-12-01.
        created_gte (str | Unset): A moment to filter on: UTC date and time without an offset
            (`YYYY-MM-DDThh:mm:ss[.sss]`), or a date (`YYYY-MM-DD`, the start of that day). Only
            real moments: the pattern checks the calendar, and the fake Toloka answers `400` to a
            date that does not exist.
             Example: 2022-12-01.
        created_lt (str | Unset): A moment to filter on: UTC date and time without an offset
            (`YYYY-MM-DDThh:mm:ss[.sss]`), or a date (`YYYY-MM-DD`, the start of that day). Only
            real moments: the pattern checks the calendar, and the fake Toloka answers `400` to a
            date that does not exist.
             Example: 2022-12-01.
        created_lte (str | Unset): A moment to filter on: UTC date and time without an offset
            (`YYYY-MM-DDThh:mm:ss[.sss]`), or a date (`YYYY-MM-DD`, the start of that day). Only
            real moments: the pattern checks the calendar, and the fake Toloka answers `400` to a
            date that does not exist.
             Example: 2022-12-01.
        last_started_gt (str | Unset): A moment to filter on: UTC date and time without an offset
            (`YYYY-MM-DDThh:mm:ss[.sss]`), or a date (`YYYY-MM-DD`, the start of that day). Only
            real moments: the pattern checks the calendar, and the fake Toloka answers `400` to a
            date that does not exist.
             Example: 2022-12-01.
        last_started_gte (str | Unset): A moment to filter on: UTC date and time without an offset
            (`YYYY-MM-DDThh:mm:ss[.sss]`), or a date (`YYYY-MM-DD`, the start of that day). Only
            real moments: the pattern checks the calendar, and the fake Toloka answers `400` to a
            date that does not exist.
             Example: 2022-12-01.
        last_started_lt (str | Unset): A moment to filter on: UTC date and time without an offset
            (`YYYY-MM-DDThh:mm:ss[.sss]`), or a date (`YYYY-MM-DD`, the start of that day). Only
            real moments: the pattern checks the calendar, and the fake Toloka answers `400` to a
            date that does not exist.
             Example: 2022-12-01.
        last_started_lte (str | Unset): A moment to filter on: UTC date and time without an offset
            (`YYYY-MM-DDThh:mm:ss[.sss]`), or a date (`YYYY-MM-DD`, the start of that day). Only
            real moments: the pattern checks the calendar, and the fake Toloka answers `400` to a
            date that does not exist.
             Example: 2022-12-01.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Error | TrainingPage]
    """

    kwargs = _get_kwargs(
        status=status,
        project_id=project_id,
        sort=sort,
        limit=limit,
        id_gt=id_gt,
        id_gte=id_gte,
        id_lt=id_lt,
        id_lte=id_lte,
        created_gt=created_gt,
        created_gte=created_gte,
        created_lt=created_lt,
        created_lte=created_lte,
        last_started_gt=last_started_gt,
        last_started_gte=last_started_gte,
        last_started_lt=last_started_lt,
        last_started_lte=last_started_lte,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    status: KnownTrainingStatus | str | Unset = UNSET,
    project_id: str | Unset = UNSET,
    sort: str | Unset = UNSET,
    limit: int | Unset = 50,
    id_gt: str | Unset = UNSET,
    id_gte: str | Unset = UNSET,
    id_lt: str | Unset = UNSET,
    id_lte: str | Unset = UNSET,
    created_gt: str | Unset = UNSET,
    created_gte: str | Unset = UNSET,
    created_lt: str | Unset = UNSET,
    created_lte: str | Unset = UNSET,
    last_started_gt: str | Unset = UNSET,
    last_started_gte: str | Unset = UNSET,
    last_started_lt: str | Unset = UNSET,
    last_started_lte: str | Unset = UNSET,
) -> Error | TrainingPage | None:
    """Get list of trainings

     The requester's trainings (training pools, archived ones included), filtered and
    sorted, one page at a time. `project_id=<id>` lists one project's trainings.

    Without `sort` the items come in ascending order of `id`. To read the next page, ask
    again with `sort=id` and `id_gt=<the id of the last item>`; `has_more` is true when more
    items match than `limit` let through.

    Date filters take a UTC date and time, `YYYY-MM-DDThh:mm:ss[.sss]`, or a date
    (`YYYY-MM-DD`, the start of that day). A training that was never started has no
    `last_started` and matches no `last_started_*` filter.

    Args:
        status (KnownTrainingStatus | str | Unset): A documented training status, or a string that
            Toloka adds later.
        project_id (str | Unset):
        sort (str | Unset):
        limit (int | Unset):  Default: 50.
        id_gt (str | Unset): A pool or training ID to compare with (decimal digits). Example:
            32267581.
        id_gte (str | Unset): A pool or training ID to compare with (decimal digits). Example:
            32267581.
        id_lt (str | Unset): A pool or training ID to compare with (decimal digits). Example:
            32267581.
        id_lte (str | Unset): A pool or training ID to compare with (decimal digits). Example:
            32267581.
        created_gt (str | Unset): A moment to filter on: UTC date and time without an offset
            (`YYYY-MM-DDThh:mm:ss[.sss]`), or a date (`YYYY-MM-DD`, the start of that day). Only
            real moments: the pattern checks the calendar, and the fake Toloka answers `400` to a
            date that does not exist.
             Example: 2022-12-01.
        created_gte (str | Unset): A moment to filter on: UTC date and time without an offset
            (`YYYY-MM-DDThh:mm:ss[.sss]`), or a date (`YYYY-MM-DD`, the start of that day). Only
            real moments: the pattern checks the calendar, and the fake Toloka answers `400` to a
            date that does not exist.
             Example: 2022-12-01.
        created_lt (str | Unset): A moment to filter on: UTC date and time without an offset
            (`YYYY-MM-DDThh:mm:ss[.sss]`), or a date (`YYYY-MM-DD`, the start of that day). Only
            real moments: the pattern checks the calendar, and the fake Toloka answers `400` to a
            date that does not exist.
             Example: 2022-12-01.
        created_lte (str | Unset): A moment to filter on: UTC date and time without an offset
            (`YYYY-MM-DDThh:mm:ss[.sss]`), or a date (`YYYY-MM-DD`, the start of that day). Only
            real moments: the pattern checks the calendar, and the fake Toloka answers `400` to a
            date that does not exist.
             Example: 2022-12-01.
        last_started_gt (str | Unset): A moment to filter on: UTC date and time without an offset
            (`YYYY-MM-DDThh:mm:ss[.sss]`), or a date (`YYYY-MM-DD`, the start of that day). Only
            real moments: the pattern checks the calendar, and the fake Toloka answers `400` to a
            date that does not exist.
             Example: 2022-12-01.
        last_started_gte (str | Unset): A moment to filter on: UTC date and time without an offset
            (`YYYY-MM-DDThh:mm:ss[.sss]`), or a date (`YYYY-MM-DD`, the start of that day). Only
            real moments: the pattern checks the calendar, and the fake Toloka answers `400` to a
            date that does not exist.
             Example: 2022-12-01.
        last_started_lt (str | Unset): A moment to filter on: UTC date and time without an offset
            (`YYYY-MM-DDThh:mm:ss[.sss]`), or a date (`YYYY-MM-DD`, the start of that day). Only
            real moments: the pattern checks the calendar, and the fake Toloka answers `400` to a
            date that does not exist.
             Example: 2022-12-01.
        last_started_lte (str | Unset): A moment to filter on: UTC date and time without an offset
            (`YYYY-MM-DDThh:mm:ss[.sss]`), or a date (`YYYY-MM-DD`, the start of that day). Only
            real moments: the pattern checks the calendar, and the fake Toloka answers `400` to a
            date that does not exist.
             Example: 2022-12-01.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Error | TrainingPage
    """

    return (
        await asyncio_detailed(
            client=client,
            status=status,
            project_id=project_id,
            sort=sort,
            limit=limit,
            id_gt=id_gt,
            id_gte=id_gte,
            id_lt=id_lt,
            id_lte=id_lte,
            created_gt=created_gt,
            created_gte=created_gte,
            created_lt=created_lt,
            created_lte=created_lte,
            last_started_gt=last_started_gt,
            last_started_gte=last_started_gte,
            last_started_lt=last_started_lt,
            last_started_lte=last_started_lte,
        )
    ).parsed
