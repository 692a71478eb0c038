"""Generate the low-level client from openapi.yaml, or check that the committed one is current.

    python scripts/generate.py          # regenerate generated/toloka_archive_api in place
    python scripts/generate.py --check  # exit 1, naming each file, if the committed code differs

Generation always happens in a fresh temporary folder outside the repository and is then copied
(or compared), so the result never depends on what the work tree holds: no stale files survive,
and no tool cache or config from the project leaks into the output.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "openapi.yaml"
CONFIG = ROOT / "openapi-client.yaml"
PACKAGE = "toloka_archive_api"
COMMITTED = ROOT / "generated" / PACKAGE


def generate_into(folder: Path, spec: Path = SPEC) -> Path:
    """Run the pinned generator; return the folder that holds the generated package."""
    output = folder / PACKAGE
    # The generator's post hooks call `ruff` by name: make sure it is the pinned one that sits
    # next to this interpreter (the project's virtual environment).
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    command = [
        str(Path(sys.executable).parent / "openapi-python-client"),
        "generate",
        "--path",
        str(spec),
        "--config",
        str(CONFIG),
        "--meta",
        "none",
        "--fail-on-warning",
        "--output-path",
        str(output),
    ]
    result = subprocess.run(command, cwd=folder, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"openapi-python-client failed (exit {result.returncode})")
    # With `--meta none` the generator writes no py.typed, so a type checker would treat the
    # installed package as untyped (PEP 561): `mypy --strict` on a user's script that imports it
    # fails with `import-untyped`. The marker is empty, so regeneration stays byte-identical.
    (output / "py.typed").write_bytes(b"")
    return output


def differences(expected: Path, actual: Path) -> list[str]:
    """Every file that is missing, extra or different in `actual` compared with `expected`."""
    found: list[str] = []

    def walk(cmp: filecmp.dircmp[str], prefix: Path) -> None:
        found.extend(f"missing from the committed code: {prefix / n}" for n in cmp.left_only)
        found.extend(f"not produced by the generator: {prefix / n}" for n in cmp.right_only)
        found.extend(f"differs: {prefix / n}" for n in cmp.diff_files + cmp.funny_files)
        for name, sub in sorted(cmp.subdirs.items()):
            walk(sub, prefix / name)

    walk(filecmp.dircmp(expected, actual, ignore=["__pycache__"]), Path("generated") / PACKAGE)
    return sorted(found)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    # For the tests of this script: check another spec or another copy of the package.
    parser.add_argument("--spec", type=Path, default=SPEC, help=argparse.SUPPRESS)
    parser.add_argument("--committed", type=Path, default=COMMITTED, help=argparse.SUPPRESS)
    args = parser.parse_args()
    committed: Path = args.committed
    with tempfile.TemporaryDirectory(prefix="toloka-api-gen-") as tmp:
        fresh = generate_into(Path(tmp), args.spec)
        if args.check:
            if not committed.is_dir():
                print(f"{committed} is missing: run `make generate`")
                return 1
            # dircmp only trusts stat() when size and mtime both match; the fresh files are
            # newer than any committed one, so every file is compared by content.
            problems = differences(fresh, committed)
            if problems:
                print("The committed client does not match openapi.yaml; run `make generate`:")
                print("\n".join(f"  {line}" for line in problems))
                return 1
            print("generated/toloka_archive_api matches openapi.yaml")
            return 0
        if COMMITTED.exists():
            shutil.rmtree(COMMITTED)
        shutil.copytree(fresh, COMMITTED, ignore=shutil.ignore_patterns("__pycache__"))
        print(f"wrote {COMMITTED.relative_to(ROOT)}")
        return 0


if __name__ == "__main__":
    sys.exit(main())
