//! What the variants of enums and unions are called: an enum's after its values, a union's
//! after the types its alternatives hold.

use std::collections::BTreeSet;

use serde_json::Value;

use super::names::{self, strip_common_words, unique};
use super::{EnumVariant, TypeKind, TypeRef};

/// The kind of an enum of `values` (strings, or integers if `integer`), its variants named
/// after them; `open` keeps the name `Other` for the unknown values' variant.
pub(super) fn enum_kind(values: &[Value], open: bool, integer: bool) -> TypeKind {
    // URN values (`urn:ietf:params:oauth:token-type:jwt`) are named by their last part.
    let urn_names: Option<Vec<String>> = values
        .iter()
        .map(|v| v.as_str().filter(|s| s.starts_with("urn:")).and_then(|s| s.rsplit(':').next()).map(|last| names::type_name(last, "V")))
        .collect();
    let urn_names = urn_names.filter(|n| n.iter().collect::<BTreeSet<_>>().len() == n.len());
    let raw_names: Vec<String> = urn_names.unwrap_or_else(|| {
        values
            .iter()
            .map(|v| match v {
                Value::String(s) => names::type_name(s, "V"),
                other => names::type_name(&other.to_string(), "V"),
            })
            .collect()
    });
    let mut used = BTreeSet::new();
    if open {
        used.insert("Other".to_string());
    }
    let mut variants = Vec::with_capacity(values.len());
    let mut seen_values = BTreeSet::new();
    for (name, value) in strip_common_words(&raw_names).into_iter().zip(values) {
        if !seen_values.insert(value.to_string()) {
            continue; // a repeated value adds nothing
        }
        variants.push(EnumVariant { name: unique(name, &mut used), value: value.clone(), doc: None });
    }
    TypeKind::Enum { variants, open, integer, case_insensitive: false }
}

/// The name of a union's variant holding `ty`, the `index`th alternative, before the
/// variants' common words are stripped.
pub(super) fn variant_name(ty: &TypeRef, index: usize) -> String {
    match ty {
        TypeRef::Named(n) => n.clone(),
        TypeRef::Prim(p) => names::type_name(&format!("{p:?}"), "V"),
        TypeRef::Array(_) => "Array".to_string(),
        TypeRef::Map(_) => "Map".to_string(),
        TypeRef::Any => format!("Variant{}", index + 1),
    }
}
