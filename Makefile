# One-command entry points. `make lab` and `make test` both build the environment first;
# a second run reuses it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
COURSES := $(sort $(wildcard course*_*))
NB ?= $(COURSES)
# Fixed TF threading and kernels so results match on any machine (see utils/notebook_setup.py).
export TF_CPP_MIN_LOG_LEVEL := 3
export TF_ENABLE_ONEDNN_OPTS := 0
export PYTHONHASHSEED := 0

.PHONY: setup lab test unit notebooks lint timings data exercises grade normalize run clean

setup: $(STAMP)

$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; sys.version_info[:2] == (3, 11) or print("warning: the pins are \
	tested with Python 3.11, this is", sys.version.split()[0], "- use make PYTHON=python3.11")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(STAMP)

# Jupyter refuses to run as root (containers, CI) unless told it is intended.
lab: setup
	$(BIN)/jupyter lab $(if $(filter 0,$(shell id -u)),--allow-root)

# The README's test command: lint, unit tests, then every notebook under nbval.
test: setup lint unit notebooks

lint: setup
	$(BIN)/ruff check .
	$(BIN)/python -m utils.tools.notebooks check $(COURSES)

unit: setup
	$(BIN)/python -m pytest tests -n 2 --durations=5

# Notebooks run under the numerics of another CPU (utils/tools/numeric_profile.py) and are compared
# with outputs that `make run` recorded natively: passing proves both. PROFILE=native runs
# them on this machine's own numerics; NB=<notebook or folder> narrows the run.
PROFILE ?= other
PROFILE_ENV = $(if $(filter native,$(PROFILE)),,$(shell $(BIN)/python -m utils.tools.numeric_profile))
notebooks: setup
	@echo "numeric profile: $(or $(PROFILE_ENV),native)"
	env $(PROFILE_ENV) $(BIN)/python -m pytest --nbval-lax --nbval-current-env \
		--nbval-cell-timeout=300 --nbval-sanitize-with=nbval_sanitize.cfg -n 2 --dist loadfile \
		-p utils.tools.timings $(NB)

timings: notebooks

# Verify committed data files against datasets/MANIFEST.
data: setup
	$(BIN)/python -m utils.data.manifest check

# make exercises [NB=course1_neural_networks]   make grade [NB=exercises/course1_.../x.ipynb]
exercises: setup
	$(BIN)/python -m utils.exercises $(NB)

grade: setup
	$(BIN)/python -m utils.grade $(if $(filter command line,$(origin NB)),$(NB),exercises)

# Re-execute solution notebooks in place and normalise them (maintainers).
run: setup
	$(BIN)/python -m utils.tools.notebooks run $(NB)

normalize: setup
	$(BIN)/python -m utils.tools.notebooks normalize $(NB)

clean:
	rm -rf $(VENV) build
