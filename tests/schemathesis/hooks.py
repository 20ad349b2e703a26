"""Schemathesis hook for the "credentialed" pass of tests/schemathesis/run.sh.

Random strings almost never name a known client, user, identity pool or token, so without
help nearly every generated request stops at `401 invalid_client` and never reaches the
implementation. Before each call this hook replaces some string values with credentials
the reference implementation knows (from the JSON in ST_CREDENTIALS, written by run.sh):

    {"body": {"client_id": "...", ...}, "path": {...}, "query": {...}}

(Authentication headers are not set here but with `st run -H`: schemathesis's ignored_auth
check must know them as explicit auth to strip or spoil them in its probes.)

Only a value that is already a string is replaced, by another string. Every replaced field
is a plain `type: string` without constraints in the four specs, so a replacement never
turns a valid request into an invalid one or back; schemathesis revalidates a case after a
`before_call` edit anyway, so its positive/negative bookkeeping stays exact.
"""

import json
import os
import re

import schemathesis

CREDENTIALS = json.loads(os.environ.get("ST_CREDENTIALS") or "{}")
LOCATIONS = (("body", "body"), ("path", "path_parameters"), ("query", "query"))
# Ids the server issued (Nutanix client ids are UUIDs), which schemathesis's stateful phase
# takes from earlier responses: kept, so that its links stay intact.
ISSUED_ID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


@schemathesis.hook
def before_call(context, case, kwargs):
    for location, attribute in LOCATIONS:
        values = CREDENTIALS.get(location)
        target = getattr(case, attribute, None)
        if not values or not isinstance(target, dict):
            continue
        for name, value in values.items():
            current = target.get(name)
            if isinstance(current, str) and not (location == "path" and ISSUED_ID.match(current)):
                target[name] = value
