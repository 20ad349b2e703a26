//! `--timings`: the CPU time of each stage of a standalone run (`--spec … --out …`), printed
//! to stderr, for the benchmark suite (`bench/run.sh`).
//!
//! Times are thread CPU time (`CLOCK_THREAD_CPUTIME_ID`, user + system), summed over the
//! threads: the main thread, then the threads that generate and format the pieces of the
//! module. Code generation and rendering are interleaved (rendering pulls the parts of
//! [`generator::codegen::parts`] one at a time), so the parts are wrapped: the share of a
//! thread's time spent producing them (iterator steps, deferred items and item heads) is the
//! share of its CPU time that is codegen, and the rest of the writing is render. That share is
//! read from the monotonic clock, which the vDSO answers without a system call: reading the
//! thread's CPU clock around every part was two system calls a part (869,147 on Graph
//! beta), which the measured run then spent too.

use std::cell::Cell;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use generator::codegen::{Part, Parts};
use proc_macro2::TokenStream;

/// The CPU time this thread has used so far (zero when the clock cannot be read).
pub fn thread_cpu() -> Duration {
    generator::thread_cpu_time().unwrap_or(Duration::ZERO)
}

/// The stages of a standalone run, in order.
#[derive(Clone, Copy)]
pub enum Stage {
    /// Reading the spec file.
    Read,
    /// Parsing it into `openapiv3` ([`generator::load`]).
    Load,
    /// Lowering to the IR ([`generator::ir`]), warnings included.
    Lower,
    /// Producing token streams ([`generator::codegen`]).
    Codegen,
    /// Parsing, formatting and writing them ([`generator::render`]), and the manifest.
    Render,
    /// Freeing the document and the IR.
    Drop,
}

const NAMES: [&str; 6] = ["read", "load", "lower", "codegen", "render", "drop"];

/// CPU time per stage; nothing is measured when disabled.
pub struct Stages {
    enabled: bool,
    last: Duration,
    times: [Duration; 6],
}

impl Stages {
    pub fn new(enabled: bool) -> Self {
        Stages { enabled, last: if enabled { thread_cpu() } else { Duration::ZERO }, times: [Duration::ZERO; 6] }
    }

    pub fn enabled(&self) -> bool {
        self.enabled
    }

    /// Adds the CPU time since the previous lap to `stage`.
    pub fn lap(&mut self, stage: Stage) {
        if self.enabled {
            let now = thread_cpu();
            self.times[stage as usize] += now.saturating_sub(self.last);
            self.last = now;
        }
    }

    /// Adds the time of other threads to `stage`.
    pub fn add(&mut self, stage: Stage, time: Duration) {
        self.times[stage as usize] += time;
    }

    /// One line per stage, then the total: `timing: STAGE SECONDS s` (CPU seconds).
    pub fn print(&self) {
        if !self.enabled {
            return;
        }
        for (name, time) in NAMES.iter().zip(self.times) {
            eprintln!("timing: {name} {:.3} s", time.as_secs_f64());
        }
        let total: Duration = self.times.iter().sum();
        eprintln!("timing: total {:.3} s", total.as_secs_f64());
    }
}

thread_local! {
    /// When this thread first produced a part.
    static STARTED: Cell<Option<Instant>> = const { Cell::new(None) };
    /// The time (monotonic clock) this thread spent producing parts.
    static CODEGEN: Cell<Duration> = const { Cell::new(Duration::ZERO) };
}

/// The CPU time of the threads that generate and format the pieces, once they are done.
#[derive(Default)]
pub struct ThreadTimes(Mutex<(Duration, Duration)>);

impl ThreadTimes {
    /// Records the calling thread, at its end. Its time in [`timed_parts`] is a share of its
    /// time since it first produced a part; that share of its CPU time is codegen, the rest
    /// render.
    pub fn record(&self) {
        let total = thread_cpu();
        let spent = STARTED.with(Cell::get).map_or(Duration::ZERO, |started| started.elapsed());
        let share = if spent.is_zero() { 0.0 } else { (CODEGEN.with(Cell::get).as_secs_f64() / spent.as_secs_f64()).min(1.0) };
        let codegen = total.mul_f64(share);
        let mut times = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        times.0 += codegen;
        times.1 += total.saturating_sub(codegen);
    }

    /// Codegen and render time of the recorded threads.
    pub fn get(&self) -> (Duration, Duration) {
        *self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// `parts`, with the time spent producing them (their nested bodies, deferred items and heads
/// included) added to the calling thread's codegen time.
pub fn timed_parts(parts: Parts<'_>) -> Parts<'_> {
    Box::new(TimedParts { parts })
}

struct TimedParts<'a> {
    parts: Parts<'a>,
}

fn timed<T>(f: impl FnOnce() -> T) -> T {
    let started = Instant::now();
    if STARTED.with(Cell::get).is_none() {
        STARTED.with(|s| s.set(Some(started)));
    }
    let value = f();
    let spent = started.elapsed();
    CODEGEN.with(|c| c.set(c.get() + spent));
    value
}

impl<'a> Iterator for TimedParts<'a> {
    type Item = Part<'a>;

    fn next(&mut self) -> Option<Part<'a>> {
        match timed(|| self.parts.next())? {
            Part::Items(items) => Some(Part::Items(items)),
            Part::Later(items) => Some(Part::Later(Box::new(move || timed(items)))),
            Part::Nest { head, body } => Some(Part::Nest {
                head: Box::new(move |tokens: TokenStream| timed(|| head(tokens))),
                body: timed_parts(body),
            }),
        }
    }
}
