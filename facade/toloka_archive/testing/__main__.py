"""``python -m toloka_archive.testing``: serve a fake Toloka on loopback until told to stop.

Once listening it prints exactly one line, ``listening on http://HOST:PORT/api/v1``, to stdout
(so a parent process can read the port when it asked for port 0), then serves until SIGINT or
SIGTERM and exits 0. A bad scenario or a port it cannot bind prints one ``error: ...`` line to
stderr and exits 2 or 1; never a traceback.

`run` is the same thing as a function, for the ``toloka-archive fake`` command.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import math
import os
import signal
import sys
from collections.abc import Sequence
from typing import TextIO

from toloka_archive.testing._carriers.server import DEFAULT_IDLE_TIMEOUT, LoopbackServer
from toloka_archive.testing._fake import FakeToloka
from toloka_archive.testing._scenario import Scenario, ScenarioError

EXIT_OK = 0
EXIT_CANNOT_LISTEN = 1
EXIT_BAD_INPUT = 2


def build_parser(prog: str = "python -m toloka_archive.testing") -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Serve a fake Toloka (the pool-archiving API) over HTTP on loopback.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument(
        "--port", type=int, default=8765, help="port to bind; 0 picks a free one (default 8765)"
    )
    parser.add_argument(
        "--scenario",
        metavar="FILE",
        default=None,
        help="a scenario TOML file (default: the scenario shipped in the package)",
    )
    parser.add_argument(
        "--seed", type=int, default=None, help="the random seed (default: the scenario's)"
    )
    parser.add_argument(
        "--idle-timeout",
        type=_positive_seconds,
        default=DEFAULT_IDLE_TIMEOUT,
        metavar="SECONDS",
        help="close a connection on which the client sends nothing for this long "
        f"(default {DEFAULT_IDLE_TIMEOUT:g})",
    )
    return parser


def _positive_seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of seconds: {text!r}") from None
    if not (value > 0 and math.isfinite(value)):
        raise argparse.ArgumentTypeError(f"must be more than 0 seconds, got {text!r}")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return run(
        host=args.host,
        port=args.port,
        scenario=args.scenario,
        seed=args.seed,
        idle_timeout=args.idle_timeout,
    )


def run(
    *,
    host: str = "127.0.0.1",
    port: int = 8765,
    scenario: str | os.PathLike[str] | None = None,
    seed: int | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    idle_timeout: float = DEFAULT_IDLE_TIMEOUT,
) -> int:
    """Load the scenario, serve it until SIGINT/SIGTERM, and return the exit status."""
    out = sys.stdout if stdout is None else stdout
    err = sys.stderr if stderr is None else stderr
    try:
        loaded = Scenario.load(scenario)
    except ScenarioError as error:
        print(f"error: {error}", file=err)
        return EXIT_BAD_INPUT
    fake = FakeToloka.from_scenario(loaded, seed=seed)
    return asyncio.run(_serve_until_stopped(fake, host, port, out, err, idle_timeout))


async def _serve_until_stopped(
    fake: FakeToloka, host: str, port: int, out: TextIO, err: TextIO, idle_timeout: float
) -> int:
    try:
        server = await LoopbackServer.start(fake.handle, host, port, idle_timeout=idle_timeout)
    except OSError as error:
        print(f"error: cannot listen on {host}:{port}: {error.strerror or error}", file=err)
        return EXIT_CANNOT_LISTEN
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    handled: list[signal.Signals] = []
    for signum in (signal.SIGINT, signal.SIGTERM):
        # Only the main thread may set signal handlers; elsewhere the caller stops us.
        with contextlib.suppress(ValueError, RuntimeError, NotImplementedError):
            loop.add_signal_handler(signum, stop.set)
            handled.append(signum)
    try:
        print(f"listening on {server.url}", file=out, flush=True)
        await stop.wait()
    finally:
        for signum in handled:
            loop.remove_signal_handler(signum)
        await server.aclose()
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
