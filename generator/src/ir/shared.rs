//! Enums and unions that say the same thing share one Rust type. Specs repeat inline enums:
//! Stripe's writes `enum: [""]` (the empty string that clears a field) 519 times and
//! `enum: [list]` 122 times, 2,061 enums with 411 different lists of values; Graph's repeats
//! the union of a number, a string and `ReferenceNumeric` thousands of times. A type per copy
//! costs what the type costs (an enum has sixteen impls, each compiled by every build of the
//! user's crate) and gives nothing: the copies decode, encode and compare alike.
//!
//! So an enum whose variants (names, values, docs) and kind (open, integer,
//! case-insensitive) are those of an enum before it (in name order) becomes an alias of that
//! one: `pub type GetInvoicesUpcomingCustomerDetailsAddressVariant2 =
//! GetCreditNotesPreviewLinesItemTaxRatesVariant2;`. Then, likewise, a union whose variants
//! (names, the types they hold once aliases are followed, property names) and discriminator
//! are those of a union before it. Every name stays, with its own docs; `Name::Variant` works
//! through the alias, in expressions and patterns. The aliases point at the first type
//! directly, never at another alias.

use std::collections::hash_map::Entry as HashEntry;
use std::collections::BTreeMap;
use std::hash::Hash;

use rustc_hash::FxHashMap;

use super::{unaliased_in, Discriminator, EnumVariant, Operation, Param, Response, Sharing, TypeDef, TypeKind, TypeRef, UnionVariant, ALIAS_BUDGET};

/// Turns every enum, then every union, that repeats an earlier one (in name order) into an
/// alias of it.
pub(super) fn share_types(types: &mut BTreeMap<String, TypeDef>) {
    share(types, |_, kind| match kind {
        TypeKind::Enum { variants, open, integer, case_insensitive } => {
            Some(Shape::Enum { variants, open: *open, integer: *integer, case_insensitive: *case_insensitive })
        }
        _ => None,
    });
    // After the enums: unions that hold two aliases of one enum hold one type.
    share(types, |types, kind| match kind {
        TypeKind::Union { variants, discriminator } => {
            let variants = variants
                .iter()
                .map(|v| UnionVariant { name: v.name.clone(), ty: unaliased_in(types, &v.ty, ALIAS_BUDGET), properties: v.properties.clone() })
                .collect();
            Some(Shape::Union { variants, discriminator })
        }
        _ => None,
    });
}

/// Everything an enum or a union says: equal for two that make the same Rust type.
#[derive(PartialEq, Eq, Hash)]
enum Shape<'t> {
    Enum { variants: &'t [EnumVariant], open: bool, integer: bool, case_insensitive: bool },
    /// The variants with the types they hold once aliases are followed.
    Union { variants: Vec<UnionVariant>, discriminator: &'t Option<Discriminator> },
}

/// Turns each type that has the same `key` as a type before it into an alias of that one.
fn share(types: &mut BTreeMap<String, TypeDef>, key: impl for<'t> Fn(&'t BTreeMap<String, TypeDef>, &'t TypeKind) -> Option<Shape<'t>>) {
    let repeats = {
        let types = &*types;
        // Looked up only, never iterated: the types' name order decides which comes first.
        let mut first: FxHashMap<Shape, &str> = FxHashMap::default();
        let mut repeats: Vec<(String, String)> = Vec::new();
        for (name, def) in types {
            let Some(key) = key(types, &def.kind) else { continue };
            match first.entry(key) {
                HashEntry::Vacant(slot) => {
                    slot.insert(name);
                }
                HashEntry::Occupied(earlier) => repeats.push((name.clone(), earlier.get().to_string())),
            }
        }
        repeats
    };
    for (name, target) in repeats {
        if let Some(def) = types.get_mut(&name) {
            def.kind = TypeKind::Alias { target: TypeRef::Named(target) };
        }
    }
}

/// Makes the `{Op}Params` structs, then the `{Op}Success` and `{Op}Error` enums, that repeat
/// an earlier operation's (in the operations' order, by method name) aliases of it. The
/// operations' own code (the client's and the server's) goes on naming its own types.
///
/// - Parameters: the same query, header and cookie parameters (names, places, types once
///   aliases are followed, docs, defaults); Graph beta's 13,535 structs are 2,467 different
///   ones.
/// - Responses: the same responses, so the same variants, docs and `Display`. The server sends
///   an OAuth endpoint's errors as RFC 6749 says (`Cache-Control`, the `error` member): its
///   error enum is encoded otherwise, so it is another enum.
pub(super) fn share_operation_types(operations: &mut [Operation], types: &BTreeMap<String, TypeDef>) {
    let sharing = share_by_shape(operations, Which::Params, |op| {
        op.other_params().map(|p| Param { ty: unaliased_in(types, &p.ty, ALIAS_BUDGET), ..p.clone() }).collect::<Vec<_>>()
    });
    set_sharing(operations, Which::Params, sharing);
    for which in [Which::Success, Which::Error] {
        let success = matches!(which, Which::Success);
        let sharing = share_by_shape(operations, which, |op| {
            let responses: Vec<&Response> = op.responses.iter().filter(|r| r.status.is_success() == success).collect();
            (!success && op.oauth.is_some(), responses)
        });
        set_sharing(operations, which, sharing);
    }
}

/// Sets the types `which` of the operations as [`share_by_shape`] found.
fn set_sharing(operations: &mut [Operation], which: Which, sharing: Vec<(usize, Sharing)>) {
    for (i, how) in sharing {
        *which.sharing(&mut operations[i]) = how;
    }
}

/// One of an operation's own types.
#[derive(Clone, Copy)]
enum Which {
    Params,
    Success,
    Error,
}

impl Which {
    fn name(self, op: &Operation) -> Option<&str> {
        match self {
            Which::Params => op.params_type.as_deref(),
            Which::Success => op.success_type.as_deref(),
            Which::Error => op.error_type.as_deref(),
        }
    }

    fn sharing(self, op: &mut Operation) -> &mut Sharing {
        match self {
            Which::Params => &mut op.params_sharing,
            Which::Success => &mut op.success_sharing,
            Which::Error => &mut op.error_sharing,
        }
    }
}

/// The types `which` of the operations whose `shape` is an earlier operation's, to become
/// aliases of that one's (and that one's, shared): by operation index, for [`set_sharing`].
fn share_by_shape<'o, K: Eq + Hash>(operations: &'o [Operation], which: Which, shape: impl Fn(&'o Operation) -> K) -> Vec<(usize, Sharing)> {
    // Looked up only, never iterated: the order of the operations decides which comes first.
    let mut first: FxHashMap<K, (&str, usize)> = FxHashMap::default();
    let mut sharing: Vec<(usize, Sharing)> = Vec::new();
    for (i, op) in operations.iter().enumerate() {
        let Some(name) = which.name(op) else { continue };
        match first.entry(shape(op)) {
            HashEntry::Vacant(slot) => {
                slot.insert((name, i));
            }
            HashEntry::Occupied(earlier) => {
                let (target, at) = *earlier.get();
                sharing.push((at, Sharing::Shared));
                sharing.push((i, Sharing::AliasOf(target.to_string())));
            }
        }
    }
    sharing
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::ir::EnumVariant;

    fn def(name: &str, kind: TypeKind) -> (String, TypeDef) {
        let def = TypeDef { name: name.to_string(), schema_name: None, doc: Some(format!("{name} docs")), kind, pointer: String::new(), deprecated: false };
        (name.to_string(), def)
    }

    fn enumeration(name: &str, values: &[&str], open: bool) -> (String, TypeDef) {
        let variants = values.iter().map(|v| EnumVariant { name: v.to_uppercase(), value: json!(v), doc: None }).collect();
        def(name, TypeKind::Enum { variants, open, integer: false, case_insensitive: false })
    }

    fn union(name: &str, holds: &[&str]) -> (String, TypeDef) {
        let variants = holds
            .iter()
            .enumerate()
            .map(|(i, ty)| UnionVariant { name: format!("Variant{i}"), ty: TypeRef::Named(ty.to_string()), properties: Vec::new() })
            .collect();
        def(name, TypeKind::Union { variants, discriminator: None })
    }

    /// What `name` became: `None` if it is still its own type.
    fn alias_of(types: &BTreeMap<String, TypeDef>, name: &str) -> Option<String> {
        match &types[name].kind {
            TypeKind::Alias { target: TypeRef::Named(t) } => Some(t.clone()),
            _ => None,
        }
    }

    /// An API of operations `a`…`d`: `a`, `b` and `d` declare the same error responses, `c` one
    /// of another description; `a` and `c` the same two successes, `b` others; `b`, `c` and `d`
    /// the same query parameter, `a` one of another type.
    fn api_of_four_operations() -> crate::ir::Api {
        let op = |id: &str, error: &str, created: &str, limit: &str| {
            format!(
                r#""/{id}": {{"get": {{"operationId": "{id}",
                    "parameters": [{{"name": "limit", "in": "query", "schema": {{"type": "{limit}"}}}}],
                    "responses": {{
                    "200": {{"description": "ok"}}, "201": {{"description": "{created}"}},
                    "404": {{"description": "{error}"}}, "default": {{"description": "oops"}}}}}}}}"#
            )
        };
        let paths = [
            op("a", "gone", "made", "string"),
            op("b", "gone", "new", "integer"),
            op("c", "missing", "made", "integer"),
            op("d", "gone", "made", "integer"),
        ];
        let spec = format!(r#"{{"openapi": "3.0.3", "info": {{"title": "t", "version": "1"}}, "paths": {{{}}}}}"#, paths.join(","));
        crate::lower("spec.json", &spec).unwrap_or_else(|d| panic!("{d}")).api
    }

    #[test]
    fn operations_declaring_the_same_responses_share_their_enums() {
        let api = api_of_four_operations();
        let by_id = |id: &str| api.operations.iter().find(|op| op.operation_id == id).expect("operation");
        let alias = |name: &str| Sharing::AliasOf(name.to_string());
        let errors: Vec<&Sharing> = ["a", "b", "c", "d"].iter().map(|id| &by_id(id).error_sharing).collect();
        assert_eq!(errors, [&Sharing::Shared, &alias("AError"), &Sharing::Own, &alias("AError")]);
        let successes: Vec<&Sharing> = ["a", "b", "c", "d"].iter().map(|id| &by_id(id).success_sharing).collect();
        assert_eq!(successes, [&Sharing::Shared, &Sharing::Own, &alias("ASuccess"), &alias("ASuccess")]);
        let params: Vec<&Sharing> = ["a", "b", "c", "d"].iter().map(|id| &by_id(id).params_sharing).collect();
        assert_eq!(params, [&Sharing::Own, &Sharing::Shared, &alias("BParams"), &alias("BParams")]);
        // Every name stays: the client and the server name their own operation's enums.
        assert_eq!(by_id("d").error_type.as_deref(), Some("DError"));
    }

    #[test]
    fn an_oauth_endpoint_shares_its_error_enum_with_no_other_operation() {
        let responses = r#""responses": {"200": {"description": "ok"}, "400": {"description": "bad"}}"#;
        let form = r#""requestBody": {"content": {"application/x-www-form-urlencoded": {"schema": {"type": "object", "properties": {"grant_type": {"type": "string"}}}}}}"#;
        let spec = format!(
            r#"{{"openapi": "3.0.3", "info": {{"title": "t", "version": "1"}},
                "components": {{"securitySchemes": {{"oauth": {{"type": "oauth2", "flows": {{"clientCredentials": {{"tokenUrl": "/token", "scopes": {{}}}}}}}}}}}},
                "paths": {{"/a": {{"post": {{"operationId": "a", {responses}}}}},
                           "/token": {{"post": {{"operationId": "token", {form}, {responses}}}}}}}}}"#
        );
        let api = crate::lower("spec.json", &spec).unwrap_or_else(|d| panic!("{d}")).api;
        let token = api.operations.iter().find(|op| op.operation_id == "token").expect("token");
        assert!(token.oauth.is_some(), "the token endpoint is recognised");
        assert!(api.operations.iter().any(|op| op.operation_id == "a" && op.oauth.is_none()));
        // Its errors are sent as RFC 6749 §5.2 says, the other operation's are not.
        assert!(api.operations.iter().all(|op| op.error_sharing == Sharing::Own));
    }

    #[test]
    fn repeated_enums_become_aliases_of_the_first_by_name() {
        let mut types: BTreeMap<String, TypeDef> = [
            enumeration("C", &["a", "b"], false),
            enumeration("A", &["a", "b"], false),
            enumeration("B", &["a", "b"], true),
            enumeration("D", &["b", "a"], false),
            enumeration("E", &["a", "b"], false),
        ]
        .into_iter()
        .collect();
        share_types(&mut types);
        assert_eq!(alias_of(&types, "A"), None);
        // Open enums are another kind; another order of values is another type.
        assert_eq!((alias_of(&types, "B"), alias_of(&types, "D")), (None, None));
        assert_eq!((alias_of(&types, "C"), alias_of(&types, "E")), (Some("A".to_string()), Some("A".to_string())));
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
        share_types(&mut types);
        assert!(types.values().all(|t| matches!(t.kind, TypeKind::Enum { .. })));
    }

    #[test]
    fn unions_of_the_same_types_once_enums_are_shared_are_shared() {
        let mut types: BTreeMap<String, TypeDef> = [
            enumeration("Empty1", &[""], false),
            enumeration("Empty2", &[""], false),
            union("U1", &["Empty1", "Other"]),
            union("U2", &["Empty2", "Other"]),
            union("U3", &["Other", "Empty2"]),
            def("Other", TypeKind::Alias { target: TypeRef::Any }),
        ]
        .into_iter()
        .collect();
        share_types(&mut types);
        assert_eq!(alias_of(&types, "Empty2"), Some("Empty1".to_string()));
        // `Empty2` is `Empty1`: U2 holds what U1 holds, under the same variant names.
        assert_eq!(alias_of(&types, "U2"), Some("U1".to_string()));
        // Another order is other variant names for the types.
        assert_eq!(alias_of(&types, "U3"), None);
    }
}
