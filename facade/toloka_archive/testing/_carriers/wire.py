"""What the fake sends: the reply type shared by every way of reaching it, and its bodies
(Toloka's JSON and error body, a proxy's HTML pages, and the spoiled ``202`` of lost answers).

A `Reply` is plain data (status, headers, body) plus instructions that only the carrier can
carry out: wait ``delay`` seconds before answering, ``disconnect`` without answering at all, or
keep ``silence`` (answer nothing, as a server that has hung: in-process the transport raises
`httpx.ReadTimeout`; on a socket the server says nothing for that many seconds, or until the
client gives up, then closes). The in-process transports and the loopback server both turn a
`Reply` into bytes on their own medium, which is what makes the fake behave the same however
it is reached.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Mapping
from typing import Any

JSON_CONTENT_TYPE = "application/json"


@dataclasses.dataclass(frozen=True, slots=True)
class Reply:
    status: int
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    delay: float = 0.0
    disconnect: bool = False
    silence: float | None = None

    def delayed(self, seconds: float) -> Reply:
        return self if seconds <= 0 else dataclasses.replace(self, delay=self.delay + seconds)

    @property
    def answered(self) -> bool:
        """False when the client gets no response at all (a hang-up or silence)."""
        return not self.disconnect and self.silence is None


DISCONNECT = Reply(status=0, disconnect=True)


def silent(seconds: float) -> Reply:
    """No answer: the server keeps quiet for ``seconds`` (or until the client gives up)."""
    return Reply(status=0, silence=seconds)


Handler = Callable[[str, str, str, Mapping[str, str]], Reply]
"""The core's signature: (method, raw path, raw query, lower-cased headers) -> Reply."""


def json_reply(status: int, data: Any, extra_headers: tuple[tuple[str, str], ...] = ()) -> Reply:
    # Compact, in insertion order: the same state always gives the same bytes.
    body = json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode()
    headers = (
        ("content-type", JSON_CONTENT_TYPE),
        ("content-length", str(len(body))),
        *extra_headers,
    )
    return Reply(status=status, headers=headers, body=body)


def error_reply(
    status: int,
    request_id: str,
    code: str,
    message: str,
    payload: dict[str, Any] | None = None,
    extra_headers: tuple[tuple[str, str], ...] = (),
) -> Reply:
    """Toloka's error body: ``request_id``, ``code``, ``message`` and ``payload`` if any."""
    data: dict[str, Any] = {"request_id": request_id, "code": code, "message": message}
    if payload is not None:
        data["payload"] = payload
    return json_reply(status, data, extra_headers)


def no_content() -> Reply:
    # 204 carries no body and so no content-length or content-type.
    return Reply(status=204)


BAD_GATEWAY_HTML = (
    b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    b"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n"
    b"</body>\r\n</html>\r\n"
)


def bad_gateway() -> Reply:
    """What a proxy in front of Toloka answers when Toloka is gone: HTML, not Toloka's JSON."""
    return Reply(
        status=502,
        headers=(
            ("content-type", "text/html"),
            ("content-length", str(len(BAD_GATEWAY_HTML))),
        ),
        body=BAD_GATEWAY_HTML,
    )


PAGE_NOT_FOUND_HTML = (
    b"<html><head><title>404 Not Found</title></head><body>Not Found</body></html>"
)


def page_not_found() -> Reply:
    """A path outside ``/api/v1`` reaches the web site in front of the API, not the API: an HTML
    404, as a client given a host root instead of an API root would meet it."""
    return Reply(
        status=404,
        headers=(
            ("content-type", "text/html"),
            ("content-length", str(len(PAGE_NOT_FOUND_HTML))),
        ),
        body=PAGE_NOT_FOUND_HTML,
    )


NOT_JSON_BODY = b"<html><body><h1>202 Accepted</h1></body></html>\r\n"


def truncated(reply: Reply) -> Reply:
    """The reply with its body cut in half (at least one byte short), and a ``Content-Length``
    that matches what is sent: readable HTTP, a body that cannot be parsed."""
    body = reply.body[: len(reply.body) // 2]
    return _with_body(reply, body)


def not_json(reply: Reply) -> Reply:
    """The reply, still labelled ``application/json``, with a body that is not JSON."""
    return _with_body(reply, NOT_JSON_BODY)


def _with_body(reply: Reply, body: bytes) -> Reply:
    headers = tuple(
        (name, str(len(body)) if name == "content-length" else value)
        for name, value in reply.headers
    )
    return dataclasses.replace(reply, headers=headers, body=body)
