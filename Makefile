# One entry point per task. Run inside a virtualenv (python3 -m venv .venv && . .venv/bin/activate).
# CI runs `bash .ci/run`, which performs the lint and test steps below on a fresh venv.
.PHONY: dev lint fmt test bench wheel ci

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

## wheel: the release wheel (manylinux_2_28, built with maturin --zig) and the sdist into dist/; installs
## maturin and ziglang (PyPI) into the active environment first. `bash .ci/package` also checks and installs them.
wheel:
	$(PYTHON) -m pip install --quiet "maturin>=1.9.4,<2" ziglang
	rm -f dist/iameval-*.whl dist/iameval-*.tar.gz
	PATH="$$($(PYTHON) -c 'import os, ziglang; print(os.path.dirname(ziglang.__file__))'):$$PATH" \
		$(PYTHON) -m maturin build --release --zig --out dist
	$(PYTHON) -m maturin sdist --out dist

## ci: the CI script, exactly as CI runs it
ci:
	bash .ci/run
