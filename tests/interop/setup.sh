#!/usr/bin/env bash
# Installs the real OAuth peers of the interop suite; idempotent, bounded.
#
#   tests/interop/setup.sh          # from anywhere
#
# - tests/interop/oidc/node_modules: `npm ci` from the committed package-lock.json
#   (oidc-provider). Skipped, with no network, when node_modules already matches the lock.
# - target/interop-venv (or $INTEROP_VENV): a Python venv with requirements.txt (pyiceberg,
#   authlib, requests-oauthlib, all pinned). Skipped when it already matches.
#
# Ends with the lines a test driver can read (`interop: KEY VALUE`):
#   interop: node /path/to/node
#   interop: oidc-server /abs/tests/interop/oidc/server.mjs
#   interop: python /abs/target/interop-venv/bin/python
#   interop: peers /abs/tests/interop/peers
#
# Fails fast, naming what is missing, when a tool is absent or a registry does not answer
# (each install is bounded by INTEROP_INSTALL_TIMEOUT seconds, default 600).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
venv="${INTEROP_VENV:-$root/target/interop-venv}"
limit="${INTEROP_INSTALL_TIMEOUT:-600}"

say() { echo "interop setup: $*" >&2; }
die() { echo "interop setup: ERROR: $*" >&2; exit 1; }

hash_of() { cat "$@" | sha256sum | cut -d' ' -f1; }

# ---- tools -------------------------------------------------------------------------------
command -v node >/dev/null || die "node is not installed (Node.js >= 20 is needed for oidc-provider)"
command -v npm >/dev/null || die "npm is not installed"
node_major="$(node -p 'process.versions.node.split(".")[0]')"
[ "$node_major" -ge 20 ] || die "Node.js >= 20 is needed, found $(node --version)"
python="${INTEROP_PYTHON_BASE:-python3}"
command -v "$python" >/dev/null || die "$python is not installed (Python >= 3.10 is needed)"
"$python" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)' \
  || die "Python >= 3.10 is needed, found $("$python" --version 2>&1)"

# ---- oidc-provider (npm) -----------------------------------------------------------------
oidc="$here/oidc"
stamp="$oidc/node_modules/.interop-stamp"
want="$(hash_of "$oidc/package.json" "$oidc/package-lock.json")-node$node_major"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  say "oidc-provider: up to date ($oidc/node_modules)"
elif [ -d "$oidc/node_modules/oidc-provider" ] \
     && (cd "$oidc" && timeout 60 npm ls --all --offline >/dev/null 2>&1); then
  # Installed by hand (npm install / npm ci) and matching the lock: no network needed.
  echo "$want" > "$stamp"
  say "oidc-provider: node_modules matches package-lock.json ($oidc/node_modules)"
else
  say "oidc-provider: npm ci in $oidc"
  start=$SECONDS
  if ! (cd "$oidc" && timeout "$limit" npm ci --no-audit --no-fund --loglevel=error \
        --fetch-timeout=30000 --fetch-retries=1 >&2); then
    die "npm ci failed in $oidc (is the npm registry reachable? see the npm error above)"
  fi
  echo "$want" > "$stamp"
  say "oidc-provider: installed in $((SECONDS - start)) s"
fi

# ---- Python peers (PyPI) -----------------------------------------------------------------
req="$here/requirements.txt"
vstamp="$venv/.interop-stamp"
pyver="$("$python" -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
vwant="$(hash_of "$req")-py$pyver"
if [ -x "$venv/bin/python" ] && [ -f "$vstamp" ] && [ "$(cat "$vstamp")" = "$vwant" ]; then
  say "python peers: up to date ($venv)"
else
  say "python peers: creating $venv"
  start=$SECONDS
  rm -rf "$venv"
  mkdir -p "$(dirname "$venv")"
  "$python" -m venv "$venv" || die "could not create a venv with $python -m venv (python3-venv missing?)"
  if ! timeout "$limit" "$venv/bin/python" -m pip install --quiet --disable-pip-version-check \
        --timeout 30 --retries 1 -r "$req" >&2; then
    rm -rf "$venv"
    die "pip install -r $req failed (is PyPI reachable? see the pip error above)"
  fi
  "$venv/bin/python" -c 'import pyiceberg.catalog.rest.auth, authlib.integrations.requests_client, requests_oauthlib' \
    || die "the peers' libraries do not import in $venv"
  echo "$vwant" > "$vstamp"
  say "python peers: installed in $((SECONDS - start)) s"
fi

echo "interop: node $(command -v node)"
echo "interop: oidc-server $oidc/server.mjs"
echo "interop: python $venv/bin/python"
echo "interop: peers $here/peers"
