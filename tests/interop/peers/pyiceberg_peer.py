#!/usr/bin/env python3
"""pyiceberg's REST-catalog auth managers fetching a token with client credentials.

    pyiceberg_peer.py client_credentials --manager legacy|oauth2 --token-url URL \\
        --client-id ID --client-secret S [--scope S] [--resource-url URL]

--manager legacy: LegacyOAuth2AuthManager, what RestCatalog builds from `credential`
  (`id:secret`) and `oauth2-server-uri` (default `<uri>/v1/oauth/tokens`): client_id and
  client_secret in the form body, always with a `scope` (RestCatalog's default `catalog`,
  used here too unless --scope is given). Its --auth is `post`.
--manager oauth2: OAuth2AuthManager (`auth: {type: oauth2, oauth2: {...}}`): HTTP Basic
  built from the raw `id:secret`, body grant_type (+ scope if configured). Its --auth is
  `basic`.

Both are made with AuthManagerFactory, as RestCatalog does; the legacy one gets a
requests.Session with RestCatalog's headers. With --resource-url the token is then sent the
way RestCatalog sends it (AuthManagerAdapter on the session). Prints one JSON line; exit 0
only on success. See tests/interop/README.md.
"""

from __future__ import annotations

import warnings

from _common import Recorder, finish, parser  # noqa: E402

import requests  # noqa: E402

warnings.simplefilter("ignore")

from pyiceberg import __version__ as PYICEBERG_VERSION  # noqa: E402
from pyiceberg.catalog.rest.auth import AuthManagerAdapter, AuthManagerFactory  # noqa: E402

MANAGER_AUTH = {"legacy": "post", "oauth2": "basic"}


def main() -> None:
    p = parser(__doc__, ["client_credentials"])
    p.add_argument("--manager", choices=["legacy", "oauth2"], required=True)
    p.set_defaults(auth=None)
    args = p.parse_args()
    expected = MANAGER_AUTH[args.manager]
    if args.auth is None:
        args.auth = expected
    elif args.auth != expected:
        p.error(f"--manager {args.manager} always authenticates with `{expected}`, not `{args.auth}`")
    if not args.client_secret:
        p.error("--client-secret is required")
    recorder = Recorder(args.client_id, args.client_secret)

    # RestCatalog's session headers (RestCatalog._config_headers).
    session = requests.Session()
    session.headers["Content-type"] = "application/json"
    session.headers["User-Agent"] = f"PyIceberg/{PYICEBERG_VERSION}"
    session.headers["X-Client-Version"] = f"PyIceberg {PYICEBERG_VERSION}"

    try:
        if args.manager == "legacy":
            manager = AuthManagerFactory.create(
                "legacyoauth2",
                {
                    "session": session,
                    "auth_url": args.token_url,
                    "credential": f"{args.client_id}:{args.client_secret}",
                    "initial_token": None,
                    "optional_oauth_params": {"scope": args.scope or "catalog"},
                },
            )  # fetches the token in its constructor
        else:
            config = {"client_id": args.client_id, "client_secret": args.client_secret, "token_url": args.token_url}
            if args.scope:
                config["scope"] = args.scope
            manager = AuthManagerFactory.create("oauth2", config)
        header = manager.auth_header()  # "Bearer <token>"
        session.auth = AuthManagerAdapter(manager)
        outcome = {}
        if args.resource_url:
            outcome["resource_status"] = session.get(args.resource_url).status_code
    except SystemExit:
        raise
    except Exception as error:  # noqa: BLE001 - the outcome is reported, whatever it is
        finish("pyiceberg", args, recorder, error=error, extra={"manager": args.manager})

    # The managers keep only the access token: the rest comes from the token response.
    token = {"access_token": header.removeprefix("Bearer ")}
    for response in reversed(recorder.responses):
        if response.request.url == args.token_url and response.status_code == 200:
            body = response.json()
            for key in ("token_type", "expires_in", "scope", "issued_token_type"):
                if key in body:
                    token[key] = body[key]
            break
    finish("pyiceberg", args, recorder, token=token, extra={"manager": args.manager, **outcome})


if __name__ == "__main__":
    main()
