//! `cargo run -p generator`: regenerate `generated/` from `specs/`, check it, or write a
//! standalone crate for any spec.

mod cli;
mod timings;

/// Rendering is mostly small allocations (tokens, syntax trees): see the `mimalloc` feature.
#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match cli::run(&args) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("{message}");
            std::process::ExitCode::FAILURE
        }
    }
}
