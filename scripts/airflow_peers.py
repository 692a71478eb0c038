"""`make airflow-peers`: this provider beside Toloka's own, airflow-provider-toloka 0.0.8, in one
Airflow, with that provider's real package installed.

Both register a Toloka connection type; Airflow keeps one form, hook and Test button per type,
so when both registered ``toloka`` the second was refused ("connection_type 'toloka' has been
already registered by provider 'airflow-provider-toloka'") and its form was lost. Ours is now
``toloka_archive``, and our hook reads the official provider's ``toloka`` connections as they
are. This checks it where it can break, in a venv of its own (never the project's ``.venv``):

- Apache Airflow as ``constraints.txt`` pins it; ``airflow-provider-toloka==0.0.8``, which pulls
  toloka-kit, pinned as toloka-kit's users pin it (``httpx<0.28``: toloka-kit fails at import
  with 0.28; ``cattrs<23``); toloka-kit 1.2.2, the newest that installs beside Airflow 3.3
  (1.2.3 asks ``tenacity<8.3``, Airflow ``tenacity>=8.3``); and this checkout, built as a wheel
  and installed without its dependencies (the venv already has them; its httpx is toloka-kit's).

Then, in a temporary ``AIRFLOW_HOME`` on SQLite, against the fake Toloka on loopback:

1. ``airflow providers hooks`` lists both types, ``toloka`` (airflow-provider-toloka's hook) and
   ``toloka_archive`` (ours), with no "already registered" warning and no "Error when importing
   hook!";
2. in the venv's Python: the connection forms as the UI builds them (ours with its fields), both
   hooks registered as testable; a connection in the official form read by both hooks (theirs
   builds its toloka-kit client from it; ours passes its Test), and their Test button's answer;
3. ``airflow connections add toloka_default --conn-type toloka --conn-extra '{"extra__toloka__
   token": ..., "extra__toloka__url": ...}'``, as a Toloka user has it (the type is valid here:
   the official provider registers it);
4. ``airflow dags test toloka_nightly_cleanup`` with that ``toloka_default``: our operator
   archives the fake's project 1002 (every POOL.ARCHIVE operation the fake started is checked,
   and its pools are ARCHIVED), and the task's log says it read airflow-provider-toloka's form
   and sent the token as OAuth, never the token itself.

    .venv/bin/python scripts/airflow_peers.py               # a fresh venv in a temporary folder
    .venv/bin/python scripts/airflow_peers.py --venv DIR    # build DIR once, reuse it after

It prints each phase's wall time and the total; every process it starts is stopped.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE_DAG = ROOT / "facade" / "toloka_archive" / "airflow" / "example_dags"
DAG_ID = "toloka_nightly_cleanup"
CONN_ID = "toloka_default"
PROJECT = "1002"  # the default scenario's clean-up project
FAKE_KEY = "fake-api-key-0001"  # the fake scenario's keys open only the fake: not secrets
FAKE_OAUTH_TOKEN = "fake-oauth-token-0001"  # noqa: S105 - sent as OAuth, by toloka-kit's rule
# What goes into the venv besides Airflow. Pins from scripts/bench-peers-constraints.txt
# (toloka-kit's tree), except toloka-kit itself: see the module's doc.
PEERS = (
    "airflow-provider-toloka==0.0.8",
    "toloka-kit==1.2.2",
    "httpx==0.27.2",
    "cattrs==22.2.0",
    "simplejson==4.3.0",
    "docstring_parser==0.18.0",
)
UNPINNED = ("httpx", "cattrs")  # constraints.txt's pins that toloka-kit cannot live with
STAMP = ".airflow-peers"
PIP_VERSION = "26.3"  # as the Makefile's; its resolver takes this tree in half the time of 23's


class PeersError(Exception):
    """A check failed: the message says which, and what was seen."""


class Phases:
    def __init__(self) -> None:
        self.started = self.last = time.monotonic()

    def done(self, name: str) -> None:
        now = time.monotonic()
        print(f"[{now - self.started:6.1f} s] {name} ({now - self.last:.1f} s)", flush=True)
        self.last = now

    def total(self) -> float:
        return time.monotonic() - self.started


def pins() -> tuple[list[str], str]:
    """constraints.txt without the pins toloka-kit cannot live with, and a digest of it all."""
    kept = [
        line
        for line in (ROOT / "constraints.txt").read_text().splitlines()
        if line.split("==")[0].strip().lower() not in UNPINNED
    ]
    digest = hashlib.sha256("\n".join([*kept, *PEERS]).encode()).hexdigest()
    return kept, digest


def airflow_pin(constraints: list[str]) -> str:
    [pin] = [line for line in constraints if line.startswith("apache-airflow==")]
    return pin


def build_venv(venv: Path) -> None:
    """The venv with Airflow and airflow-provider-toloka, once per set of pins."""
    constraints, digest = pins()
    stamp = venv / STAMP
    if not (stamp.exists() and stamp.read_text() == digest):
        shutil.rmtree(venv, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        pip(venv, f"pip=={PIP_VERSION}")
        pinned = venv / "constraints.txt"
        pinned.write_text("\n".join(constraints) + "\n")
        pip(venv, "-c", str(pinned), airflow_pin(constraints), *PEERS)
        stamp.write_text(digest)
    # This checkout, as a user installs it (a wheel, not an editable install), every time.
    pip(venv, "--no-deps", "--force-reinstall", str(ROOT))


def pip(venv: Path, *args: str) -> None:
    command = [str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet"]
    done = subprocess.run(
        [*command, "--disable-pip-version-check", *args], capture_output=True, text=True
    )
    if done.returncode != 0:
        raise PeersError(f"pip install {' '.join(args)} failed:\n{done.stderr[-4000:]}")


def airflow_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW_", "TOLOKA_"))}
    env.update(
        {
            "AIRFLOW_HOME": str(home),
            "AIRFLOW__CORE__DAGS_FOLDER": str(home / "dags"),
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{home / 'airflow.db'}",
            "AIRFLOW__LOGGING__BASE_LOG_FOLDER": str(home / "logs"),
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def run(venv: Path, env: dict[str, str], *args: str, timeout: float = 180.0) -> str:
    """A command of the venv (``airflow ...``, ``python ...``): its output and errors, together."""
    command = [str(venv / "bin" / args[0]), *args[1:]]
    done = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    output = done.stdout + done.stderr
    if done.returncode != 0:
        raise PeersError(f"{' '.join(args[:3])} exited {done.returncode}:\n{output[-6000:]}")
    return output


def check_the_hooks(said: str) -> None:
    """``airflow providers hooks``: both types, each with its own provider's hook."""
    rows = {line.split("|")[0].strip(): line for line in said.splitlines() if "|" in line}
    expected = {
        "toloka": "toloka_provider.hooks.toloka.TolokaHook",
        "toloka_archive": "toloka_archive.airflow.hooks.TolokaHook",
    }
    for conn_type, hook in expected.items():
        if hook not in rows.get(conn_type, ""):
            raise PeersError(f"`airflow providers hooks` lists no {hook} for {conn_type}:\n{said}")
    for trouble in ("already registered", "Error when importing hook"):
        if trouble in said:
            raise PeersError(f"`airflow providers hooks` says {trouble!r}:\n{said}")


def inside(url: str) -> None:
    """The checks that run in the venv's own Python (``--inside URL``): forms, hooks, and one
    connection in the official form read by both providers' hooks."""
    import warnings

    warnings.simplefilter("ignore")  # deprecations of Airflow 2 names in the official provider
    from airflow.api_fastapi.core_api.services.ui.connections import HookMetaService
    from airflow.sdk.providers_manager_runtime import ProvidersManagerTaskRuntime

    forms = {m.connection_type: m for m in HookMetaService.hook_meta_data()}
    ours = forms["toloka_archive"]
    if set(ours.extra_fields or {}) != {"environment", "base_url", "auth_type"}:
        raise PeersError(f"our form's fields: {ours.extra_fields}")
    if "toloka" not in forms:
        raise PeersError("no form for the type toloka")
    hooks = ProvidersManagerTaskRuntime().hooks
    for conn_type in ("toloka", "toloka_archive"):
        info = hooks[conn_type]
        if info is None or not info.connection_testable:
            raise PeersError(f"the hook of {conn_type} is {info}")

    root = url.removesuffix("/api/v1")
    extra = {"extra__toloka__token": FAKE_OAUTH_TOKEN, "extra__toloka__url": root}
    connection = json.dumps({"conn_type": "toloka", "extra": extra})
    os.environ["AIRFLOW_CONN_TOLOKA_PEER"] = connection
    from toloka_archive.airflow.hooks import TolokaHook
    from toloka_provider.hooks.toloka import TolokaHook as OfficialHook

    theirs = OfficialHook("toloka_peer").get_conn()  # toloka-kit's client, no request yet
    if (theirs.url, theirs.token) != (root, FAKE_OAUTH_TOKEN):
        raise PeersError(f"airflow-provider-toloka's hook built a client for {theirs.url}")
    works, said = TolokaHook("toloka_peer").test_connection()
    if not works:
        raise PeersError(f"our hook's test of the official connection: {said}")
    their_test = OfficialHook("toloka_peer").test_connection()
    print(
        json.dumps(
            {
                "forms": sorted(t for t in forms if "toloka" in t),
                "our test": said,
                "their test": list(their_test),
            }
        )
    )


def check_the_run(said: str, url: str) -> str:
    """The DAG run: what the fake started is what the task reports, and the log says how."""
    expected = (
        f"Toloka connection '{CONN_ID}' (airflow-provider-toloka's form): the key from the extra "
        "'extra__toloka__token', sent as OAuth (toloka-kit's rule"
    )
    if expected not in said:
        raise PeersError(f"the run's log does not say how it read {CONN_ID}:\n{said[-6000:]}")
    if FAKE_OAUTH_TOKEN in said:
        raise PeersError("the token is in the run's output")
    from toloka_archive import TolokaClient

    with TolokaClient(api_key=FAKE_KEY, base_url=url, env={}) as fake:
        operations = list(fake.find_operations(type="POOL.ARCHIVE"))
        statuses = {
            pool.id: str(getattr(pool.status, "value", pool.status))
            for pool in fake.find_pools(project_id=PROJECT, status=None)
        }
    archived = sorted(str(operation.pool_id) for operation in operations)
    if not archived or any(statuses.get(pool) != "ARCHIVED" for pool in archived):
        raise PeersError(f"archives started for {archived}; the pools read {statuses}")
    return ", ".join(f"pool {pool}" for pool in archived)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--venv", type=Path, help="build the venv here once, and reuse it")
    parser.add_argument("--inside", metavar="URL", help=argparse.SUPPRESS)
    options = parser.parse_args(argv)
    if options.inside:
        inside(options.inside)
        return 0

    from toloka_archive.testing import fake_process

    phases = Phases()
    base = Path(tempfile.mkdtemp(prefix="toloka-airflow-peers-"))
    venv = options.venv.resolve() if options.venv else base / "venv"
    home = base / "home"
    (home / "dags").mkdir(parents=True)
    shutil.copy(EXAMPLE_DAG / f"{DAG_ID}.py", home / "dags")
    env = airflow_env(home)
    ok = False
    try:
        build_venv(venv)
        phases.done(f"venv with Airflow, airflow-provider-toloka 0.0.8 and this checkout ({venv})")
        check_the_hooks(run(venv, env, "airflow", "providers", "hooks"))
        phases.done(
            "`airflow providers hooks`: toloka (theirs) and toloka_archive (ours), no clash"
        )
        with fake_process() as fake:
            answer = run(venv, env, "python", str(Path(__file__).resolve()), "--inside", fake.url)
            report: dict[str, Any] = json.loads(answer.strip().splitlines()[-1])
            phases.done(
                f"forms {report['forms']}; one official connection read by both hooks; ours "
                f"tests it ({report['our test']}); theirs answers {report['their test']}"
            )
            run(venv, env, "airflow", "db", "migrate")
            extra = {
                "extra__toloka__token": FAKE_OAUTH_TOKEN,
                "extra__toloka__url": fake.url.removesuffix("/api/v1"),
            }
            added = run(
                venv, env, "airflow", "connections", "add", CONN_ID,
                "--conn-type", "toloka", "--conn-extra", json.dumps(extra),
            )  # fmt: skip
            if "invalid" in added:
                raise PeersError(f"`airflow connections add --conn-type toloka` says:\n{added}")
            phases.done(f"airflow db migrate; {CONN_ID} added as airflow-provider-toloka writes it")
            conf = json.dumps({"project_id": PROJECT})
            said = run(venv, env, "airflow", "dags", "test", DAG_ID, "-c", conf, timeout=300)
            summary = check_the_run(said, fake.url)
            phases.done(f"`airflow dags test {DAG_ID}` with {CONN_ID}: archived {summary}")
        ok = True
    except (PeersError, subprocess.SubprocessError, OSError) as error:
        print(f"airflow-peers: FAILED: {type(error).__name__}: {error}", file=sys.stderr)
    finally:
        shutil.rmtree(base, ignore_errors=True)
    print(f"airflow-peers: {'passed' if ok else 'failed'} in {phases.total():.1f} s")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
