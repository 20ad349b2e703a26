//! Stage 4b: Markdown documentation rendered with Tera from a serializable view of the IR.
//!
//! One API gives `{module}/README.md` (servers, authentication, a method table and one section
//! per operation: signature, example, parameters, responses) and one
//! `{module}/models/{Type}.md` per named type. The views (`view`, `model`) hold
//! ready-to-print strings in output order, so the templates only lay them out; nothing reaches
//! output from a hash map, so the same IR always gives the same text.
//!
//! The examples are written to compile as doctests of the `generated` crate (fenced
//! `rust,no_run`); the signatures are fenced `rust,ignore` since they are not items on their own.

pub(crate) mod example;
#[cfg(feature = "docs")]
mod model;
pub(crate) mod text;
#[cfg(feature = "docs")]
mod token_layer;
#[cfg(feature = "docs")]
mod view;

#[cfg(all(test, feature = "docs"))]
mod tests;

#[cfg(feature = "docs")]
use std::collections::BTreeMap;

#[cfg(feature = "docs")]
use tera::{Context, Tera};

#[cfg(feature = "docs")]
use crate::ir::Api;

#[cfg(feature = "docs")]
const README_TEMPLATE: &str = include_str!("templates/readme.md.tera");
#[cfg(feature = "docs")]
const MODEL_TEMPLATE: &str = include_str!("templates/model.md.tera");

/// Renders the docs of one API (feature `docs`): file name (relative, e.g. "nutanix/README.md", "nutanix/models/OauthStatus.md") → Markdown.
#[cfg(feature = "docs")]
pub fn render(api: &Api, module: &str) -> Result<BTreeMap<String, String>, tera::Error> {
    let mut tera = Tera::default();
    // Markdown, not HTML: spec text is escaped by the views where Markdown needs it.
    tera.autoescape_on(Vec::new());
    tera.add_raw_template("readme.md", README_TEMPLATE)?;
    tera.add_raw_template("model.md", MODEL_TEMPLATE)?;

    let mut out = BTreeMap::new();
    let readme = view::readme(api, module);
    let text = tera.render("readme.md", &Context::from_serialize(&readme)?)?;
    out.insert(format!("{module}/README.md"), tidy(&text));
    let used_by = model::used_by_index(api);
    for t in api.types.values() {
        let page = model::model(api, t, &used_by);
        let text = tera.render("model.md", &Context::from_serialize(&page)?)?;
        out.insert(format!("{module}/models/{}.md", t.name), tidy(&text));
    }
    Ok(out)
}

#[cfg(feature = "docs")]
/// Trailing spaces removed, runs of blank lines outside code blocks collapsed to one, one
/// final newline.
fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_code = false;
    let mut blank = true;
    for line in text.lines() {
        let line = line.trim_end();
        if line.starts_with("```") {
            in_code = !in_code;
        }
        if line.is_empty() && !in_code {
            if !blank {
                out.push('\n');
            }
            blank = true;
            continue;
        }
        out.push_str(line);
        out.push('\n');
        blank = false;
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}
