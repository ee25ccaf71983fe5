# Two commands do everything on a fresh machine: `make run` and `make test`.
VENV   := .venv
PY     := $(VENV)/bin/python
FLASK  := $(VENV)/bin/flask --app competition
STAMP  := $(VENV)/.installed
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: run test test-db lint bench load install system translations clean

$(STAMP): pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[test]'
	touch $(STAMP)

install: $(STAMP) translations system

# What pip can not install: WeasyPrint's pango, the CJK fonts certificates are set in, and poppler-utils, which the
# certificate tests draw and read PDF pages with. Installed when missing if we may (root with apt-get), else named
# with the command that installs them (the PDF tests then fail, or skip with a notice, instead of puzzling anyone).
SYSTEM_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 fonts-noto-cjk poppler-utils
system:
	@command -v dpkg >/dev/null 2>&1 || { echo "!! not Debian: install pango, Noto CJK fonts and poppler-utils yourself" >&2; exit 0; }; \
	missing=""; for package in $(SYSTEM_PACKAGES); do \
	  dpkg -s $$package >/dev/null 2>&1 || missing="$$missing $$package"; done; \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	  echo "== installing$$missing"; apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	else echo "!! missing system packages:$$missing; install them with: sudo apt-get install -y$$missing" >&2; fi

# The catalog is compiled when its .po is newer than the .mo (not on every call), so two makes running
# side by side in .ci/run never rewrite a .mo the other one's tests are reading.
MO := competition/translations/en/LC_MESSAGES/messages.mo
translations: $(MO)

$(MO): competition/translations/en/LC_MESSAGES/messages.po | $(STAMP)
	$(VENV)/bin/pybabel compile -d competition/translations 2>&1 | grep -v "^compiling" || true
	touch $(MO)

run: install
	$(FLASK) db upgrade
	$(FLASK) seed-demo --if-empty
	$(FLASK) run --host $(HOST) --port $(PORT)

# pytest-xdist runs the suite on every core (each worker its own SQLite files, or its own PostgreSQL database:
# tests/conftest.py); WORKERS=0 runs it in one process.
WORKERS ?= auto
test: install
	$(PY) -m pytest -n $(WORKERS) $(PYTEST_ARGS)

# ruff over the code and the tests, mypy over scoring/, rules/ and services/ (.ci/run fails on a finding).
lint: install
	$(VENV)/bin/ruff check competition scoring tests bench
	$(VENV)/bin/mypy

# The database-touching tests only; .ci/run sets TEST_DATABASE_URL to run them on PostgreSQL.
test-db: install
	$(PY) -m pytest -m "db" -n $(WORKERS) $(PYTEST_ARGS)

# Every bench/bench_*.py, then the summary of all ratios; a missed target prints MISSED, only a crash fails.
bench: install
	rm -f bench/out/import.json bench/out/results.json bench/out/export.json bench/out/marks_server.json \
	  bench/out/upload_caps.json bench/out/certificates.json bench/out/standings.json bench/out/pages.json \
	  bench/out/pages_explain.txt
	for script in bench/bench_*.py; do $(PY) $$script || exit 1; done
	$(PY) bench/summary.py

# 50 judges and 200 public readers against gunicorn on PostgreSQL for LOAD_SECONDS; fails on any error or lost mark.
LOAD_SECONDS ?= 120
load: install
	$(PY) bench/load_test.py --seconds $(LOAD_SECONDS)

clean:
	rm -rf $(VENV) instance/*.sqlite3
