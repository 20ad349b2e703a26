#!/usr/bin/env python3
"""Validates the examples of the round-trip tests against their own schemas (run by run.py with
the harness's virtualenv, which has openapi-schema-validator, rfc3339-validator, regex and PyYAML).

    validate.py CRATES.json OUT.json

CRATES.json: a list of {"dir": crate directory, "spec": spec file as written}. Each crate
directory holds `roundtrip.json` (written by corpus-roundtrip-gen) and `converted.json` (the
OpenAPI 3.0 document the generator read). An example is validated

- for OpenAPI 3.1 documents: against the schema as written (`original_schema_pointer` in the
  document as written), with OAS31Validator (JSON Schema 2020-12 plus OpenAPI's formats);
- otherwise (OpenAPI 3.0, and Swagger 2.0 once converted): against `schema_pointer` in the
  converted document, with OAS30Validator (`nullable`, OpenAPI 3.0's formats);

with format checking on (date-time as RFC 3339, date, int32/int64 ranges, …), patterns read by
the `regex` module, and a schema with `properties` but no `type` read as `type: object`, as the
generator reads it. OUT.json maps
each test name to {"valid": true | false | null, "error": first error or why it could not be
checked}.
"""

import json
import sys
import urllib.parse

import regex
import yaml
from openapi_schema_validator import OAS30Validator, OAS31Validator, oas30_format_checker, oas31_format_checker
from jsonschema import validators as jsonschema_validators
from jsonschema.exceptions import ValidationError, best_match
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT4, DRAFT202012

BASE = "urn:corpus:spec"


def pattern(validator, patrn, instance, schema):
    """`pattern` with the `regex` module: ECMA-262 patterns as specs write them, `\\p{L}` and
    other Unicode property classes included, which Python's `re` refuses."""
    if validator.is_type(instance, "string") and not regex.search(patrn, instance):
        yield ValidationError(f"{instance!r} does not match {patrn!r}")


def properties_of(base):
    """`properties` that also reads a schema with `properties` and no `type` as `type: object`,
    as the generator does (a struct): JSON Schema lets such a schema accept any array, string or
    number, which in the corpus are always the spec's mistakes (azure's example objects whose
    `value` is their `value` member, microcks' JSON-in-a-string)."""
    def check(validator, properties, instance, schema):
        nullable_null = instance is None and schema.get("nullable") is True
        if "type" not in schema and not validator.is_type(instance, "object") and not nullable_null:
            yield ValidationError(f"{instance!r:.80} is not an object, though its schema has `properties` and no `type`")
            return
        yield from base(validator, properties, instance, schema)
    return check


OAS30 = jsonschema_validators.extend(
    OAS30Validator, {"pattern": pattern, "properties": properties_of(OAS30Validator.VALIDATORS["properties"])})
OAS31 = jsonschema_validators.extend(
    OAS31Validator, {"pattern": pattern, "properties": properties_of(OAS31Validator.VALIDATORS["properties"])})


def load(path):
    with open(path, encoding="utf-8-sig") as f:
        text = f.read()
    if path.endswith(".json") or text.lstrip().startswith("{"):
        return json.loads(text)
    return stringify_keys(yaml.safe_load(text))


def stringify_keys(node):
    """YAML reads `404:` as an integer key; in JSON (and in pointers) every key is a string."""
    if isinstance(node, dict):
        return {str(k).lower() if isinstance(k, bool) else str(k): stringify_keys(v) for k, v in node.items()}
    if isinstance(node, list):
        return [stringify_keys(v) for v in node]
    return node


def unescape(token):
    return token.replace("~1", "/").replace("~0", "~")


def escape(token):
    return token.replace("~", "~0").replace("/", "~1")


def follow(doc, pointer):
    """`pointer`, with the local `$ref`s met on the way followed: the converter inlines
    referenced responses and request bodies, so a converted pointer may run through a node that
    is a `$ref` in the document as written."""
    node, path = doc, []
    for token in [unescape(t) for t in pointer.split("/")[1:]] if pointer else []:
        for _ in range(16):
            if isinstance(node, dict) and token not in node and isinstance(node.get("$ref"), str) and node["$ref"].startswith("#"):
                target = urllib.parse.unquote(node["$ref"][1:])
                path = [unescape(t) for t in target.split("/")[1:]] if target else []
                node = doc
                for t in path:
                    node = node[int(t)] if isinstance(node, list) else node[t]
            else:
                break
        node = node[int(token)] if isinstance(node, list) else node[token]
        path.append(token)
    return "".join("/" + escape(t) for t in path)


def validators(doc, v31):
    spec = DRAFT202012 if v31 else DRAFT4
    registry = Registry().with_resource(BASE, Resource.from_contents(doc, default_specification=spec))
    cls, checker = (OAS31, oas31_format_checker) if v31 else (OAS30, oas30_format_checker)

    def check(pointer, value):
        pointer = follow(doc, pointer)
        schema = {"$ref": BASE + "#" + urllib.parse.quote(pointer, safe="/~:@!$&'()*+,;=-._")}
        validator = cls(schema, registry=registry, format_checker=checker)
        error = best_match(validator.iter_errors(value))
        if error is None:
            return True, None
        where = "/" + "/".join(str(p) for p in error.absolute_path)
        return False, f"at {where}: {error.message}"[:500]

    return check


def main():
    crates = json.load(open(sys.argv[1]))
    out = {}
    for crate in crates:
        try:
            manifest = json.load(open(f"{crate['dir']}/roundtrip.json"))
        except (OSError, ValueError):
            continue
        v31 = manifest.get("source_version") == "openapi-3.1"
        try:
            doc = load(crate["spec"]) if v31 else json.load(open(f"{crate['dir']}/converted.json"))
            check = validators(doc, v31)
        except Exception as e:  # noqa: BLE001 - any failure to load is reported per example
            for ex in manifest["examples"]:
                out[ex["test"]] = {"valid": None, "error": f"cannot load the document: {e}"[:300]}
            continue
        for ex in manifest["examples"]:
            pointer = ex["original_schema_pointer"] if v31 else ex["schema_pointer"]
            try:
                valid, error = check(pointer, ex["value"])
                out[ex["test"]] = {"valid": valid, "error": error}
            except Exception as e:  # noqa: BLE001 - an unusable schema (bad regex, bad $ref)
                out[ex["test"]] = {"valid": None, "error": f"{type(e).__name__}: {e}"[:300]}
    json.dump(out, open(sys.argv[2], "w"), indent=0)


if __name__ == "__main__":
    main()
