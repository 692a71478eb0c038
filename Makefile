# toloka-archive: every target works from a fresh clone with only Python 3.11 and make.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# pip reads the development tools' dependency groups (PEP 735) from 25.1 on.
PIP_VERSION := 26.3
# The peers' environment for `make bench` only (toloka-kit); see bench-venv below.
BENCH_VENV := .bench-venv
BENCH_STAMP := $(BENCH_VENV)/.installed
BENCH_CONSTRAINTS := scripts/bench-peers-constraints.txt
# This project as users install it (runtime dependencies only), for the import comparison.
OURS_VENV := .bench-venv-ours
OURS_STAMP := $(OURS_VENV)/.installed

.DEFAULT_GOAL := help
.PHONY: help demo venv bench-venv generate check-generated validate-spec lint test bench cassettes \
	dist pythons floors docs airflow-e2e airflow-peers clean

help:
	@echo "make demo             archive the fake Toloka's pools with the command (no account needed)"
	@echo "make test             lint, check-generated, spec validation and the pytest suite"
	@echo "make generate         regenerate generated/toloka_archive_api from openapi.yaml"
	@echo "make check-generated  fail if generated/ and openapi.yaml disagree"
	@echo "make lint             ruff on hand-written code, mypy --strict on the facade"
	@echo "make cassettes        re-record the vcrpy cassettes against the fake Toloka"
	@echo "make bench            startup, overhead, fake throughput, bulk time, memory, fault soak,"
	@echo "                      and the side-by-side comparison with toloka-kit (bench-results/)"
	@echo "make bench-venv       create .bench-venv with toloka-kit 1.2.3, for the comparison"
	@echo "make venv             create .venv with the pinned tool chain"
	@echo "make dist             build the sdist and the wheel, check them, install the wheel and run it"
	@echo "make pythons          the test suite on Python 3.12 and 3.13 (nox; 3.11 is make test)"
	@echo "make floors           the suite on the lowest httpx and the provider on the lowest Airflow"
	@echo "make docs             the documentation site into site/, strict: a warning fails it"
	@echo "make airflow-e2e      the Airflow provider on a real local Airflow against the fake"
	@echo "make airflow-peers    the provider beside airflow-provider-toloka 0.0.8, in a venv of its own"

venv: $(STAMP)

# Re-install only when the declared or pinned dependencies change. constraints.txt pins the whole
# tree (transitive packages too), so every machine gets the same tools.
# The airflow extra comes too (Apache Airflow, about 225 MB), so that the suite tests the provider.
$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check pip==$(PIP_VERSION)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt \
		--group dev --group release --group docs -e ".[airflow]"
	touch $(STAMP)

# The main job: the command against the fake Toloka on loopback. No account, no network.
demo: $(STAMP)
	$(BIN)/python scripts/demo.py

generate: $(STAMP)
	$(BIN)/python scripts/generate.py

check-generated: $(STAMP)
	$(BIN)/python scripts/generate.py --check

validate-spec: $(STAMP)
	$(BIN)/openapi-spec-validator openapi.yaml

lint: $(STAMP)
	$(BIN)/ruff check --no-cache facade tests scripts docs/hooks noxfile.py
	$(BIN)/ruff format --no-cache --check facade tests scripts docs/hooks noxfile.py
	$(BIN)/mypy facade/toloka_archive

# Cassettes replay only (--record-mode=none); sockets are blocked except to loopback, where the
# tests' own fake Toloka listens.
LOOPBACK := --allowed-hosts='127\.0\.0\.1$$,::1$$,localhost$$'

test: lint check-generated validate-spec
	$(BIN)/pytest -p no:cacheprovider --record-mode=none --block-network $(LOOPBACK)

# Benchmarks measure; they are never part of `make test` (no timing in the test suite).
# The comparison with toloka-kit (scripts/bench_compare.py) writes a markdown table, the raw
# numbers as JSON and an SVG chart to bench-results/.
bench: $(STAMP) $(BENCH_STAMP) $(OURS_STAMP)
	$(OURS_VENV)/bin/python scripts/bench_startup.py
	$(BIN)/python scripts/bench_overhead.py
	$(BIN)/python scripts/bench_fake.py --client raw
	$(BIN)/python scripts/bench_bulk.py
	$(BIN)/python scripts/bench_soak.py
	$(BIN)/python scripts/bench_project.py
	$(BIN)/python scripts/bench_compare.py

# The peers' virtual environment: toloka-kit 1.2.3 and its tree, pinned, for the comparison
# only; the project's .venv never gets toloka-kit. Built once, again when the pins change.
bench-venv: $(BENCH_STAMP)

$(BENCH_STAMP): $(BENCH_CONSTRAINTS)
	rm -rf $(BENCH_VENV)
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -c $(BENCH_CONSTRAINTS) toloka-kit==1.2.3
	$(BENCH_VENV)/bin/python -c "import toloka.client"
	touch $(BENCH_STAMP)

# This project as users install it, for the import rows of the comparison: runtime dependencies
# only, and a regular install, not an editable one. pip compiles every module to bytecode as it
# installs, as it does for a user (and for toloka-kit in .bench-venv); an editable install would
# import the source tree, where PYTHONDONTWRITEBYTECODE=1 (set on this machine) leaves no
# bytecode, so every import would compile about 35 modules again (20-30 ms). Being a copy, it is
# rebuilt when any file of the two packages changes (what the wheel takes, __pycache__ left out).
$(OURS_STAMP): pyproject.toml constraints.txt \
		$(shell find facade/toloka_archive generated/toloka_archive_api -name __pycache__ -prune \
			-o -type f ! -name '*.pyc' -print)
	rm -rf $(OURS_VENV)
	$(PYTHON) -m venv $(OURS_VENV)
	$(OURS_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -c constraints.txt .
	touch $(OURS_STAMP)

# Re-record every cassette against the fake Toloka on a fixed loopback port. The fake's clock is
# moved by the client's pauses, so this takes no real time, and recording twice gives the same
# files.
cassettes: $(STAMP)
	rm -f tests/cassettes/*.yaml
	$(BIN)/pytest -p no:cacheprovider -q tests/facade/test_cassettes.py --record-mode=rewrite $(LOOPBACK)

# The release artifacts, checked as a user meets them: twine, their contents, the version against
# CHANGELOG.md, and the wheel installed in a fresh venv running the command against the fake.
dist: $(STAMP)
	$(BIN)/python scripts/check_dist.py

# The suite (without the linters, which are version-independent) on the other supported
# Pythons, each in a fresh venv with the same pinned tree.
pythons: $(STAMP)
	$(BIN)/nox --noxfile noxfile.py

# The documentation site (mkdocs-material, mkdocstrings) into site/. Strict: any warning, a broken
# link or anchor, an unknown reference, a page left out of the navigation, fails the build. The
# command's reference is written from its parser at build time (docs/hooks/command_reference.py).
# NO_MKDOCS_2_WARNING quiets Material's banner about its own end of life (May 2027).
docs: $(STAMP)
	NO_MKDOCS_2_WARNING=1 $(BIN)/mkdocs build --strict --quiet

clean:
	rm -rf dist site .nox $(VENV) $(BENCH_VENV) $(OURS_VENV) .mypy_cache .ruff_cache .pytest_cache

# The Airflow provider on a real local Airflow, as its users set it up: the API server,
# scheduler, DAG processor and triggerer as separate processes on SQLite in a temporary
# AIRFLOW_HOME, a connection added with `airflow connections add`, the example DAG run to
# success against the fake Toloka on loopback (scripts/airflow_e2e.py; about 30 s).
airflow-e2e: $(STAMP)
	$(BIN)/python scripts/airflow_e2e.py

# The lowest versions the package claims, each in a nox session of its own: the HTTP-facing suite
# on the lowest httpx (the one toloka-kit 1.2.3's users can have beside it), and the provider's
# tests on the lowest Airflow 3 (constraints-airflow-floor.txt pins that tree).
floors: $(STAMP)
	$(BIN)/nox --noxfile noxfile.py -s httpx_floor airflow_floor

# The provider beside Toloka's own, airflow-provider-toloka 0.0.8 (and its toloka-kit), in one
# Airflow: a venv of its own in a temporary folder (never .venv), both connection types
# registered without a clash, and `airflow dags test` archiving with toloka_default written as
# that provider writes it (scripts/airflow_peers.py; about a minute, most of it the venv).
airflow-peers: $(STAMP)
	$(BIN)/python scripts/airflow_peers.py
