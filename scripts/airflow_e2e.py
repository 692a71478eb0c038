"""`make airflow-e2e`: the Airflow provider on a real local Airflow, set up as its users set it up.

What it runs, in a temporary AIRFLOW_HOME on SQLite, against the fake Toloka on loopback:

1. `airflow db migrate`, then Airflow's four services as separate processes, as `airflow
   standalone` runs them: the API server (UI and execution API), the scheduler (LocalExecutor),
   the DAG processor and the triggerer; short heartbeats and no schedule of its own, so that
   only the run asked for happens;
2. the connection `toloka_default` created with `airflow connections add`, so it lives in the
   metadata database, as Toloka's official provider (airflow-provider-toloka 0.0.8) writes it:
   type `toloka`, the token in `extra__toloka__token`, toloka-kit's URL in `extra__toloka__url`
   (the fake's OAuth token: it must go as `OAuth`, toloka-kit's choice for it; the fake's keys
   open only the fake);
3. the UI's side, through the API server: the connection form of type `toloka_archive` lists
   our fields; a connection in our form is saved as the form saves it (`POST
   /api/v2/connections`), and the form's Test button (`POST /api/v2/connections/test`) checks
   its stored key, and the official one's through our hook;
4. the example DAG `toloka_nightly_cleanup` (its connection: `toloka_default`, the official
   form), parsed by the DAG processor, triggered with `{"project_id": "1002"}`; its task starts
   the archives in a worker, defers, the triggerer follows the operations, and the task resumes
   and succeeds; its log says which form it read and how the key went, never the key;
5. the XCom report checked against the fake's own record (its `POOL.ARCHIVE` operations and
   its pools' statuses), and the task's extra links (none: a custom base URL has no web pages).

Every process it started (the fake and the four services, each in a session of its own with
the workers it spawns) is stopped by its PID when it ends, however it ends; the temporary home
goes too unless `--keep`. It prints the time each phase took, and the total.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, TypeVar

import httpx
from cryptography.fernet import Fernet
from toloka_archive import TolokaClient
from toloka_archive.testing import fake_process

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE_DAG = ROOT / "facade" / "toloka_archive" / "airflow" / "example_dags"
DAG_ID = "toloka_nightly_cleanup"
TASK_ID = "archive_idle_pools"
CONN_ID = "toloka_default"  # the example DAG's: here in airflow-provider-toloka's form
OURS_ID = "toloka_archive_form"  # one in our own form, for the form's Test button
PROJECT = "1002"  # the default scenario's clean-up project: idle closed pools, one in the window
FAKE_KEY = "fake-api-key-0001"  # the fake scenario's key; it opens only the fake, not a secret
# The scenario's OAuth token, sent as OAuth by toloka-kit's rule; it too opens only the fake.
FAKE_OAUTH_TOKEN = "fake-oauth-token-0001"  # noqa: S105
SERVICES = ("api-server", "scheduler", "dag-processor", "triggerer")
STOP_TIMEOUT = 20.0
T = TypeVar("T")


class E2EError(Exception):
    """A check failed: the message says which, and what was seen."""


@dataclass
class Phases:
    """Wall time of each phase, printed as it ends and summed at the end."""

    started: float = field(default_factory=time.monotonic)
    last: float = field(default_factory=time.monotonic)
    rows: list[tuple[str, float]] = field(default_factory=list)

    def done(self, name: str) -> None:
        now = time.monotonic()
        self.rows.append((name, now - self.last))
        self.last = now
        print(f"[{now - self.started:6.1f} s] {name} ({self.rows[-1][1]:.1f} s)", flush=True)

    def total(self) -> float:
        return time.monotonic() - self.started


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def airflow_env(home: Path, port: int) -> dict[str, str]:
    """The temporary deployment's configuration, as Airflow's environment variables."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW_", "TOLOKA_"))}
    env.update(
        {
            "AIRFLOW_HOME": str(home),
            "AIRFLOW__CORE__DAGS_FOLDER": str(home / "dags"),
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
            "AIRFLOW__CORE__PARALLELISM": "2",
            "AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION": "False",
            "AIRFLOW__CORE__FERNET_KEY": Fernet.generate_key().decode(),
            "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS": "True",
            "AIRFLOW__CORE__TEST_CONNECTION": "Enabled",
            "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{port}/execution/",
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{home / 'airflow.db'}",
            "AIRFLOW__API__HOST": "127.0.0.1",
            "AIRFLOW__API__PORT": str(port),
            "AIRFLOW__API__WORKERS": "1",
            "AIRFLOW__API_AUTH__JWT_SECRET": secrets.token_urlsafe(32),
            "AIRFLOW__LOGGING__BASE_LOG_FOLDER": str(home / "logs"),
            # Only the run this script asks for: no cron runs of the example's schedule.
            "AIRFLOW__SCHEDULER__USE_JOB_SCHEDULE": "False",
            "AIRFLOW__SCHEDULER__SCHEDULER_HEARTBEAT_SEC": "1",
            "AIRFLOW__SCHEDULER__JOB_HEARTBEAT_SEC": "1",
            "AIRFLOW__SCHEDULER__SCHEDULER_IDLE_SLEEP_TIME": "0.2",
            "AIRFLOW__TRIGGERER__JOB_HEARTBEAT_SEC": "1",
            "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "5",
            "AIRFLOW__DAG_PROCESSOR__PARSING_PROCESSES": "1",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


@dataclass
class Service:
    name: str
    process: subprocess.Popen[bytes]
    log: Path


def airflow(*args: str) -> list[str]:
    return [sys.executable, "-m", "airflow", *args]


def run(env: dict[str, str], *args: str, timeout: float = 120.0) -> str:
    done = subprocess.run(
        airflow(*args), env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    if done.returncode != 0:
        raise E2EError(f"airflow {' '.join(args[:2])} exited {done.returncode}:\n{done.stderr}")
    return done.stdout


def service_command(name: str, port: str) -> list[str]:
    """Only the API server listens, on loopback. The scheduler and the triggerer would each
    serve their logs on a fixed port of every interface, which one machine does not need (the
    API server reads the log files)."""
    if name == "api-server":
        return [name, "--host", "127.0.0.1", "--port", port]
    if name in ("scheduler", "triggerer"):
        return [name, "--skip-serve-logs"]
    return [name]


@contextmanager
def services(env: dict[str, str], logs: Path) -> Iterator[list[Service]]:
    """Start the four services, each in a session of its own; stop them all by PID at the end
    (SIGTERM to the session's process group, then SIGKILL for what is left)."""
    started: list[Service] = []
    files: list[IO[bytes]] = []
    try:
        for name in SERVICES:
            log = logs / f"{name}.log"
            out = log.open("wb")
            files.append(out)
            command = airflow(*service_command(name, env["AIRFLOW__API__PORT"]))
            process = subprocess.Popen(
                command, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )
            started.append(Service(name, process, log))
        yield started
    finally:
        stop(started)
        for out in files:
            out.close()


def stop(started: list[Service]) -> None:
    for service in reversed(started):
        _signal_group(service.process, signal.SIGTERM)
    deadline = time.monotonic() + STOP_TIMEOUT
    for service in reversed(started):
        try:
            service.process.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            print(f"{service.name} (PID {service.process.pid}) did not stop: killed", flush=True)
        _signal_group(service.process, signal.SIGKILL)  # its workers, if any outlived it
        service.process.wait(timeout=STOP_TIMEOUT)
    for service in started:
        if _group_alive(service.process):
            raise E2EError(f"processes of airflow {service.name} outlived SIGKILL")


def _group_alive(process: subprocess.Popen[bytes]) -> bool:
    """Whether any process is left in the group (signal 0 only asks)."""
    for _ in range(20):
        try:
            os.killpg(process.pid, 0)
        except ProcessLookupError:
            return False
        time.sleep(0.1)  # a process killed a moment ago may still be reaped
    return True


def _signal_group(process: subprocess.Popen[bytes], sig: signal.Signals) -> None:
    # The group is the one start_new_session gave this process: its PID is the group's id.
    with suppress(ProcessLookupError):
        os.killpg(process.pid, sig)


def wait_for(
    what: str, probe: Callable[[], T | None], timeout: float, check: Callable[[], None]
) -> T:
    """Call ``probe`` until it returns something; ``check`` raises if a service died."""
    deadline = time.monotonic() + timeout
    while True:
        check()
        value = probe()
        if value is not None:
            return value
        if time.monotonic() > deadline:
            raise E2EError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.25)


def alive(started: list[Service]) -> Callable[[], None]:
    def check() -> None:
        for service in started:
            if service.process.poll() is not None:
                raise E2EError(f"airflow {service.name} exited {service.process.returncode}")

    return check


class Api:
    """Airflow's REST API (and the UI's own), as the UI calls it."""

    def __init__(self, port: int) -> None:
        self.http = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30.0)

    def ready(self) -> bool | None:
        try:
            answer = self.http.get("/api/v2/monitor/health")
        except httpx.TransportError:
            return None
        return True if answer.status_code == 200 else None

    def log_in(self) -> None:
        # [core] simple_auth_manager_all_admins: a token for the asking, as the UI gets one.
        token = self.http.get("/auth/token").raise_for_status().json()["access_token"]
        self.http.headers["Authorization"] = f"Bearer {token}"

    def get(self, path: str, **params: Any) -> Any:
        return self.http.get(path, params=params).raise_for_status().json()

    def post(self, path: str, body: dict[str, Any]) -> Any:
        answer = self.http.post(path, json=body)
        if answer.is_error:
            raise E2EError(f"POST {path}: {answer.status_code} {answer.text}")
        return answer.json()

    def maybe(self, path: str) -> Any | None:
        answer = self.http.get(path)
        return answer.json() if answer.status_code == 200 else None


def add_official_connection(env: dict[str, str], url: str) -> None:
    """``toloka_default`` as airflow-provider-toloka writes it.

    ``--conn-json`` keeps the type ``toloka``: without that provider installed (as here),
    ``--conn-type toloka`` would store it as ``generic`` (Airflow's rule; read all the same)."""
    official = {
        "conn_type": "toloka",
        "extra": {
            "extra__toloka__token": FAKE_OAUTH_TOKEN,
            "extra__toloka__url": url.removesuffix("/api/v1"),  # toloka-kit's URL: the root
        },
    }
    run(env, "connections", "add", CONN_ID, "--conn-json", json.dumps(official))


def save_our_connection(api: Api, url: str) -> None:
    """A connection in our form, saved as the UI's form saves it."""
    extra = json.dumps({"environment": "custom", "base_url": url, "auth_type": "api_key"})
    body = {"connection_id": OURS_ID, "conn_type": "toloka_archive", "password": FAKE_KEY}
    api.post("/api/v2/connections", {**body, "extra": extra})


def check_the_form(api: Api) -> None:
    """The connection form as the UI builds it: the Toloka fields, the key in a masked field."""
    forms = api.get("/ui/connections/hook_meta")
    [form] = [f for f in forms if f["connection_type"] == "toloka_archive"]
    extra = form["extra_fields"]
    environments = extra["environment"]["schema"]["enum"]
    if environments != ["sandbox", "production", "custom"]:
        raise E2EError(f"the form's environment choices are {environments}")
    standard = form["standard_fields"]
    if standard["password"]["title"] != "API key" or not standard["host"]["hidden"]:
        raise E2EError(f"the form's standard fields are {standard}")


def check_the_test_button(api: Api) -> str:
    """The form's Test button on the stored connections: the API server reuses their keys. Ours
    with our form; the official one (stored as type toloka) with our type, so our hook tests it."""
    stored = api.get(f"/api/v2/connections/{CONN_ID}")["conn_type"]
    if stored != "toloka":
        raise E2EError(f"{CONN_ID} was stored as type {stored!r}, not 'toloka'")
    said = []
    for conn_id in (OURS_ID, CONN_ID):
        body = {"connection_id": conn_id, "conn_type": "toloka_archive"}
        answer = api.post("/api/v2/connections/test", body)
        if answer.get("status") is not True:
            raise E2EError(f"the test of {conn_id} failed: {answer}")
        said.append(f"{conn_id}: {answer['message']}")
    return "; ".join(said)


def check_the_task_said_how(task_logs: Path) -> None:
    """The task's log says which form of connection it read and how the key went, without it."""
    logs = [path for path in task_logs.rglob("attempt=*.log") if ".trigger." not in path.name]
    text = "".join(path.read_text(errors="replace") for path in logs)
    expected = (
        f"Toloka connection '{CONN_ID}' (airflow-provider-toloka's form): the key from the "
        "extra 'extra__toloka__token', sent as OAuth (toloka-kit's rule"
    )
    if expected not in text:
        raise E2EError(f"no task log says how {CONN_ID} was read ({len(logs)} logs)")
    if FAKE_OAUTH_TOKEN in text:
        raise E2EError("the token is in a task log")


def check_the_trigger_ran(task_logs: Path) -> None:
    """The triggerer followed the operations: it writes the trigger's lines beside the task's
    log (``attempt=1.log.trigger.<id>.log``)."""
    said = [
        path
        for path in task_logs.rglob("*.trigger.*.log")
        if "Toloka archive operations until" in path.read_text(errors="replace")
    ]
    if not said:
        raise E2EError("no trigger log says the triggerer followed the operations")


def check_reports(reports: list[dict[str, Any]], url: str) -> str:
    """The XCom report against the fake's own record: every POOL.ARCHIVE operation the fake
    started is one archived pool of the report, with the same id, and nothing else."""
    with TolokaClient(api_key=FAKE_KEY, base_url=url, env={}) as fake:
        operations = list(fake.find_operations(type="POOL.ARCHIVE"))
        statuses = {
            pool.id: str(getattr(pool.status, "value", pool.status))
            for pool in fake.find_pools(project_id=PROJECT, status=None)
        }
    recorded: dict[str, list[str]] = {}
    for operation in operations:
        recorded.setdefault(str(operation.pool_id), []).append(operation.id)
    archived = {r["pool_id"]: r["operation_id"] for r in reports if r["outcome"] == "archived"}
    if not archived:
        raise E2EError(f"no pool was archived: {reports}")
    if recorded != {pool: [operation] for pool, operation in archived.items()}:
        raise E2EError(f"the fake started {recorded}, the report says {archived}")
    others = {r["outcome"] for r in reports if r["outcome"] != "archived"}
    if not others <= {"not_archivable_yet"}:
        raise E2EError(f"unexpected outcomes in the report: {reports}")
    not_archived = [pool for pool in archived if statuses.get(pool) != "ARCHIVED"]
    if not_archived:
        raise E2EError(f"reported archived, but not ARCHIVED at the fake: {not_archived}")
    return ", ".join(f"pool {r['pool_id']} {r['outcome']}" for r in reports)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="keep the temporary AIRFLOW_HOME")
    parser.add_argument("--timeout", type=float, default=180.0, help="seconds for the DAG run")
    options = parser.parse_args(argv)

    # A SIGTERM (CI cancelling the job) unwinds like an error, so every process is stopped.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
    phases = Phases()
    base = Path(tempfile.mkdtemp(prefix="toloka-airflow-e2e-"))
    home, logs = base / "home", base / "logs"
    (home / "dags").mkdir(parents=True)
    logs.mkdir()
    shutil.copy(EXAMPLE_DAG / f"{DAG_ID}.py", home / "dags")
    port = free_port()
    env = airflow_env(home, port)
    ok = False
    started: list[Service] = []
    try:
        with ExitStack() as stack:
            fake = stack.enter_context(fake_process())
            run(env, "db", "migrate")
            phases.done("airflow db migrate")
            started = stack.enter_context(services(env, logs))
            check = alive(started)
            add_official_connection(env, fake.url)
            phases.done(
                f"connection {CONN_ID} added in airflow-provider-toloka's form to the metadata "
                "database (services starting)"
            )

            api = Api(port)
            stack.callback(api.http.close)
            wait_for("the API server", api.ready, 90, check)
            api.log_in()
            check_the_form(api)
            save_our_connection(api, fake.url)
            said = check_the_test_button(api)
            phases.done(f"API server up; the form and its Test button work ({said})")

            wait_for(
                f"the DAG processor to parse {DAG_ID}",
                lambda: api.maybe(f"/api/v2/dags/{DAG_ID}"),
                90,
                check,
            )
            errors = api.get("/api/v2/importErrors")["import_errors"]
            if errors:
                raise E2EError(f"import errors: {errors}")
            phases.done(f"{DAG_ID} parsed")

            run_id = api.post(
                f"/api/v2/dags/{DAG_ID}/dagRuns",
                {"logical_date": None, "conf": {"project_id": PROJECT}},
            )["dag_run_id"]
            path = f"/api/v2/dags/{DAG_ID}/dagRuns/{run_id}"
            seen: list[str] = []

            def finished() -> str | None:
                state = api.get(path)["state"]
                task = api.maybe(f"{path}/taskInstances/{TASK_ID}")
                if task is not None and (not seen or seen[-1] != task["state"]):
                    seen.append(str(task["state"]))
                return state if state in ("success", "failed") else None

            state = wait_for(f"the run {run_id}", finished, options.timeout, check)
            phases.done(f"run {state}; the task went {' -> '.join(s for s in seen if s != 'None')}")
            if state != "success":
                raise E2EError(f"the run ended {state}")
            check_the_trigger_ran(home / "logs")
            check_the_task_said_how(home / "logs")
            entry = api.get(
                f"{path}/taskInstances/{TASK_ID}/xcomEntries/toloka_reports", deserialize=True
            )
            value = entry["value"]
            reports = json.loads(value) if isinstance(value, str) else value
            summary = check_reports(reports, fake.url)
            links = api.get(f"{path}/taskInstances/{TASK_ID}/links")["extra_links"]
            if set(links) != {"Toloka project", "Toloka pool"} or any(links.values()):
                raise E2EError(f"extra links: {links} (a custom base URL has no pages)")
            phases.done(f"report checked against the fake: {summary}")
        phases.done("every process stopped")
        ok = True
    except Exception as error:
        print(f"airflow-e2e: FAILED: {type(error).__name__}: {error}", file=sys.stderr)
        for service in started:
            tail = service.log.read_text(errors="replace").splitlines()[-25:]
            print(
                f"--- {service.name} (last lines of {service.log})",
                *tail,
                sep="\n",
                file=sys.stderr,
            )
    finally:
        if options.keep or not ok:
            print(f"airflow-e2e: the temporary home and logs are kept in {base}")
        else:
            shutil.rmtree(base, ignore_errors=True)
    print(f"airflow-e2e: {'passed' if ok else 'failed'} in {phases.total():.1f} s")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
