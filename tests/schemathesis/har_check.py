"""Checks over every exchange schemathesis recorded (the HAR files of run.sh), beyond its
own checks:  python har_check.py OUT_DIR

- every 4xx/5xx carries the API's own error body (Polaris `OAuthError`: `error`;
  Confluent `Failure` and Treezor `DefaultError`: `errors`; Nutanix `OauthStatus` /
  `OauthClientStatus`: `message_list`);
- every 401 carries `WWW-Authenticate` (RFC 9110 §11.6.1, RFC 6749 §5.2);
- every 200 of a token endpoint carries `Cache-Control: no-store` and `Pragma: no-cache`
  (RFC 6749 §5.1).

Prints a line per pass and `har: N passed, N failed` (a pass counts as failed on any
offending exchange); exits 1 on a failure.
"""

import glob
import json
import os
import sys

ERROR_KEY = {"polaris": "error", "confluent": "errors", "treezor": "errors", "nutanix": "message_list"}
TOKEN_PATHS = ("/v1/oauth/tokens", "/sts/v1/oauth2/token", "/oauth/token")


def check(har_path, api):
    problems = []
    for entry in json.load(open(har_path))["log"]["entries"]:
        request, response = entry["request"], entry["response"]
        status = response["status"]
        headers = {h["name"].lower(): h["value"] for h in response["headers"]}
        where = f"{request['method']} {request['url']} -> {status}"
        if status >= 400:
            text = response["content"].get("text", "")
            try:
                body = json.loads(text)
            except ValueError:
                body = None
            if not isinstance(body, dict) or ERROR_KEY[api] not in body:
                problems.append(f"{where}: not the API's error body: {text[:200]!r}")
        if status == 401 and "www-authenticate" not in headers:
            problems.append(f"{where}: 401 without WWW-Authenticate")
        path = request["url"].split("?")[0]
        if status == 200 and path.endswith(TOKEN_PATHS) and request["method"] == "POST":
            if headers.get("cache-control") != "no-store" or headers.get("pragma") != "no-cache":
                problems.append(f"{where}: token response without Cache-Control: no-store / Pragma: no-cache")
    return problems


def main():
    out = sys.argv[1]
    passed = failed = 0
    for har in sorted(glob.glob(os.path.join(out, "*", "har-*.json"))):
        name = os.path.basename(os.path.dirname(har))
        problems = check(har, name.split("-")[0])
        exchanges = len(json.load(open(har))["log"]["entries"])
        print(f"{'FAIL' if problems else 'PASS'} {name}: {exchanges} exchanges, {len(problems)} problems")
        for problem in problems[:20]:
            print(f"    {problem}")
        failed += bool(problems)
        passed += not problems
    print(f"har: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
