"""``python -m toloka_archive.testing``: serve a fake Toloka on loopback until told to stop.

Once listening it prints exactly one line, ``listening on http://HOST:PORT/api/v1``, to stdout
(so a parent process can read the port when it asked for port 0), then serves until SIGINT or
SIGTERM and exits 0, within a moment however many connections are open (they are dropped).

Everything it says on stderr is one line starting with the program's name (``python -m
toloka_archive.testing: `` here, ``toloka-archive: `` for ``toloka-archive fake``), then
``error: `` or ``warning: ``; never a traceback, except after the line that reports a bug in
the fake itself (a request it failed to answer). A bad scenario, a port out of range, or an
address it cannot listen on (a port already in use, a host that is not this machine's) exits
2, the status of a usage or configuration problem. A ``--host`` that is not a loopback address
is served, with a warning: the fake has no real security.

`run` is the same thing as a function, for the ``toloka-archive fake`` command.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import errno
import ipaddress
import logging
import math
import os
import signal
import sys
from collections.abc import Iterator, Sequence
from typing import TextIO

from toloka_archive.testing._carriers.server import (
    DEFAULT_HEADER_TIMEOUT,
    DEFAULT_IDLE_TIMEOUT,
    LoopbackServer,
    check_port,
)
from toloka_archive.testing._fake import FakeToloka
from toloka_archive.testing._scenario import Scenario, ScenarioError

PROG = "python -m toloka_archive.testing"
EXIT_OK = 0
EXIT_BAD_INPUT = 2
EXIT_CANNOT_LISTEN = EXIT_BAD_INPUT
"""A port in use or an address not this machine's is a configuration problem, like a bad
scenario: status 2, as for any command of this project."""

NO_SECURITY = (
    "anyone who can reach it can use the fake Toloka, which has no real security "
    "(its API keys are fake and published, and there is no TLS)"
)


def build_parser(prog: str = PROG) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Serve a fake Toloka (the pool-archiving API) over HTTP on loopback.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument(
        "--port",
        type=_port,
        default=8765,
        help="port to bind; 0 picks a free one (default 8765)",
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
    parser.add_argument(
        "--header-timeout",
        type=_positive_seconds,
        default=DEFAULT_HEADER_TIMEOUT,
        metavar="SECONDS",
        help="answer 408 and close a connection whose request line and headers have not "
        f"all arrived this long after their first byte (default {DEFAULT_HEADER_TIMEOUT:g})",
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


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {text!r}") from None
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"must be from 0 to 65535, got {text!r}")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return run(
        host=args.host,
        port=args.port,
        scenario=args.scenario,
        seed=args.seed,
        idle_timeout=args.idle_timeout,
        header_timeout=args.header_timeout,
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
    header_timeout: float = DEFAULT_HEADER_TIMEOUT,
    prog: str = PROG,
) -> int:
    """Load the scenario, serve it until SIGINT/SIGTERM, and return the exit status.

    ``prog`` starts every line written to ``stderr`` (``toloka-archive`` for the command)."""
    out = sys.stdout if stdout is None else stdout
    err = sys.stderr if stderr is None else stderr
    try:
        check_port("", port)
    except ValueError as error:
        print(f"{prog}: error: {error}", file=err)
        return EXIT_BAD_INPUT
    try:
        loaded = Scenario.load(scenario)
    except ScenarioError as error:
        print(f"{prog}: error: {error}", file=err)
        return EXIT_BAD_INPUT
    fake = FakeToloka.from_scenario(loaded, seed=seed)
    with _log_to(err, prog):
        return asyncio.run(
            _serve_until_stopped(fake, host, port, out, err, prog, idle_timeout, header_timeout)
        )


async def _serve_until_stopped(
    fake: FakeToloka,
    host: str,
    port: int,
    out: TextIO,
    err: TextIO,
    prog: str,
    idle_timeout: float,
    header_timeout: float,
) -> int:
    try:
        server = await LoopbackServer.start(
            fake.handle, host, port, idle_timeout=idle_timeout, header_timeout=header_timeout
        )
    except OSError as error:
        where = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        print(f"{prog}: error: cannot listen on {where}: {_why(error, port)}", file=err)
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
        if not _is_loopback(server.host):
            warning = f"{prog}: warning: {server.host} is not a loopback address: {NO_SECURITY}"
            print(warning, file=err, flush=True)
        print(f"listening on {server.url}", file=out, flush=True)
        await stop.wait()
    finally:
        # Still ours while the connections are dropped: a second signal meanwhile changes
        # nothing, rather than killing the process halfway.
        await server.aclose()
        for signum in handled:
            loop.remove_signal_handler(signum)
    return EXIT_OK


def _why(error: OSError, port: int) -> str:
    if error.errno == errno.EADDRINUSE:
        return f"port {port} is already in use (--port 0 picks a free one)"
    if error.errno == errno.EADDRNOTAVAIL:
        return "the address is not one of this machine's"
    return error.strerror or str(error)


def _is_loopback(host: str) -> bool:
    try:
        address = ipaddress.ip_address(host.partition("%")[0])  # an IPv6 scope: fe80::1%eth0
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped.is_loopback
    return address.is_loopback


class _PrefixedLines(logging.Formatter):
    def __init__(self, prog: str) -> None:
        super().__init__()
        self._prog = prog

    def format(self, record: logging.LogRecord) -> str:
        level = "error" if record.levelno >= logging.ERROR else record.levelname.lower()
        return f"{self._prog}: {level}: {super().format(record)}"


@contextlib.contextmanager
def _log_to(err: TextIO, prog: str) -> Iterator[None]:
    """While serving, the server's warnings go to ``err``, one prefixed line each, and only
    there (not also to whatever handlers the host program's root logger has)."""
    handler = logging.StreamHandler(err)
    handler.setFormatter(_PrefixedLines(prog))
    handler.setLevel(logging.WARNING)
    logger = logging.getLogger("toloka_archive.testing")
    logger.addHandler(handler)
    propagate, logger.propagate = logger.propagate, False
    try:
        yield
    finally:
        logger.propagate = propagate
        logger.removeHandler(handler)


if __name__ == "__main__":
    sys.exit(main())
