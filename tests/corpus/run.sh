#!/usr/bin/env bash
# Real-world spec corpus harness (issue 7). Run on demand, not in CI.
#
#   tests/corpus/run.sh                  # install corpus, build, generate all 3.0.x specs, compile a sample
#   tests/corpus/run.sh --no-compile     # generation pass only (a few minutes)
#   tests/corpus/run.sh --compile-only   # compile pass only, on the last generation pass
#
# See `tests/corpus/run.py --help` for every option. Scratch files go to tests/corpus/work/
# (git-ignored); the summary goes to tests/corpus/RESULTS.md.
set -euo pipefail
exec python3 "$(dirname "${BASH_SOURCE[0]}")/run.py" "$@"
