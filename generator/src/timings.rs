//! `--timings`: the CPU time of each stage of a standalone run (`--spec … --out …`), printed
//! to stderr, for the benchmark suite (`bench/run.sh`).
//!
//! Times are the CPU time of the main thread (`CLOCK_THREAD_CPUTIME_ID`, user + system): the
//! generator runs on one thread. Code generation and rendering are interleaved (rendering
//! pulls the parts of [`generator::codegen::parts`] one at a time), so the parts are wrapped:
//! the time spent producing them (iterator steps and item heads) is codegen, and the rest of
//! the writing is render.

use std::cell::Cell;
use std::time::Duration;

use generator::codegen::{Part, Parts};
use proc_macro2::TokenStream;

/// The CPU time this thread has used so far.
pub fn thread_cpu() -> Duration {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `clock_gettime` writes a `timespec` into the pointer it is given.
    let status = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    if status != 0 {
        return Duration::ZERO;
    }
    Duration::new(u64::try_from(ts.tv_sec).unwrap_or(0), u32::try_from(ts.tv_nsec).unwrap_or(0))
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

    /// Moves `time` of stage `from` to stage `to`.
    pub fn reassign(&mut self, from: Stage, to: Stage, time: Duration) {
        let time = time.min(self.times[from as usize]);
        self.times[from as usize] -= time;
        self.times[to as usize] += time;
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

/// `parts`, with the CPU time spent producing them (and their nested bodies and heads)
/// added to `spent`.
pub fn timed_parts<'a>(parts: Parts<'a>, spent: &'a Cell<Duration>) -> Parts<'a> {
    Box::new(TimedParts { parts, spent })
}

struct TimedParts<'a> {
    parts: Parts<'a>,
    spent: &'a Cell<Duration>,
}

fn timed<T>(spent: &Cell<Duration>, f: impl FnOnce() -> T) -> T {
    let started = thread_cpu();
    let value = f();
    spent.set(spent.get() + thread_cpu().saturating_sub(started));
    value
}

impl<'a> Iterator for TimedParts<'a> {
    type Item = Part<'a>;

    fn next(&mut self) -> Option<Part<'a>> {
        let spent = self.spent;
        match timed(spent, || self.parts.next())? {
            Part::Items(items) => Some(Part::Items(items)),
            Part::Nest { head, body } => Some(Part::Nest {
                head: Box::new(move |tokens: TokenStream| timed(spent, || head(tokens))),
                body: timed_parts(body, spent),
            }),
        }
    }
}
