"""A scripted session against the default scenario that meets every behaviour and fault.

Used to check that the fake answers the same bytes run after run, and the same through every
carrier (sync transport, async transport, loopback server).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

import httpx
from toloka_archive.testing import FakeToloka, ManualClock, Scenario

KEY = {"Authorization": "ApiKey fake-api-key-0001"}
OAUTH = {"Authorization": "OAuth fake-oauth-token-0001"}
NOBODY: dict[str, str] = {}

# (method, path, headers, seconds to advance the clock afterwards). "{op:N}" is replaced by the
# id of the operation started by request N of the script.
STEPS: list[tuple[str, str, dict[str, str], float]] = [
    ("POST", "/pools/100/archive", KEY, 0.1),  # 0: 202
    ("GET", "/operations/{op:0}", KEY, 0.5),  # PENDING
    ("GET", "/operations/{op:0}", KEY, 0.0),  # RUNNING
    ("POST", "/pools/100/archive", KEY, 1.5),  # 409 locked
    ("GET", "/operations/{op:0}", OAUTH, 1.0),  # SUCCESS
    ("GET", "/operations/{op:0}/log", KEY, 0.0),  # []
    ("POST", "/pools/100/archive", KEY, 0.0),  # 204
    ("POST", "/pools/101/archive", KEY, 0.0),  # 204
    ("POST", "/pools/102/archive", KEY, 0.0),  # 409 INAPPROPRIATE_STATUS
    ("POST", "/pools/103/archive", KEY, 0.0),  # 409 THERE_IS_REJECTED_ASSIGNMENT
    ("POST", "/pools/104/archive", KEY, 3.0),  # 10: 202, will FAIL
    ("GET", "/operations/{op:10}", KEY, 0.0),  # FAIL
    ("GET", "/operations/{op:10}/log", KEY, 0.0),  # one item
    ("POST", "/pools/200/archive", KEY, 0.0),  # 403
    ("POST", "/pools/999/archive", KEY, 0.0),  # 404
    ("POST", "/pools/abc/archive", KEY, 0.0),  # 400
    ("POST", "/pools/105/archive", NOBODY, 0.0),  # 401
    ("GET", "/operations/unknown", KEY, 0.0),  # 404
    ("GET", "/nowhere", KEY, 0.0),  # 404
    ("DELETE", "/pools/105/archive", KEY, 0.0),  # 405
    ("POST", "/pools/110/archive", KEY, 0.0),  # 500 (fault), then:
    ("POST", "/pools/110/archive", KEY, 0.0),  # 202
    ("POST", "/pools/111/archive", KEY, 0.0),  # 429 with Retry-After (fault)
    ("POST", "/pools/112/archive", KEY, 0.0),  # 503 (fault)
    ("POST", "/pools/113/archive", KEY, 0.0),  # 502 HTML (fault)
    ("POST", "/pools/114/archive", KEY, 0.0),  # disconnect (fault)
    ("POST", "/pools/114/archive", KEY, 0.0),  # 202
    ("POST", "/pools/115/archive", KEY, 0.0),  # slow 202 (fault)
    ("POST", "/pools/116/archive", KEY, 2.0),  # 28: 202, FAIL by fault
    ("GET", "/operations/{op:28}", KEY, 0.0),  # FAIL
    ("GET", "/pools/103", KEY, 0.0),  # 200
    ("GET", "/assignments?pool_id=103&status=REJECTED&sort=-rejected&limit=1", KEY, 0.0),
    ("POST", "/pools/117/archive", KEY, 0.0),  # started, then disconnect (fault)
    ("POST", "/pools/117/archive", KEY, 0.0),  # 409 locked by the operation it started
    ("POST", "/pools/119/archive", KEY, 0.0),  # started, a 202 cut short (fault)
    ("POST", "/pools/120/archive", KEY, 0.0),  # started, a 202 that is not JSON (fault)
    ("POST", "/pools/121/archive", KEY, 0.0),  # 409: another client started it (fault)
    ("GET", "/operations?type=POOL.ARCHIVE&sort=-submitted,id&limit=4", KEY, 0.0),  # 200
    ("GET", "/operations?status=PENDING&submitted_gte=2026-01-01", OAUTH, 0.0),  # 200
    ("GET", "/operations?limit=501", KEY, 0.0),  # 400
    # Archiving by project: the pool list, a project, its archive.
    ("GET", "/pools?project_id=1002&sort=-last_started,id&limit=3", KEY, 0.0),  # 200, has_more
    ("GET", "/pools?status=LOCKED", OAUTH, 0.0),  # 200
    ("GET", "/pools?limit=301", KEY, 0.0),  # 400
    ("GET", "/projects/1002", KEY, 0.0),  # 200
    ("GET", "/projects/2001", KEY, 0.0),  # 403
    ("POST", "/projects/1003/archive", KEY, 0.0),  # 409 UNARCHIVED_POOLS_CONFLICT
    ("POST", "/pools/311/archive", KEY, 0.0),  # 202
    ("POST", "/pools/312/archive", KEY, 1.0),  # 202
    ("POST", "/projects/1003/archive", KEY, 0.0),  # 48: 202 PROJECT.ARCHIVE
    ("POST", "/projects/1003/archive", KEY, 0.5),  # 409 CONFLICT_STATE
    ("GET", "/operations/{op:48}", KEY, 0.5),  # RUNNING
    ("GET", "/operations/{op:48}", KEY, 0.0),  # SUCCESS
    ("POST", "/projects/1003/archive", KEY, 0.0),  # 204
    ("GET", "/operations?type=PROJECT.ARCHIVE", KEY, 0.0),  # 200
    # Trainings, a pool closed for editing, Toloka's own refusal.
    ("GET", "/trainings?project_id=1004&sort=-created", KEY, 0.0),  # 54: 200
    ("GET", "/pools/411", OAUTH, 0.0),  # 200, quality_control
    ("POST", "/trainings/401/archive", KEY, 0.0),  # 409 TRAINING_ARCHIVE_CONFLICT
    ("POST", "/pools/411/archive", KEY, 0.0),  # 202
    ("POST", "/pools/412/archive", KEY, 1.0),  # 202
    ("POST", "/trainings/401/archive", KEY, 0.0),  # 59: 202 TRAINING.ARCHIVE
    ("POST", "/trainings/401/archive", KEY, 1.0),  # 409 TRAINING_LOCKED_BY_ANOTHER_OPERATION
    ("GET", "/operations/{op:59}", KEY, 0.0),  # SUCCESS
    ("POST", "/trainings/402/archive", KEY, 0.0),  # 409 INAPPROPRIATE_STATUS
    ("POST", "/trainings/402/close", KEY, 1.0),  # 202 TRAINING.CLOSE
    ("POST", "/trainings/402/close", KEY, 0.0),  # 204
    ("POST", "/projects/1004/archive", KEY, 0.0),  # 409 UNARCHIVED_POOLS_CONFLICT
    ("POST", "/pools/502/archive", KEY, 0.0),  # 409 THERE_IS_ACTIVE_ASSIGNMENT
    ("GET", "/pools/501", KEY, 900.0),  # CLOSED, FOR_UPDATE; then 15 minutes pass
    ("GET", "/pools?project_id=1005&status=OPEN", KEY, 0.0),  # 501, reopened
    ("GET", "/operations?type=TRAINING.ARCHIVE", KEY, 0.0),  # 200
]

Answer = tuple[int, tuple[tuple[str, str], ...], bytes] | str
DISCONNECTED = "disconnected"


def fresh_fake() -> tuple[FakeToloka, ManualClock]:
    clock = ManualClock()
    return FakeToloka.from_scenario(Scenario.load(None), clock=clock), clock


def _path(template: str, answers: list[Answer]) -> str:
    if "{op:" not in template:
        return template
    head, _, rest = template.partition("{op:")
    index, _, tail = rest.partition("}")
    answer = answers[int(index)]
    assert not isinstance(answer, str)
    operation_id = httpx.Response(200, content=answer[2]).json()["id"]
    return f"{head}{operation_id}{tail}"


def _answer(response: httpx.Response) -> Answer:
    return (response.status_code, tuple(response.headers.multi_items()), response.content)


def run_sync(client: httpx.Client, advance: Callable[[float], None]) -> list[Answer]:
    answers: list[Answer] = []
    for method, template, headers, seconds in STEPS:
        try:
            response = client.request(method, _path(template, answers), headers=headers)
        except httpx.RemoteProtocolError:
            answers.append(DISCONNECTED)
        else:
            answers.append(_answer(response))
        advance(seconds)
    return answers


async def run_async(
    client: httpx.AsyncClient, advance: Callable[[float], Awaitable[None]]
) -> list[Answer]:
    answers: list[Answer] = []
    for method, template, headers, seconds in STEPS:
        try:
            response = await client.request(method, _path(template, answers), headers=headers)
        except httpx.RemoteProtocolError:
            answers.append(DISCONNECTED)
        else:
            answers.append(_answer(response))
        await advance(seconds)
    return answers
