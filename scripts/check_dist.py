"""Build the release artifacts and check them as a user would meet them: `make dist`.

1. Build the sdist and the wheel (`python -m build`, in an isolated build environment with the
   pinned hatchling) into `dist/`.
2. `twine check`: the metadata and the README render as PyPI would show them.
3. What they hold: the two import packages and nothing else at the top of the wheel (the
   generated client as `toloka_archive_api`, never a generic `toloka_api`), the LICENSE in both,
   no tests, no development pins in the published metadata, the version written in
   `_version.py` and named by the newest section of CHANGELOG.md.
4. Install the wheel in a fresh virtual environment (its dependencies only, as pinned in
   constraints.txt) on each supported Python this machine has (3.11, 3.12, 3.13; a missing one
   fails the check), and run the command from it against the fake Toloka, also from it.
5. Beside toloka-kit: one more fresh environment (the oldest supported Python) gets the wheel,
   toloka-kit 1.2.3, `httpx<0.28` (toloka-kit fails to import on 0.28) and `cattrs<23` (nor on
   newer cattrs) in one `pip install`, resolved as a user's would be (no constraints file), and
   `pip check` finds nothing to say. There the command archives the fake's pools, and one
   process imports both packages: toloka-kit archives a pool on the fake and reads it back, and
   the facade archives another.

    .venv/bin/python scripts/check_dist.py
"""

from __future__ import annotations

import email.parser
import json
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pythons import SUPPORTED, interpreter

ROOT = Path(__file__).resolve().parent.parent
DIST = ROOT / "dist"
FAKE_KEY = "fake-api-key-0001"  # the fake's built-in scenario's key: not a secret
# The same requester's key of the shape toloka-kit sends as `ApiKey` (see the fake's default
# scenario); it works only with the fake.
KIT_KEY = "FakeTolokaDemoKey00001.fake.NOT-A-SECRET-it-works-only-with-the-fake-Toloka"
# What a toloka-kit 1.2.3 user installs beside us: it declares httpx and cattrs unbounded, but
# fails at `import toloka.client` on httpx 0.28 (httpx._types.VerifyTypes is gone) and on
# cattrs 23 and newer.
BESIDE_TOLOKA_KIT = ("toloka-kit==1.2.3", "httpx<0.28", "cattrs<23")
# Run in that environment: both packages in one process, each against the same fake.
BOTH_IN_ONE_PROCESS = """
import sys
from importlib.metadata import version

import toloka.client

from toloka_archive import TolokaClient

url, kit_key, key = sys.argv[1:]
kit = toloka.client.TolokaClient(kit_key, url=url.removesuffix("/api/v1"))  # it adds /api/v1
operation = kit.wait_operation(kit.archive_pool_async("106"), disable_progress=True)
assert operation.status.value == "SUCCESS", operation.status
assert kit.get_pool("106").status.value == "ARCHIVED"
assert kit.archive_pool_async("101") is None  # already archived: 204
with TolokaClient(api_key=key, base_url=url) as client:
    result = client.archive_pool("107", timeout=60)
assert result.operation is not None and result.operation.pool_id == "107", result
print(", ".join(f"{name} {version(name)}" for name in ("toloka-kit", "httpx", "cattrs", "attrs")))
"""


class DistError(Exception):
    """An artifact is not what a user should get; the message says what."""


def check(holds: object, problem: object) -> None:
    if not holds:
        raise DistError(str(problem))


def version() -> str:
    text = (ROOT / "facade" / "toloka_archive" / "_version.py").read_text(encoding="utf-8")
    match = re.fullmatch(r'__version__ = "([^"]+)"\n', text)
    check(match, '_version.py holds one line: __version__ = "X.Y.Z"')
    return match.group(1)


def changelog_version() -> str:
    """The newest released section of CHANGELOG.md (``## X.Y.Z - date``)."""
    for line in (ROOT / "CHANGELOG.md").read_text(encoding="utf-8").splitlines():
        match = re.fullmatch(r"## (\d+\.\d+\.\d+\S*) - \d{4}-\d{2}-\d{2}", line)
        if match:
            return match.group(1)
    raise SystemExit("CHANGELOG.md names no released version")


def run(*command: str | Path, cwd: Path = ROOT) -> str:
    done = subprocess.run([str(part) for part in command], cwd=cwd, capture_output=True, text=True)
    if done.returncode != 0:
        sys.stderr.write(done.stdout + done.stderr)
        raise SystemExit(f"failed ({done.returncode}): {' '.join(map(str, command))}")
    return done.stdout


def build() -> tuple[Path, Path]:
    shutil.rmtree(DIST, ignore_errors=True)
    run(sys.executable, "-m", "build", "--outdir", DIST, ROOT)
    [wheel] = DIST.glob("*.whl")
    [sdist] = DIST.glob("*.tar.gz")
    return wheel, sdist


def check_wheel(wheel: Path, expected: str) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        dist_info = f"toloka_archive-{expected}.dist-info"
        metadata = email.parser.Parser().parsestr(archive.read(f"{dist_info}/METADATA").decode())
    tops = {name.split("/")[0] for name in names}
    check(tops == {"toloka_archive", "toloka_archive_api", dist_info}, f"top level: {tops}")
    check(f"{dist_info}/licenses/LICENSE" in names, "the wheel carries no LICENSE")
    stray = [name for name in names if name.startswith(("tests/", "toloka_api/"))]
    check(not stray, f"the wheel carries what it should not: {stray[:5]}")
    for marker in ("toloka_archive/__init__.pyi", "toloka_archive/py.typed"):
        check(marker in names, f"the wheel lacks {marker}")
    check("toloka_archive_api/py.typed" in names, "the generated client is not marked typed")
    check(metadata["Version"] == expected, f"the wheel says version {metadata['Version']}")
    license_ = metadata["License-Expression"], metadata.get_all("License-File")
    check(license_ == ("Apache-2.0", ["LICENSE"]), f"license metadata: {license_}")
    extras = metadata.get_all("Provides-Extra") or []
    check(extras == ["airflow"], f"only the airflow extra is published, not {extras}")
    requires = metadata.get_all("Requires-Dist") or []
    pinned = [item for item in requires if "==" in item.split(";")[0]]  # not `extra == ...`
    check(not pinned, f"development pins leaked into the metadata: {pinned}")
    prefix = "Programming Language :: Python :: 3."
    named = tuple(
        f"3.{c.removeprefix(prefix)}"
        for c in metadata.get_all("Classifier") or []
        if c.startswith(prefix)
    )
    check(
        named == SUPPORTED, f"the classifiers name Pythons {named}, the tested ones are {SUPPORTED}"
    )
    check(
        metadata["Requires-Python"] == f">={SUPPORTED[0]}",
        f"Requires-Python {metadata['Requires-Python']} is not >={SUPPORTED[0]}",
    )
    print(
        f"wheel: {len(names)} files, top level {sorted(tops - {dist_info})}, {len(requires)} "
        "requirements, LICENSE, version and extras as they should be"
    )


def check_sdist(sdist: Path, expected: str) -> None:
    prefix = f"toloka_archive-{expected}/"
    with tarfile.open(sdist) as archive:
        names = {name.removeprefix(prefix) for name in archive.getnames()}
    for needed in ("LICENSE", "CHANGELOG.md", "README.md", "pyproject.toml", "openapi.yaml"):
        check(needed in names, f"the sdist lacks {needed}")
    generated = "generated/toloka_archive_api/__init__.py"
    check(generated in names, "the sdist lacks the generated client")
    stray = [name for name in names if name.startswith(("tests/", ".venv", "bench-results"))]
    check(not stray, f"the sdist carries what it should not: {stray[:5]}")
    print(f"sdist: {len(names)} files, LICENSE and CHANGELOG included, no tests")


def fresh_venv(folder: str, interpreter: str, *install: str | Path) -> Path:
    """A new virtual environment of ``interpreter`` in ``folder`` with ``install`` installed:
    its folder."""
    venv = Path(folder) / "venv"
    run(interpreter, "-m", "venv", venv)
    run(
        venv / "bin" / "python",
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        *install,
    )
    return venv


@contextmanager
def fake_toloka(venv: Path) -> Iterator[str]:
    """The fake Toloka, run from ``venv`` on a free loopback port: its API root."""
    fake = subprocess.Popen(
        [str(venv / "bin" / "python"), "-m", "toloka_archive.testing", "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        line = fake.stdout.readline() if fake.stdout is not None else ""
        url = re.search(r"http://127\.0\.0\.1:\d+/api/v1", line)
        if url is None:
            raise DistError(f"the fake did not say where it listens: {line!r}")
        yield url.group(0)
    finally:
        fake.terminate()
        fake.wait(timeout=10)


def archive_with_command(venv: Path, url: str) -> None:
    """The installed command archives pool 100 and finds 101 archived already."""
    command = venv / "bin" / "toloka-archive"
    said = run(command, "--version").strip()
    check(said == f"toloka-archive {version()}", f"the installed command says {said!r}")
    done = subprocess.run(
        [str(command), "archive", "100", "101", "--json", "--base-url", url],
        capture_output=True,
        text=True,
        env={"TOLOKA_API_KEY": FAKE_KEY, "PATH": str(venv / "bin")},
        timeout=120,
    )
    outcomes = {r["pool_id"]: r["outcome"] for r in map(json.loads, done.stdout.splitlines())}
    check(done.returncode == 0, done.stderr)
    check(outcomes == {"100": "archived", "101": "already_archived"}, outcomes)


def python_of(venv: Path) -> str:
    code = "import sys; print('%d.%d.%d' % sys.version_info[:3])"
    return run(venv / "bin" / "python", "-c", code).strip()


def smoke(wheel: Path, interpreter: str) -> None:
    """The wheel in a fresh venv of ``interpreter``: the command runs, and archives against the
    fake."""
    with tempfile.TemporaryDirectory(prefix="toloka-dist-") as folder:
        venv = fresh_venv(folder, interpreter, "-c", ROOT / "constraints.txt", wheel)
        with fake_toloka(venv) as url:
            archive_with_command(venv, url)
        said = python_of(venv)
    print(f"installed wheel on Python {said}: the command archives against the fake")


def beside_toloka_kit(wheel: Path, interpreter: str) -> None:
    """The wheel, toloka-kit 1.2.3 and ``httpx<0.28`` in one fresh venv, resolved together as a
    user's ``pip install`` resolves them; both work against the fake."""
    with tempfile.TemporaryDirectory(prefix="toloka-dist-kit-") as folder:
        venv = fresh_venv(folder, interpreter, wheel, *BESIDE_TOLOKA_KIT)
        python = venv / "bin" / "python"
        run(python, "-m", "pip", "check", "--disable-pip-version-check")
        with fake_toloka(venv) as url:
            archive_with_command(venv, url)
            versions = run(python, "-c", BOTH_IN_ONE_PROCESS, url, KIT_KEY, FAKE_KEY).strip()
        said = python_of(venv)
    print(
        f"installed wheel beside {' '.join(BESIDE_TOLOKA_KIT)} on Python {said} ({versions}): "
        "pip check passes, the command archives against the fake, and in one process "
        "toloka-kit and the facade each archive a pool"
    )


def main() -> int:
    expected = version()
    if changelog_version() != expected:
        raise SystemExit(
            f"_version.py says {expected}, CHANGELOG.md's newest release {changelog_version()}"
        )
    wheel, sdist = build()
    run(sys.executable, "-m", "twine", "check", "--strict", wheel, sdist)
    print(f"twine check: {wheel.name}, {sdist.name} pass")
    check_wheel(wheel, expected)
    check_sdist(sdist, expected)
    for python_version in SUPPORTED:
        found = interpreter(python_version)
        check(found, f"no Python {python_version} on this machine to install the wheel with")
        smoke(wheel, str(found))
    oldest = interpreter(SUPPORTED[0])
    check(oldest, f"no Python {SUPPORTED[0]} on this machine")
    beside_toloka_kit(wheel, str(oldest))
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except DistError as error:
        sys.exit(f"check_dist: {error}")
