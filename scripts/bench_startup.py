"""How fast the package imports and the command starts: each in a fresh interpreter.

    .bench-venv-ours/bin/python scripts/bench_startup.py [--runs 20]

``make bench`` runs it with the Python of ``.bench-venv-ours``, the project installed as users
install it (bytecode compiled, no dev tools); the project's ``.venv`` would add the editable
install's compiling and httpx's optional command line (rich, click).

Prints the best and median wall time of each command over ``--runs`` runs, and the same for a
bare ``python -c pass`` so the interpreter's own start can be subtracted.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

BIN = Path(sys.executable).parent
COMMANDS = {
    "python -c pass (baseline)": [sys.executable, "-c", "pass"],
    "import toloka_archive": [sys.executable, "-c", "import toloka_archive"],
    "from toloka_archive import TolokaClient": [
        sys.executable,
        "-c",
        "from toloka_archive import TolokaClient",
    ],
    "from toloka_archive import AsyncTolokaClient": [
        sys.executable,
        "-c",
        "from toloka_archive import AsyncTolokaClient",
    ],
    "toloka-archive --help": [str(BIN / "toloka-archive"), "--help"],
}


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    for name, command in COMMANDS.items():
        timed(command)  # warm the file cache
        times = [timed(command) for _ in range(args.runs)]
        print(
            f"{name:<46} best {min(times) * 1000:6.1f} ms  "
            f"median {statistics.median(times) * 1000:6.1f} ms"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
