#!/usr/bin/env bash
# Runs every test of the project, from a clean clone: installs what the tests need (PyPI
# packages for the spec checks), then checks generated code is up to date, lints, runs all
# Rust tests (unit, snapshot, UI, end-to-end, doctests) and validates the specs.
set -euo pipefail
cd "$(dirname "$0")/.."

export CARGO_TERM_COLOR=never
# Snapshots are reviewed by people (`cargo insta review`), never accepted by a test run.
export INSTA_UPDATE=no

echo "== generated/ matches specs/"
cargo run -q -p generator -- --check

echo "== clippy (warnings are errors)"
cargo clippy -q --workspace --all-targets -- -D warnings

echo "== cargo test"
cargo test --workspace

echo "== specs: openapi-spec-validator and fidelity to the seed docs"
python3 tests/specs/check_specs.py
