//! Enums that say the same thing share one Rust type. Specs repeat inline enums: Stripe's
//! writes `enum: [""]` (the empty string that clears a field) 519 times and `enum: [list]`
//! 122 times, 2,061 enums with 411 different lists of values. A type per copy costs what the
//! type costs (sixteen impls, each compiled by every build of the user's crate) and gives
//! nothing: the copies decode, encode and compare alike.
//!
//! So an enum whose values, variant names, variant docs and kind (open, integer,
//! case-insensitive) are those of an enum before it (in name order) becomes an alias of that
//! one: `pub type GetInvoicesUpcomingCustomerDetailsAddressVariant2 =
//! GetCreditNotesPreviewLinesItemTaxRatesVariant2;`. Every name stays, with its own docs;
//! `Name::Variant` works through the alias, in expressions and patterns. The aliases point at
//! the first enum directly, never at another alias.

use std::collections::btree_map::Entry;
use std::collections::BTreeMap;

use super::{EnumVariant, TypeDef, TypeKind, TypeRef};

/// What makes two enums the same type: their variants (name, value as JSON, docs) and kind.
type Shape = (Vec<(String, String, Option<String>)>, bool, bool, bool);

/// Turns every enum that repeats an earlier one (in name order) into an alias of it.
pub(super) fn share_enums(types: &mut BTreeMap<String, TypeDef>) {
    let mut first: BTreeMap<Shape, &str> = BTreeMap::new();
    let mut repeats: Vec<(String, String)> = Vec::new();
    for (name, def) in types.iter() {
        let TypeKind::Enum { variants, open, integer, case_insensitive } = &def.kind else { continue };
        match first.entry((variants.iter().map(key).collect(), *open, *integer, *case_insensitive)) {
            Entry::Vacant(slot) => {
                slot.insert(name);
            }
            Entry::Occupied(earlier) => repeats.push((name.clone(), earlier.get().to_string())),
        }
    }
    for (name, target) in repeats {
        if let Some(def) = types.get_mut(&name) {
            def.kind = TypeKind::Alias { target: TypeRef::Named(target) };
        }
    }
}

fn key(variant: &EnumVariant) -> (String, String, Option<String>) {
    (variant.name.clone(), variant.value.to_string(), variant.doc.clone())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn enumeration(name: &str, values: &[&str], open: bool) -> (String, TypeDef) {
        let variants = values.iter().map(|v| EnumVariant { name: v.to_uppercase(), value: json!(v), doc: None }).collect();
        let kind = TypeKind::Enum { variants, open, integer: false, case_insensitive: false };
        let def = TypeDef { name: name.to_string(), schema_name: None, doc: Some(format!("{name} docs")), kind, pointer: String::new(), deprecated: false };
        (name.to_string(), def)
    }

    #[test]
    fn repeats_become_aliases_of_the_first_by_name() {
        let mut types: BTreeMap<String, TypeDef> = [
            enumeration("C", &["a", "b"], false),
            enumeration("A", &["a", "b"], false),
            enumeration("B", &["a", "b"], true),
            enumeration("D", &["b", "a"], false),
            enumeration("E", &["a", "b"], false),
        ]
        .into_iter()
        .collect();
        share_enums(&mut types);
        let target = |name: &str| match &types[name].kind {
            TypeKind::Alias { target: TypeRef::Named(t) } => Some(t.clone()),
            TypeKind::Enum { .. } => None,
            other => panic!("{name} is {other:?}"),
        };
        assert_eq!(target("A"), None);
        // Open enums are another kind; another order of values is another type.
        assert_eq!((target("B"), target("D")), (None, None));
        assert_eq!((target("C"), target("E")), (Some("A".to_string()), Some("A".to_string())));
        // Each name keeps its own docs.
        assert_eq!(types["C"].doc.as_deref(), Some("C docs"));
    }

    #[test]
    fn variant_docs_tell_enums_apart() {
        let (a, mut first) = enumeration("A", &["x"], false);
        let (b, second) = enumeration("B", &["x"], false);
        if let TypeKind::Enum { variants, .. } = &mut first.kind {
            variants[0].doc = Some("The x.".to_string());
        }
        let mut types: BTreeMap<String, TypeDef> = [(a, first), (b, second)].into_iter().collect();
        share_enums(&mut types);
        assert!(types.values().all(|t| matches!(t.kind, TypeKind::Enum { .. })));
    }
}
