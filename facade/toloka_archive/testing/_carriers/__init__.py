"""How a request reaches the fake and an answer leaves it: the carriers, above `_world`.

- `wire`: the `Reply` every carrier understands (and the bodies it may hold);
- `transport`: in-process httpx transports, sync and async (no sockets);
- `server`: the asyncio HTTP/1.1 server on loopback, in this thread or a background one;
- `process`: the fake as a child process (``python -m toloka_archive.testing``).

They know a request handler only as a callable (`wire.Handler`), never the app behind it;
they may use `_world` (the checks of their arguments), never `_api`.
"""
