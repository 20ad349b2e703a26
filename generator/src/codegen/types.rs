//! Models: structs, enums, unions and aliases from `Api::types`, and the per-operation types
//! (`{Op}Params`, `{Op}Success`, `{Op}Error`) shared by the client and the server.

use proc_macro2::TokenStream;
use quote::quote;

use super::{doc, helper_ident, ident, later, rust_type, value_expr, Models, Moved, Part, Str};
use crate::ir::{Api, Constraints, Field, Operation, Response, Sharing, StatusMatch, TypeDef, TypeKind, TypeRef, UnionVariant};

/// Every named type of the API.
pub fn models(api: &Api) -> impl Iterator<Item = Part<'_>> {
    api.types.values().map(move |t| later(move || model(api, t)))
}

fn model(api: &Api, t: &TypeDef) -> TokenStream {
    let schema_note = t.schema_name.as_ref().filter(|s| **s != t.name).map(|s| format!("Schema `{s}`."));
    let deprecated = t.deprecated.then_some("**Deprecated.**");
    let docs = doc(&[t.doc.as_deref(), deprecated, schema_note.as_deref()]);
    let docs = if docs.is_empty() { doc(&[Some(&format!("`{}`", t.name))]) } else { docs };
    let name = ident(&t.name);
    match &t.kind {
        TypeKind::Struct { fields, additional } => structure(api, t, fields, additional.as_ref(), docs),
        TypeKind::Enum { variants, open, integer, case_insensitive } => {
            super::enums::enumeration(&t.name, variants, *open, *integer, *case_insensitive, docs)
        }
        TypeKind::Union { variants, discriminator } => union(api, t, variants, discriminator.as_ref(), docs),
        TypeKind::Alias { target } => {
            let (docs, target) = (Moved::from(docs), Moved::from(rust_type(target, Models::Root)));
            quote! {
                #docs
                pub type #name = #target;
            }
        }
    }
}

fn field_type(f: &Field) -> TokenStream {
    let inner = rust_type(&f.ty, Models::Root);
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
    !f.required && !f.nullable && !f.boxed && f.default.as_ref().is_some_and(|d| value_expr(api, &f.ty, d, Models::Root).is_some())
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

/// One struct field of a `model!` with its docs (spec text, then notes) and the attributes
/// `model!` reads (wire name, `null`, default, limits); a default value function goes to
/// `default_fns`.
fn field_def(api: &Api, t: &TypeDef, f: &Field, default_fns: &mut Vec<TokenStream>) -> TokenStream {
    let fname = ident(&f.name);
    let ty = if has_default(api, f) { rust_type(&f.ty, Models::Root) } else { field_type(f) };
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
    let docs = Moved::from(doc(&[f.doc.as_deref(), Some(&notes).filter(|n| !n.is_empty()).map(String::as_str)]));
    let wire = Str(&f.wire_name);
    let rename = (fname != wire.0).then(|| quote! { #[rename = #wire] });
    let nullable = match (f.nullable, f.required) {
        (true, true) => Some(quote! { #[nullable(required)] }),
        (true, false) => Some(quote! { #[nullable] }),
        (false, _) => None,
    };
    let default = has_default(api, f).then(|| {
        let default_fn = helper_ident(&["default", &t.name, &f.name]);
        let value = value_expr(api, &f.ty, f.default.as_ref().unwrap_or(&serde_json::Value::Null), Models::Root);
        default_fns.push(quote! {
            fn #default_fn() -> #ty { #value }
        });
        quote! { #[default = #default_fn] }
    });
    let limits = super::validate::limits(f);
    let new = constructor_marker(api, f).map(Moved::from);
    let (ty, rename, nullable, default, limits) = (Moved::from(ty), rename.map(Moved::from), nullable.map(Moved::from), default.map(Moved::from), limits.map(Moved::from));
    quote! {
        #docs
        #rename
        #nullable
        #default
        #limits
        #new
        pub #fname: #ty,
    }
}

/// The marker telling `model!`'s `new` what to do with a field ([`new_field`]): take it as
/// it is (`#[new(arg)]`) or as `impl Into` (`#[new(into)]`: strings, and boxed models, which
/// then take the model itself), or give it its only value (`#[new = Type::Value]`).
fn constructor_marker(api: &Api, f: &Field) -> Option<TokenStream> {
    match new_field(api, f) {
        NewField::Filled => None,
        NewField::Fixed(value) => Some(quote! { #[new = #value] }),
        NewField::Argument if f.boxed || f.ty == TypeRef::Prim(crate::ir::Prim::String) => Some(quote! { #[new(into)] }),
        NewField::Argument => Some(quote! { #[new(arg)] }),
    }
}

fn structure(api: &Api, t: &TypeDef, fields: &[Field], additional: Option<&TypeRef>, docs: TokenStream) -> TokenStream {
    let name = ident(&t.name);
    let any_secret = fields.iter().any(|f| f.secret);
    let all_defaultable = fields.iter().all(|f| is_optional(f) || has_default(api, f));
    let mut default_fns = Vec::new();
    let field_defs: Vec<Moved> = fields.iter().map(|f| field_def(api, t, f, &mut default_fns).into()).collect();
    let additional_field = additional.map(|ty| {
        let ty = rust_type(ty, Models::Root);
        quote! {
            #[additional]
            pub additional_properties: std::collections::BTreeMap<String, #ty>,
        }
    });
    let debug_derive = (!any_secret).then(|| quote! { Debug, });
    let default_derive = (all_defaultable && default_fns.is_empty()).then(|| quote! { Default, });
    let debug_impl = any_secret.then(|| {
        let label = Str(&t.name);
        let entries = fields.iter().map(|f| {
            let fname = ident(&f.name);
            let wire = Str(crate::ir::names::unraw(&f.name));
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
    // `new` takes nothing, and `Default` is not derived (a field has a default or a fixed
    // value): `Default` is `new()`.
    let default_impl = (default_derive.is_none() && !fields.iter().any(|f| is_constructor_arg(api, f))).then(|| {
        quote! {
            impl Default for #name {
                fn default() -> Self {
                    Self::new()
                }
            }
        }
    });
    let (docs, additional_field) = (Moved::from(docs), additional_field.map(Moved::from));
    let (debug_impl, default_impl) = (debug_impl.map(Moved::from), default_impl.map(Moved::from));
    let default_fns = default_fns.into_iter().map(Moved::from);
    quote! {
        ::oauth_api::model! {
            #docs
            #[derive(Clone, #debug_derive #default_derive PartialEq)]
            pub struct #name {
                #(#field_defs)*
                #additional_field
            }
        }
        #debug_impl
        #default_impl
        #(#default_fns)*
    }
}

/// What a struct's `new` does with a field.
enum NewField {
    /// `None`, or its default: an optional field, or one with a default.
    Filled,
    /// The only value of a one-value enum (see [`fixed_value`]).
    Fixed(TokenStream),
    /// A parameter of `new`.
    Argument,
}

fn new_field(api: &Api, f: &Field) -> NewField {
    if has_default(api, f) || is_optional(f) {
        return NewField::Filled;
    }
    fixed_value(api, f).map_or(NewField::Argument, NewField::Fixed)
}

/// Whether `new` takes the field as an argument: required, without a default, and not a
/// one-value enum (the docs' examples follow the same rule).
pub(crate) fn is_constructor_arg(api: &Api, f: &Field) -> bool {
    matches!(new_field(api, f), NewField::Argument)
}

/// The value a required field takes without the caller: the only value of a one-value enum
/// (a request's own `grant_type`).
fn fixed_value(api: &Api, f: &Field) -> Option<TokenStream> {
    let TypeRef::Named(n) = &f.ty else { return None };
    // Through an alias too: an enum that repeats another is an alias of it.
    match &api.definition(&f.ty)?.kind {
        TypeKind::Enum { variants, open: false, .. } if variants.len() == 1 => {
            let (ty, variant) = (ident(n), ident(&variants[0].name));
            Some(quote! { #ty::#variant })
        }
        _ => None,
    }
}

/// A `oneOf`/`anyOf` as one `one_of!` invocation: the variants with their tag values and
/// property names, `From` where no two alternatives share a Rust type.
fn union(api: &Api, t: &TypeDef, variants: &[UnionVariant], discriminator: Option<&crate::ir::Discriminator>, docs: TokenStream) -> TokenStream {
    let name = ident(&t.name);
    let is_self = |v: &UnionVariant| matches!(&v.ty, TypeRef::Named(n) if *n == t.name);
    let tag = discriminator.map(|d| {
        let property = Str(&d.property);
        if d.required {
            quote! { #[discriminator = #property] }
        } else {
            quote! { #[tag = #property] }
        }
    });
    let defs = variants.iter().enumerate().map(|(index, v)| {
        let vname = ident(&v.name);
        let ty = rust_type(&v.ty, Models::Root);
        let ty = if is_self(v) { quote! { Box<#ty> } } else { ty };
        let values: Vec<Str> = discriminator.iter().flat_map(|d| d.mapping.iter().filter(|(_, i)| *i == index).map(|(value, _)| Str(value))).collect();
        let values = (!values.is_empty()).then(|| quote! { #[tag(#(#values),*)] });
        let props = &v.properties;
        let props = (!props.is_empty()).then(|| quote! { #[properties(#(#props),*)] });
        // One `From` per Rust type: alternatives that spell the same type (aliases of one
        // type too) get none.
        let from = (!is_self(v) && variants.iter().filter(|w| api.unaliased(&w.ty) == api.unaliased(&v.ty)).count() == 1).then(|| quote! { #[from] });
        quote! {
            #values
            #props
            #from
            #vname(#ty),
        }
    });
    let (docs, defs) = (Moved::from(docs), defs.map(Moved::from));
    quote! {
        ::oauth_api::one_of! {
            #docs
            #[derive(Clone, Debug, PartialEq)]
            #tag
            pub enum #name {
                #(#defs)*
            }
        }
    }
}

/// `{Op}Params`, `{Op}Success` and `{Op}Error` for every operation.
pub fn operation_types(api: &Api) -> impl Iterator<Item = Part<'_>> {
    api.operations.iter().map(move |op| later(move || operation_types_of(op)))
}

/// `{Op}Params`, `{Op}Success` and `{Op}Error` for `op`.
fn operation_types_of(op: &Operation) -> TokenStream {
    let params = op.params_type.as_deref().map(|name| {
        own_type(op, name, &op.params_sharing, ("Query, header and cookie parameters", "of"), |d| params_struct(op, name, d))
    });
    let success = op.success_type.as_deref().map(|name| {
        own_type(op, name, &op.success_sharing, ("Successful responses", "of"), |d| response_enum(name, d, op.successes()))
    });
    let error = op.error_type.as_deref().map(|name| {
        own_type(op, name, &op.error_sharing, ("Error responses the spec declares", "for"), |d| {
            let mut definition = response_enum(name, d, op.errors());
            super::append(&mut definition, error_display(name, op));
            definition
        })
    });
    // Whole items, joined by value (interpolating them would copy every token).
    let mut items = TokenStream::new();
    items.extend(params.into_iter().chain(success).chain(error));
    items
}

/// One of `op`'s own types, `name`, holding `what` (`(what, of)`: "Successful responses",
/// "of" `op`): `define`d from the first line of its docs, or an alias of the type of an earlier
/// operation that declares the same (`pub type {Op}Error = {First}Error;`).
fn own_type(op: &Operation, name: &str, sharing: &Sharing, (what, of): (&str, &str), define: impl FnOnce(&str) -> TokenStream) -> TokenStream {
    let subject = format!("{what} {of} `{}` (`{} {}`)", op.operation_id, op.method.as_str(), op.path.raw);
    match sharing {
        Sharing::Own => define(&format!("{subject}.")),
        Sharing::Shared => define(&format!("{subject}, and {of} the other operations that declare the same ones.")),
        Sharing::AliasOf(target) => {
            let (name, target_ident) = (ident(name), ident(target));
            let docs = Moved::from(doc(&[Some(&format!("{subject}: the same as [`{target}`]."))]));
            quote! {
                #docs
                pub type #name = #target_ident;
            }
        }
    }
}

/// `Display` (`400 Bad Request: invalid_grant: …`) and `Error` for an `{Op}Error` enum.
fn error_display(name: &str, op: &Operation) -> TokenStream {
    let ty = ident(name);
    let arms = op.errors().map(|r| {
        let vname = ident(&r.variant);
        let status = match r.status {
            StatusMatch::Code(c) => {
                let c = proc_macro2::Literal::u16_unsuffixed(c);
                quote! { #c }
            }
            _ => quote! { *status },
        };
        let describable = r.body.as_ref().is_some_and(|b| b.kind != crate::ir::BodyKind::Binary);
        let body = if describable { quote! { Some(body) } } else { quote! { None::<&()> } };
        let pattern = if r.is_plain() {
            match (&r.body, describable) {
                (Some(_), true) => quote! { Self::#vname(body) },
                (Some(_), false) => quote! { Self::#vname(_) },
                (None, _) => quote! { Self::#vname },
            }
        } else {
            let status = (!matches!(r.status, StatusMatch::Code(_))).then(|| quote! { status, });
            let body = describable.then(|| quote! { body, });
            quote! { Self::#vname { #status #body .. } }
        };
        let (pattern, status, body) = (Moved::from(pattern), Moved::from(status), Moved::from(body));
        quote! { #pattern => ::oauth_api::describe::write_error(f, #status, #body), }
    });
    let arms = arms.map(Moved::from);
    quote! {
        impl std::fmt::Display for #ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                match self {
                    #(#arms)*
                }
            }
        }

        impl std::error::Error for #ty {}
    }
}

/// `{Op}Params`, named `name`, with the docs `d`.
fn params_struct(op: &Operation, name: &str, d: &str) -> TokenStream {
    let label = Str(name);
    let name = ident(name);
    let all_optional = op.other_params().all(|p| !p.required);
    let secret = op.other_params().any(|p| p.secret);
    let fields = op.other_params().map(|p| {
        let fname = ident(&p.name);
        let ty = rust_type(&p.ty, Models::Root);
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
        let (docs, ty) = (Moved::from(doc(&[p.description.as_deref(), Some(&notes)])), Moved::from(ty));
        quote! { #docs pub #fname: #ty, }
    });
    let default_derive = all_optional.then(|| quote! { Default, });
    let debug_derive = (!secret).then(|| quote! { Debug, });
    let debug_impl = secret.then(|| {
        let entries = op.other_params().map(|p| {
            let fname = ident(&p.name);
            let label = Str(crate::ir::names::unraw(&p.name));
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
    let (docs, fields, debug_impl) = (Moved::from(doc(&[Some(d)])), fields.map(Moved::from), debug_impl.map(Moved::from));
    quote! {
        #docs
        #[derive(Clone, #debug_derive #default_derive PartialEq)]
        pub struct #name {
            #(#fields)*
        }
        #debug_impl
    }
}

fn response_enum<'a>(name: &str, description: &str, responses: impl Iterator<Item = &'a Response>) -> TokenStream {
    let name = ident(name);
    let variants = responses.map(|r| {
        let vname = ident(&r.variant);
        let d = format!("{}: {}", r.status.label(), r.description.trim());
        let docs = Moved::from(doc(&[Some(&d)]));
        let body = r.body.as_ref().map(|b| Moved::from(rust_type(&b.ty, Models::Root)));
        if r.is_plain() {
            match body {
                Some(body) => quote! { #docs #vname(#body), },
                None => quote! { #docs #vname, },
            }
        } else {
            let status = match r.status {
                StatusMatch::Code(_) => None,
                StatusMatch::Range(d) => {
                    let sd = super::escaped_doc_literal(&format!(" The status code, {d}00–{d}99."));
                    Some(quote! { #[doc = #sd] status: u16, })
                }
                StatusMatch::Default => Some(quote! { #[doc = " The status code."] status: u16, }),
            };
            let body = body.map(|b| quote! { #[doc = " The response body."] body: #b, });
            let headers = r.headers.iter().map(|h| {
                let hname = ident(&h.name);
                let ty = rust_type(&h.ty, Models::Root);
                let ty = if h.required { ty } else { quote! { Option<#ty> } };
                let hd = format!("`{}` header.", h.wire_name);
                let (docs, ty) = (Moved::from(doc(&[h.description.as_deref(), Some(&hd)])), Moved::from(ty));
                quote! { #docs #hname: #ty, }
            });
            let (status, body, headers) = (status.map(Moved::from), body.map(Moved::from), headers.map(Moved::from));
            quote! { #docs #vname { #status #body #(#headers)* }, }
        }
    });
    let (docs, variants) = (Moved::from(doc(&[Some(description)])), variants.map(Moved::from));
    quote! {
        #docs
        #[derive(Clone, Debug, PartialEq)]
        pub enum #name {
            #(#variants)*
        }
    }
}
