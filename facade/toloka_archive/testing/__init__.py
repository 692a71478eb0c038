"""A fake Toloka: a stateful emulator of the pool-archiving API, for tests with no network.

It answers ``POST /api/v1/pools/{id}/archive``, ``POST /api/v1/pools/{id}/close`` (closing,
for a user who asked for it), ``GET /api/v1/operations/{id}``, ``GET /api/v1/operations/{id}/log``
and ``GET /api/v1/operations`` (and the pre-flight reads ``GET /api/v1/pools/{id}`` and
``GET /api/v1/assignments``, which lists a pool's last rejection), for archiving by project
``GET /api/v1/pools`` (the requester's pools), ``GET /api/v1/projects/{id}`` and
``POST /api/v1/projects/{id}/archive``, and for trainings (training pools)
``GET /api/v1/trainings``, ``GET /api/v1/trainings/{id}`` and ``POST
/api/v1/trainings/{id}/close`` and ``/archive``, the way Toloka documents them:
202 with an operation that moves ``PENDING`` -> ``RUNNING`` -> ``SUCCESS``, 204 for an archived
pool (a closed one, to a close), 409s with Toloka's codes and payloads, 400/401/403/404, the
300-a-second rate limit (429 with ``Retry-After``), all with Toloka's error body
``{"request_id", "code", "message", "payload"?}``. It can also misbehave on purpose (`Fault`).
Other clients can use it too, toloka-kit included (see the keys below).

Using it in your own service's tests
------------------------------------

In-process, with a clock you move by hand (no sockets, no sleeping)::

    import datetime, httpx
    from toloka_archive.testing import FakeToloka, ManualClock

    clock = ManualClock(start=datetime.datetime(2026, 11, 1, 12, 0))
    fake = FakeToloka(clock=clock, seed=0)
    fake.add_requester("me", api_keys=["test-key"])
    fake.add_pool("21", owner="me", status="CLOSED", archive_seconds=3.0)

    client = httpx.Client(transport=fake.transport(sleep=clock.sleep),
                          base_url="http://fake.toloka/api/v1",
                          headers={"Authorization": "ApiKey test-key"})
    operation = client.post("/pools/21/archive").json()      # 202, PENDING
    clock.advance(3.0)
    client.get(f"/operations/{operation['id']}").json()      # SUCCESS, progress 100
    assert fake.pool("21").status == "ARCHIVED"

``fake.async_transport()`` does the same for ``httpx.AsyncClient``; either can be handed to the
generated client (``httpx_args={"transport": ...}``). Passing ``sleep=clock.sleep`` (or
``clock.async_sleep``) makes a ``slow`` fault advance the fake's clock instead of waiting.

With this package's own clients, give them the same clock, so that their pauses move the fake's
time and their budgets are measured on it (nothing waits in real time)::

    client = TolokaClient(api_key="test-key", base_url="https://fake.toloka.invalid/api/v1",
                          transport=fake.transport(), clock=clock)
    client.archive_pool("21", timeout=60)      # 60 s of the fake's time at most

Over real HTTP on loopback, e.g. for a client you do not control::

    with serve(fake, host="127.0.0.1", port=0) as server:
        httpx.post(f"{server.url}/pools/21/archive", headers=...)

The server closes a connection on which the client sends nothing for ``idle_timeout`` seconds
(``serve(..., idle_timeout=30.0)``, ``--idle-timeout``), between requests or in the middle of
one; answers 408 and closes when a request head has not arrived whole ``header_timeout``
seconds after its first byte (``serve(..., header_timeout=10.0)``, ``--header-timeout``), and
431 to a request head larger than 64 KiB. Out of file descriptors, it stops accepting for a
moment (new connections wait in the queue), serves the open ones, and logs one warning a burst.

in a process of its own (``with fake_process(scenario) as fake: ... fake.url``), or from a
shell: ``python -m toloka_archive.testing --port 8765 [--scenario FILE] [--seed N]``
prints ``listening on http://127.0.0.1:8765/api/v1`` and serves until SIGINT/SIGTERM.

Operations
----------

Every operation the fake starts is kept. ``GET /operations`` lists the requester's (those on
its own pools, trainings and projects) like Toloka: filters ``type``, ``status`` (as
``GET /operations/{id}`` would say now; an unknown value matches nothing),
``id_gt``/``_gte``/``_lt``/``_lte``,
``submitted_*`` and ``finished_*`` (a UTC date-time or a date; an unfinished operation matches
no ``finished_*``), ``sort`` (``id``, ``submitted``, ``finished``, comma-separated, ``-`` for
descending; ties by ascending id; default ascending id), ``limit`` (1..300, default 50) and
``has_more``. A bad ``limit``, ``sort`` key or date answers 400 ``VALIDATION_ERROR``. Operation
ids are opaque, 24 hex digits, and sort in the order the operations were made, so
``sort=id&id_gt=<last id>`` reads the next page. In a test, ``fake.operations(pool_id)`` gives
the same records directly (``training_id=`` or ``project_id=`` for those subjects; ``type=``
keeps one type), and ``fake.operation_counts(pool_id)`` counts them by type (a
`collections.Counter`)::

    assert len(fake.operations("21")) == 1    # exactly one archive, however many retries
    assert fake.operation_counts("21")["POOL.CLOSE"] == 0

Closing pools
-------------

``POST /pools/{id}/close`` on an ``OPEN`` pool answers 202 with a ``POOL.CLOSE`` operation that
runs like an archive (over the pool's ``close_seconds``, default 3.0); when it succeeds the pool
is ``CLOSED``, with ``last_stopped`` the moment it ended and ``last_close_reason`` ``MANUAL``. A
``CLOSED`` pool answers 204, as Toloka documents. The rest is assumed (openapi.yaml says so):
while any operation runs on the pool, a close or an archive, both requests answer 409
``POOL_LOCKED_BY_ANOTHER_OPERATION`` with ``payload.operation_id`` (for a close, before the 204:
a pool being archived is ``CLOSED`` but locked); an ``ARCHIVED`` or ``LOCKED`` pool answers 409
``INAPPROPRIATE_STATUS`` with ``payload.appropriate_statuses`` ``["OPEN"]``. The faults below
apply to it as to an archive; e.g. pool 500, whose close and whose archive both lose their 202
after the operation was made::

    fake.add_pool("500", status="OPEN", close_seconds=2.0, archive_seconds=4.0)
    fake.add_fault(Fault("drop_after_commit", pool="500", endpoint="close", first=1))
    fake.add_fault(Fault("drop_after_commit", pool="500", endpoint="archive", first=1))
    ...                                       # close, retry, archive, retry, as the code does
    counts = fake.operation_counts("500")
    assert (counts["POOL.CLOSE"], counts["POOL.ARCHIVE"]) == (1, 1)

Projects and the pool list
--------------------------

Every pool belongs to a project of the same requester: ``fake.add_project("7", owner="me",
public_name="Signs")``, then ``fake.add_pool("21", project_id="7", ...)``; a pool added without
``project_id`` goes to its owner's default project (ids from ``900000001`` up), so code written
before projects existed works unchanged. A pool also has ``private_name``, ``created``,
``last_started``, ``last_stopped`` and ``last_close_reason`` (what ``GET /pools/{id}`` and the
list show), and a status among ``OPEN``, ``CLOSED``, ``ARCHIVED`` and ``LOCKED`` (a locked pool
can be neither archived nor closed: 409 ``INAPPROPRIATE_STATUS``).

``GET /pools`` lists the requester's pools like Toloka: filters ``status``, ``project_id``,
``id_gt``/``_gte``/``_lt``/``_lte`` (ids compare as numbers), ``created_*`` and
``last_started_*`` (a pool never started matches no ``last_started_*``), ``sort`` (``id``,
``created``, ``last_started``, ``-`` for descending; ties by ascending id), ``limit`` (1..300,
default 50) and ``has_more``; a bad value answers 400 ``VALIDATION_ERROR``.

``POST /projects/{id}/archive`` starts a ``PROJECT.ARCHIVE`` operation (kept, listed, read like
any other) that ends with the project ``ARCHIVED``, but only once every pool and training of
the project is ``ARCHIVED``. Toloka documents nothing else, so the rest is assumed (openapi.yaml
says so): a pool or training not archived answers 409 ``UNARCHIVED_POOLS_CONFLICT``, an archive
already running 409
``CONFLICT_STATE``, an archived project 204. ``fake.project("7")`` gives the project as it is
now, and ``fake.operations(project_id="7")`` its archive operations.

Trainings
---------

``fake.add_training("41", project_id="7", ...)`` declares a training (a training pool) with the
fields a pool has (``status``, ``private_name``, the moments, ``last_close_reason``,
``archive_seconds``, ``close_seconds``, ``fail``, ``archive_refusal``); pools and trainings
share one space of ids. ``fake.add_pool("71", project_id="7", training_id="41")`` makes a pool
require it: the pool's JSON carries ``quality_control.training_requirement``
(``training_pool_id``, ``training_passing_skill_value`` 80). ``GET /trainings`` takes the
parameters of ``GET /pools``. ``POST /trainings/{id}/close`` and ``/archive`` answer as a
pool's do, with ``TRAINING.CLOSE`` and ``TRAINING.ARCHIVE`` operations
(``parameters.training_id``) and ``TRAINING_LOCKED_BY_ANOTHER_OPERATION`` while one runs; an
archive is also refused, 409 ``TRAINING_ARCHIVE_CONFLICT``, while a pool that requires the
training is not archived. A project is archived only once all its pools and trainings are
(else 409 ``UNARCHIVED_POOLS_CONFLICT``). ``fake.training("41")`` is a `TrainingState`.

What a real account holds
-------------------------

Closed for editing: a pool or training declared ``status="CLOSED",
last_close_reason="FOR_UPDATE"`` (``last_stopped`` defaults to now) is reopened by Toloka 15
minutes after it stopped: when the fake's clock passes that moment it reads ``OPEN``, with
``last_started`` that moment, unless it was archived meanwhile or an operation was running on it
then. Archiving it is allowed, as Toloka allows it.

Toloka's own refusals: ``archive_refusal="<CODE>"`` on a pool or training (one of
`ARCHIVE_REFUSALS`: ``THERE_IS_ACTIVE_ASSIGNMENT``, ``SUBMITTED_ASSIGNMENTS_CONFLICT``,
``PROJECT_INAPPROPRIATE_STATUS``, ``POOL_INAPPROPRIATE_STATUS``, ``CONFLICT_STATE``) makes every
archive request that passes the other checks (lock, 204, status, the 9-day rule) answer 409 with
that code and a Toloka-like message.

Faults
------

``fake.add_fault(Fault("internal_error", pool="21", endpoint="archive", first=2))`` answers the
first two archive requests for pool 21 with a 500. Kinds: ``operation_fail``, ``rate_limit``
(429 with ``Retry-After``), ``internal_error`` (500), ``unavailable`` (503), ``bad_gateway``
(502, HTML), ``disconnect`` (no answer at all), ``slow`` (a late answer). They are seeded: the
same scenario, seed and requests give the same answers, run after run.

A fault keeps to one subject with ``pool=``, ``training=`` or ``project=`` (the requests about
it, its operations' reads included), and to one endpoint with ``endpoint=`` (the pools'
``archive``, ``close``, ``pool``, ``pools``, ``assignments``; the trainings' ``training``,
``trainings``, ``training_archive``, ``training_close``; ``project``, ``project_archive``;
``operation``, ``log``, ``operations``); with neither, it may hit any request.

Toloka did the work but the answer was lost: these apply to the requests that start an
operation, for pools, trainings and projects alike (``endpoint="archive"``, ``"close"``,
``"training_archive"``, ``"training_close"`` or ``"project_archive"`` for one of them; no
endpoint for all), and are decided, like ``operation_fail``, when the request is about to start
its operation (so ``first=N`` counts those requests, and the operation is always started):

- ``drop_after_commit``: started, then the connection closes without an answer
  (in-process `httpx.RemoteProtocolError`; on a socket, closed without a byte);
- ``timeout_after_commit``: started, then no answer (in-process `httpx.ReadTimeout` at once;
  on a socket, silence until the client gives up or ``delay`` seconds pass, default 10.0,
  then the server closes the connection);
- ``truncated_202``: started, and a 202 whose JSON body is cut short (with a
  ``Content-Length`` that matches the bytes sent);
- ``invalid_json_202``: started, and a 202 whose body, labelled JSON, is not JSON;
- ``locked_by_other``: the fake itself starts the same operation a moment before the request
  does (as another client of the same requester would), so the request meets the usual 409
  (``POOL_LOCKED_BY_ANOTHER_OPERATION``, ``TRAINING_LOCKED_BY_ANOTHER_OPERATION``, a project's
  ``CONFLICT_STATE``) naming that operation.

``fake.requests`` records, for each request, its status (``None`` when nothing was answered),
the fault that decided the answer, its ``endpoint`` (e.g. ``"close"``) and the id in its path
(``ident``).

Scenarios
---------

A TOML file declares it all; ``Scenario.load(None)`` is the packaged default, which has a pool
for every behaviour and projects that look like a real requester's, one with trainings
(requester-1's keys: API key ``fake-api-key-0001``, and one of the shape of Toloka's real API
keys for toloka-kit, which sends only such keys as ``ApiKey``; OAuth token
``fake-oauth-token-0001``; the scenario's comments say which key suits which client). Fields
(the top of ``scenarios/default.toml`` says more):

- ``[settings]``: ``seed`` (int), ``rate_limit`` (int, or ``false`` for none; default 300),
  ``clock_start`` (UTC date-time the clock starts at; default: now);
- ``[[requesters]]``: ``name``, ``api_keys`` (list), ``oauth_tokens`` (list);
- ``[[projects]]``: ``id`` (digits), ``owner``, ``status`` (``ACTIVE``/``ARCHIVED``),
  ``public_name``, ``created`` or ``created_days_ago``, ``archive_seconds``, ``fail``;
- ``[[trainings]]``: ``id`` (digits, not a pool's), ``project_id``, ``owner``, ``status``,
  ``private_name``, ``created``, ``last_started``, ``last_stopped`` (or ``<name>_days_ago``),
  ``last_close_reason``, ``archive_seconds``, ``close_seconds``, ``fail``, ``archive_refusal``;
- ``[[pools]]``: ``id`` (digits), ``project_id`` (a project declared above; default: the
  owner's default project), ``owner`` (a requester; optional when the project is given or
  there is one), ``status`` (``OPEN``/``CLOSED``/``ARCHIVED``/``LOCKED``, default ``CLOSED``),
  ``private_name``, ``created``, ``last_started``, ``last_stopped`` and ``last_rejected`` (UTC
  date-times, or each as ``<name>_days_ago``), ``last_close_reason``, ``archive_seconds``
  (default 3.0), ``close_seconds`` (default 3.0), ``fail`` (bool; archives only),
  ``training_id`` (a training of the same project), ``archive_refusal``;
- ``[[pool_ranges]]``: ``first``, ``count`` and any pool field but ``id``: many pools at once;
- ``[[faults]]``: ``kind``, ``pool``, ``training`` or ``project``, ``endpoint`` (see Faults),
  ``first``, ``probability``, ``retry_after``, ``retry_after_ms``, ``delay`` (``slow``: how
  late; ``timeout_after_commit``: how long the server stays silent).

A scenario can also be made in Python from its parts (`RequesterSpec`, `ProjectSpec`,
`TrainingSpec`, `PoolSpec`, `Fault`, and the settings), and written out: ``scenario.dumps()`` is
TOML that ``Scenario.loads`` reads back to an equal scenario.

A mistake raises `ScenarioError` naming the file and the line or field path, e.g.
``my.toml: pools[2].status: unknown status 'CLOSSED'; choose OPEN, CLOSED, ARCHIVED or LOCKED``.

Time and formats: timestamps are UTC, ISO 8601, without an offset, with milliseconds
(``2026-11-01T12:00:03.250``). State is computed from the clock when it is read, so there are
no background threads; the fake never echoes the ``Authorization`` header anywhere.

Layout (for those reading the code; the names above are the public API): from the bottom up,
``_world`` is the simulated world with no HTTP (state, lists, clock, seeded values, checks,
credentials, rate limit); ``_carriers`` takes requests in and answers out (the `Reply`, the
in-process transports, the loopback server, the child process); ``_api`` is Toloka's API over
the world (routing, faults, endpoints); on top, ``_fake`` (`FakeToloka`), ``_scenario`` and
``__main__``. Each layer imports only those below it.
"""

from toloka_archive.testing._api.app import BASE_PATH, RecordedRequest
from toloka_archive.testing._api.faults import FAULT_KINDS, Fault, FaultKind
from toloka_archive.testing._carriers.process import FakeProcess, fake_process
from toloka_archive.testing._carriers.server import FakeServer
from toloka_archive.testing._carriers.transport import AsyncFakeTransport, FakeTransport
from toloka_archive.testing._carriers.wire import Reply
from toloka_archive.testing._fake import FakeToloka, serve
from toloka_archive.testing._scenario import (
    PoolSpec,
    ProjectSpec,
    RequesterSpec,
    Scenario,
    ScenarioError,
    TrainingSpec,
)
from toloka_archive.testing._world.clock import Clock, ManualClock, SystemClock
from toloka_archive.testing._world.state import (
    ARCHIVE_REFUSALS,
    OperationState,
    PoolState,
    ProjectState,
    SubjectState,
    TrainingState,
)

__all__ = [
    "ARCHIVE_REFUSALS",
    "BASE_PATH",
    "FAULT_KINDS",
    "AsyncFakeTransport",
    "Clock",
    "FakeProcess",
    "FakeServer",
    "FakeToloka",
    "FakeTransport",
    "Fault",
    "FaultKind",
    "ManualClock",
    "OperationState",
    "PoolSpec",
    "PoolState",
    "ProjectSpec",
    "ProjectState",
    "RecordedRequest",
    "Reply",
    "RequesterSpec",
    "Scenario",
    "ScenarioError",
    "SubjectState",
    "SystemClock",
    "TrainingSpec",
    "TrainingState",
    "fake_process",
    "serve",
]
