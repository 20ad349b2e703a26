#!/usr/bin/env bash
# Runs every test of the project, from a clean clone: installs what the tests need (npm:
# oidc-provider; PyPI: pyiceberg, authlib, requests-oauthlib for the interop suite, and the
# spec checks' own packages), checks generated code is up to date, lints, builds the docs,
# runs all Rust tests (unit, snapshot, UI, end-to-end, interop, doctests) and validates the
# specs. Servers listen on 127.0.0.1 only and are stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."

export CARGO_TERM_COLOR=never
# Snapshots are reviewed by people (`cargo insta review`), never accepted by a test run.
export INSTA_UPDATE=no

echo "== interop peers: tests/interop/setup.sh"
bash tests/interop/setup.sh >/dev/null

echo "== generated/ matches specs/"
cargo run -q -p generator -- --check

echo "== clippy (warnings are errors)"
cargo clippy -q --workspace --all-targets -- -D warnings
# The library as the proc macro builds it (no docs, no formatting), and the tests that need
# neither.
cargo clippy -q -p generator --all-targets --no-default-features -- -D warnings

echo "== rustdoc (warnings are errors)"
RUSTDOCFLAGS="-D warnings" cargo doc -q --workspace --no-deps

echo "== cargo test"
cargo test --workspace

echo "== token layer against oidc-provider (short token lifetimes)"
work=$(mktemp -d)
ACCESS_TOKEN_TTL=2 node tests/interop/oidc/server.mjs 0 >"$work/ready" 2>"$work/log" </dev/null &
provider=$!
trap 'kill "$provider" 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 300); do
    grep -q '^READY ' "$work/ready" && break
    kill -0 "$provider" 2>/dev/null || { cat "$work/log" >&2; echo "oidc-provider did not start" >&2; exit 1; }
    sleep 0.1
done
url=$(sed -n 's/^READY //p' "$work/ready")
[ -n "$url" ] || { echo "oidc-provider did not print READY within 30 s" >&2; exit 1; }
OIDC_PROVIDER_URL="$url" cargo test -p oauth-api --test token_oidc_provider -- --ignored
kill "$provider"
wait "$provider" 2>/dev/null || true

echo "== specs: openapi-spec-validator and fidelity to the seed docs"
python3 tests/specs/check_specs.py
