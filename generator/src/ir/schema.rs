//! Schema lowering: OpenAPI schemas → [`TypeRef`]s and named [`TypeDef`]s.
//!
//! Component schemas keep their (sanitized) names; inline schemas that need a named Rust type
//! (objects, enums, unions) are named from where they appear (`{Parent}{Field}`,
//! `{Operation}Body`). Named references never recurse into the target, so recursive schemas
//! lower in one pass; recursion is then broken by boxing (see [`super::boxing::box_recursive_fields`]).

use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, ReferenceOr, Schema, SchemaKind, StringFormat, Type,
    VariantOrUnknownOrEmpty,
};
use rustc_hash::FxHashMap;
use serde_json::Value;

use super::names::{self, strip_common_words, unique, unique_snake};
use super::variants::{enum_kind, variant_name};
use super::{Constraints, Discriminator, Field, Prim, TypeDef, TypeKind, TypeRef, UnionVariant};
use crate::diag::{push_pointer, Diagnostic};
use crate::load::Document;

/// A uniform view of the two ways `openapiv3` stores a schema (`Type` and `Any`).
#[derive(Default)]
struct View<'s> {
    typ: Option<&'s str>,
    format: Option<&'s str>,
    enumeration: Enumeration<'s>,
    properties: Option<&'s IndexMap<String, ReferenceOr<Box<Schema>>>>,
    required: &'s [String],
    additional: Option<&'s AdditionalProperties>,
    items: Option<&'s ReferenceOr<Box<Schema>>>,
    one_of: &'s [ReferenceOr<Schema>],
    any_of: &'s [ReferenceOr<Schema>],
    all_of: &'s [ReferenceOr<Schema>],
    constraints: Constraints,
}

/// A schema's `enum`, as the schema holds it: read when needed (a schema is viewed several
/// times).
#[derive(Clone, Copy, Default)]
enum Enumeration<'s> {
    #[default]
    None,
    Strings(&'s [Option<String>]),
    Integers(&'s [Option<i64>]),
    Values(&'s [Value]),
}

impl Enumeration<'_> {
    /// Whether there is no value (`null`s do not count).
    fn is_empty(self) -> bool {
        match self {
            Enumeration::None => true,
            Enumeration::Strings(values) => values.iter().all(Option::is_none),
            Enumeration::Integers(values) => values.iter().all(Option::is_none),
            Enumeration::Values(values) => values.iter().all(Value::is_null),
        }
    }

    /// The values but `null`.
    fn values(self) -> Vec<Value> {
        match self {
            Enumeration::None => Vec::new(),
            Enumeration::Strings(values) => values.iter().flatten().map(|s| Value::String(s.clone())).collect(),
            Enumeration::Integers(values) => values.iter().flatten().map(|n| Value::from(*n)).collect(),
            Enumeration::Values(values) => values.iter().filter(|e| !e.is_null()).cloned().collect(),
        }
    }
}

/// A format's name as the spec spells it (openapiv3's serde names).
fn format_name<T>(f: &VariantOrUnknownOrEmpty<T>, name: fn(&T) -> &'static str) -> Option<&str> {
    match f {
        VariantOrUnknownOrEmpty::Item(item) => Some(name(item)),
        VariantOrUnknownOrEmpty::Unknown(s) => Some(s),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}

fn string_format(f: &StringFormat) -> &'static str {
    match f {
        StringFormat::Date => "date",
        StringFormat::DateTime => "date-time",
        StringFormat::Password => "password",
        StringFormat::Byte => "byte",
        StringFormat::Binary => "binary",
    }
}

fn integer_format(f: &IntegerFormat) -> &'static str {
    match f {
        IntegerFormat::Int32 => "int32",
        IntegerFormat::Int64 => "int64",
    }
}

fn number_format(f: &NumberFormat) -> &'static str {
    match f {
        NumberFormat::Float => "float",
        NumberFormat::Double => "double",
    }
}

fn view(schema: &Schema) -> View<'_> {
    let mut v = View::default();
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => {
            v.typ = Some("string");
            v.format = format_name(&s.format, string_format);
            v.enumeration = Enumeration::Strings(&s.enumeration);
            v.constraints.min_length = s.min_length;
            v.constraints.max_length = s.max_length;
        }
        SchemaKind::Type(Type::Integer(i)) => {
            v.typ = Some("integer");
            v.format = format_name(&i.format, integer_format);
            v.enumeration = Enumeration::Integers(&i.enumeration);
            v.constraints.minimum = i.minimum.map(|n| n as f64);
            v.constraints.maximum = i.maximum.map(|n| n as f64);
        }
        SchemaKind::Type(Type::Number(n)) => {
            v.typ = Some("number");
            v.format = format_name(&n.format, number_format);
            v.constraints.minimum = n.minimum;
            v.constraints.maximum = n.maximum;
        }
        SchemaKind::Type(Type::Boolean(_)) => v.typ = Some("boolean"),
        SchemaKind::Type(Type::Object(o)) => {
            v.typ = Some("object");
            v.properties = Some(&o.properties);
            v.required = &o.required;
            v.additional = o.additional_properties.as_ref();
        }
        SchemaKind::Type(Type::Array(a)) => {
            v.typ = Some("array");
            v.items = a.items.as_ref();
            v.constraints.min_items = a.min_items;
            v.constraints.max_items = a.max_items;
        }
        SchemaKind::OneOf { one_of } => v.one_of = one_of,
        SchemaKind::AnyOf { any_of } => v.any_of = any_of,
        SchemaKind::AllOf { all_of } => v.all_of = all_of,
        SchemaKind::Not { .. } => {}
        SchemaKind::Any(a) => {
            v.typ = a.typ.as_deref();
            v.format = a.format.as_deref();
            v.enumeration = Enumeration::Values(&a.enumeration);
            if !a.properties.is_empty() || a.additional_properties.is_some() {
                v.properties = Some(&a.properties);
            }
            v.required = &a.required;
            v.additional = a.additional_properties.as_ref();
            v.items = a.items.as_ref();
            v.one_of = &a.one_of;
            v.any_of = &a.any_of;
            v.all_of = &a.all_of;
            v.constraints = Constraints {
                min_length: a.min_length,
                max_length: a.max_length,
                minimum: a.minimum,
                maximum: a.maximum,
                min_items: a.min_items,
                max_items: a.max_items,
            };
        }
    }
    v
}

/// The parts of an `allOf` that say what the value is (a `$ref`, a type, properties, items,
/// an enumeration or alternatives), with their index; parts that only annotate
/// (`description`, `default`, `example` …) are left out.
/// Whether [`Types::anonymous`] names what `schema` nests after its hint: a single typed
/// `allOf` part, a single `oneOf`/`anyOf` alternative, array items, map values (the branches
/// of `anonymous` that pass `hint` on).
fn anonymous_uses_hint(schema: &Schema) -> bool {
    let v = view(schema);
    typed_parts(v.all_of).len() == 1
        || v.one_of.len() == 1
        || v.any_of.len() == 1
        || match v.typ {
            Some("array") => v.items.is_some(),
            Some("object") | None => matches!(v.additional, Some(AdditionalProperties::Schema(_))),
            _ => false,
        }
}

fn typed_parts(all_of: &[ReferenceOr<Schema>]) -> Vec<(usize, &ReferenceOr<Schema>)> {
    all_of.iter().enumerate().filter(|(_, part)| is_typed(part)).collect()
}

/// The annotations (`description`, `default`, `nullable` …) of the `allOf` parts of `schema`
/// that only annotate.
fn annotation_parts(schema: &Schema) -> Vec<&openapiv3::SchemaData> {
    view(schema)
        .all_of
        .iter()
        .filter_map(|part| match part {
            ReferenceOr::Item(s) if !is_typed(part) => Some(&s.schema_data),
            _ => None,
        })
        .collect()
}

fn is_typed(part: &ReferenceOr<Schema>) -> bool {
    match part {
        ReferenceOr::Reference { .. } => true,
        ReferenceOr::Item(s) => {
            let v = view(s);
            v.typ.is_some()
                || !v.enumeration.is_empty()
                || v.properties.is_some()
                || v.additional.is_some()
                || v.items.is_some()
                || !v.one_of.is_empty()
                || !v.any_of.is_empty()
                || !v.all_of.is_empty()
        }
    }
}

/// Names that generated code defines next to the models (`Client`, the `client`/`server`
/// modules), or takes from the prelude where `client` imports the models with `use super::*`
/// (which would shadow the prelude), stay free for it.
const RESERVED_TYPE_NAMES: &[&str] = &[
    "Client", "Option", "Result", "Vec", "String", "Box", "Some", "None", "Ok", "Err", "Default", "From", "TryFrom", "Into",
];

/// Lowers schemas into named types, collecting problems as it goes.
pub struct Types<'d> {
    pub(super) doc: &'d Document,
    pub(super) types: BTreeMap<String, TypeDef>,
    pub(super) used: BTreeSet<String>,
    /// Schema pointer → Rust type name, for every named schema.
    by_pointer: FxHashMap<String, String>,
    /// Property names of the target of a union alternative's `$ref`, by reference (Graph beta
    /// has thousands of `anyOf: [{$ref}, {nullable}]`: each target is read once).
    ref_property_names: FxHashMap<String, Vec<String>>,
    /// The typed targets of `allOf` parts' `$ref`s (base schemas, shared by the schemas
    /// derived from them), with their pointers.
    all_of_targets: FxHashMap<String, (String, Rc<Schema>)>,
    /// The kinds of the string enums made so far, by their values, closed then open: Graph
    /// beta repeats 3,241 lists of values 18,798 times (an entity's properties, to `$select`).
    string_enums: [FxHashMap<Vec<Value>, TypeKind>; 2],
    /// The raw path item being lowered, by path, when it was taken out of the document (see
    /// `lower::lower_consuming`).
    pub(super) mounted: Option<(String, Value)>,
    /// Named schemas referenced but not lowered yet.
    pending: Vec<(String, String)>,
    pub(super) diags: Vec<Diagnostic>,
    /// What is left out or approximated; generation goes on.
    pub(super) warnings: Vec<Diagnostic>,
}

impl<'d> Types<'d> {
    /// Registers every component schema's name (so inline names never take them) and lowers
    /// them all.
    pub fn new(doc: &'d Document) -> Self {
        let mut t = Types {
            doc,
            types: BTreeMap::new(),
            used: RESERVED_TYPE_NAMES.iter().map(|s| s.to_string()).collect(),
            by_pointer: FxHashMap::default(),
            ref_property_names: FxHashMap::default(),
            all_of_targets: FxHashMap::default(),
            string_enums: Default::default(),
            mounted: None,
            pending: Vec::new(),
            diags: Vec::new(),
            warnings: Vec::new(),
        };
        if let Some(components) = &doc.api.components {
            let mut keys: Vec<&String> = components.schemas.keys().collect();
            keys.sort();
            for key in keys {
                let pointer = push_pointer("/components/schemas", key);
                let name = unique(names::type_name(key, "Schema"), &mut t.used);
                t.by_pointer.insert(pointer.clone(), name.clone());
                t.pending.push((pointer, name));
            }
        }
        t.flush();
        t
    }

    /// Reserves a name for an operation-level type (`{Op}Params`, `{Op}Error`, …).
    pub fn reserve(&mut self, name: String) -> String {
        unique(name, &mut self.used)
    }

    /// Lowers every referenced-but-not-yet-lowered named schema.
    pub fn flush(&mut self) {
        while let Some((pointer, name)) = self.pending.pop() {
            if self.types.contains_key(&name) {
                continue;
            }
            match self.doc.resolve_raw(&format!("#{pointer}")) {
                Ok((_, raw)) => match self.doc.typed::<ReferenceOr<Schema>>(&pointer, raw) {
                    Ok(schema) => self.define_named(&pointer, &name, &schema),
                    Err(d) => {
                        self.diags.push(d);
                        self.insert(&pointer, &name, None, TypeKind::Alias { target: TypeRef::Any }, false);
                    }
                },
                Err(m) => self.diags.push(self.doc.diagnostic(&pointer, &m)),
            }
        }
    }

    fn insert(&mut self, pointer: &str, name: &str, doc: Option<String>, kind: TypeKind, deprecated: bool) {
        let schema_name = pointer
            .strip_prefix("/components/schemas/")
            .filter(|s| !s.contains('/'))
            .map(|s| s.replace("~1", "/").replace("~0", "~"));
        self.types.insert(
            name.to_string(),
            TypeDef { name: name.to_string(), schema_name, doc, kind, pointer: pointer.to_string(), deprecated },
        );
    }

    /// Defines the named type `name` for the schema at `pointer`, whatever its shape.
    fn define_named(&mut self, pointer: &str, name: &str, schema: &ReferenceOr<Schema>) {
        let schema = match schema {
            ReferenceOr::Reference { .. } => {
                let target = self.type_of(pointer, schema, name);
                self.insert(pointer, name, None, TypeKind::Alias { target }, false);
                return;
            }
            ReferenceOr::Item(s) => s,
        };
        let doc = doc_text(schema);
        let deprecated = schema.schema_data.deprecated;
        let kind = match self.named_kind(pointer, name, schema) {
            Some(kind) => kind,
            None => TypeKind::Alias { target: self.anonymous(pointer, schema, name) },
        };
        self.insert(pointer, name, doc, kind, deprecated);
    }

    /// The type of a schema used at `pointer`; `hint` names any inline type it needs.
    pub fn type_of(&mut self, pointer: &str, schema: &ReferenceOr<Schema>, hint: &str) -> TypeRef {
        match schema {
            ReferenceOr::Reference { reference } => self.named_ref(pointer, reference),
            ReferenceOr::Item(s) => self.inline(pointer, s, hint),
        }
    }

    fn type_of_boxed(&mut self, pointer: &str, schema: &ReferenceOr<Box<Schema>>, hint: &str) -> TypeRef {
        match schema {
            ReferenceOr::Reference { reference } => self.named_ref(pointer, reference),
            ReferenceOr::Item(s) => self.inline(pointer, s, hint),
        }
    }

    /// A `$ref` to a schema: the named type of its target (lowered later, once).
    fn named_ref(&mut self, pointer: &str, reference: &str) -> TypeRef {
        let target = match self.doc.resolve_raw(reference) {
            Ok((target, _)) => target,
            Err(m) => {
                self.diags.push(self.doc.diagnostic(&push_pointer(pointer, "$ref"), &m));
                return TypeRef::Any;
            }
        };
        if let Some(name) = self.by_pointer.get(&target) {
            return TypeRef::Named(name.clone());
        }
        // A reference into `#/paths/…` or a component's insides: name it after its last token.
        let last = target.rsplit('/').next().unwrap_or("Schema").replace("~1", "/").replace("~0", "~");
        let name = unique(names::type_name(&last, "Schema"), &mut self.used);
        self.by_pointer.insert(target.clone(), name.clone());
        self.pending.push((target, name.clone()));
        TypeRef::Named(name)
    }

    /// An inline schema: a primitive, array or map stays anonymous; objects, enums and unions
    /// become named types called `hint`.
    fn inline(&mut self, pointer: &str, schema: &Schema, hint: &str) -> TypeRef {
        if let Some(name) = self.by_pointer.get(pointer) {
            return TypeRef::Named(name.clone());
        }
        if !self.needs_name(schema) && !anonymous_uses_hint(schema) {
            // A plain value (string, number, …): no name to spell (the spelling is slow
            // unoptimized, as a proc macro runs).
            return self.anonymous(pointer, schema, "");
        }
        let name = names::type_name(hint, "Inline");
        if self.needs_name(schema) {
            let name = unique(name.clone(), &mut self.used);
            self.by_pointer.insert(pointer.to_string(), name.clone());
            if let Some(kind) = self.named_kind(pointer, &name, schema) {
                self.insert(pointer, &name, doc_text(schema), kind, schema.schema_data.deprecated);
                return TypeRef::Named(name);
            }
            self.by_pointer.remove(pointer);
            self.used.remove(&name);
        }
        self.anonymous(pointer, schema, &name)
    }

    fn needs_name(&self, schema: &Schema) -> bool {
        let v = view(schema);
        let union = v.one_of.len() + v.any_of.len();
        !v.enumeration.is_empty()
            || extensible_enum(schema).is_some()
            || v.properties.is_some_and(|p| !p.is_empty())
            || union > 1
            || typed_parts(v.all_of).len() > 1
            || (!v.all_of.is_empty() && v.properties.is_some_and(|p| !p.is_empty()))
    }

    /// The type of a schema that needs no name of its own; `hint` names what it nests (see
    /// [`anonymous_uses_hint`]).
    fn anonymous(&mut self, pointer: &str, schema: &Schema, hint: &str) -> TypeRef {
        let v = view(schema);
        if let [(i, only)] = typed_parts(v.all_of)[..] {
            return self.type_of(&push_pointer(&push_pointer(pointer, "allOf"), &i.to_string()), only, hint);
        }
        let single = if v.one_of.len() == 1 { Some(("oneOf", &v.one_of[0])) } else if v.any_of.len() == 1 { Some(("anyOf", &v.any_of[0])) } else { None };
        if let Some((key, only)) = single {
            return self.type_of(&push_pointer(&push_pointer(pointer, key), "0"), only, hint);
        }
        match v.typ {
            Some("string") => TypeRef::Prim(match v.format {
                Some("date-time") => Prim::DateTime,
                Some("date") => Prim::Date,
                Some("binary") => Prim::Binary,
                _ => Prim::String,
            }),
            Some("integer") => TypeRef::Prim(match v.format {
                Some("int32") => Prim::I32,
                Some("uint32") => Prim::U32,
                Some("uint64") => Prim::U64,
                _ => Prim::I64,
            }),
            Some("number") => TypeRef::Prim(if v.format == Some("float") { Prim::F32 } else { Prim::F64 }),
            Some("boolean") => TypeRef::Prim(Prim::Bool),
            Some("array") => match v.items {
                Some(items) => {
                    let item_hint = format!("{hint}Item");
                    TypeRef::Array(Box::new(self.type_of_boxed(&push_pointer(pointer, "items"), items, &item_hint)))
                }
                None => TypeRef::Array(Box::new(TypeRef::Any)),
            },
            Some("object") | None if v.additional.is_some() || v.properties.is_some() || v.typ.is_some() => {
                match v.additional {
                    Some(AdditionalProperties::Schema(s)) => {
                        let value_hint = format!("{hint}Value");
                        TypeRef::Map(Box::new(self.type_of(&push_pointer(pointer, "additionalProperties"), s, &value_hint)))
                    }
                    _ => TypeRef::Map(Box::new(TypeRef::Any)),
                }
            }
            _ => TypeRef::Any,
        }
    }

    /// The kind of a named type for `schema`, or `None` when it is a mere alias.
    fn named_kind(&mut self, pointer: &str, name: &str, schema: &Schema) -> Option<TypeKind> {
        let v = view(schema);
        if let Some(values) = extensible_enum(schema) {
            return Some(self.enum_kind(&values, true, false));
        }
        if !v.enumeration.is_empty() {
            let enumeration = v.enumeration.values();
            let integer = matches!(v.typ, Some("integer"));
            if integer && enumeration.iter().any(Value::is_string) {
                // `type: integer` with `enum: ["1", "2"]` (trakt.tv): integers written as strings
                // are read as integers. (The loader turns an integer enum with values that are
                // not integers into a string enum, with a warning; should one get here, its
                // values stay strings.)
                let values: Option<Vec<Value>> = enumeration
                    .iter()
                    .map(|e| match e {
                        Value::String(s) => s.trim().parse::<i64>().ok().map(Value::from),
                        other => other.as_i64().map(Value::from),
                    })
                    .collect();
                return Some(match values {
                    Some(values) => self.enum_kind(&values, false, true),
                    None => self.enum_kind(&enumeration.iter().map(|e| Value::String(e.as_str().map(str::to_string).unwrap_or_else(|| e.to_string()))).collect::<Vec<_>>(), false, false),
                });
            }
            if enumeration.iter().all(|e| e.is_string() || (integer && e.is_i64())) {
                return Some(self.enum_kind(&enumeration, false, integer));
            }
            // Values of mixed or non-scalar types: the type stays as its `type` says (or any JSON).
            return None;
        }
        let (key, alternatives) = if v.one_of.len() > 1 {
            ("oneOf", v.one_of)
        } else if v.any_of.len() > 1 {
            ("anyOf", v.any_of)
        } else {
            ("", &[][..])
        };
        if !alternatives.is_empty() {
            return Some(self.union_kind(&push_pointer(pointer, key), name, alternatives, schema));
        }
        let has_properties = v.properties.is_some_and(|p| !p.is_empty());
        if !has_properties && typed_parts(v.all_of).len() <= 1 {
            // `allOf` of one type and annotations (`description`, `default` …): that type.
            return None;
        }
        if !v.all_of.is_empty() || has_properties {
            let mut fields = Vec::new();
            let mut additional = None;
            let mut seen = BTreeSet::new();
            self.collect_fields(pointer, name, schema, &mut fields, &mut additional, &mut seen, 0);
            return Some(TypeKind::Struct { fields, additional });
        }
        None
    }

    /// The kind of an enum of `values`; a string enum's once per list of values and
    /// openness, cloned after that.
    fn enum_kind(&mut self, values: &[Value], open: bool, integer: bool) -> TypeKind {
        if integer || !values.iter().all(Value::is_string) {
            return enum_kind(values, open, integer);
        }
        let made = &mut self.string_enums[usize::from(open)];
        if let Some(kind) = made.get(values) {
            return kind.clone();
        }
        let kind = enum_kind(values, open, integer);
        made.insert(values.to_vec(), kind.clone());
        kind
    }

    fn union_kind(&mut self, pointer: &str, name: &str, alternatives: &[ReferenceOr<Schema>], schema: &Schema) -> TypeKind {
        let mut tys = Vec::new();
        let mut properties = Vec::new();
        for (i, alt) in alternatives.iter().enumerate() {
            let at = push_pointer(pointer, &i.to_string());
            let title = match alt {
                ReferenceOr::Item(s) => s.schema_data.title.clone(),
                ReferenceOr::Reference { .. } => None,
            };
            let hint = format!("{name}{}", title.as_deref().map(|t| names::type_name(t, "Variant")).unwrap_or_else(|| format!("Variant{}", i + 1)));
            let ty = self.type_of(&at, alt, &hint);
            properties.push(self.property_names(&at, alt));
            tys.push(ty);
        }
        let raw_names: Vec<String> = tys.iter().enumerate().map(|(i, ty)| variant_name(ty, i)).collect();
        let mut used = BTreeSet::new();
        let variants: Vec<UnionVariant> = strip_common_words(&raw_names)
            .into_iter()
            .zip(tys)
            .zip(properties)
            .map(|((n, ty), properties)| UnionVariant { name: unique(n, &mut used), ty, properties })
            .collect();
        let discriminator = schema.schema_data.discriminator.as_ref().map(|d| {
            let mut mapping = Vec::new();
            for (i, v) in variants.iter().enumerate() {
                if let TypeRef::Named(n) = &v.ty {
                    let schema_name = self.types.get(n).and_then(|t| t.schema_name.clone()).or_else(|| {
                        self.by_pointer.iter().find(|(_, name)| *name == n).and_then(|(p, _)| p.strip_prefix("/components/schemas/").map(str::to_string))
                    });
                    let explicit: Vec<&String> = d.mapping.iter().filter(|(_, target)| target.rsplit('/').next() == schema_name.as_deref()).map(|(value, _)| value).collect();
                    if explicit.is_empty() {
                        if let Some(s) = schema_name {
                            mapping.push((s, i));
                        }
                    } else {
                        mapping.extend(explicit.into_iter().map(|value| (value.clone(), i)));
                    }
                }
            }
            mapping.sort();
            Discriminator { property: d.property_name.clone(), mapping, required: true }
        });
        TypeKind::Union { variants, discriminator }
    }

    /// Property names of an object schema (through `$ref`s and `allOf`), for variant matching.
    fn property_names(&mut self, pointer: &str, schema: &ReferenceOr<Schema>) -> Vec<String> {
        let reference = match schema {
            ReferenceOr::Reference { reference } => Some(reference),
            ReferenceOr::Item(_) => None,
        };
        if let Some(names) = reference.and_then(|r| self.ref_property_names.get(r)) {
            return names.clone();
        }
        let mut out = BTreeSet::new();
        self.collect_property_names(pointer, schema, &mut out, 0);
        let names: Vec<String> = out.into_iter().collect();
        if let Some(r) = reference {
            self.ref_property_names.insert(r.clone(), names.clone());
        }
        names
    }

    /// [`Document::resolve`] for an `allOf` part (or a schema whose property names are
    /// collected): a `$ref`'s target is typed once.
    fn resolve_all_of_part<'p>(&mut self, at: &str, part: &'p ReferenceOr<Schema>) -> Result<(String, SchemaRef<'p>), Diagnostic> {
        let reference = match part {
            ReferenceOr::Item(s) => return Ok((at.to_string(), SchemaRef::Borrowed(s))),
            ReferenceOr::Reference { reference } => reference,
        };
        if let Some((target, s)) = self.all_of_targets.get(reference) {
            return Ok((target.clone(), SchemaRef::Shared(Rc::clone(s))));
        }
        let (target, s) = self.doc.resolve(at, part)?;
        let s = Rc::new(s.into_owned());
        self.all_of_targets.insert(reference.clone(), (target.clone(), Rc::clone(&s)));
        Ok((target, SchemaRef::Shared(s)))
    }

    /// The names of `schema`'s properties and its `allOf` parts'. A `$ref`'s target is typed
    /// once ([`Self::resolve_all_of_part`]): Graph beta's unions reach the same large bases
    /// (`microsoft.graph.entity`) through a thousand variants.
    fn collect_property_names(&mut self, pointer: &str, schema: &ReferenceOr<Schema>, out: &mut BTreeSet<String>, depth: usize) {
        if depth > 16 {
            return;
        }
        let Ok((at, s)) = self.resolve_all_of_part(pointer, schema) else { return };
        let v = view(s.get());
        if let Some(props) = v.properties {
            out.extend(props.keys().cloned());
        }
        for (i, part) in v.all_of.iter().enumerate() {
            self.collect_property_names(&push_pointer(&push_pointer(&at, "allOf"), &i.to_string()), part, out, depth + 1);
        }
    }

    /// Struct fields of `schema`, with `allOf` parts merged in order.
    #[allow(clippy::too_many_arguments)]
    fn collect_fields(
        &mut self,
        pointer: &str,
        parent: &str,
        schema: &Schema,
        fields: &mut Vec<Field>,
        additional: &mut Option<TypeRef>,
        seen: &mut BTreeSet<String>,
        depth: usize,
    ) {
        let v = view(schema);
        for (i, part) in v.all_of.iter().enumerate() {
            let at = push_pointer(&push_pointer(pointer, "allOf"), &i.to_string());
            if depth > 16 {
                self.diags.push(self.doc.diagnostic(&at, "`allOf` nests too deeply"));
                return;
            }
            match self.resolve_all_of_part(&at, part) {
                Ok((target, s)) => self.collect_fields(&target, parent, s.get(), fields, additional, seen, depth + 1),
                Err(d) => self.diags.push(d),
            }
        }
        if let Some(AdditionalProperties::Schema(s)) = v.additional {
            *additional = Some(self.type_of(&push_pointer(pointer, "additionalProperties"), s, &format!("{parent}Value")));
        } else if let Some(AdditionalProperties::Any(true)) = v.additional {
            *additional = Some(TypeRef::Any);
        }
        // `required` applies to properties from any part, even when this part lists none.
        for f in fields.iter_mut() {
            if v.required.contains(&f.wire_name) {
                f.required = true;
            }
        }
        let Some(props) = v.properties else { return };
        let mut names_used: BTreeSet<String> = fields.iter().map(|f| f.name.clone()).collect();
        for (wire, prop) in props {
            let at = push_pointer(&push_pointer(pointer, "properties"), wire);
            let required = v.required.contains(wire);
            if !seen.insert(wire.clone()) {
                // allOf parts may repeat a property: the later one wins, `required` accumulates.
                if let Some(f) = fields.iter_mut().find(|f| &f.wire_name == wire) {
                    f.required |= required;
                }
                continue;
            }
            // The name an inline schema would take (spelled only for one that may use it).
            let hint = match prop {
                ReferenceOr::Item(s) if self.needs_name(s) || anonymous_uses_hint(s) => format!("{parent}{}", names::type_name(wire, "Field")),
                _ => String::new(),
            };
            let ty = self.type_of_boxed(&at, prop, &hint);
            let (data, constraints) = match prop {
                ReferenceOr::Item(s) => (Some(&s.schema_data), view(s).constraints),
                ReferenceOr::Reference { .. } => (None, Constraints::default()),
            };
            // `$ref` siblings (OpenAPI 3.0 ignores them, authors still write descriptions there).
            let sibling_doc = match prop {
                ReferenceOr::Reference { .. } => self.doc.resolve_raw_within(&format!("#{at}"), self.mounted.as_ref().map(|(p, v)| (p.as_str(), v))).ok().and_then(|(_, raw)| raw.get("description")?.as_str().map(str::to_string)),
                ReferenceOr::Item(_) => None,
            };
            // `allOf: [{$ref}, {description, default}]`: the annotations of the field.
            let annotations = match prop {
                ReferenceOr::Item(s) => annotation_parts(s),
                ReferenceOr::Reference { .. } => Vec::new(),
            };
            let name = unique_snake(names::field_name(wire), &mut names_used);
            let password_format = matches!(prop, ReferenceOr::Item(s) if view(s).format == Some("password"));
            let secret = is_secret(wire, &ty, password_format);
            fields.push(Field {
                wire_name: wire.clone(),
                name,
                ty,
                required,
                nullable: data.is_some_and(|d| d.nullable)
                    || annotations.iter().any(|d| d.nullable)
                    || match prop {
                        ReferenceOr::Reference { reference } => self.nullable_ref(reference, 0),
                        ReferenceOr::Item(s) => self.nullable_all_of(s, 0),
                    },
                boxed: false,
                doc: data.and_then(|d| d.description.clone()).or(sibling_doc).or_else(|| annotations.iter().find_map(|d| d.description.clone())),
                default: data.and_then(|d| d.default.clone()).or_else(|| annotations.iter().find_map(|d| d.default.clone())),
                read_only: data.is_some_and(|d| d.read_only),
                write_only: data.is_some_and(|d| d.write_only),
                deprecated: data.is_some_and(|d| d.deprecated),
                secret,
                constraints,
            });
        }
        // An authorization code in a token request is a credential too (RFC 6749 §10.5).
        if fields.iter().any(|f| f.wire_name == "grant_type") {
            for f in fields.iter_mut().filter(|f| f.wire_name == "code" && f.ty == TypeRef::Prim(Prim::String)) {
                f.secret = true;
            }
        }
    }
}

impl Types<'_> {
    /// Whether the schema a property refers to (through `$ref`s, or an `allOf` whose only typed
    /// part is a `$ref`) is `nullable`: GitHub's `nullable-simple-user` makes every field that
    /// refers to it accept `null`, though the field itself says nothing.
    fn nullable_ref(&self, reference: &str, depth: usize) -> bool {
        let mut reference = reference.to_string();
        for _ in 0..32 {
            let Ok((_, raw)) = self.doc.resolve_raw(&reference) else { return false };
            if raw.get("nullable") == Some(&Value::Bool(true)) {
                return true;
            }
            match raw.get("$ref").and_then(Value::as_str) {
                Some(next) => reference = next.to_string(),
                None => return self.nullable_all_of_raw(raw, depth),
            }
        }
        false
    }

    /// `allOf: [{$ref: nullable}, {description: …}]`, on the typed form of a property.
    fn nullable_all_of(&self, schema: &Schema, depth: usize) -> bool {
        match typed_parts(view(schema).all_of)[..] {
            [(_, ReferenceOr::Reference { reference })] if depth < 8 => self.nullable_ref(reference, depth + 1),
            _ => false,
        }
    }

    /// The same on a raw schema (a `$ref`'s target, not deserialized: GitHub has thousands).
    fn nullable_all_of_raw(&self, raw: &Value, depth: usize) -> bool {
        let Some(parts) = raw.get("allOf").and_then(Value::as_array) else { return false };
        let typed: Vec<&Value> = parts.iter().filter(|p| TYPED_KEYS.iter().any(|k| p.get(k).is_some())).collect();
        match typed[..] {
            [part] if depth < 8 => part.get("$ref").and_then(Value::as_str).is_some_and(|r| self.nullable_ref(r, depth + 1)),
            _ => false,
        }
    }
}

/// A schema borrowed from the one being lowered, or a shared typed `$ref` target.
enum SchemaRef<'s> {
    Borrowed(&'s Schema),
    Shared(Rc<Schema>),
}

impl SchemaRef<'_> {
    fn get(&self) -> &Schema {
        match self {
            SchemaRef::Borrowed(s) => s,
            SchemaRef::Shared(s) => s,
        }
    }
}

/// Keywords that make an `allOf` part say what the value is (see `is_typed`).
const TYPED_KEYS: &[&str] =
    &["$ref", "type", "enum", "properties", "additionalProperties", "items", "oneOf", "anyOf", "allOf"];

/// Values of an `x-extensible-enum` on a string schema (an open enum).
fn extensible_enum(schema: &Schema) -> Option<Vec<Value>> {
    let values = schema.schema_data.extensions.get("x-extensible-enum")?.as_array()?;
    let values: Vec<Value> = values.iter().filter(|v| v.is_string()).cloned().collect();
    (!values.is_empty()).then_some(values)
}

fn doc_text(schema: &Schema) -> Option<String> {
    match (&schema.schema_data.title, &schema.schema_data.description) {
        (Some(t), Some(d)) if !d.trim().is_empty() => Some(format!("{t}\n\n{d}")),
        (_, Some(d)) if !d.trim().is_empty() => Some(d.clone()),
        (Some(t), _) => Some(t.clone()),
        _ => None,
    }
}

/// Client secrets, passwords and tokens: string fields hidden from `Debug`.
fn is_secret(wire: &str, ty: &TypeRef, password_format: bool) -> bool {
    if !matches!(ty, TypeRef::Prim(Prim::String)) {
        return false;
    }
    password_format || is_secret_name(wire)
}

/// Whether a property or parameter name says it holds a client secret, password or token.
pub fn is_secret_name(wire: &str) -> bool {
    let n = wire.to_ascii_lowercase().replace('-', "_");
     matches!(n.as_str(), "token" | "api_key" | "apikey" | "private_key" | "assertion")
        || n.ends_with("_token")
        || n.ends_with("password")
        || n.ends_with("secret")
        || n.ends_with("accesstoken")
        || n.ends_with("refreshtoken")
}
