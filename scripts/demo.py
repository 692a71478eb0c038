"""The demo behind `make demo`: the command against the fake Toloka, no account, no network.

It starts the fake on a free loopback port with the scenario shipped in the package, runs
`toloka-archive archive --dry-run` and then `toloka-archive archive` over the scenario's pools,
so that every outcome shows; then a project clean-up (its idle closed pools, a whole project,
one that cannot go yet, and which of its open pools `--close-open` would close), a project
with trainings archived whole in Toloka's order, a pool someone is editing left alone, and the
history; and stops the fake (the one process it started) however it ends.
"""

from __future__ import annotations

import os
import subprocess
import sys

from toloka_archive.testing import fake_process

# The default scenario's pools, one per behaviour (see toloka_archive/testing/scenarios).
POOLS = [
    "100",  # archivable: PENDING -> RUNNING -> SUCCESS
    "101",  # already archived: 204
    "102",  # still OPEN
    "103",  # a task rejected 2 days ago: inside the 9-day appeal window
    "104",  # the archive operation ends FAIL
    "105",  # a slow archive
    *("106", "107", "108", "109"),  # more archivable pools
    # a 500, a 429, a 503, an HTML 502, a dropped connection and a slow answer on the first
    # try: each one retried and archived
    *("110", "111", "112", "113", "114", "115"),
    "200",  # another requester's pool: no access
    "999",  # no such pool
]
FAKE_KEY = "fake-api-key-0001"  # the fake scenario's key; not a secret


def banner(text: str) -> None:
    print(f"\n=== {text}", flush=True)


def main() -> int:
    with fake_process() as fake:
        env = {k: v for k, v in os.environ.items() if not k.startswith("TOLOKA_")}
        env["TOLOKA_API_KEY"] = FAKE_KEY
        command = [sys.executable, "-m", "toloka_archive", "archive", *POOLS]
        command += ["--base-url", fake.url]
        banner(f"The fake Toloka is serving {fake.url} (loopback only)")
        banner("1. Pre-flight: which pools can be archived now? (--dry-run archives nothing)")
        subprocess.run([*command, "--dry-run"], env=env, check=False)
        banner("2. Archive them, 8 at a time, waiting for each operation")
        archived = subprocess.run(command, env=env, check=False)
        banner(f"The command exited {archived.returncode} (1: some pools were not archived)")
        tool = [sys.executable, "-m", "toloka_archive"]
        where = ["--base-url", fake.url]
        banner("3. Clean up project 1002: its closed pools nobody has touched for 30 days")
        subprocess.run(
            [*tool, "archive", "--project", "1002", "--idle-for", "30d", *where],
            env=env,
            check=False,
        )
        banner("4. Archive project 1003 entirely: its pools, then the project")
        subprocess.run([*tool, "project", "archive", "1003", *where], env=env, check=False)
        banner("5. Project 1002 cannot go yet: what blocks it is said, nothing is forced")
        subprocess.run([*tool, "project", "archive", "1002", *where], env=env, check=False)
        banner("6. Closing its open pools first is asked for, never assumed: what would be closed")
        subprocess.run(
            [*tool, "project", "archive", "1002", "--close-open", "--dry-run", *where],
            env=env,
            check=False,
        )
        banner(
            "7. Project 1004 has trainings, one still open: pools, then their trainings, then "
            "the project; without --close-open the open training is named"
        )
        subprocess.run([*tool, "project", "archive", "1004", *where], env=env, check=False)
        banner("8. The same with --close-open: the open training is closed, the project archived")
        subprocess.run(
            [*tool, "project", "archive", "1004", "--close-open", *where], env=env, check=False
        )
        banner(
            "9. Project 1005: a pool closed for editing is left alone (--include-editing "
            "archives it), and Toloka's own refusal is read as Toloka means it"
        )
        subprocess.run([*tool, "archive", "--project", "1005", *where], env=env, check=False)
        banner(
            "10. History: when was each pool, training and project archived, and by which "
            "operation?"
        )
        subprocess.run([*tool, "history", *where], env=env, check=False)
    # 0 or 1 is the demo working as intended: the scenario has pools that cannot be archived.
    return 0 if archived.returncode in (0, 1) else archived.returncode


if __name__ == "__main__":
    sys.exit(main())
