# One-command entry points. `make lab` and `make test` both build the environment first;
# a second run reuses it.
PYTHON ?= python3
# One environment per Python version, so that `make test PYTHON=python3.12` never reuses the
# 3.11 one: .venv for 3.11, .venv-3.12, .venv-3.13, ... for the others.
PY_VERSION := $(shell $(PYTHON) -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null)
TESTED_VERSIONS := 3.11 3.12 3.13
ifeq ($(PY_VERSION)$(filter clean,$(MAKECMDGOALS)),)
$(error '$(PYTHON)' does not run: pass one that does, e.g. make test PYTHON=python3.11; with \
pyenv, `export PYENV_VERSION=3.11:3.12:3.13` puts all three on PATH (see README.md))
endif
VENV := $(if $(filter 3.11,$(PY_VERSION)),.venv,.venv-$(PY_VERSION))
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
	@$(if $(filter $(PY_VERSION),$(TESTED_VERSIONS)),:,echo "warning: the pins are tested with \
	Python versions $(TESTED_VERSIONS), this is $(PY_VERSION) - use e.g. make PYTHON=python3.11")
	test -x $(BIN)/python || { $(PYTHON) -m venv $(VENV) && echo '*' > $(VENV)/.gitignore; }
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
		-p utils.tools.timings -p utils.tools.kernel_start $(NB)

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
