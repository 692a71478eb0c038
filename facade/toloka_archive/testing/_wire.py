"""What the fake sends: the reply type shared by every way of reaching it, and Toloka's formats.

A `Reply` is plain data (status, headers, body) plus two instructions that only the carrier can
carry out: wait ``delay`` seconds before answering, or ``disconnect`` without answering at all.
The in-process transports and the loopback server both turn a `Reply` into bytes on their own
medium, which is what makes the fake behave the same however it is reached.
"""

from __future__ import annotations

import dataclasses
import datetime
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

    def delayed(self, seconds: float) -> Reply:
        return self if seconds <= 0 else dataclasses.replace(self, delay=self.delay + seconds)


DISCONNECT = Reply(status=0, disconnect=True)

Handler = Callable[[str, str, str, Mapping[str, str]], Reply]
"""The core's signature: (method, raw path, raw query, lower-cased headers) -> Reply."""


def timestamp(moment: datetime.datetime) -> str:
    """Toloka's form: UTC, ISO 8601, no offset, milliseconds (``2026-11-01T12:00:03.250``)."""
    return moment.isoformat(timespec="milliseconds")


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
