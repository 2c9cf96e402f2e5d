# One entry point per task. Run inside a virtualenv (python3 -m venv .venv && . .venv/bin/activate).
# CI runs `bash .ci/run`, which performs the lint and test steps below on a fresh venv.
.PHONY: dev lint fmt test bench ci

PYTHON ?= python

## dev: editable install (maturin builds the Rust extension into python/iameval) with test and bench extras
dev:
	$(PYTHON) -m pip install -e ".[test,bench]"

## lint: rustfmt, clippy, ruff, mypy (strict) and stubtest of the hand-written _core.pyi
lint:
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings
	ruff check python tests
	mypy
	$(PYTHON) -m mypy.stubtest iameval._core

## fmt: format Rust and Python sources
fmt:
	cargo fmt --all
	ruff format python tests

## test: Rust core unit tests, then the Python suite (HYPOTHESIS_PROFILE=long for a soak run)
test:
	cargo test -p iameval-core
	pytest

## bench: criterion benchmarks of the core, then pytest-benchmark suites when present
bench:
	cargo bench -p iameval-core
	if [ -d benches ]; then pytest benches --benchmark-only; fi

## ci: the CI script, exactly as CI runs it
ci:
	bash .ci/run
