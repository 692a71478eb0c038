"""Answers that contradict the request, or could not come from Toloka, are never a success."""

from __future__ import annotations

import asyncio
import gzip
import socket
import threading
from collections.abc import Iterator

import httpx
import pytest
from toloka_archive import (
    APIConnectionError,
    AsyncTolokaClient,
    InternalServerError,
    NotFoundError,
    NotTolokaAPIError,
    RunEndingError,
    TolokaClient,
    UnexpectedResponseError,
)
from toloka_archive._wire.response import MAX_BODY_BYTES

from tests.facade.scripted import (
    API_KEY,
    FakeClock,
    Script,
    async_client,
    draws,
    error,
    operation,
    polled,
    started,
    sync_client,
)


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        (started(pool_id="22"), "an operation for pool '22' instead of '21'"),
        (started(type="POOL.CLOSE"), "a POOL.CLOSE operation instead of POOL.ARCHIVE"),
        (started(parameters={}), "an operation for pool None instead of '21'"),
        (started(progress=250), "progress 250 outside 0-100"),
        (started(progress=-1), "progress -1 outside 0-100"),
        (started(op_id="x" * 70_000), "an operation id that cannot be used in a URL"),
        (started(op_id="../pools/5"), "an operation id that cannot be used in a URL"),
    ],
    ids=["other pool", "other type", "no pool", "progress 250", "progress -1", "huge id", "path"],
)
def test_a_202_that_contradicts_the_request_is_unexpected(
    answer: httpx.Response, reason: str
) -> None:
    script = Script([answer])
    with pytest.raises(UnexpectedResponseError, match=reason.replace("(", r"\(")):
        sync_client(script, FakeClock()).start_archive_pool("21")
    assert len(script.requests) == 1  # and nothing was polled with that id


def test_a_poll_that_returns_another_operation_is_unexpected() -> None:
    script = Script([started(), polled("SUCCESS", op_id="op-2")])
    with pytest.raises(UnexpectedResponseError, match="operation 'op-2' instead of 'op-1'"):
        sync_client(script, FakeClock()).archive_pool("21")


def test_a_poll_with_progress_out_of_range_is_unexpected() -> None:
    script = Script([started(), polled("RUNNING", progress=101)])
    with pytest.raises(UnexpectedResponseError, match="progress 101"):
        sync_client(script, FakeClock()).archive_pool("21")


def test_the_pool_id_is_compared_as_a_number() -> None:
    script = Script([started(pool_id="7")])
    handle = sync_client(script, FakeClock()).start_archive_pool("007")
    assert handle.operation_id == "op-1"


def nested(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


@pytest.mark.parametrize("status", [200, 500])
def test_deeply_nested_json_is_an_unreadable_answer_not_a_recursion_error(status: int) -> None:
    script = Script([httpx.Response(status, content=nested(100_000))])
    client = sync_client(script, FakeClock(), max_retries=0)
    expected = InternalServerError if status == 500 else UnexpectedResponseError
    with pytest.raises(expected) as caught:
        client.get_operation("op-1")
    assert "nested too deeply" in str(caught.value) or status == 500


class CountingStream(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A body of ``total`` bytes in 64 KiB chunks, counting how much was read."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.read = 0

    def _chunks(self) -> Iterator[bytes]:
        while self.read < self.total:
            chunk = b" " * min(65_536, self.total - self.read)
            self.read += len(chunk)
            yield chunk

    def __iter__(self) -> Iterator[bytes]:
        return self._chunks()

    async def __aiter__(self):  # type: ignore[no-untyped-def]
        for chunk in self._chunks():
            yield chunk


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "chunked"])
def test_a_huge_body_is_refused_without_reading_it_all(declared: bool) -> None:
    body = CountingStream(100 * 1024 * 1024)
    headers = {"content-length": str(body.total)} if declared else {}
    script = Script([lambda _request: httpx.Response(200, headers=headers, stream=body)])
    with pytest.raises(UnexpectedResponseError, match=f"larger than {MAX_BODY_BYTES} bytes"):
        sync_client(script, FakeClock()).get_operation("op-1")
    assert body.read <= MAX_BODY_BYTES + 65_536


def test_a_huge_body_is_refused_without_reading_it_all_async() -> None:
    body = CountingStream(100 * 1024 * 1024)
    script = Script([lambda _request: httpx.Response(200, stream=body)])
    client = async_client(script, FakeClock())
    with pytest.raises(UnexpectedResponseError, match="larger than"):
        asyncio.run(client.get_operation("op-1"))
    assert body.read <= MAX_BODY_BYTES + 65_536


class LyingNoContentServer:
    """A loopback server whose 204 claims a 100 MiB body and then sends it: one connection.

    A 204 is read the ordinary way, without the capped streaming path, because HTTP gives it no
    body; this server checks that the connection layer really reads none, whatever it is sent.
    """

    CLAIMED = 100 * 1024 * 1024

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.sent = 0
        self.thread = threading.Thread(target=self._answer_once, daemon=True)
        self.thread.start()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.listener.getsockname()[1]}/api/v1"

    def _answer_once(self) -> None:
        connection, _ = self.listener.accept()
        with connection:
            request = b""
            while b"\r\n\r\n" not in request:
                request += connection.recv(65_536)
            connection.sendall(
                f"HTTP/1.1 204 No Content\r\nContent-Length: {self.CLAIMED}\r\n\r\n".encode()
            )
            try:
                for _ in range(self.CLAIMED // 65_536):
                    connection.sendall(b" " * 65_536)
                    self.sent += 65_536
            except OSError:
                pass  # the client closed the connection without reading the "body": as it should

    def close(self) -> None:
        self.listener.close()
        self.thread.join(timeout=10)
        assert not self.thread.is_alive()


@pytest.fixture
def lying_server() -> Iterator[LyingNoContentServer]:
    server = LyingNoContentServer()
    yield server
    server.close()


def test_a_204_that_claims_a_huge_body_is_already_archived_and_reads_none(
    lying_server: LyingNoContentServer,
) -> None:
    with TolokaClient(api_key=API_KEY, base_url=lying_server.base_url, env={}) as client:
        assert client.start_archive_pool("21").already_done
    assert lying_server.sent < LyingNoContentServer.CLAIMED


def test_a_204_that_claims_a_huge_body_reads_none_async(
    lying_server: LyingNoContentServer,
) -> None:
    async def start() -> bool:
        async with AsyncTolokaClient(
            api_key=API_KEY, base_url=lying_server.base_url, env={}
        ) as client:
            return (await client.start_archive_pool("21")).already_done

    assert asyncio.run(start())
    assert lying_server.sent < LyingNoContentServer.CLAIMED


def test_a_compressed_body_is_capped_once_decoded() -> None:
    bomb = gzip.compress(b" " * (MAX_BODY_BYTES + 10))
    script = Script([httpx.Response(200, headers={"content-encoding": "gzip"}, content=bomb)])
    with pytest.raises(UnexpectedResponseError, match="larger than"):
        sync_client(script, FakeClock()).get_operation("op-1")


def test_a_small_compressed_body_reads_as_usual() -> None:
    import json

    body = gzip.compress(json.dumps(operation()).encode())
    script = Script([httpx.Response(202, headers={"content-encoding": "gzip"}, content=body)])
    assert sync_client(script, FakeClock()).start_archive_pool("21").operation_id == "op-1"


def test_a_404_without_tolokas_error_body_means_the_base_url_is_wrong() -> None:
    script = Script([httpx.Response(404, text="<html>Not Found</html>")])
    with pytest.raises(NotTolokaAPIError, match="check the base URL") as caught:
        sync_client(script, FakeClock()).start_archive_pool("21")
    assert isinstance(caught.value, NotFoundError)
    assert isinstance(caught.value, RunEndingError)


def test_tolokas_own_404_is_a_missing_pool() -> None:
    script = Script([error(404, "DOES_NOT_EXIST", "Pool not found")])
    with pytest.raises(NotFoundError) as caught:
        sync_client(script, FakeClock()).start_archive_pool("21")
    assert not isinstance(caught.value, NotTolokaAPIError)


def chain(exception: BaseException) -> Iterator[BaseException]:
    seen: set[int] = set()
    current: BaseException | None = exception
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


@pytest.mark.parametrize(
    "failure",
    [httpx.ConnectError("refused"), httpx.ReadTimeout("slow"), httpx.RemoteProtocolError("cut")],
    ids=["refused", "timeout", "dropped"],
)
def test_no_exception_in_the_chain_holds_the_request_and_its_key(
    failure: httpx.TransportError,
) -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        assert request.headers["authorization"] == f"ApiKey {API_KEY}"
        raise type(failure)(str(failure), request=request)

    client = sync_client(Script([handler, handler]), FakeClock(), max_retries=1, random=draws())
    with pytest.raises(APIConnectionError) as caught:
        client.get_operation("op-1")
    for link in chain(caught.value):
        for value in vars(link).values():
            assert API_KEY not in repr(value)
        request = getattr(link, "_request", None)
        assert request is None, f"{type(link).__name__} keeps the request"


def test_an_excerpt_reads_only_a_fixed_prefix_of_a_huge_hostile_body() -> None:
    """A 5 MB wrong-shape JSON list (what a proxy or a hostile server may send) is never read
    whole: the excerpt looks at ``EXCERPT_SCAN_BYTES`` at most, so its work does not grow with
    the body (the phrase rule's regular expression grew with its square)."""
    from toloka_archive._core.errors import EXCERPT_SCAN_BYTES, excerpt

    looked_at: list[object] = []

    class Watched(bytes):
        def __getitem__(self, key: object) -> bytes:  # type: ignore[override]
            looked_at.append(key)
            return bytes.__getitem__(self, key)  # type: ignore[index]

        def decode(self, *args: object, **kwargs: object) -> str:  # type: ignore[override]
            raise AssertionError("the whole body was decoded")

    body = Watched(("[" + ",".join(str(i) for i in range(900_000)) + "]").encode())
    assert len(body) > 5_000_000
    shown = excerpt(body)
    assert looked_at == [slice(None, EXCERPT_SCAN_BYTES, None)]
    assert shown.startswith("[0,1,2,3,")
    assert len(shown) <= 200
