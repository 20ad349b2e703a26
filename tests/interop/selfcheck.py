#!/usr/bin/env python3
"""Runs every peer script, in every mode and flow, and prints the results as a Markdown table.

    target/interop-venv/bin/python tests/interop/selfcheck.py oidc
    target/interop-venv/bin/python tests/interop/selfcheck.py polaris http://127.0.0.1:18081
    target/interop-venv/bin/python tests/interop/selfcheck.py nutanix http://127.0.0.1:18082/api/nutanix/v3
    target/interop-venv/bin/python tests/interop/selfcheck.py treezor http://127.0.0.1:18083

`oidc` starts tests/interop/oidc/server.mjs itself (Polaris' token path, 30 s tokens) and
stops it at the end; the others talk to a server already running at the URL (e.g. `cargo
run -p oauth-api-tests --example serve -- polaris 127.0.0.1:18081`).

Each row: the peer, its client authentication, the flow, what RFC 6749 / 7009 / 8693
expect (`ok` or an error code), and what came back. Exit status 1 when a row's outcome
differs from the expectation (the table says which), else 0. This is a tool for people
(it wrote the tables in README.md); the test drivers call the peer scripts themselves.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
import subprocess
import sys
import urllib.error
import urllib.parse
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
PEERS = os.path.join(HERE, "peers")
PY = sys.executable
TE = "urn:ietf:params:oauth:token-type:access_token"

rows: list[dict] = []


def peer(script: str, flow: str, **kw) -> dict:
    argv = [PY, os.path.join(PEERS, script), flow]
    for key, value in kw.items():
        if value is not None:
            # `--name=value`: tokens and verifiers may start with `-`.
            argv.append(f"--{key.replace('_', '-')}={value}")
    done = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    try:
        out = json.loads(done.stdout.strip().splitlines()[-1])
    except (IndexError, ValueError):
        out = {"ok": False, "exception": (done.stderr or done.stdout)[-300:]}
    out["_rc"] = done.returncode
    return out


def summarize(body) -> str:
    """The error of a non-RFC 6749 error body (Nutanix OauthStatus, Treezor DefaultError)."""
    if isinstance(body, dict):
        items = body.get("message_list") or body.get("errors")
        if isinstance(items, list) and items and isinstance(items[0], dict):
            first = items[0]
            code = first.get("reason") or first.get("type") or ""
            return f"{body.get('kind', '') and 'OauthStatus ' or 'DefaultError '}{code}: {first.get('message', '')}"[:160]
    return json.dumps(body)[:120]


def record(name: str, mode: str, flow: str, expect: str, out: dict, note: str = "", known: bool = False) -> dict:
    """`known`: the peer itself departs from the RFC here (the row says KNOWN, not FAIL)."""
    if out.get("ok"):
        got = f"ok {out.get('status', '')}".strip()
        if out.get("token_type"):
            got += f", {out['token_type']}, expires_in {out.get('expires_in')}"
    else:
        status = out.get("status")
        err = out.get("error") or ""
        desc = out.get("error_description") or ""
        if not err and "body" in out:
            err = summarize(out["body"])
        if not err and out.get("exception"):
            err = out["exception"][:120]
        got = f"{status} {err}".strip() + (f" ({desc})" if desc else "")
    sent = next((e for e in out.get("sent", []) if e.get("method") == "POST"), None)
    how = ""
    if sent:
        how = sent.get("client_auth", "")
        if sent.get("basic_encoding") not in (None, "same"):
            how += f" ({sent['basic_encoding']})"
        how += "; " + ",".join(sent.get("body_params", []))
    passed = out.get("ok") if expect == "ok" else (not out.get("ok") and out.get("error") == expect)
    row = {"peer": name, "mode": mode, "flow": flow, "expect": expect, "got": got, "sent": how,
           "pass": bool(passed) or known, "known": known and not passed, "note": note}
    rows.append(row)
    return out


def table(title: str) -> None:
    print(f"\n### {title}\n")
    print("| peer | auth | flow | expected | result | what it sent (auth; body params) | |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for r in rows:
        verdict = "KNOWN" if r["known"] else ("PASS" if r["pass"] else "**FAIL**")
        note = f" {r['note']}" if r["note"] else ""
        print(f"| {r['peer']} | {r['mode']} | {r['flow']} | {r['expect']} | {r['got']}{note} | {r['sent']} | {verdict} |")


def http(method: str, url: str, data=None, headers=None):
    body = None
    if isinstance(data, dict):
        body = urllib.parse.urlencode(data).encode()
        headers = {"Content-Type": "application/x-www-form-urlencoded", **(headers or {})}
    elif isinstance(data, (bytes, str)):
        body = data.encode() if isinstance(data, str) else data
    req = urllib.request.Request(url, data=body, method=method, headers=headers or {})

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *a, **k):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(req, timeout=10) as r:
            return r.status, dict(r.headers), r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read().decode()


def pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


# --------------------------------------------------------------------------------------
# oidc-provider
# --------------------------------------------------------------------------------------

def check_oidc() -> None:
    env = dict(os.environ, ACCESS_TOKEN_TTL="30", TOKEN_PATH="/v1/oauth/tokens")
    server = subprocess.Popen(
        ["node", os.path.join(HERE, "oidc", "server.mjs"), "0"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, text=True,
    )
    try:
        line = server.stdout.readline().split()
        assert line and line[0] == "READY", f"no READY line: {line}"
        base = line[1]
        _status, _h, cfg = http("GET", base + "/__config")
        cfg = json.loads(cfg)
        token_url = cfg["token_endpoint"]
        revocation_url = cfg["revocation_endpoint"]
        introspection_url = cfg["introspection_endpoint"]
        resource = cfg["resource_endpoint"]
        redirect = "http://127.0.0.1/callback"

        def code_for(client_id: str) -> tuple[str, str]:
            verifier, challenge = pkce()
            q = urllib.parse.urlencode({
                "response_type": "code", "client_id": client_id, "redirect_uri": redirect,
                "scope": "openid api:read", "state": "s1", "code_challenge": challenge,
                "code_challenge_method": "S256",
            })
            url = f"{cfg['authorization_endpoint']}?{q}"
            _s, _h, body = http("GET", base + "/__code?" + urllib.parse.urlencode({"url": url}))
            return json.loads(body)["code"], verifier

        for name, mode, cid, secret, manager in [
            ("pyiceberg LegacyOAuth2AuthManager", "post", "root", "s3cr3t", "legacy"),
            ("pyiceberg OAuth2AuthManager", "basic", "root", "s3cr3t", "oauth2"),
        ]:
            record(name, mode, "client_credentials", "ok",
                   peer("pyiceberg_peer.py", "client_credentials", manager=manager, token_url=token_url,
                        client_id=cid, client_secret=secret, resource_url=resource))
            record(name, mode, "client_credentials, wrong secret", "invalid_client",
                   peer("pyiceberg_peer.py", "client_credentials", manager=manager, token_url=token_url,
                        client_id=cid, client_secret="wrong"))
            record(name, mode, "client_credentials, secret `p@ss w+rd:%&=`", "ok",
                   peer("pyiceberg_peer.py", "client_credentials", manager=manager, token_url=token_url,
                        client_id="interop-special", client_secret="p@ss w+rd:%&="),
                   known=mode == "basic")

        for name, script in [("authlib", "authlib_peer.py"), ("requests-oauthlib", "requests_oauthlib_peer.py")]:
            for mode, cid, secret in [("basic", "interop-basic", "interop-basic-secret"),
                                      ("post", "interop-post", "interop-post-secret")]:
                common = {"token_url": token_url, "client_id": cid, "client_secret": secret, "auth": mode}
                record(name, mode, "client_credentials", "ok",
                       peer(script, "client_credentials", scope="api:read", resource_url=resource, **common))
                pw = record(name, mode, "password", "ok",
                            peer(script, "password", username="alice", password="wonderland",
                                 scope="api:read", resource_url=resource, **common))
                rt = pw.get("refresh_token")
                rf = record(name, mode, "refresh_token", "ok",
                            peer(script, "refresh_token", refresh_token=rt, resource_url=resource, **common))
                code, verifier = code_for(cid)
                record(name, mode, "authorization_code + PKCE", "ok",
                       peer(script, "authorization_code", code=code, code_verifier=verifier,
                            redirect_uri=redirect, resource_url=resource, **common))
                if name == "authlib":
                    cc = peer(script, "client_credentials", **common)
                    record(name, mode, "token_exchange (RFC 8693)", "ok",
                           peer(script, "token_exchange", subject_token=cc.get("access_token"),
                                resource_url=resource, **common))
                    record(name, mode, "introspection (RFC 7662)", "ok",
                           peer(script, "introspection", introspection_url=introspection_url,
                                token=rf.get("access_token"), **common))
                latest_rt = rf.get("refresh_token") or rt
                record(name, mode, "revocation (RFC 7009) of the refresh token", "ok",
                       peer(script, "revocation", revocation_url=revocation_url, token=latest_rt,
                            token_type_hint="refresh_token", **common))
                record(name, mode, "refresh_token after revocation", "invalid_grant",
                       peer(script, "refresh_token", refresh_token=latest_rt, **common))
                record(name, mode, "client_credentials, wrong secret", "invalid_client",
                       peer(script, "client_credentials", **{**common, "client_secret": "wrong"}))
                record(name, mode, "client_credentials, unknown scope", "invalid_scope",
                       peer(script, "client_credentials", scope="no-such-scope", **common))
                record(name, mode, "client_credentials, secret `p@ss w+rd:%&=`", "ok",
                       peer(script, "client_credentials", token_url=token_url, client_id="interop-special",
                            client_secret="p@ss w+rd:%&=", auth=mode),
                       known=mode == "basic")
            code, verifier = code_for("interop-public")
            record(name, "none", "authorization_code + PKCE (public client)", "ok",
                   peer(script, "authorization_code", token_url=token_url, client_id="interop-public",
                        auth="none", code=code, code_verifier=verifier, redirect_uri=redirect,
                        resource_url=resource))
        _s, _h, stats = http("GET", base + "/__stats")
        print("token requests seen by the AS:", json.loads(stats)["token_requests"], file=sys.stderr)
    finally:
        server.stdin.close()
        server.wait(timeout=5)
    table("Peers against oidc-provider")


# --------------------------------------------------------------------------------------
# Round-one reference servers (tests/reference/*.rs)
# --------------------------------------------------------------------------------------

def check_polaris(base: str) -> None:
    token_url = base.rstrip("/") + "/v1/oauth/tokens"
    cid, secret = "root", "s3cr3t"
    for name, mode, manager in [("pyiceberg LegacyOAuth2AuthManager", "post", "legacy"),
                                ("pyiceberg OAuth2AuthManager", "basic", "oauth2")]:
        for scope, note in [(None, ""), ("PRINCIPAL_ROLE:ALL", "")]:
            flow = "client_credentials" + (f", scope {scope}" if scope else
                                           (", RestCatalog's default scope `catalog`" if manager == "legacy" else ", no scope"))
            expect = "invalid_scope" if (manager == "legacy" and scope is None) else "ok"
            record(name, mode, flow, expect,
                   peer("pyiceberg_peer.py", "client_credentials", manager=manager, token_url=token_url,
                        client_id=cid, client_secret=secret, scope=scope), note)
    for name, script in [("authlib", "authlib_peer.py"), ("requests-oauthlib", "requests_oauthlib_peer.py")]:
        for mode in ("basic", "post"):
            common = {"token_url": token_url, "client_id": cid, "client_secret": secret, "auth": mode}
            cc = record(name, mode, "client_credentials", "ok",
                        peer(script, "client_credentials", scope="PRINCIPAL_ROLE:ALL", **common))
            if name == "authlib":
                subject = cc.get("access_token")
                if subject is None:
                    status, _h, body = http("POST", token_url, {
                        "grant_type": "client_credentials", "client_id": cid, "client_secret": secret})
                    subject = json.loads(body).get("access_token") if status == 200 else "none"
                record(name, mode, "token_exchange (RFC 8693)", "ok",
                       peer(script, "token_exchange", subject_token=subject, **common))
            record(name, mode, "client_credentials, wrong secret", "invalid_client",
                   peer(script, "client_credentials", **{**common, "client_secret": "wrong"}))
            record(name, mode, "client_credentials, unknown scope", "invalid_scope",
                   peer(script, "client_credentials", scope="no-such-scope", **common))
    table("Peers against the round-one Polaris server")


def check_nutanix(base: str) -> None:
    base = base.rstrip("/")
    admin = "Basic " + base64.b64encode(b"admin:Nutanix/4u:2024").decode()
    redirect = "http://127.0.0.1/callback"
    status, _h, body = http("POST", base + "/oauth/client", json.dumps({
        "client_name": "interop-" + secrets.token_hex(4), "redirect_uris": [redirect],
        "client_description": "interop peers", "default_scopes": ["read"]}),
        {"Authorization": admin, "Content-Type": "application/json"})
    assert status == 200, f"cannot create an OAuth client: {status} {body}"
    client = json.loads(body)
    cid, secret = client["client_id"], client["client_secret"]
    token_url = base + "/oauth/token"

    def code() -> str:
        s, headers, b = http("POST", base + "/oauth/authorize", {
            "client_id": cid, "response_type": "code", "confirm": "yes", "redirect_uri": redirect,
            "state": "s1"}, {"Authorization": admin})
        location = headers.get("Location") or headers.get("location") or ""
        q = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(location).query))
        assert "code" in q, f"no code: {s} {location} {b}"
        return q["code"]

    for name, script in [("authlib", "authlib_peer.py"), ("requests-oauthlib", "requests_oauthlib_peer.py")]:
        for mode in ("basic", "post"):
            common = {"token_url": token_url, "client_id": cid, "client_secret": secret, "auth": mode}
            ac = record(name, mode, "authorization_code", "ok",
                        peer(script, "authorization_code", code=code(), redirect_uri=redirect, **common))
            rt = ac.get("refresh_token")
            if rt is None:  # get one the way the spec asks (body credentials) to test refresh
                s, _h, b = http("POST", token_url, {
                    "grant_type": "authorization_code", "code": code(), "redirect_uri": redirect,
                    "client_id": cid, "client_secret": secret})
                rt = json.loads(b).get("refresh_token") if s == 200 else "none"
            rf = record(name, mode, "refresh_token", "ok", peer(script, "refresh_token", refresh_token=rt, **common))
            latest = rf.get("refresh_token") or rt
            record(name, mode, "revocation (RFC 7009, token in the body)", "ok",
                   peer(script, "revocation", revocation_url=base + "/oauth/revoke_token", token=latest,
                        token_type_hint="refresh_token", **common),
                   "(spec: token in the query)")
            record(name, mode, "authorization_code, wrong secret", "invalid_client",
                   peer(script, "authorization_code", code=code(), redirect_uri=redirect,
                        **{**common, "client_secret": "wrong"}))
    table("Peers against the round-one Nutanix server")


def check_treezor(base: str) -> None:
    token_url = base.rstrip("/") + "/oauth/token"
    cid, secret = "tz-client", "tz-secret"
    for name, script in [("authlib", "authlib_peer.py"), ("requests-oauthlib", "requests_oauthlib_peer.py")]:
        for mode in ("basic", "post"):
            common = {"token_url": token_url, "client_id": cid, "client_secret": secret, "auth": mode}
            record(name, mode, "client_credentials", "ok", peer(script, "client_credentials", **common),
                   "(spec: multipart/form-data only)")
            pw = record(name, mode, "password", "ok",
                        peer(script, "password", username="alice@example.com",
                             password="correct horse battery staple", **common))
            record(name, mode, "refresh_token", "ok",
                   peer(script, "refresh_token", refresh_token=pw.get("refresh_token") or "none", **common))
    table("Peers against the round-one Treezor server")


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in ("oidc", "polaris", "nutanix", "treezor") \
            or (sys.argv[1] != "oidc" and len(sys.argv) != 3):
        sys.exit(__doc__)
    target = sys.argv[1]
    if target == "oidc":
        check_oidc()
    else:
        {"polaris": check_polaris, "nutanix": check_nutanix, "treezor": check_treezor}[target](sys.argv[2])
    failed = sum(1 for r in rows if not r["pass"])
    known = sum(1 for r in rows if r["known"])
    print(f"\nselfcheck: {len(rows) - failed - known} as expected, {known} known peer deviations, {failed} unexpected")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
