# The README's commands: `make demo` and `make test`. Everything they need is installed
# here, into .venv, from the package registries (Python 3.11 is the only prerequisite).
PYTHON ?= python3.11
VENV   ?= .venv
BIN    := $(abspath $(VENV))/bin
COLL   := build/collections/ansible_collections/community/circleci
FAULTS ?= {"rate_429": 0.3, "retry_after": 0.2, "rate_500": 0.1, "rate_drop": 0.05, "error_after": 0.5, "error_retry_after": 0.2, "seed": 7}
# targets whose POSTs cannot be resent after a 5xx or a lost answer: 429s only for them (see tools/test.sh)
ACTION_TARGETS = circleci_pipeline_trigger circleci_pipeline_continue circleci_pipeline_info circleci_workflow circleci_usage_export circleci_job circleci_rollback project_administration
export PATH := $(BIN):$(PATH)
export ANSIBLE_COLLECTIONS_PATH := $(abspath build/collections)

.PHONY: help setup tree demo test sanity units integration integration-faults fault-convergence \
        emulator-tests lint molecule docs-site galaxy-importer bench bench-scale build install-check clean runners-example \
        matrix core

help:
	@echo "make demo   - run the example playbook twice against circleci-emulator"
	@echo "make test   - sanity, units, integration (plain and under faults), emulator tests, lint"
	@echo "make setup  - create $(VENV) with every tool the above need"
	@echo "make docs-site - the documentation site, in build/docs-site/build/html"
	@echo "make core VERSION=2.16 - the checks of one other ansible-core version (docs/dev/TESTING.md)"
	@echo "make bench  - benchmark against the ansible.builtin.uri baseline (~20 min)"
	@echo "make bench-scale - the role org_config on 10, 50 and 200 projects, into benchmarks/RESULTS.md (~5 min)"

$(BIN)/.setup-stamp: requirements-dev.txt emulator/pyproject.toml tools/ansible_test_offline.sh
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt -e ./emulator
	tools/ansible_test_offline.sh $(BIN)/python
	touch $@

setup: $(BIN)/.setup-stamp

tree: setup
	@$(BIN)/python tools/collection_tree.py >/dev/null

demo: setup
	tools/demo.sh

test: setup
	tools/test.sh

# The stages of `make test`, one at a time (tools/test.sh runs them all and sums them up).
sanity: tree
	cd $(COLL) && ansible-test sanity --venv --python 3.11 --color no

units: tree
	cd $(COLL) && ansible-test units --venv --python 3.11 --color no

integration: tree
	$(BIN)/python tools/integration_parallel.py --name integration --jobs 2

integration-faults: tree
	$(BIN)/python tools/integration_parallel.py --name integration-faults --jobs 4 --faults '$(FAULTS)' --exclude $(ACTION_TARGETS)

fault-convergence: setup
	$(BIN)/python tools/fault_convergence.py --seeds 10

emulator-tests: setup
	$(BIN)/python -m pytest emulator/tests -q -n 2

lint: tree
	tools/lint.sh $(COLL)

# examples/runners.yml against a fresh emulator in a temporary directory, run twice.
runners-example: tree
	$(BIN)/python tools/emulator_run.py -- tools/runners_example.sh

molecule: setup
	tools/molecule.sh

# The docs site (antsibull-docs + Sphinx, warnings as errors, offline) in build/docs-site/build/html.
docs-site: tree
	tools/docs_site.sh

# The tarball as Galaxy gets it: build_ignore against .gitignore, its documents, galaxy-importer.
galaxy-importer: setup
	$(BIN)/python tools/galaxy_check.py

# The ansible-core version matrix (tools/core_matrix.py): every other version, or one of them
# (`make core VERSION=2.21`; CHECKS="units smoke" to run some of its checks only).
matrix: tree
	$(BIN)/python tools/core_matrix.py venvs
	rc=0; for version in $$($(BIN)/python tools/core_matrix.py list | cut -d' ' -f1); do \
	  $(BIN)/python tools/core_matrix.py run $$version || rc=1; done; exit $$rc

core: tree
	$(BIN)/python tools/core_matrix.py run $(VERSION) $(CHECKS)

# Not part of `make test`: about 20 minutes against the emulator at 50 ms latency.
bench: setup
	$(BIN)/python benchmarks/run.py

# Not part of `make test` either: the role org_config on 10, 50 and 200 projects (~5 min).
bench-scale: setup
	$(BIN)/python benchmarks/scale.py

build: tree
	cd $(COLL) && ansible-galaxy collection build --force --output-path $(abspath build/dist)

clean:
	rm -rf build
