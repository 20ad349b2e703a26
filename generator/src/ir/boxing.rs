//! Recursion broken by boxing: a struct field whose type contains the struct itself without
//! indirection is boxed.

use std::collections::BTreeMap;

use super::{TypeDef, TypeKind, TypeRef};

/// Marks struct fields that make a type contain itself without indirection (`Vec`/map fields
/// already have it) as boxed.
///
/// The fields are visited in order of type name, then of field; a field is boxed when its type
/// reaches the struct again through fields not boxed so far, so that a cycle of two structs
/// boxes the field of the first one only.
pub fn box_recursive_fields(types: &mut BTreeMap<String, TypeDef>) {
    let mut graph = Graph::new(types);
    for from in 0..graph.edges.len() {
        for edge in 0..graph.edges[from].len() {
            let Edge { to, field: Some(_), boxed: false } = graph.edges[from][edge] else { continue };
            graph.edges[from][edge].boxed = graph.reaches(to, from);
        }
    }
    for (def, edges) in types.values_mut().zip(&graph.edges) {
        if let TypeKind::Struct { fields, .. } = &mut def.kind {
            for edge in edges.iter().filter(|e| e.boxed) {
                if let Some(field) = edge.field {
                    fields[field].boxed = true;
                }
            }
        }
    }
}

/// A type's fields, variants or target of a named type, with nothing between them: the ways a
/// type contains another directly.
struct Edge {
    /// The contained type (its place among the type names).
    to: usize,
    /// A struct field's place among the struct's fields; `None` for a union's variant or an
    /// alias's target.
    field: Option<usize>,
    boxed: bool,
}

/// The types by their place in name order, and what each contains directly.
struct Graph {
    edges: Vec<Vec<Edge>>,
    /// The search each type was last seen in (see [`Graph::reaches`]).
    seen: Vec<u32>,
    search: u32,
    stack: Vec<usize>,
}

impl Graph {
    fn new(types: &BTreeMap<String, TypeDef>) -> Self {
        let names: Vec<&str> = types.keys().map(String::as_str).collect();
        // A name that is no type's contains nothing.
        let place = |ty: &TypeRef| match ty {
            TypeRef::Named(name) => names.binary_search(&name.as_str()).ok(),
            _ => None,
        };
        let edges = types
            .values()
            .map(|def| match &def.kind {
                TypeKind::Struct { fields, .. } => fields
                    .iter()
                    .enumerate()
                    .filter_map(|(i, f)| Some(Edge { to: place(&f.ty)?, field: Some(i), boxed: f.boxed }))
                    .collect(),
                TypeKind::Union { variants, .. } => variants.iter().filter_map(|v| Some(Edge { to: place(&v.ty)?, field: None, boxed: false })).collect(),
                TypeKind::Alias { target } => place(target).map(|to| Edge { to, field: None, boxed: false }).into_iter().collect(),
                TypeKind::Enum { .. } => Vec::new(),
            })
            .collect::<Vec<Vec<Edge>>>();
        let count = edges.len();
        Graph { edges, seen: vec![0; count], search: 0, stack: Vec::new() }
    }

    /// Whether type `from` contains type `to` directly or through types it contains, by edges
    /// not boxed.
    fn reaches(&mut self, from: usize, to: usize) -> bool {
        self.search += 1;
        self.stack.clear();
        self.stack.push(from);
        self.seen[from] = self.search;
        while let Some(at) = self.stack.pop() {
            if at == to {
                return true;
            }
            for edge in self.edges[at].iter().filter(|e| !e.boxed) {
                if self.seen[edge.to] != self.search {
                    self.seen[edge.to] = self.search;
                    self.stack.push(edge.to);
                }
            }
        }
        false
    }
}
