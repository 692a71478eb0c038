"""Ids are checked before any request, so no input can change the request path."""

from __future__ import annotations

import pytest
from toloka_archive import InvalidOperationIdError, InvalidPoolIdError, TolokaError

from tests.facade.scripted import FakeClock, Script, sync_client


@pytest.mark.parametrize(
    "pool_id",
    [
        "",
        "1/../../projects/5",
        "1?x=1",
        "1#x",
        " 1",
        "1 ",
        "12 34",
        "١٢",
        "²",
        "-1",
        -1,
        True,
        False,
        1.0,
        None,
        b"12",
        "0x10",
        "1e3",
        "+1",
    ],
)
def test_bad_pool_ids_are_refused_before_any_request(pool_id: object) -> None:
    script = Script([])  # any request would fail the test
    client = sync_client(script, FakeClock())
    with pytest.raises(InvalidPoolIdError) as caught:
        client.start_archive_pool(pool_id)  # type: ignore[arg-type]
    assert isinstance(caught.value, ValueError)
    assert isinstance(caught.value, TolokaError)
    assert script.requests == []


@pytest.mark.parametrize(("pool_id", "path"), [("21", "21"), (21, "21"), (0, "0"), ("007", "007")])
def test_good_pool_ids(pool_id: str | int, path: str) -> None:
    from tests.facade.scripted import started

    script = Script([started(pool_id=str(int(path)))])
    sync_client(script, FakeClock()).start_archive_pool(pool_id)
    assert script.requests == [f"POST /api/v1/pools/{path}/archive"]


@pytest.mark.parametrize(
    "operation_id",
    [
        *["", " ", "a b", "a\nb", "a\x00b", None, 5, ".", "..", "../pools/5", "a/b", "a?b"],
        *["a#b", "a%2F", "x" * 129, "x" * 70_000],
    ],
)
def test_bad_operation_ids_are_refused(operation_id: object) -> None:
    script = Script([])
    with pytest.raises(InvalidOperationIdError):
        sync_client(script, FakeClock()).get_operation(operation_id)  # type: ignore[arg-type]
    assert script.requests == []


def test_operation_ids_of_the_shapes_toloka_uses_are_accepted() -> None:
    from tests.facade.scripted import polled

    for operation_id in ("57068577e4b0bf7b07a0256f", "daefed99-fe98-4736-bf84-cac9ce206539"):
        script = Script([polled("RUNNING", op_id=operation_id)])
        sync_client(script, FakeClock()).get_operation(operation_id)
        assert script.requests == [f"GET /api/v1/operations/{operation_id}"]


def test_pool_ids_longer_than_any_pool_are_refused_without_a_traceback_of_their_own() -> None:
    for pool_id in ("1" * 5000, 10**5000, 2**64):
        with pytest.raises(InvalidPoolIdError, match="too l"):
            sync_client(Script([]), FakeClock()).start_archive_pool(pool_id)  # type: ignore[arg-type]
