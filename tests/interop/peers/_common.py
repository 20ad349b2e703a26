"""Shared plumbing of the peer scripts: arguments, a recorder of what the library sends,
and the one JSON line each script prints.

The recorder wraps ``requests.Session.send``, through which every request of pyiceberg,
authlib and requests-oauthlib goes. It only observes (and gives requests without a timeout
one, so a test cannot hang): the library builds its requests as it always does.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import sys
import traceback
from urllib.parse import parse_qsl, quote_plus

import requests

#: Seconds before a request without its own timeout gives up.
DEFAULT_TIMEOUT = float(os.environ.get("INTEROP_PEER_TIMEOUT", "10"))

ACCESS_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:access_token"


class Recorder:
    """Keeps, for each HTTP exchange, what was sent (no secret values) and what came back."""

    def __init__(self, client_id: str | None, client_secret: str | None):
        self.client_id = client_id
        self.client_secret = client_secret
        self.exchanges: list[dict] = []
        self.responses: list[requests.Response] = []
        self.last_response: requests.Response | None = None
        original = requests.Session.send
        recorder = self

        def send(session, request, **kwargs):
            if kwargs.get("timeout") is None:
                kwargs["timeout"] = DEFAULT_TIMEOUT
            entry = recorder.describe(request)
            recorder.exchanges.append(entry)
            response = original(session, request, **kwargs)
            recorder.last_response = response
            recorder.responses.append(response)
            entry["status"] = response.status_code
            return response

        requests.Session.send = send

    def describe(self, request: requests.PreparedRequest) -> dict:
        entry: dict = {"method": request.method, "url": request.url}
        content_type = request.headers.get("Content-Type")
        if content_type:
            entry["content_type"] = content_type
        body = request.body
        if isinstance(body, bytes):
            body = body.decode("utf-8", "replace")
        params: list[str] = []
        if body and (content_type or "").startswith("application/x-www-form-urlencoded"):
            pairs = parse_qsl(body, keep_blank_values=True)
            params = list(dict.fromkeys(name for name, _ in pairs))
            entry["body_params"] = params
        auth = request.headers.get("Authorization")
        if auth is None:
            entry["client_auth"] = "post" if "client_secret" in params else "none"
        else:
            scheme, _, value = auth.partition(" ")
            if scheme.lower() == "basic":
                entry["client_auth"] = "basic+post" if "client_secret" in params else "basic"
                entry["basic_encoding"] = self.basic_encoding(value)
            else:
                entry["client_auth"] = scheme.lower()
        return entry

    def basic_encoding(self, value: str) -> str:
        """`form-encoded` (RFC 6749 §2.3.1), `raw`, or `same` when both read alike."""
        try:
            decoded = base64.b64decode(value).decode("latin-1")
        except ValueError:
            return "undecodable"
        expected_raw = f"{self.client_id}:{self.client_secret}"
        expected_form = f"{quote_plus(self.client_id or '')}:{quote_plus(self.client_secret or '')}"
        if decoded == expected_raw == expected_form:
            return "same"
        if decoded == expected_form:
            return "form-encoded"
        try:
            if decoded.encode("latin-1").decode("utf-8") == expected_raw:
                return "raw"
        except UnicodeDecodeError:
            pass
        return "raw" if decoded == expected_raw else "other"


def parser(description: str, flows: list[str]) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=description)
    p.add_argument("flow", choices=flows)
    p.add_argument("--token-url", required=True, help="token endpoint URL")
    p.add_argument("--client-id", required=True)
    p.add_argument("--client-secret", default=None)
    p.add_argument(
        "--auth",
        choices=["basic", "post", "none"],
        default="basic",
        help="client authentication: basic = the library's default (HTTP Basic), "
        "post = client_id/client_secret in the body, none = public client (client_id only)",
    )
    p.add_argument("--scope", default=None, help="space-separated scopes to ask for")
    p.add_argument("--username")
    p.add_argument("--password")
    p.add_argument("--refresh-token")
    p.add_argument("--code")
    p.add_argument("--code-verifier")
    p.add_argument("--redirect-uri")
    p.add_argument("--revocation-url", help="RFC 7009 endpoint (flow revocation)")
    p.add_argument("--introspection-url", help="RFC 7662 endpoint (flow introspection)")
    p.add_argument("--token", help="token to revoke or introspect")
    p.add_argument("--token-type-hint", default=None)
    p.add_argument("--subject-token")
    p.add_argument("--subject-token-type", default=ACCESS_TOKEN_TYPE)
    p.add_argument("--requested-token-type", default=None)
    p.add_argument(
        "--resource-url",
        help="after getting a token, GET this URL with it (Bearer) and report the status",
    )
    return p


def require(args: argparse.Namespace, p: argparse.ArgumentParser, *names: str) -> None:
    missing = [n for n in names if getattr(args, n.replace("-", "_")) in (None, "")]
    if missing:
        p.error(f"flow {args.flow} needs " + ", ".join("--" + n for n in missing))


def finish(peer: str, args: argparse.Namespace, recorder: Recorder, token: dict | None = None,
           error: BaseException | None = None, ok: bool | None = None, extra: dict | None = None) -> None:
    """Prints the outcome as one JSON line and exits (0 on success, 1 otherwise)."""
    out: dict = {"ok": False, "peer": peer, "flow": args.flow, "auth": args.auth}
    response = recorder.last_response
    if token is not None and error is None:
        out["ok"] = True
        for key in ("token_type", "expires_in", "access_token", "refresh_token", "scope", "issued_token_type"):
            if token.get(key) is not None:
                out[key] = token[key]
    if extra:
        out.update(extra)
    if ok is not None and error is None:
        out["ok"] = ok
    if out.get("resource_status") not in (None, 200):
        out["ok"] = False
    if response is not None:
        out["status"] = response.status_code
        if not out["ok"]:
            try:
                body = response.json()
            except ValueError:
                body = None
            if isinstance(body, dict):
                for key in ("error", "error_description"):
                    if key in body:
                        out[key] = body[key]
                if "error" not in out:
                    out["body"] = body
            else:
                out["body"] = response.text[:500]
    if error is not None:
        out["ok"] = False
        out["exception"] = f"{type(error).__name__}: {error}"[:500]
        if os.environ.get("INTEROP_PEER_DEBUG") == "1":
            traceback.print_exception(error, file=sys.stderr)
        if response is None:
            out["status"] = None
    out["sent"] = recorder.exchanges
    print(json.dumps(out, sort_keys=False))
    sys.exit(0 if out["ok"] else 1)


def check_resource(args: argparse.Namespace, get) -> dict:
    """With --resource-url, calls `get(url)` (the library's own way of sending the token) and
    returns the fields for the output line; the flow then succeeds only on a 200."""
    if not args.resource_url:
        return {}
    response = get(args.resource_url)
    return {"resource_status": response.status_code}
