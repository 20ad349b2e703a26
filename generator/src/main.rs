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

/// No transparent huge pages for this process: mimalloc asks for them (`MADV_HUGEPAGE` on its
/// arenas), and the kernel then zeroes 2 MiB at each first touch. Where the system is short of
/// ready huge pages (a busy or virtual machine) that zeroing was a second of system time of
/// Graph beta's 11 s; with small pages, 0.8 s, and 25 MB less memory. GitHub is the same either
/// way. A flag of the process, checked at each page fault, so it also holds for the arena
/// mimalloc reserved before `main`.
#[cfg(all(feature = "mimalloc", target_os = "linux"))]
fn small_pages() {
    // SAFETY: `PR_SET_THP_DISABLE` sets a flag of this process, read when a page is faulted in.
    unsafe { libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0) };
}

fn main() -> std::process::ExitCode {
    #[cfg(feature = "mimalloc")]
    keep_freed_memory();
    #[cfg(all(feature = "mimalloc", target_os = "linux"))]
    small_pages();
    let args: Vec<String> = std::env::args().skip(1).collect();
    match cli::run(&args) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            std::process::ExitCode::FAILURE
        }
    }
}
