//! `cargo run -p generator`: regenerate `generated/` from `specs/`, check it, or write a
//! standalone crate for any spec.

mod cli;
mod timings;

/// Rendering is mostly small allocations (tokens, syntax trees): see the `mimalloc` feature.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's option `purge_delay` (`mi_option_purge_delay` in `mimalloc.h`, v2 and v3).
#[cfg(feature = "mimalloc")]
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Keeps freed memory for reuse: by default mimalloc returns it to the system 10 ms after it
/// is freed, and formatting a large spec frees and allocates again all along, so the kernel
/// zeroed the same pages over and over (Graph beta: 1.2 s of system time of 11). The process
/// is short-lived; its peak stays about the same (Graph beta 385 → 414 MB).
#[cfg(feature = "mimalloc")]
fn keep_freed_memory() {
    // SAFETY: `mi_option_set` only stores the value of a valid option; purging reads it later.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, -1) }
}

fn main() -> std::process::ExitCode {
    #[cfg(feature = "mimalloc")]
    keep_freed_memory();
    let args: Vec<String> = std::env::args().skip(1).collect();
    match cli::run(&args) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            std::process::ExitCode::FAILURE
        }
    }
}
