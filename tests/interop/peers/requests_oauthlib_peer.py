#!/usr/bin/env python3
"""requests-oauthlib (OAuth2Session over oauthlib) as an OAuth 2.0 client.

    requests_oauthlib_peer.py FLOW --token-url URL --client-id ID [--client-secret S] [--auth basic|post|none] ...

Flows: client_credentials (BackendApplicationClient), password (LegacyApplicationClient),
refresh_token (OAuth2Session.refresh_token), authorization_code (WebApplicationClient, with
code_verifier), revocation (oauthlib's prepare_token_revocation_request: requests-oauthlib
itself has no revocation call). --auth basic is fetch_token's default (requests'
HTTPBasicAuth built from client_id/client_secret), post sends them in the body
(include_client_id=True), none sends client_id only. Prints one JSON line; exit 0 only on
success. See tests/interop/README.md.
"""

from __future__ import annotations

import os

# oauthlib refuses http:// unless told it is a test (loopback only here); and accept a
# token whose scope differs from the one asked for instead of raising.
os.environ.setdefault("OAUTHLIB_INSECURE_TRANSPORT", "1")
os.environ.setdefault("OAUTHLIB_RELAX_TOKEN_SCOPE", "1")

from _common import Recorder, check_resource, finish, parser, require  # noqa: E402

import requests  # noqa: E402
from oauthlib.oauth2 import (  # noqa: E402
    BackendApplicationClient,
    LegacyApplicationClient,
    WebApplicationClient,
)
from requests_oauthlib import OAuth2Session  # noqa: E402

FLOWS = ["client_credentials", "password", "refresh_token", "authorization_code", "revocation"]


def main() -> None:
    p = parser(__doc__, FLOWS)
    args = p.parse_args()
    if args.auth != "none":
        require(args, p, "client-secret")
    recorder = Recorder(args.client_id, args.client_secret)
    # The scope goes to the oauthlib client: fetch_token() does not pass the session's
    # `scope` on to the token request body (only authorization_url() and refresh_token() use it).
    scope = args.scope.split() if args.scope else None

    # How each mode passes the client credentials to fetch_token / refresh_token.
    if args.auth == "basic":
        # fetch_token's default: no `auth`, no include_client_id → HTTPBasicAuth(id, secret).
        fetch_kwargs = {"client_secret": args.client_secret}
        # refresh_token() has no such default: it sends no client authentication unless given
        # `auth` (the documented way) — HTTP Basic here, as fetch_token builds it.
        refresh_kwargs = {"auth": requests.auth.HTTPBasicAuth(args.client_id, args.client_secret)}
    elif args.auth == "post":
        fetch_kwargs = {"include_client_id": True, "client_secret": args.client_secret}
        refresh_kwargs = {"client_id": args.client_id, "client_secret": args.client_secret}
    else:
        fetch_kwargs = {"include_client_id": True}
        refresh_kwargs = {"client_id": args.client_id}

    token = None
    session = None
    try:
        if args.flow == "client_credentials":
            session = OAuth2Session(client=BackendApplicationClient(client_id=args.client_id, scope=scope), scope=scope)
            token = session.fetch_token(args.token_url, **fetch_kwargs)
        elif args.flow == "password":
            require(args, p, "username", "password")
            session = OAuth2Session(client=LegacyApplicationClient(client_id=args.client_id, scope=scope), scope=scope)
            token = session.fetch_token(
                args.token_url, username=args.username, password=args.password, **fetch_kwargs
            )
        elif args.flow == "refresh_token":
            require(args, p, "refresh-token")
            session = OAuth2Session(args.client_id, scope=scope)
            token = session.refresh_token(args.token_url, refresh_token=args.refresh_token, **refresh_kwargs)
        elif args.flow == "authorization_code":
            require(args, p, "code")
            session = OAuth2Session(
                client=WebApplicationClient(client_id=args.client_id), scope=scope, redirect_uri=args.redirect_uri
            )
            extra = {"code_verifier": args.code_verifier} if args.code_verifier else {}
            token = session.fetch_token(args.token_url, code=args.code, **fetch_kwargs, **extra)
        elif args.flow == "revocation":
            require(args, p, "revocation-url", "token")
            client = WebApplicationClient(client_id=args.client_id)
            hint = args.token_type_hint or "access_token"
            body_params = {}
            if args.auth in ("post", "none"):
                body_params["client_id"] = args.client_id
            if args.auth == "post":
                body_params["client_secret"] = args.client_secret
            url, headers, body = client.prepare_token_revocation_request(
                args.revocation_url, args.token, token_type_hint=hint, **body_params
            )
            auth = requests.auth.HTTPBasicAuth(args.client_id, args.client_secret) if args.auth == "basic" else None
            response = requests.Session().post(url, data=body, headers=headers, auth=auth)
            finish("requests-oauthlib", args, recorder, ok=response.status_code == 200)
        outcome = check_resource(args, session.get) if token is not None else {}
    except SystemExit:
        raise
    except Exception as error:  # noqa: BLE001 - the outcome is reported, whatever it is
        finish("requests-oauthlib", args, recorder, error=error)
    finish("requests-oauthlib", args, recorder, token=dict(token), extra=outcome)


if __name__ == "__main__":
    main()
