//! Models: structs, enums, unions and aliases from `Api::types`, and the per-operation types
//! (`{Op}Params`, `{Op}Success`, `{Op}Error`) shared by the client and the server.

use proc_macro2::TokenStream;
use quote::quote;

use super::{doc, helper_ident, ident, rust_type, value_expr};
use crate::ir::{Api, Constraints, Field, Operation, Response, StatusMatch, TypeDef, TypeKind, TypeRef, UnionVariant};

/// Every named type of the API.
pub fn models(api: &Api) -> TokenStream {
    let items = api.types.values().map(|t| model(api, t));
    quote! { #(#items)* }
}

fn model(api: &Api, t: &TypeDef) -> TokenStream {
    let schema_note = t.schema_name.as_ref().filter(|s| **s != t.name).map(|s| format!("Schema `{s}`."));
    let deprecated = t.deprecated.then_some("**Deprecated.**");
    let docs = doc(&[t.doc.as_deref(), deprecated, schema_note.as_deref()]);
    let docs = if docs.is_empty() { doc(&[Some(&format!("`{}`", t.name))]) } else { docs };
    let name = ident(&t.name);
    match &t.kind {
        TypeKind::Struct { fields, additional } => structure(api, t, fields, additional.as_ref(), docs),
        TypeKind::Enum { variants, open, integer } => {
            super::enums::enumeration(&t.name, variants, *open, *integer, docs)
        }
        TypeKind::Union { variants, discriminator } => union(t, variants, discriminator.as_ref(), docs),
        TypeKind::Alias { target } => {
            let target = rust_type(target, &quote! {});
            quote! {
                #docs
                pub type #name = #target;
            }
        }
    }
}

fn field_type(f: &Field) -> TokenStream {
    let inner = rust_type(&f.ty, &quote! {});
    let inner = if f.boxed { quote! { Box<#inner> } } else { inner };
    if is_optional(f) { quote! { Option<#inner> } } else { inner }
}

/// Optional fields are `Option`s unless the spec gives a default that can be written in Rust.
fn is_optional(f: &Field) -> bool {
    !f.required || f.nullable
}

/// An optional field whose spec `default` can be written in Rust: a plain value filled from
/// it (the docs use the same rule).
pub(crate) fn has_default(api: &Api, f: &Field) -> bool {
    !f.required && !f.nullable && !f.boxed && f.default.as_ref().is_some_and(|d| value_expr(api, &f.ty, d, &quote! {}).is_some())
}

fn constraint_notes(c: &Constraints) -> Option<String> {
    let mut notes = Vec::new();
    if let Some(n) = c.min_length {
        notes.push(format!("at least {n} characters"));
    }
    if let Some(n) = c.max_length {
        notes.push(format!("at most {n} characters"));
    }
    if let Some(n) = c.minimum {
        notes.push(format!("minimum {n}"));
    }
    if let Some(n) = c.maximum {
        notes.push(format!("maximum {n}"));
    }
    if let Some(n) = c.min_items {
        notes.push(format!("at least {n} items"));
    }
    if let Some(n) = c.max_items {
        notes.push(format!("at most {n} items"));
    }
    (!notes.is_empty()).then(|| format!("Constraints: {}.", notes.join(", ")))
}

fn structure(api: &Api, t: &TypeDef, fields: &[Field], additional: Option<&TypeRef>, docs: TokenStream) -> TokenStream {
    let name = ident(&t.name);
    let any_secret = fields.iter().any(|f| f.secret);
    let all_defaultable = fields.iter().all(|f| is_optional(f) || has_default(api, f));
    let mut default_fns = Vec::new();
    let field_defs = fields.iter().map(|f| {
        let fname = ident(&f.name);
        let ty = if has_default(api, f) { rust_type(&f.ty, &quote! {}) } else { field_type(f) };
        let mut notes = Vec::new();
        if let Some(d) = &f.default {
            notes.push(format!("Default: `{d}`."));
        }
        if f.read_only {
            notes.push("Read-only: set by the server.".to_string());
        }
        if f.write_only {
            notes.push("Write-only: never returned by the server.".to_string());
        }
        if f.secret {
            notes.push("Secret: hidden from `Debug` output.".to_string());
        }
        if f.deprecated {
            notes.push("**Deprecated.**".to_string());
        }
        if let Some(c) = constraint_notes(&f.constraints) {
            notes.push(c);
        }
        let notes = notes.join(" ");
        let docs = doc(&[f.doc.as_deref(), Some(&notes).filter(|n| !n.is_empty()).map(String::as_str)]);
        let wire = &f.wire_name;
        let mut serde_args: Vec<TokenStream> = Vec::new();
        if crate::ir::names::unraw(&f.name) != wire.as_str() {
            serde_args.push(quote! { rename = #wire });
        }
        if has_default(api, f) {
            let default_fn = helper_ident(&["default", &t.name, &f.name]);
            let path = format!("{default_fn}");
            let value = value_expr(api, &f.ty, f.default.as_ref().unwrap_or(&serde_json::Value::Null), &quote! {});
            default_fns.push(quote! {
                fn #default_fn() -> #ty { #value }
            });
            serde_args.push(quote! { default = #path });
        } else if !f.required {
            serde_args.push(quote! { default, skip_serializing_if = "Option::is_none" });
        } else if f.nullable {
            serde_args.push(quote! { default });
        }
        let serde_attr = (!serde_args.is_empty()).then(|| quote! { #[serde(#(#serde_args),*)] });
        quote! {
            #docs
            #serde_attr
            pub #fname: #ty,
        }
    });
    let field_defs: Vec<TokenStream> = field_defs.collect();
    let additional_field = additional.map(|ty| {
        let ty = rust_type(ty, &quote! {});
        quote! {
            /// Properties not listed above (`additionalProperties`).
            #[serde(flatten)]
            pub additional_properties: std::collections::BTreeMap<String, #ty>,
        }
    });
    let debug_derive = (!any_secret).then(|| quote! { Debug, });
    let default_derive = (all_defaultable && default_fns.is_empty()).then(|| quote! { Default, });
    let debug_impl = any_secret.then(|| {
        let label = t.name.as_str();
        let entries = fields.iter().map(|f| {
            let fname = ident(&f.name);
            let wire = crate::ir::names::unraw(&f.name);
            match (f.secret, is_optional(f) && !has_default(api, f)) {
                (false, _) => quote! { .field(#wire, &self.#fname) },
                (true, false) => quote! { .field(#wire, &"<redacted>") },
                (true, true) => quote! { .field(#wire, &self.#fname.as_ref().map(|_| "<redacted>")) },
            }
        });
        let extra = additional.map(|_| quote! { .field("additional_properties", &self.additional_properties) });
        quote! {
            impl std::fmt::Debug for #name {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.debug_struct(#label)
                        #(#entries)*
                        #extra
                        .finish()
                }
            }
        }
    });
    let default_impl = (all_defaultable && !default_fns.is_empty()).then(|| {
        let inits = fields.iter().map(|f| {
            let fname = ident(&f.name);
            if has_default(api, f) {
                let default_fn = helper_ident(&["default", &t.name, &f.name]);
                quote! { #fname: #default_fn(), }
            } else {
                quote! { #fname: None, }
            }
        });
        let extra = additional.map(|_| quote! { additional_properties: std::collections::BTreeMap::new(), });
        quote! {
            impl Default for #name {
                fn default() -> Self {
                    Self { #(#inits)* #extra }
                }
            }
        }
    });
    let validate = super::validate::validate_struct(t, fields);
    quote! {
        #docs
        #[derive(Clone, #debug_derive #default_derive PartialEq, serde::Serialize, serde::Deserialize)]
        pub struct #name {
            #(#field_defs)*
            #additional_field
        }
        #debug_impl
        #default_impl
        #(#default_fns)*
        #validate
    }
}

fn union(t: &TypeDef, variants: &[UnionVariant], discriminator: Option<&crate::ir::Discriminator>, docs: TokenStream) -> TokenStream {
    let name = ident(&t.name);
    let defs = variants.iter().map(|v| {
        let vname = ident(&v.name);
        let ty = rust_type(&v.ty, &quote! {});
        let boxed = matches!(&v.ty, TypeRef::Named(n) if *n == t.name);
        let ty = if boxed { quote! { Box<#ty> } } else { ty };
        let d = format!(" `{}`", v.name);
        quote! {
            #[doc = #d]
            #vname(#ty),
        }
    });
    let label = t.name.as_str();
    let deserialize_body = match discriminator {
        Some(d) => {
            let property = d.property.as_str();
            let arms = d.mapping.iter().map(|(value, index)| {
                let vname = ident(&variants[*index].name);
                quote! { Some(#value) => serde_json::from_value(value).map(Self::#vname), }
            });
            quote! {
                let tag = value.get(#property).and_then(serde_json::Value::as_str).map(ToString::to_string);
                let result = match tag.as_deref() {
                    #(#arms)*
                    Some(other) => {
                        return Err(serde::de::Error::custom(format!("unknown `{}` value `{}` for {}", #property, other, #label)));
                    }
                    None => {
                        return Err(serde::de::Error::custom(format!("missing `{}` for {}", #property, #label)));
                    }
                };
                result.map_err(serde::de::Error::custom)
            }
        }
        None => {
            let candidates = variants.iter().map(|v| {
                let vname = ident(&v.name);
                let props = &v.properties;
                let boxed = matches!(&v.ty, TypeRef::Named(n) if *n == t.name);
                let wrap = if boxed { quote! { |x| Self::#vname(Box::new(x)) } } else { quote! { Self::#vname } };
                quote! {
                    (&[#(#props),*], |v| serde_json::from_value(v).map(#wrap)),
                }
            });
            quote! {
                runtime::pick_variant(value, #label, &[#(#candidates)*]).map_err(serde::de::Error::custom)
            }
        }
    };
    let validate_arms = variants.iter().map(|v| {
        let vname = ident(&v.name);
        quote! { Self::#vname(inner) => runtime::Validate::validate(inner, path), }
    });
    quote! {
        #docs
        #[derive(Clone, Debug, PartialEq, serde::Serialize)]
        #[serde(untagged)]
        pub enum #name {
            #(#defs)*
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
                #deserialize_body
            }
        }

        impl runtime::Validate for #name {
            fn validate(&self, path: &str) -> Result<(), String> {
                match self {
                    #(#validate_arms)*
                }
            }
        }
    }
}

/// `{Op}Params`, `{Op}Success` and `{Op}Error` for every operation.
pub fn operation_types(api: &Api) -> TokenStream {
    let items = api.operations.iter().map(|op| {
        let params = params_struct(api, op);
        let success = op.success_type.as_ref().map(|name| {
            let d = format!("Successful responses of `{}` (`{} {}`).", op.operation_id, op.method.as_str(), op.path.raw);
            response_enum(name, &d, op.successes())
        });
        let error = op.error_type.as_ref().map(|name| {
            let d = format!("Error responses the spec declares for `{}` (`{} {}`).", op.operation_id, op.method.as_str(), op.path.raw);
            response_enum(name, &d, op.errors())
        });
        quote! { #params #success #error }
    });
    quote! { #(#items)* }
}

fn params_struct(api: &Api, op: &Operation) -> Option<TokenStream> {
    let name = ident(op.params_type.as_ref()?);
    let d = format!("Query, header and cookie parameters of `{}` (`{} {}`).", op.operation_id, op.method.as_str(), op.path.raw);
    let all_optional = op.other_params().all(|p| !p.required);
    let secret = op.other_params().any(|p| p.secret);
    let fields = op.other_params().map(|p| {
        let fname = ident(&p.name);
        let ty = rust_type(&p.ty, &quote! {});
        let ty = if p.required { ty } else { quote! { Option<#ty> } };
        let location = format!("{:?}", p.location).to_lowercase();
        let mut notes = vec![format!("`{}` ({location}{}).", p.wire_name, if p.required { ", required" } else { "" })];
        if let Some(d) = &p.default {
            notes.push(format!("Default: `{d}` (the server applies it when the parameter is absent)."));
        }
        if p.deprecated {
            notes.push("**Deprecated.**".into());
        }
        let notes = notes.join(" ");
        let docs = doc(&[p.description.as_deref(), Some(&notes)]);
        quote! { #docs pub #fname: #ty, }
    });
    let default_derive = all_optional.then(|| quote! { Default, });
    let debug_derive = (!secret).then(|| quote! { Debug, });
    let debug_impl = secret.then(|| {
        let label = op.params_type.as_deref().unwrap_or_default();
        let entries = op.other_params().map(|p| {
            let fname = ident(&p.name);
            let label = crate::ir::names::unraw(&p.name);
            if p.secret {
                quote! { .field(#label, &"<redacted>") }
            } else {
                quote! { .field(#label, &self.#fname) }
            }
        });
        quote! {
            impl std::fmt::Debug for #name {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.debug_struct(#label) #(#entries)* .finish()
                }
            }
        }
    });
    let _ = api;
    let docs = doc(&[Some(&d)]);
    Some(quote! {
        #docs
        #[derive(Clone, #debug_derive #default_derive PartialEq)]
        pub struct #name {
            #(#fields)*
        }
        #debug_impl
    })
}

fn response_enum<'a>(name: &str, description: &str, responses: impl Iterator<Item = &'a Response>) -> TokenStream {
    let name = ident(name);
    let variants = responses.map(|r| {
        let vname = ident(&r.variant);
        let d = format!("{}: {}", r.status.label(), r.description.trim());
        let docs = doc(&[Some(&d)]);
        let body = r.body.as_ref().map(|b| rust_type(&b.ty, &quote! {}));
        if r.is_plain() {
            match body {
                Some(body) => quote! { #docs #vname(#body), },
                None => quote! { #docs #vname, },
            }
        } else {
            let status = match r.status {
                StatusMatch::Code(_) => None,
                StatusMatch::Range(d) => {
                    let sd = format!(" The status code, {d}00–{d}99.");
                    Some(quote! { #[doc = #sd] status: u16, })
                }
                StatusMatch::Default => Some(quote! { #[doc = " The status code."] status: u16, }),
            };
            let body = body.map(|b| quote! { #[doc = " The response body."] body: #b, });
            let headers = r.headers.iter().map(|h| {
                let hname = ident(&h.name);
                let ty = rust_type(&h.ty, &quote! {});
                let ty = if h.required { ty } else { quote! { Option<#ty> } };
                let hd = format!("`{}` header.", h.wire_name);
                let docs = doc(&[h.description.as_deref(), Some(&hd)]);
                quote! { #docs #hname: #ty, }
            });
            quote! { #docs #vname { #status #body #(#headers)* }, }
        }
    });
    let docs = doc(&[Some(description)]);
    quote! {
        #docs
        #[derive(Clone, Debug, PartialEq)]
        pub enum #name {
            #(#variants)*
        }
    }
}
