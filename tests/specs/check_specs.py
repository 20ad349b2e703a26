#!/usr/bin/env python3
"""Fidelity checks for the OpenAPI specs in specs/.

For each spec this script
  1. validates it with openapi-spec-validator (OpenAPI 3.0.3; every $ref resolves),
  2. checks its structure: the expected operationIds, tags and security, and no
     component that nothing references, and
  3. runs openapi-generator with the generator that wrote the seed doc in
     tests/specs/seeds/ and compares the generated API doc with the seed, word by
     word: the share of the seed's words matched, in order, by the generated
     doc (difflib, autojunk off) must be at least 97%.

Run from the repository root:  python3 tests/specs/check_specs.py [SPEC...]
  --diff      print the word differences for every spec
  --keep DIR  keep the generated clients in DIR
Exit code 0 only if every check passes; the last line is "N passed, N failed".
"""

import argparse
import difflib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

GENERATOR_VERSION = "7.26.0"
REQUIREMENTS = {
    "openapi_spec_validator": "openapi-spec-validator",
    "yaml": "PyYAML",
}
GENERATOR_REQ = f"openapi-generator-cli=={GENERATOR_VERSION}"
THRESHOLD = 0.97
GENERATOR_TIMEOUT = 300  # seconds, per generator run
INSTALL_TIMEOUT = 900

REPO = Path(__file__).resolve().parents[2]
SPECS = REPO / "specs"


class Case:
    def __init__(self, spec, generator, props, doc, seed, operations, tags, security):
        self.spec = spec  # file in specs/
        self.generator = generator  # openapi-generator generator name
        self.props = props  # --additional-properties
        self.doc = doc  # generated API doc, relative to the output dir
        self.seed = seed  # seed doc in tests/specs/seeds/
        self.operations = operations  # operationId -> (method, path)
        self.tags = tags  # the tag every operation has
        self.security = security  # operationId -> effective security requirement


NUTANIX_OPS = {
    "oauth_adfs_login_get": ("get", "/oauth/adfs_login"),
    "oauth_authorize_post": ("post", "/oauth/authorize"),
    "oauth_client_post": ("post", "/oauth/client"),
    "oauth_client_list_post": ("post", "/oauth/client/list"),
    "oauth_client_client_id_get": ("get", "/oauth/client/{client_id}"),
    "oauth_client_client_id_put": ("put", "/oauth/client/{client_id}"),
    "oauth_client_client_id_delete": ("delete", "/oauth/client/{client_id}"),
    "oauth_generate_token_post": ("post", "/oauth/generate_token"),
    "oauth_idp_callback_get": ("get", "/oauth/idp_callback"),
    "oauth_idp_login_get": ("get", "/oauth/idp_login"),
    "oauth_revoke_token_post": ("post", "/oauth/revoke_token"),
    "oauth_token_post": ("post", "/oauth/token"),
}

CASES = [
    Case(
        "polaris.yaml",
        "python",
        # Polaris generates its Python client with these names (IcebergOAuth2API).
        {"packageName": "polaris.catalog", "apiNamePrefix": "Iceberg", "apiNameSuffix": ""},
        "docs/IcebergOAuth2API.md",
        "polaris-IcebergOAuth2API.md",
        {"getToken": ("post", "/v1/oauth/tokens")},
        "OAuth2 API",
        {"getToken": [{"BearerAuth": []}]},
    ),
    Case(
        "confluent.yaml",
        "go",
        # 7.x names Go API types "...API"; the seed was written with "...Api".
        {"packageName": "openapi", "apiNameSuffix": "Api"},
        "docs/OAuthTokensStsV1Api.md",
        "confluent-OAuthTokensStsV1Api.md",
        {"exchangeStsV1OauthToken": ("post", "/sts/v1/oauth2/token")},
        "OAuth Tokens (sts/v1)",
        {"exchangeStsV1OauthToken": []},
    ),
    Case(
        "nutanix.yaml",
        "ruby",
        {"gemName": "nutanix", "moduleName": "Nutanix"},
        "docs/OauthApi.md",
        "nutanix-OauthApi.md",
        NUTANIX_OPS,
        "oauth",
        {op: [{"basicAuth": []}] for op in NUTANIX_OPS},
    ),
    Case(
        "treezor.yaml",
        "java",
        {},
        "docs/AuthenticationApi.md",
        "authentication-AuthenticationApi.md",
        {"putAuth": ("post", "/oauth/token")},
        "Authentication",
        {"putAuth": []},
    ),
]


# ---------------------------------------------------------------- tools


def find_seeds() -> Path:
    """The seed docs, kept in the repository (tests/specs/seeds; SEEDS_DIR overrides)."""
    seeds = Path(os.environ.get("SEEDS_DIR") or REPO / "tests" / "specs" / "seeds")
    if not seeds.is_dir():
        sys.exit(f"cannot find the seed docs in {seeds}")
    return seeds


def generator_cmd() -> list:
    # Prefer the console script installed next to this interpreter (that is
    # where our own pip install puts it), then whatever is on PATH.
    beside = Path(sys.executable).with_name("openapi-generator-cli")
    if beside.is_file():
        return [str(beside)]
    exe = shutil.which("openapi-generator-cli")
    return [exe or "openapi-generator-cli"]


def run_bounded(cmd: list, timeout: int):
    """Runs cmd in its own process group; kills the whole group on timeout.

    Returns (returncode or None on timeout, combined output)."""
    proc = subprocess.Popen(
        cmd,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        out, _ = proc.communicate(timeout=timeout)
        return proc.returncode, out
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        out, _ = proc.communicate()
        return None, out


def generator_ok() -> bool:
    try:
        rc, out = run_bounded(generator_cmd() + ["version"], 120)
    except OSError:
        return False
    return rc == 0 and out.strip().splitlines()[-1:] == [GENERATOR_VERSION]


def ensure_tools() -> None:
    missing = []
    for module, req in REQUIREMENTS.items():
        try:
            __import__(module)
        except ImportError:
            missing.append(req)
    if not generator_ok():
        missing.append(GENERATOR_REQ)
    if missing:
        print("installing:", " ".join(missing), flush=True)
        subprocess.run(
            [sys.executable, "-m", "pip", "install", "-q", *missing],
            check=True,
            timeout=INSTALL_TIMEOUT,
        )
    if not generator_ok():
        sys.exit(f"openapi-generator-cli {GENERATOR_VERSION} is not usable")
    if shutil.which("java") is None:
        sys.exit("openapi-generator needs java on PATH")


# ---------------------------------------------------------------- checks


def load(spec: Path):
    import yaml

    with spec.open(encoding="utf-8") as f:
        return yaml.safe_load(f)


def validate(spec: Path) -> str:
    """Empty string when valid, else the error."""
    from openapi_spec_validator import validate as osv_validate
    from openapi_spec_validator.validation.validators import OpenAPIV30SpecValidator

    try:
        doc = load(spec)
        if doc.get("openapi") != "3.0.3":
            return f"openapi version is {doc.get('openapi')!r}, want '3.0.3'"
        osv_validate(doc, base_uri=spec.as_uri(), cls=OpenAPIV30SpecValidator)
    except Exception as e:  # noqa: BLE001 - any failure is a failed check
        return f"{type(e).__name__}: {str(e)[:2000]}"
    return ""


HTTP_METHODS = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}


def collect_refs(node, refs: set) -> None:
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "$ref" and isinstance(v, str):
                refs.add(v)
            else:
                collect_refs(v, refs)
    elif isinstance(node, list):
        for v in node:
            collect_refs(v, refs)


def structure(spec: Path, case: Case) -> list:
    """Problems with operations, tags, security and unused components."""
    problems = []
    try:
        doc = load(spec)
    except Exception as e:  # noqa: BLE001
        return [f"cannot load: {e}"]
    found = {}
    for path, item in (doc.get("paths") or {}).items():
        for method, op in item.items():
            if method not in HTTP_METHODS:
                continue
            op_id = op.get("operationId")
            found[op_id] = (method, path)
            if op.get("tags") != [case.tags]:
                problems.append(f"{op_id}: tags {op.get('tags')}, want [{case.tags!r}]")
            security = op.get("security", doc.get("security", []))
            if op_id in case.security and security != case.security[op_id]:
                problems.append(f"{op_id}: security {security}, want {case.security[op_id]}")
            if not op.get("responses"):
                problems.append(f"{op_id}: no responses")
    if found != case.operations:
        problems.append(f"operations {sorted(found.items())}, want {sorted(case.operations.items())}")
    refs = set()
    collect_refs(doc, refs)
    for kind, entries in (doc.get("components") or {}).items():
        if kind == "securitySchemes":
            continue  # declared schemes may be unused (Polaris declares OAuth2)
        for name in entries or {}:
            if f"#/components/{kind}/{name}" not in refs:
                problems.append(f"components/{kind}/{name} is not used")
    return problems


def generate(spec: Path, case: Case, out: Path) -> str:
    """Runs openapi-generator; empty string when it succeeded, else the error."""
    cmd = generator_cmd() + ["generate", "-i", str(spec), "-g", case.generator, "-o", str(out)]
    if case.props:
        cmd += ["--additional-properties", ",".join(f"{k}={v}" for k, v in case.props.items())]
    try:
        rc, output = run_bounded(cmd, GENERATOR_TIMEOUT)
    except OSError as e:
        return str(e)
    if rc is None:
        return f"timed out after {GENERATOR_TIMEOUT}s"
    if rc != 0:
        return f"exit {rc}: {output[-2000:]}"
    return ""


def strip_preamble(seed_text: str):
    """Drops a licence header that a project put on top of its generated docs.

    Polaris runs a licence-header step over the files openapi-generator wrote, so
    its seed starts with an HTML comment holding the Apache licence text. No spec
    and no generator option produces it, so it is left out of the comparison.
    Returns (text, number of words dropped).
    """
    stripped = seed_text.lstrip()
    if stripped.startswith("<!--") and "-->" in stripped:
        end = stripped.index("-->") + len("-->")
        return stripped[end:], len(stripped[:end].split())
    return seed_text, 0


def compare(seed_words: list, gen_words: list):
    sm = difflib.SequenceMatcher(None, seed_words, gen_words, autojunk=False)
    matched = sum(b.size for b in sm.get_matching_blocks())
    return matched, sm


def word_diff(sm, seed_words: list, gen_words: list) -> str:
    lines = []
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        if tag == "equal":
            continue
        lines.append(
            f"    {tag:7} seed[{i1}:{i2}] {' '.join(seed_words[i1:i2])[:300]!r}\n"
            f"            gen [{j1}:{j2}] {' '.join(gen_words[j1:j2])[:300]!r}"
        )
    return "\n".join(lines)


# ---------------------------------------------------------------- main


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("specs", nargs="*", help="only these specs (polaris, nutanix.yaml, ...)")
    ap.add_argument("--diff", action="store_true", help="print word differences")
    ap.add_argument("--keep", type=Path, help="keep generated clients in this directory")
    args = ap.parse_args()

    cases = [c for c in CASES if not args.specs or c.spec in args.specs or c.spec[:-5] in args.specs]
    if not cases:
        sys.exit(f"no spec matches {args.specs}")
    seeds = find_seeds()
    ensure_tools()

    counts = {"passed": 0, "failed": 0}
    rows = []

    def record(ok: bool, name: str, detail: str = "") -> None:
        counts["passed" if ok else "failed"] += 1
        print(f"{'PASS' if ok else 'FAIL'}  {name}" + (f"  {detail}" if detail else ""), flush=True)

    tmp = Path(tempfile.mkdtemp(prefix="check_specs_"))
    try:
        for case in cases:
            spec = SPECS / case.spec
            err = validate(spec)
            record(not err, f"validate {case.spec}", err)

            problems = structure(spec, case)
            record(not problems, f"structure {case.spec}", "; ".join(problems))

            out = (args.keep or tmp) / spec.stem
            if out.exists():
                shutil.rmtree(out)
            name = f"doc {case.spec} ({case.generator})"
            err = generate(spec, case, out)
            doc = out / case.doc
            if not err and not doc.is_file():
                err = f"{case.doc} was not generated"
            if err:
                record(False, name, err)
                rows.append((case.spec, case.generator, "-", "-"))
                continue
            seed_text, dropped = strip_preamble((seeds / case.seed).read_text(encoding="utf-8"))
            if dropped:
                print(f"note  {case.seed}: leading licence comment ({dropped} words) not compared")
            seed_words = seed_text.split()
            gen_words = doc.read_text(encoding="utf-8").split()
            matched, sm = compare(seed_words, gen_words)
            ratio = matched / len(seed_words) if seed_words else 0.0
            rows.append((case.spec, case.generator, f"{matched}/{len(seed_words)}", f"{ratio:.2%}"))
            ok = ratio >= THRESHOLD
            record(ok, name, f"{ratio:.2%} of the seed's words matched")
            if args.diff or not ok:
                print(word_diff(sm, seed_words, gen_words))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    print()
    print(f"{'spec':<16}{'generator':<11}{'words matched':>15}{'percent':>10}")
    for spec_name, generator, words, pct in rows:
        print(f"{spec_name:<16}{generator:<11}{words:>15}{pct:>10}")
    print(f"(openapi-generator {GENERATOR_VERSION}; pass at {THRESHOLD:.0%} or more)")
    print(f"{counts['passed']} passed, {counts['failed']} failed")
    return 0 if counts["failed"] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
