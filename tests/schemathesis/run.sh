#!/usr/bin/env bash
# Runs schemathesis (pinned, all checks, fixed seed) against the four generated servers,
# each served on 127.0.0.1 by its reference implementation (tests/examples/serve.rs).
#
#   tests/schemathesis/run.sh [API...]      # default: polaris confluent nutanix treezor
#
# Each API gets two passes against a fresh server:
#   plain        what schemathesis generates, with only the auth the spec declares
#                (Polaris: Bearer token; Nutanix: Basic admin; Confluent, Treezor: none);
#   credentialed the same, plus hooks.py replacing client ids, secrets, users, pools and
#                tokens in generated requests with ones the reference knows, so that
#                requests get past authentication and reach the implementation.
#
# Environment (all optional):
#   SEED (20261129)  MAX_EXAMPLES (100 per operation)  ST_TIMEOUT (240 s per pass)
#   SERVE_BIN        a prebuilt `serve` example; default: built here with cargo
#   OUT              output directory (default target/schemathesis): per pass the console
#                    output (<api>-<pass>.txt), NDJSON events and a HAR of every exchange
#
# Then probes.py sends the requests behind issue 13's named holes (null for optional JSON
# fields, Treezor's oneOf, Polaris's anyOf) to a fresh server, and har_check.py checks
# every recorded exchange for the API's error body, WWW-Authenticate on 401 and
# Cache-Control: no-store on token responses.
#
# Exit status: 1 when any pass reports a failure (README.md sorts each one into bug of the
# generated server / RFC behaviour / false positive), else 0. Servers are stopped on every
# exit path; everything listens on 127.0.0.1 only, and every step has a timeout.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
HERE="$ROOT/tests/schemathesis"
VENV="$ROOT/target/schemathesis-venv"
OUT=${OUT:-$ROOT/target/schemathesis}
SEED=${SEED:-20261129}
MAX_EXAMPLES=${MAX_EXAMPLES:-100}
ST_TIMEOUT=${ST_TIMEOUT:-240}
APIS=("$@")
[ ${#APIS[@]} -gt 0 ] || APIS=(polaris confluent nutanix treezor)

# --- install (pinned: requirements.txt is the pip freeze of a working venv) -------------
if ! "$VENV/bin/st" --version 2>/dev/null | grep -q "version 4.32.5$"; then
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install -q --disable-pip-version-check -r "$HERE/requirements.txt"
fi
"$VENV/bin/st" --version

# --- the server binary ------------------------------------------------------------------
if [ -z "${SERVE_BIN:-}" ]; then
    (cd "$ROOT" && cargo build -q -p oauth-api-tests --example serve)
    SERVE_BIN="${CARGO_TARGET_DIR:-$ROOT/target}/debug/examples/serve"
fi

SERVER_PID=
stop_server() {
    if [ -n "$SERVER_PID" ]; then
        kill "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
        SERVER_PID=
    fi
}
trap stop_server EXIT
trap 'exit 130' INT TERM

# Starts `serve API` on a free loopback port; sets BASE (the spec's base URL on it).
start_server() {
    local api=$1 log=$OUT/$1-server.log
    : >"$log"
    timeout 900 "$SERVE_BIN" "$api" 127.0.0.1:0 >"$log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 100); do
        BASE=$(sed -n 's/^serving [a-z]* on \(http:\/\/127\.0\.0\.1:[0-9]*[^ ]*\)$/\1/p' "$log")
        [ -n "$BASE" ] && return 0
        kill -0 "$SERVER_PID" 2>/dev/null || break
        sleep 0.1
    done
    echo "the $api server did not start:" >&2
    cat "$log" >&2
    return 1
}

b64url() { python3 -c 'import base64,sys; print(base64.urlsafe_b64encode(sys.argv[1].encode()).decode().rstrip("="))' "$1"; }
json_field() { python3 -c 'import json,sys; print(json.load(sys.stdin)[sys.argv[1]])' "$1"; }

# Sets AUTH (extra `st run` arguments: the auth the spec declares) and CREDENTIALS
# (hooks.py's JSON, used by the credentialed pass) for API on BASE. Credentials are the
# reference implementations' demo ones (tests/reference/*.rs, tests/examples/serve.rs).
prepare() {
    local api=$1 pass=$2
    AUTH=()
    CREDENTIALS='{}'
    case "$api" in
    polaris)
        # BearerAuth is the operation's security; the token is one the server issued
        # to its ROOT_CLIENT (root / s3cr3t).
        local token
        token=$(curl -sf -u root:s3cr3t -d grant_type=client_credentials \
            "$BASE/v1/oauth/tokens" | json_field access_token)
        AUTH=(-H "Authorization: Bearer $token")
        CREDENTIALS=$(printf '{"body":{"client_id":"root","client_secret":"s3cr3t","subject_token":"%s","actor_token":"%s"}}' "$token" "$token")
        ;;
    confluent)
        # No security. A known pool, a JWT-shaped subject token (signature unchecked),
        # and the values the spec's x-extensible-enum fields expect.
        local jwt
        jwt="$(b64url '{"alg":"HS256","typ":"JWT"}').$(b64url '{"iss":"https://idp.example.com","sub":"alice"}').c2lnbmF0dXJl"
        CREDENTIALS=$(printf '{"body":{"identity_pool_id":"pool-Ab1x","subject_token":"%s","grant_type":"urn:ietf:params:oauth:grant-type:token-exchange","subject_token_type":"urn:ietf:params:oauth:token-type:jwt","requested_token_type":"urn:ietf:params:oauth:token-type:access_token"}}' "$jwt")
        ;;
    nutanix)
        # Global basicAuth: the ADMIN Prism user. Its password has a colon, which
        # `st run --auth` refuses, so the header is given whole.
        local basic redirect=https://app.example.com/cb path_client body_client id secret location code tokens
        basic="Basic $(printf '%s' 'admin:Nutanix/4u:2024' | base64)"
        AUTH=(-H "Authorization: $basic")
        [ "$pass" = credentialed ] || return 0
        # Two OAuth clients: one for the `{client_id}` path (DELETE may remove it), one
        # that authenticates in the token endpoint's body; a code and a refresh token of
        # the latter, and an access token to revoke.
        new_client() {
            curl -sf -H "Authorization: $basic" -H 'content-type: application/json' \
                -d "{\"client_name\":\"$1\",\"redirect_uris\":[\"$redirect\"],\"client_description\":\"schemathesis\",\"default_scopes\":[\"all\"]}" \
                "$BASE/oauth/client"
        }
        path_client=$(new_client st-path | json_field client_id)
        body_client=$(new_client st-body)
        id=$(json_field client_id <<<"$body_client")
        secret=$(json_field client_secret <<<"$body_client")
        authorize() {
            curl -sf -o /dev/null -w '%{redirect_url}' -H "Authorization: $basic" \
                -d "client_id=$id&response_type=code&confirm=yes&redirect_uri=$redirect" "$BASE/oauth/authorize" |
                python3 -c 'import sys,urllib.parse as u; print(u.parse_qs(u.urlparse(sys.stdin.read()).query)["code"][0])'
        }
        code=$(authorize)
        tokens=$(curl -sf -u "$id:$secret" -d "grant_type=authorization_code&code=$(authorize)&redirect_uri=$redirect" "$BASE/oauth/token")
        CREDENTIALS=$(python3 -c 'import json,sys; a=sys.argv; print(json.dumps({
            "path": {"client_id": a[2]},
            "body": {"client_id": a[3], "client_secret": a[4], "redirect_uri": a[5], "code": a[6],
                     "refresh_token": json.loads(a[7])["refresh_token"]},
            "query": {"token": json.loads(a[7])["access_token"]}}))' \
            "$basic" "$path_client" "$id" "$secret" "$redirect" "$code" "$tokens")
        ;;
    treezor)
        # No security; the client authenticates in the body (CLIENT, USER), and a
        # refresh token from a password grant (it rotates: good for one use).
        local refresh
        refresh=$(curl -sf -F grant_type=password -F client_id=tz-client -F client_secret=tz-secret \
            -F username=alice@example.com -F 'password=correct horse battery staple' \
            "$BASE/oauth/token" | json_field refresh_token)
        CREDENTIALS=$(printf '{"body":{"client_id":"tz-client","client_secret":"tz-secret","username":"alice@example.com","password":"correct horse battery staple","refresh_token":"%s"}}' "$refresh")
        ;;
    *)
        echo "unknown API $api" >&2
        return 1
        ;;
    esac
}

mkdir -p "$OUT"
FAILED=()

# st_run NAME PASS [ARGS...]: one schemathesis run against the server on BASE.
st_run() {
    local name=$1 pass=$2 status=0
    shift 2
    local hooks=()
    [ "$pass" = credentialed ] && hooks=(SCHEMATHESIS_HOOKS=hooks PYTHONPATH="$HERE" PYTHONDONTWRITEBYTECODE=1 ST_CREDENTIALS="$CREDENTIALS")
    rm -rf "${OUT:?}/$name"
    mkdir -p "$OUT/$name"
    echo "== $name: $BASE"
    # Run inside the report directory: schemathesis keeps a crash cache (for `st replay`)
    # in ./.schemathesis, which must neither litter the checkout nor carry over to the
    # next run.
    (cd "$OUT/$name" && env "${hooks[@]}" timeout "$ST_TIMEOUT" "$VENV/bin/st" run "$ROOT/specs/$api.yaml" \
        --url "$BASE" "$@" \
        --checks all --max-examples "$MAX_EXAMPLES" --seed "$SEED" \
        --workers 1 --generation-database none --continue-on-failure \
        --no-color --output-truncate false --output-sanitize false \
        --report ndjson,har --report-dir "$OUT/$name") >"$OUT/$name.txt" 2>&1 || status=$?
    sed -n '/^Test cases:/,/^$/p' "$OUT/$name.txt"
    grep -E '^  ❌ ST' "$OUT/$name.txt" || true
    [ "$status" -eq 0 ] || FAILED+=("$name (exit $status)")
}

for api in "${APIS[@]}"; do
    for pass in plain credentialed; do
        start_server "$api"
        prepare "$api" "$pass"
        if [ "$api-$pass" = nutanix-credentialed ]; then
            # The Prism user's Basic credentials everywhere but on the token endpoint,
            # where the OAuth client authenticates in the body (both: 400, RFC 6749 §2.3).
            # The token endpoint first: the stateful phase of the other run may delete
            # the OAuth client (it takes client ids from the list operation's response).
            st_run "$api-$pass-token" "$pass" --include-path /oauth/token
            st_run "$api-$pass" "$pass" "${AUTH[@]}" --exclude-path /oauth/token
        else
            st_run "$api-$pass" "$pass" "${AUTH[@]}"
        fi
        stop_server
    done
    # The issue's named holes, probed directly on a fresh server.
    start_server "$api"
    echo "== $api-probes: $BASE"
    status=0
    timeout 60 "$VENV/bin/python" "$HERE/probes.py" "$api" "$BASE" >"$OUT/$api-probes.txt" 2>&1 || status=$?
    stop_server
    grep -E '^(FAIL|probes:)' "$OUT/$api-probes.txt" || true
    [ "$status" -eq 0 ] || FAILED+=("$api-probes (exit $status)")
done

# Error bodies, WWW-Authenticate and Cache-Control over every recorded exchange.
echo "== har checks"
status=0
"$VENV/bin/python" "$HERE/har_check.py" "$OUT" >"$OUT/har-check.txt" 2>&1 || status=$?
grep -E '^(FAIL|har:)' "$OUT/har-check.txt" || true
[ "$status" -eq 0 ] || FAILED+=("har-check (exit $status)")

if [ ${#FAILED[@]} -gt 0 ]; then
    echo "failures in: ${FAILED[*]} (console output in $OUT)"
    exit 1
fi
echo "schemathesis and probes: no failures"
