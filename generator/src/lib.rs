//! OpenAPI 3.0 code generator for OAuth APIs.
//!
//! Data flows through four stages (see `ARCHITECTURE.md`):
//! [`load`] (text → `openapiv3`) → [`ir`] (typed, named, ordered) → [`codegen`]
//! (`proc_macro2::TokenStream`) → [`render`] (formatted text). [`docs`] renders Markdown from
//! the same IR.

pub mod diag;
pub mod ir;
pub mod load;

pub use diag::{Diagnostic, Diagnostics, Location};
pub mod docs;
pub mod codegen;
pub mod render;

pub use codegen::Options;

/// The CPU time the calling thread has used so far (`CLOCK_THREAD_CPUTIME_ID`, user +
/// system; feature `timings`): what the command line's `--timings` and the expansion
/// benchmark measure. `None` when the clock cannot be read.
#[cfg(feature = "timings")]
pub fn thread_cpu_time() -> Option<std::time::Duration> {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `clock_gettime` writes a `timespec` into the pointer it is given.
    let status = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts) };
    if status != 0 {
        return None;
    }
    Some(std::time::Duration::new(u64::try_from(ts.tv_sec).ok()?, u32::try_from(ts.tv_nsec).ok()?))
}

/// Everything generated for one spec.
pub struct Generated {
    /// The typed IR of the spec.
    pub api: ir::Api,
    /// The items of the API module (models, `client`, `server`).
    pub items: proc_macro2::TokenStream,
    /// What the spec says that the generated code only approximates or ignores (Swagger 2.0
    /// and OpenAPI 3.1 constructs with no OpenAPI 3.0 equivalent); generation still succeeded.
    pub warnings: Vec<Diagnostic>,
}

/// A spec loaded and lowered: what [`codegen::parts`] and [`docs::render`] need.
pub struct Lowered {
    /// The typed IR of the spec.
    pub api: ir::Api,
    /// As [`Generated::warnings`].
    pub warnings: Vec<Diagnostic>,
}

/// Loads spec text (named `file` in diagnostics) and lowers it.
pub fn lower(file: &str, text: &str) -> Result<Lowered, Diagnostics> {
    lower_owned(file, text.to_string())
}

/// [`lower`], taking the text: a large spec is not copied.
pub fn lower_owned(file: &str, text: String) -> Result<Lowered, Diagnostics> {
    let mut doc = load::load_owned(file, text)?;
    let mut api = ir::lower_consuming(&mut doc)?;
    let mut warnings = doc.warnings.clone();
    warnings.append(&mut api.warnings);
    // The IR holds all that codegen needs: the document is freed here (large specs).
    Ok(Lowered { api, warnings })
}

/// Loads spec text (named `file` in diagnostics), lowers it and generates the module items.
pub fn generate(file: &str, text: &str, options: Options) -> Result<Generated, Diagnostics> {
    let Lowered { api, warnings } = lower(file, text)?;
    let items = codegen::module(&api, options);
    Ok(Generated { api, items, warnings })
}
