//! Expansion time of `#[oauth_api]` for each spec in `specs/`: `generator::generate` (what
//! the macro runs: load, lower, tokens) and `generate` + `render::module_file` (what
//! `cargo run -p generator` runs: the same, then prettyplease formatting). Median, minimum and
//! maximum of a bounded number of runs, as a Markdown table: the thread's CPU time (what the
//! target is checked on: on a shared machine it does not count the time other processes hold
//! the core) and, for the macro, wall time.
//!
//! `cargo bench -p generator --bench expand` measures the optimized build. A proc macro and
//! its dependencies are built without optimizations by default (cargo's `build-override`
//! profile, `opt-level = 0` in dev and release alike), so
//! `cargo bench -p generator --bench expand --profile dev` gives the time the macro really
//! takes in a user's build. Optional arguments filter the specs by name.

use std::hint::black_box;
use std::path::Path;
use std::time::{Duration, Instant};

/// Runs per spec (after one warm-up run), unless the time budget runs out first.
const RUNS: usize = 31;
/// Time budget per spec and measurement.
const BUDGET: Duration = Duration::from_secs(10);
/// The target for one expansion, unoptimized (issue 14).
const TARGET: Duration = Duration::from_millis(20);

struct Stats {
    runs: usize,
    median: Duration,
    min: Duration,
    max: Duration,
}

impl Stats {
    fn of(mut times: Vec<Duration>) -> Stats {
        times.sort_unstable();
        Stats { runs: times.len(), median: times[times.len() / 2], min: times[0], max: times[times.len() - 1] }
    }
}

/// The CPU time this thread has used so far: unlike wall time, it leaves out the time other
/// processes of a shared machine hold the core.
fn thread_cpu() -> Duration {
    generator::thread_cpu_time().expect("the thread's CPU clock reads")
}

/// Thread CPU time and wall time of the runs of `f`.
fn measure(mut f: impl FnMut()) -> (Stats, Stats) {
    f();
    let started = Instant::now();
    let (mut cpu, mut wall) = (Vec::with_capacity(RUNS), Vec::with_capacity(RUNS));
    while cpu.len() < RUNS && (cpu.len() < 3 || started.elapsed() < BUDGET) {
        let (c, t) = (thread_cpu(), Instant::now());
        f();
        wall.push(t.elapsed());
        cpu.push(thread_cpu().saturating_sub(c));
    }
    (Stats::of(cpu), Stats::of(wall))
}

fn ms(d: Duration) -> String {
    format!("{:.2}", d.as_secs_f64() * 1000.0)
}

fn main() {
    // `cargo bench` passes `--bench`; other arguments filter the specs.
    let filters: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with('-')).collect();
    let specs_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../specs");
    let mut specs: Vec<_> = std::fs::read_dir(&specs_dir)
        .expect("specs/ exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml" | "json")))
        .filter(|p| {
            let name = p.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
            filters.is_empty() || filters.iter().any(|f| name.contains(f.as_str()))
        })
        .collect();
    specs.sort();

    let build = if cfg!(debug_assertions) { "unoptimized (as a proc macro is built by default)" } else { "optimized" };
    println!("Expansion time per spec, {build} build; median of up to {RUNS} runs (min–max), in ms of the thread's CPU time (wall time for the macro alongside).\n");
    println!("| spec | spec lines | generated lines | runs | `generate` (the macro), CPU | the macro, wall | `generate` + format (the CLI), CPU |");
    println!("| ---- | ---------: | --------------: | ---: | --------------------------: | --------------: | ---------------------------------: |");
    let mut slowest = Duration::ZERO;
    for path in &specs {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
        let display = format!("specs/{name}");
        let text = std::fs::read_to_string(path).expect("the spec reads");
        let options = generator::Options::default();
        let generated = generator::generate(&display, &text, options).unwrap_or_else(|e| panic!("{e}"));
        let file = generator::render::module_file(&generated.api, &generated.items, &display).expect("formats");

        let (generate, generate_wall) = measure(|| {
            black_box(generator::generate(black_box(&display), black_box(&text), options).is_ok());
        });
        let (formatted, _) = measure(|| {
            let g = generator::generate(black_box(&display), black_box(&text), options).expect("generates");
            black_box(generator::render::module_file(&g.api, &g.items, &display).expect("formats"));
        });
        slowest = slowest.max(generate.median);
        println!(
            "| `{display}` | {} | {} | {} | {} ({}–{}) | {} ({}–{}) | {} ({}–{}) |",
            text.lines().count(),
            file.lines().count(),
            generate.runs.min(formatted.runs),
            ms(generate.median),
            ms(generate.min),
            ms(generate.max),
            ms(generate_wall.median),
            ms(generate_wall.min),
            ms(generate_wall.max),
            ms(formatted.median),
            ms(formatted.min),
            ms(formatted.max),
        );
    }
    let verdict = if slowest < TARGET { "within" } else { "OVER" };
    let applies = if cfg!(debug_assertions) { "" } else { " (which is for the unoptimized build: `--profile dev`)" };
    println!("\nSlowest median expansion: {} ms of CPU, {verdict} the {} ms target{applies}.", ms(slowest), TARGET.as_millis());
}
