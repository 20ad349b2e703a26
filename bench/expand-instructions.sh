#!/usr/bin/env bash
# Instructions rustc spends on `#[oauth_api("specs/S")]` over the same code checked in, counted
# by callgrind: a figure that does not move with the machine's load, unlike the wall time of
# `cargo bench -p generator --bench expand_rustc` (which this reuses the scratch crate of).
#
#   bench/expand-instructions.sh [SPEC ...]     # default: the four specs in specs/
#
# For each spec, rustc checks the scratch crate twice with `-Zno-analysis` (parse and expand,
# then stop), once with the macro and once with the checked-in module, under
# `valgrind --tool=callgrind`; it prints both counts and their difference. Needs valgrind, and
# the scratch crate built once by the wall-time bench (`target/bench/expand-rustc/`), whose
# macro library is rebuilt here from the working tree.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
DIR=$ROOT/target/bench/expand-rustc
if ! command -v valgrind >/dev/null; then
  echo "valgrind is not installed" >&2
  exit 1
fi
if [ ! -f "$DIR/Cargo.toml" ]; then
  echo "no scratch crate: run \`cargo bench -p generator --bench expand_rustc\` once" >&2
  exit 1
fi
specs=("$@")
if [ ${#specs[@]} -eq 0 ]; then
  specs=(confluent nutanix polaris treezor)
fi
RUSTC=$(rustc --print sysroot)/bin/rustc
LIB=$DIR/src/lib.rs
SAVED=$(mktemp)
cp "$LIB" "$SAVED"
trap 'cp "$SAVED" "$LIB"; rm -f "$SAVED" "$DIR"/callgrind.*.out "$DIR"/expand.rmeta' EXIT

# The macro library as the working tree builds it (and the runtime's metadata).
(cd "$DIR" && cargo check -q)
MACROS=$(ls -t "$DIR"/target/debug/deps/liboauth_api_macros-*.so | head -1)
RUNTIME=$(ls -t "$DIR"/target/debug/deps/liboauth_api-*.rmeta | head -1)

count() { # form -> instructions of one rustc run
  (cd "$DIR" && RUSTC_BOOTSTRAP=1 valgrind --tool=callgrind --callgrind-out-file="$DIR/callgrind.$1.out" \
    "$RUSTC" --crate-name expand_rustc --edition=2021 src/lib.rs --crate-type lib --emit=metadata \
    -Zno-analysis -o "$DIR/expand.rmeta" -L dependency="$DIR/target/debug/deps" \
    --extern oauth_api="$RUNTIME" --extern oauth_api_macros="$MACROS" 2>&1) |
    sed -n 's/.*I *refs: *//p' | tr -d ,
}

echo "| spec | with the macro | with the checked-in module | the macro's cost |"
echo "| ---- | -------------: | -------------------------: | ---------------: |"
for spec in "${specs[@]}"; do
  printf '#[oauth_api_macros::oauth_api("%s/specs/%s.yaml")]\npub mod api {}\n' "$ROOT" "$spec" >"$LIB"
  with_macro=$(count macro)
  printf '#[path = "%s/generated/src/%s.rs"]\npub mod api;\n' "$ROOT" "$spec" >"$LIB"
  checked_in=$(count file)
  if [ -z "$with_macro" ] || [ -z "$checked_in" ]; then
    echo "| \`specs/$spec.yaml\` | failed | | |"
    continue
  fi
  awk -v s="$spec" -v m="$with_macro" -v f="$checked_in" \
    'BEGIN { printf "| `specs/%s.yaml` | %.1f M | %.1f M | **%.1f M** |\n", s, m / 1e6, f / 1e6, (m - f) / 1e6 }'
done
