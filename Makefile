# The whole set-up on a fresh machine: `make play` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
HEADLESS := SDL_VIDEODRIVER=dummy SDL_AUDIODRIVER=dummy

.PHONY: play test quick bench lint clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Switchyard needs Python 3.11 or newer (found " + sys.version.split()[0] + ")")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

play: $(STAMP)
	$(PY) main.py play

test: $(STAMP)
	$(PY) -m ruff check .
	$(HEADLESS) $(PY) -m pytest -q

# The edit-test loop: everything but the tests marked slow (soak, kernel builds, GPU emulator).
quick: $(STAMP)
	$(PY) -m ruff check .
	$(HEADLESS) $(PY) -m pytest -q -m "not slow"

bench: $(STAMP)
	$(HEADLESS) $(PY) main.py bench --write BENCHMARKS.md

lint: $(STAMP)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .hypothesis
