//! Implicit discriminators: `oneOf`/`anyOf` alternatives told apart by a property that has a
//! single value in each (`type: {enum: [card]}` vs `{enum: [bank]}`), so that a value decodes
//! into the alternative its property names rather than into the first that fits.

use std::collections::{BTreeMap, BTreeSet};

use super::{Discriminator, TypeDef, TypeKind, TypeRef};

/// The single value a struct field can take, when its type is a closed one-value string enum.
pub(super) fn single_value(types: &BTreeMap<String, TypeDef>, ty: &TypeRef) -> Option<String> {
    let TypeRef::Named(name) = ty else { return None };
    match &types.get(name)?.kind {
        TypeKind::Enum { variants, open: false, integer: false, .. } => match variants.as_slice() {
            [only] => only.value.as_str().map(str::to_string),
            _ => None,
        },
        TypeKind::Alias { target } => single_value(types, target),
        _ => None,
    }
}

/// The fields of the struct a union alternative names.
pub(super) fn struct_fields<'a>(types: &'a BTreeMap<String, TypeDef>, ty: &TypeRef) -> Option<&'a [super::Field]> {
    let TypeRef::Named(name) = ty else { return None };
    match &types.get(name)?.kind {
        TypeKind::Struct { fields, .. } => Some(fields),
        TypeKind::Alias { target } if target != ty => struct_fields(types, target),
        _ => None,
    }
}

/// Gives every union without a `discriminator` an implicit one when a property tells its
/// alternatives apart.
pub fn implicit_tags(types: &mut BTreeMap<String, TypeDef>) {
    let mut found = Vec::new();
    for (name, def) in types.iter() {
        let TypeKind::Union { variants, discriminator: None } = &def.kind else { continue };
        if variants.len() < 2 {
            continue;
        }
        let Some(first) = struct_fields(types, &variants[0].ty) else { continue };
        for candidate in first.iter().map(|f| f.wire_name.as_str()) {
            let mapping: Option<Vec<(String, usize)>> = variants
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    let field = struct_fields(types, &v.ty)?.iter().find(|f| f.wire_name == candidate)?;
                    Some((single_value(types, &field.ty)?, i))
                })
                .collect();
            let Some(mut mapping) = mapping else { continue };
            if mapping.iter().map(|(v, _)| v).collect::<BTreeSet<_>>().len() == mapping.len() {
                mapping.sort();
                found.push((name.clone(), Discriminator { property: candidate.to_string(), mapping, required: false }));
                break;
            }
        }
    }
    for (name, tag) in found {
        if let Some(TypeDef { kind: TypeKind::Union { discriminator, .. }, .. }) = types.get_mut(&name) {
            *discriminator = Some(tag);
        }
    }
}
