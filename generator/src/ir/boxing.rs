//! Recursion broken by boxing: a struct field whose type contains the struct itself without
//! indirection is boxed.

use std::collections::{BTreeMap, BTreeSet};

use super::{TypeDef, TypeKind, TypeRef};

/// Marks struct fields that make a type contain itself without indirection (`Vec`/map fields
/// already have it) as boxed.
pub fn box_recursive_fields(types: &mut BTreeMap<String, TypeDef>) {
    fn direct_targets(ty: &TypeRef) -> Option<&str> {
        match ty {
            TypeRef::Named(n) => Some(n),
            _ => None,
        }
    }
    fn reaches(types: &BTreeMap<String, TypeDef>, from: &str, to: &str, seen: &mut BTreeSet<String>) -> bool {
        if from == to {
            return true;
        }
        if !seen.insert(from.to_string()) {
            return false;
        }
        let Some(def) = types.get(from) else { return false };
        let next: Vec<&str> = match &def.kind {
            TypeKind::Struct { fields, .. } => fields.iter().filter(|f| !f.boxed).filter_map(|f| direct_targets(&f.ty)).collect(),
            TypeKind::Union { variants, .. } => variants.iter().filter_map(|v| direct_targets(&v.ty)).collect(),
            TypeKind::Alias { target } => direct_targets(target).into_iter().collect(),
            TypeKind::Enum { .. } => Vec::new(),
        };
        next.into_iter().any(|n| reaches(types, n, to, seen))
    }
    let names: Vec<String> = types.keys().cloned().collect();
    for name in names {
        let field_count = match types.get(&name).map(|t| &t.kind) {
            Some(TypeKind::Struct { fields, .. }) => fields.len(),
            _ => continue,
        };
        for i in 0..field_count {
            let target = match &types[&name].kind {
                TypeKind::Struct { fields, .. } => direct_targets(&fields[i].ty).map(str::to_string),
                _ => None,
            };
            if let Some(target) = target {
                if reaches(types, &target, &name, &mut BTreeSet::new()) {
                    if let Some(TypeDef { kind: TypeKind::Struct { fields, .. }, .. }) = types.get_mut(&name) {
                        fields[i].boxed = true;
                    }
                }
            }
        }
    }
}
