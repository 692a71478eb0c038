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

    script = Script([started()])
    sync_client(script, FakeClock()).start_archive_pool(pool_id)
    assert script.requests == [f"POST /api/v1/pools/{path}/archive"]


@pytest.mark.parametrize("operation_id", ["", " ", "a b", "a\nb", "a\x00b", None, 5, ".", ".."])
def test_bad_operation_ids_are_refused(operation_id: object) -> None:
    script = Script([])
    with pytest.raises(InvalidOperationIdError):
        sync_client(script, FakeClock()).get_operation(operation_id)  # type: ignore[arg-type]
    assert script.requests == []


def test_operation_id_is_quoted_into_one_path_segment() -> None:
    from tests.facade.scripted import polled

    script = Script([polled("RUNNING")])
    sync_client(script, FakeClock()).get_operation("../pools/5")
    assert script.requests == ["GET /api/v1/operations/..%2Fpools%2F5"]
