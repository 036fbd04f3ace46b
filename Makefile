# PeZO verification framework. `make regress` sets everything up and runs the main job;
# `make test` runs the test suite. Every target bootstraps the toolchain first (idempotent).
SHELL := /bin/bash
VENV := .venv
PEZO := $(VENV)/bin/pezo
PY := $(VENV)/bin/python
JOBS ?= $(shell nproc)
SUITE ?= default
TEST ?= lfsr.LfsrSmokeTest.s32w16
SEED ?= 1
SIM ?= verilator

.PHONY: help setup regress test lint sim bench clean

help:
	@echo "make regress   set up (first time) and run the default regression -> build/regress/latest"
	@echo "make test      run the tests (reference model, harness, RTL on Verilator and Icarus)"
	@echo "make lint      ruff over the Python; the generated register-map copies and test plans are up to date"
	@echo "make sim TEST=<name> SEED=<n> SIM=verilator|icarus   run one test (WAVES=1 for FST)"
	@echo "make bench     measure simulation and reference-model speed (docs/perf.md)"
	@echo "make setup     only the set-up"

setup:
	@tools/bootstrap.sh

regress: setup
	$(PEZO) regress --suite $(SUITE) --jobs $(JOBS)

test: setup
	$(PY) -m pytest -n $(JOBS) tests

lint: setup
	$(VENV)/bin/ruff check .
	$(PY) -m regress.regmap --check
	$(PY) -m regress.testplan_doc --check

sim: setup
	$(PEZO) sim $(TEST) --seed $(SEED) --sim $(SIM) $(if $(WAVES),--waves,)

bench: setup
	$(PY) -m regress.bench
	$(PY) -m regress.train_bench
	$(PY) -m power.activity_speed
	$(PY) -m power.bench

clean:
	rm -rf build
