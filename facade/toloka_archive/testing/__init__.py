"""A fake Toloka: a stateful emulator of the pool-archiving API, for tests with no network.

It answers ``POST /api/v1/pools/{id}/archive``, ``GET /api/v1/operations/{id}`` and
``GET /api/v1/operations/{id}/log`` (and the pre-flight reads ``GET /api/v1/pools/{id}`` and
``GET /api/v1/assignments``, which lists a pool's last rejection) the way Toloka documents them:
202 with an operation that moves ``PENDING`` -> ``RUNNING`` -> ``SUCCESS``, 204 for an archived
pool, 409s with Toloka's codes and payloads, 400/401/403/404, the 300-a-second rate limit, all
with Toloka's error body ``{"request_id", "code", "message", "payload"?}``. It can also misbehave
on purpose (`Fault`).

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

Over real HTTP on loopback, e.g. for a client you do not control::

    with serve(fake, host="127.0.0.1", port=0) as server:
        httpx.post(f"{server.url}/pools/21/archive", headers=...)

in a process of its own (``with fake_process(scenario) as fake: ... fake.url``), or from a
shell: ``python -m toloka_archive.testing --port 8765 [--scenario FILE] [--seed N]``
prints ``listening on http://127.0.0.1:8765/api/v1`` and serves until SIGINT/SIGTERM.

Faults
------

``fake.add_fault(Fault("internal_error", pool="21", endpoint="archive", first=2))`` answers the
first two archive requests for pool 21 with a 500. Kinds: ``operation_fail``, ``rate_limit``
(429 with ``Retry-After``), ``internal_error`` (500), ``unavailable`` (503), ``bad_gateway``
(502, HTML), ``disconnect`` (no answer at all), ``slow`` (a late answer). They are seeded: the
same scenario, seed and requests give the same answers, run after run.

Scenarios
---------

A TOML file declares it all; ``Scenario.load(None)`` is the packaged default, which has a pool
for every behaviour (its API key is ``fake-api-key-0001``, its OAuth token
``fake-oauth-token-0001``). Fields (the top of ``scenarios/default.toml`` says more):

- ``[settings]``: ``seed`` (int), ``rate_limit`` (int, or ``false`` for none; default 300),
  ``clock_start`` (UTC date-time the clock starts at; default: now);
- ``[[requesters]]``: ``name``, ``api_keys`` (list), ``oauth_tokens`` (list);
- ``[[pools]]``: ``id`` (digits), ``owner`` (a requester; optional when there is one),
  ``status`` (``OPEN``/``CLOSED``/``ARCHIVED``, default ``CLOSED``), ``last_rejected`` (UTC
  date-time) or ``last_rejected_days_ago`` (number), ``archive_seconds`` (default 3.0),
  ``fail`` (bool);
- ``[[pool_ranges]]``: ``first``, ``count`` and any pool field but ``id``: many pools at once;
- ``[[faults]]``: ``kind``, ``pool``, ``endpoint`` (``archive``/``operation``/``log``/
  ``pool``/``assignments``),
  ``first``, ``probability``, ``retry_after``, ``retry_after_ms``, ``delay``.

A mistake raises `ScenarioError` naming the file and the line or field path, e.g.
``my.toml: pools[2].status: unknown status 'CLOSSED'; choose OPEN, CLOSED or ARCHIVED``.

Time and formats: timestamps are UTC, ISO 8601, without an offset, with milliseconds
(``2026-11-01T12:00:03.250``). State is computed from the clock when it is read, so there are
no background threads; the fake never echoes the ``Authorization`` header anywhere.
"""

from toloka_archive.testing._app import BASE_PATH, RecordedRequest
from toloka_archive.testing._clock import Clock, ManualClock, SystemClock
from toloka_archive.testing._fake import FakeToloka, serve
from toloka_archive.testing._faults import FAULT_KINDS, Fault, FaultKind
from toloka_archive.testing._process import FakeProcess, fake_process
from toloka_archive.testing._scenario import PoolSpec, RequesterSpec, Scenario, ScenarioError
from toloka_archive.testing._server import FakeServer
from toloka_archive.testing._state import OperationState, PoolState
from toloka_archive.testing._transport import AsyncFakeTransport, FakeTransport
from toloka_archive.testing._wire import Reply

__all__ = [
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
    "RecordedRequest",
    "Reply",
    "RequesterSpec",
    "Scenario",
    "ScenarioError",
    "SystemClock",
    "fake_process",
    "serve",
]
