#!/usr/bin/env python3
"""authlib (authlib.integrations.requests_client.OAuth2Session) as an OAuth 2.0 client.

    authlib_peer.py FLOW --token-url URL --client-id ID [--client-secret S] [--auth basic|post|none] ...

Flows: client_credentials, password, refresh_token, authorization_code, token_exchange,
revocation, introspection. --auth basic is authlib's default (client_secret_basic), post is
client_secret_post, none a public client. Prints one JSON line; exit 0 only on success.
See tests/interop/README.md.
"""

from __future__ import annotations

import os

# authlib refuses http:// for some calls unless told it is a test (loopback only here).
os.environ.setdefault("AUTHLIB_INSECURE_TRANSPORT", "1")

from _common import Recorder, check_resource, finish, parser, require  # noqa: E402

import requests  # noqa: E402
from authlib.integrations.requests_client import OAuth2Session  # noqa: E402

FLOWS = [
    "client_credentials",
    "password",
    "refresh_token",
    "authorization_code",
    "token_exchange",
    "revocation",
    "introspection",
]
METHODS = {"basic": "client_secret_basic", "post": "client_secret_post", "none": "none"}


def main() -> None:
    p = parser(__doc__, FLOWS)
    args = p.parse_args()
    if args.auth != "none":
        require(args, p, "client-secret")
    recorder = Recorder(args.client_id, args.client_secret)
    method = METHODS[args.auth]
    session = OAuth2Session(
        client_id=args.client_id,
        client_secret=args.client_secret if args.auth != "none" else None,
        token_endpoint_auth_method=method,
        revocation_endpoint_auth_method=method,
        scope=args.scope,
        redirect_uri=args.redirect_uri,
    )
    token = None
    extra: dict = {}
    try:
        if args.flow == "client_credentials":
            token = session.fetch_token(args.token_url, grant_type="client_credentials")
        elif args.flow == "password":
            require(args, p, "username", "password")
            token = session.fetch_token(args.token_url, username=args.username, password=args.password)
        elif args.flow == "refresh_token":
            require(args, p, "refresh-token")
            token = session.refresh_token(args.token_url, refresh_token=args.refresh_token)
        elif args.flow == "authorization_code":
            require(args, p, "code")
            kwargs = {"code": args.code, "grant_type": "authorization_code"}
            if args.code_verifier:
                kwargs["code_verifier"] = args.code_verifier
            token = session.fetch_token(args.token_url, **kwargs)
        elif args.flow == "token_exchange":
            require(args, p, "subject-token")
            kwargs = {
                "grant_type": "urn:ietf:params:oauth:grant-type:token-exchange",
                "subject_token": args.subject_token,
                "subject_token_type": args.subject_token_type,
            }
            if args.requested_token_type:
                kwargs["requested_token_type"] = args.requested_token_type
            token = session.fetch_token(args.token_url, **kwargs)
        elif args.flow == "revocation":
            require(args, p, "revocation-url", "token")
            response = session.revoke_token(args.revocation_url, token=args.token, token_type_hint=args.token_type_hint)
            finish("authlib", args, recorder, ok=response.status_code == 200)
        elif args.flow == "introspection":
            require(args, p, "introspection-url", "token")
            response = session.introspect_token(
                args.introspection_url, token=args.token, token_type_hint=args.token_type_hint
            )
            body = response.json() if response.status_code == 200 else {}
            finish("authlib", args, recorder, ok=response.status_code == 200,
                   extra={"active": body.get("active")} if response.status_code == 200 else None)
        if token is not None:
            # The token is sent by hand: authlib's own session auth treats a token that
            # expires within `leeway` (60 s by default) as expired and raises
            # InvalidTokenError, which short test lifetimes would trip.
            bearer = {"Authorization": f"Bearer {token['access_token']}"}
            extra = check_resource(args, lambda url: requests.get(url, headers=bearer))
    except SystemExit:
        raise
    except Exception as error:  # noqa: BLE001 - the outcome is reported, whatever it is
        finish("authlib", args, recorder, error=error)
    finish("authlib", args, recorder, token=dict(token), extra=extra)


if __name__ == "__main__":
    main()
