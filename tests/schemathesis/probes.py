"""Targeted requests for the server validation holes that issue 13 names, against a fresh
server started by run.sh:  python probes.py API BASE_URL

- `null` for an optional, non-nullable JSON field must be a 400 with the API's error body,
  not reach the implementation (Nutanix: the only JSON request bodies); so must a JSON
  array where the schema says object (found by this suite's schemathesis run);
- Treezor's `oneOf` body must be decoded by `grant_type`, not as the first branch that
  fits (its branches overlap: no required fields, no `additionalProperties: false`);
- Polaris's `anyOf` likewise (the branches' `grant_type` enums tell them apart).

Prints one line per probe and `probes: N passed, N failed`; exits 1 on a failure.
"""

import base64
import json
import sys

import requests

NUTANIX_ADMIN = "Basic " + base64.b64encode(b"admin:Nutanix/4u:2024").decode()
TREEZOR_CLIENT = {"client_id": "tz-client", "client_secret": "tz-secret"}
TREEZOR_USER = {"username": "alice@example.com", "password": "correct horse battery staple"}
EXCHANGE = "urn:ietf:params:oauth:grant-type:token-exchange"
ACCESS_TOKEN = "urn:ietf:params:oauth:token-type:access_token"

results = []


def probe(name, response, ok, detail=""):
    results.append(ok)
    status = "PASS" if ok else "FAIL"
    body = response.text if len(response.text) < 300 else response.text[:300] + "…"
    print(f"{status} {name}: {response.status_code} {body}{detail}")


def jwt_claims(token):
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def multipart(fields):
    return {name: (None, value) for name, value in fields.items()}


def nutanix(base):
    headers = {"Authorization": NUTANIX_ADMIN}
    cases = [
        ("/oauth/generate_token", {"scopes": [], "client_name": "probe", "client_description": "d", "expires_in": None}),
    ]
    for field in ("kind", "sort_attribute", "filter", "length", "sort_order", "offset"):
        cases.append(("/oauth/client/list", {field: None}))
    for path, body in cases:
        r = requests.post(base + path, json=body, headers=headers)
        # The API's error body: OauthStatus / OauthClientStatus with a message list.
        ok = r.status_code == 400 and "message_list" in r.json()
        probe(f"nutanix null optional {path} {json.dumps(body)}", r, ok)
    # A JSON array where the schema says object (serde decodes structs from sequences,
    # field by field in declaration order) must be a 400 too.
    for path, body in [("/oauth/client/list", []), ("/oauth/client/list", ["oauth_client", "client_id"]),
                       ("/oauth/client", ["probe-array", ["https://app.example.com/cb"], "d", []]),
                       ("/oauth/generate_token", [[], "probe-array-2", "d", 60])]:
        r = requests.post(base + path, json=body, headers=headers)
        ok = r.status_code == 400 and "message_list" in r.json()
        probe(f"nutanix array for object {path} {json.dumps(body)}", r, ok)


def treezor(base):
    url = base + "/oauth/token"
    # Password grant with every field: the password branch (it issues a refresh token).
    r = requests.post(url, files=multipart({"grant_type": "password", **TREEZOR_CLIENT, **TREEZOR_USER}))
    refresh = r.json().get("refresh_token") if r.ok else None
    probe("treezor password grant decoded as password", r, r.ok and bool(refresh)
          and jwt_claims(r.json()["access_token"])["sub"] == TREEZOR_USER["username"])
    # Client credentials carrying the other branches' fields: still client credentials.
    r = requests.post(url, files=multipart({"grant_type": "client_credentials", **TREEZOR_CLIENT,
                                            **TREEZOR_USER, "refresh_token": "x"}))
    probe("treezor client_credentials with password/refresh fields decoded as client_credentials", r,
          r.ok and "refresh_token" not in r.json()
          and jwt_claims(r.json()["access_token"])["sub"] == TREEZOR_CLIENT["client_id"])
    # Refresh grant carrying username/password: the refresh branch (rotates the token).
    r = requests.post(url, files=multipart({"grant_type": "refresh_token", **TREEZOR_CLIENT,
                                            **TREEZOR_USER, "refresh_token": refresh or "x"}))
    probe("treezor refresh_token with password fields decoded as refresh_token", r,
          r.ok and r.json().get("refresh_token") not in (None, refresh))
    # The same over application/x-www-form-urlencoded (RFC 6749 §3.2 / §4.3.2).
    r = requests.post(url, data={"grant_type": "password", **TREEZOR_CLIENT, **TREEZOR_USER})
    probe("treezor password grant, form-encoded", r, r.ok and "refresh_token" in r.json())
    # Unknown grant: unsupported_grant_type (RFC 6749 §5.2), DefaultError body.
    r = requests.post(url, files=multipart({"grant_type": "authorization_code", **TREEZOR_CLIENT}))
    probe("treezor unknown grant_type", r, r.status_code == 400 and "errors" in r.json())
    # No grant_type: every branch fits (oneOf matches none), and RFC 6749 §4.4.2 / §4.3.2 /
    # §6 make grant_type REQUIRED: 400 invalid_request, not the first branch.
    r = requests.post(url, files=multipart(dict(TREEZOR_CLIENT)))
    probe("treezor missing grant_type rejected", r, r.status_code == 400 and "errors" in r.json())


def polaris(base):
    url = base + "/v1/oauth/tokens"
    r = requests.post(url, data={"grant_type": "client_credentials"}, auth=("root", "s3cr3t"))
    token = r.json()["access_token"]
    # Token exchange with the client-credentials branch's fields: still an exchange.
    r = requests.post(url, data={"grant_type": EXCHANGE, "subject_token": token,
                                 "subject_token_type": ACCESS_TOKEN,
                                 "client_id": "root", "client_secret": "s3cr3t"})
    probe("polaris token exchange with client_id/client_secret decoded as exchange", r,
          r.ok and r.json().get("issued_token_type") == ACCESS_TOKEN)
    # Client credentials with the exchange branch's fields: still client credentials.
    r = requests.post(url, data={"grant_type": "client_credentials", "subject_token": token,
                                 "subject_token_type": ACCESS_TOKEN,
                                 "client_id": "root", "client_secret": "s3cr3t"})
    probe("polaris client_credentials with subject_token decoded as client_credentials", r,
          r.ok and "issued_token_type" not in r.json())
    # An exchange without subject_token_type is no valid branch: 400, OAuthError body.
    r = requests.post(url, data={"grant_type": EXCHANGE, "subject_token": token,
                                 "client_id": "root", "client_secret": "s3cr3t"},
                      headers={"Authorization": f"Bearer {token}"})
    probe("polaris exchange without subject_token_type rejected", r,
          r.status_code == 400 and r.json().get("error") == "invalid_request")
    # No grant_type: 400 invalid_request.
    r = requests.post(url, data={"scope": "PRINCIPAL_ROLE:ALL"}, auth=("root", "s3cr3t"))
    probe("polaris missing grant_type rejected", r,
          r.status_code == 400 and r.json().get("error") == "invalid_request")


def main():
    api, base = sys.argv[1], sys.argv[2].rstrip("/")
    probes = {"nutanix": nutanix, "treezor": treezor, "polaris": polaris}
    if api not in probes:
        print(f"probes: none for {api}")
        return 0
    probes[api](base)
    failed = results.count(False)
    print(f"probes: {len(results) - failed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
