//! The view of one model page: fields, values, alternatives or target, and where the type is
//! used.

use serde::Serialize;

use super::text::{field_has_default, field_is_option, json_cell, named_in, opt_cell, opt_para, rust_type, Links};
use super::view::{anchor, kind_name, yes_no};
use crate::ir::{Api, Constraints, Field, TypeDef, TypeKind, TypeRef};

/// `{module}/models/{Name}.md`.
#[derive(Serialize)]
pub struct Model {
    pub name: String,
    pub schema_name: Option<String>,
    pub deprecated: bool,
    pub doc: Option<String>,
    /// `struct`, `enum`, `union` or `alias`.
    pub kind: String,
    pub fields: Vec<FieldRow>,
    pub additional: Option<String>,
    pub values: Vec<ValueRow>,
    pub open: bool,
    pub integer: bool,
    pub alternatives: Vec<AlternativeRow>,
    pub discriminator: Option<String>,
    pub mapping: Vec<MappingRow>,
    pub target: Option<String>,
    pub used_by: Vec<String>,
}

#[derive(Serialize)]
pub struct FieldRow {
    pub name: String,
    pub wire_name: String,
    pub ty: String,
    pub required: String,
    pub description: String,
    pub notes: String,
}

#[derive(Serialize)]
pub struct ValueRow {
    pub variant: String,
    pub value: String,
    pub description: String,
}

#[derive(Serialize)]
pub struct AlternativeRow {
    pub variant: String,
    pub ty: String,
}

#[derive(Serialize)]
pub struct MappingRow {
    pub value: String,
    pub variant: String,
}

/// The page of one named type.
pub fn model(api: &Api, t: &TypeDef, used_by: &UsedBy) -> Model {
    let links = Links { api, prefix: "" };
    let mut m = Model {
        name: t.name.clone(),
        schema_name: t.schema_name.clone(),
        deprecated: t.deprecated,
        doc: opt_para(t.doc.as_deref()),
        kind: kind_name(&t.kind).to_string(),
        fields: Vec::new(),
        additional: None,
        values: Vec::new(),
        open: false,
        integer: false,
        alternatives: Vec::new(),
        discriminator: None,
        mapping: Vec::new(),
        target: None,
        used_by: used_by.get(t.name.as_str()).cloned().unwrap_or_default(),
    };
    match &t.kind {
        TypeKind::Struct { fields, additional } => {
            m.fields = fields.iter().map(|f| field_row(api, &links, f)).collect();
            m.additional = additional.as_ref().map(|ty| {
                let map = TypeRef::Map(Box::new(ty.clone()));
                links.ty(&map)
            });
        }
        TypeKind::Enum { variants, open, integer, .. } => {
            m.values = variants
                .iter()
                .map(|v| ValueRow { variant: format!("`{}`", v.name), value: json_cell(&v.value), description: opt_cell(v.doc.as_deref()) })
                .collect();
            m.open = *open;
            m.integer = *integer;
        }
        TypeKind::Union { variants, discriminator } => {
            m.alternatives = variants.iter().map(|v| AlternativeRow { variant: format!("`{}`", v.name), ty: links.ty(&v.ty) }).collect();
            if let Some(d) = discriminator {
                m.discriminator = Some(format!("`{}`", d.property));
                m.mapping = d
                    .mapping
                    .iter()
                    .filter_map(|(value, i)| {
                        let v = variants.get(*i)?;
                        Some(MappingRow { value: format!("`{}`", value.replace('|', "\\|")), variant: format!("`{}`", v.name) })
                    })
                    .collect();
            }
        }
        TypeKind::Alias { target } => m.target = Some(links.ty(target)),
    }
    m
}

fn field_row(api: &Api, links: &Links, f: &Field) -> FieldRow {
    let base = rust_type(&f.ty);
    let base = if f.boxed { format!("Box<{base}>") } else { base };
    let ty = if field_is_option(api, f) { format!("Option<{base}>") } else { base };
    let mut notes = Vec::new();
    if let Some(d) = &f.default {
        let how = if field_has_default(api, f) { "" } else { " (applied by the server)" };
        notes.push(format!("Default: {}{how}", json_cell(d)));
    }
    if f.nullable {
        notes.push("Nullable".to_string());
    }
    if f.read_only {
        notes.push("Read-only".to_string());
    }
    if f.write_only {
        notes.push("Write-only".to_string());
    }
    if f.secret {
        notes.push("Secret: hidden from `Debug`".to_string());
    }
    if f.deprecated {
        notes.push("**Deprecated**".to_string());
    }
    notes.extend(constraint_notes(&f.constraints));
    FieldRow {
        name: format!("`{}`", f.name),
        wire_name: format!("`{}`", f.wire_name.replace('|', "\\|")),
        ty: links.spelled(&ty, &f.ty),
        required: yes_no(f.required),
        description: opt_cell(f.doc.as_deref()),
        notes: notes.join("<br>"),
    }
}

fn constraint_notes(c: &Constraints) -> Vec<String> {
    let mut out = Vec::new();
    let usize_notes = [("minLength", c.min_length), ("maxLength", c.max_length), ("minItems", c.min_items), ("maxItems", c.max_items)];
    out.extend(usize_notes.iter().filter_map(|(k, v)| v.map(|v| format!("{k}: {v}"))));
    let f64_notes = [("minimum", c.minimum), ("maximum", c.maximum)];
    out.extend(f64_notes.iter().filter_map(|(k, v)| v.map(|v| format!("{k}: {v}"))));
    out
}

/// For each named type, where it is used: other models (linked), then operations (by
/// method name). Built once per API.
pub type UsedBy<'a> = std::collections::BTreeMap<&'a str, Vec<String>>;

/// Builds the [`UsedBy`] index in one pass over the API.
pub fn used_by_index(api: &Api) -> UsedBy<'_> {
    let mut index: UsedBy<'_> = UsedBy::new();
    fn add<'a>(index: &mut UsedBy<'a>, name: &'a str, link: &str, user: &str) {
        if name != user {
            index.entry(name).or_default().push(link.to_string());
        }
    }
    for t in api.types.values() {
        let link = format!("[`{0}`]({0}.md)", t.name);
        let mut tys: Vec<&TypeRef> = Vec::new();
        match &t.kind {
            TypeKind::Struct { fields, additional } => {
                tys.extend(fields.iter().map(|f| &f.ty));
                tys.extend(additional.iter());
            }
            TypeKind::Union { variants, .. } => tys.extend(variants.iter().map(|v| &v.ty)),
            TypeKind::Alias { target } => tys.push(target),
            TypeKind::Enum { .. } => {}
        }
        let mut seen = std::collections::BTreeSet::new();
        for ty in tys {
            if let Some(name) = named_in(ty).filter(|n| seen.insert(*n)) {
                add(&mut index, name, &link, &t.name);
            }
        }
    }
    for op in &api.operations {
        let link = format!("[`{}`](../README.md#{})", op.name, anchor(op));
        let mut tys: Vec<&TypeRef> = op.params.iter().map(|p| &p.ty).collect();
        tys.extend(op.body.iter().map(|b| &b.ty));
        for r in &op.responses {
            tys.extend(r.body.iter().map(|b| &b.ty));
            tys.extend(r.headers.iter().map(|h| &h.ty));
        }
        let mut seen = std::collections::BTreeSet::new();
        for ty in tys {
            if let Some(name) = named_in(ty).filter(|n| seen.insert(*n)) {
                add(&mut index, name, &link, "");
            }
        }
    }
    index
}
