//! Operation lowering: paths, parameters, bodies, responses and security → IR.

use std::collections::{BTreeMap, BTreeSet};

use openapiv3::{
    APIKeyLocation, MediaType, Parameter, ParameterSchemaOrContent, PathItem, QueryStyle, ReferenceOr, StatusCode,
};

use super::names::{self, unique_snake};
use super::boxing::box_recursive_fields;
use super::schema::Types;
use super::*;
use crate::diag::{push_pointer, Diagnostics};
use crate::load::Document;

/// Lowers a loaded document into the IR, reporting every problem found.
pub fn lower(doc: &Document) -> Result<Api, Diagnostics> {
    lower_items(doc, None)
}

/// [`lower()`], freeing each raw path item of `doc` once it is lowered (see
/// [`Document::take_path_items`]): a large spec's paths are most of its document, and are not
/// held next to all of the IR. `doc` keeps everything else.
pub fn lower_consuming(doc: &mut Document) -> Result<Api, Diagnostics> {
    let items = doc.take_path_items();
    lower_items(doc, items)
}

/// Lowers `doc` whose path items are `taken` (or still in `doc` when `None`).
fn lower_items(doc: &Document, taken: Option<Vec<(String, serde_json::Value)>>) -> Result<Api, Diagnostics> {
    let mut types = Types::new(doc);
    let mut operations = Vec::new();
    // The client's and the server trait's own methods are not free for operations (by
    // construction: codegen emits them from these very lists).
    let mut op_names: BTreeSet<String> =
        crate::codegen::CLIENT_OWN_METHODS.iter().chain(crate::codegen::SERVER_OWN_METHODS).map(|s| s.to_string()).collect();
    let security_schemes = lower_security_schemes(doc);
    let mut paths = Paths { doc, security_schemes: &security_schemes, types: &mut types, op_names: &mut op_names, operations: &mut operations };
    match taken {
        None => {
            for (path, raw) in doc.path_items() {
                paths.lower(path, doc.path_item(path, raw)?);
            }
        }
        Some(items) => {
            for (path, raw) in items {
                let item = doc.path_item(&path, &raw)?;
                // Descriptions next to `$ref`s inside the item are read from the raw item.
                paths.types.mounted = Some((path.clone(), raw));
                paths.lower(&path, item);
                paths.types.mounted = None;
            }
        }
    }
    types.flush();
    operations.sort_by(|a, b| a.name.cmp(&b.name));
    let mut api_types = std::mem::take(&mut types.types);
    box_recursive_fields(&mut api_types);
    // `A = B`, `B = A`: a `$ref` cycle that never reaches a schema has no type at all.
    for def in api_types.values() {
        let mut current = def;
        for _ in 0..=api_types.len() {
            let TypeKind::Alias { target: TypeRef::Named(next) } = &current.kind else { break };
            if *next == def.name {
                types.diags.push(doc.diagnostic(&def.pointer, "this `$ref` cycle never reaches a schema"));
                break;
            }
            match api_types.get(next) {
                Some(t) => current = t,
                None => break,
            }
        }
    }

    if !types.diags.is_empty() {
        let mut diags = types.diags;
        diags.sort_by(|a, b| (a.location, &a.pointer).cmp(&(b.location, &b.pointer)));
        diags.dedup();
        return Err(Diagnostics(diags));
    }
    let servers = doc
        .api
        .servers
        .iter()
        .map(|s| Server {
            url: s.url.clone(),
            description: s.description.clone(),
            variables: s
                .variables
                .iter()
                .flatten()
                .map(|(k, v)| (k.clone(), v.default.clone()))
                .collect::<BTreeMap<_, _>>()
                .into_iter()
                .collect(),
        })
        .collect();
    super::tags::implicit_tags(&mut api_types);
    let mut api = Api {
        warnings: std::mem::take(&mut types.warnings),
        title: doc.api.info.title.clone(),
        version: doc.api.info.version.clone(),
        description: doc.api.info.description.clone(),
        servers,
        security_schemes,
        operations,
        types: api_types,
        rejection_body: None,
        rejection_fn_prefixes: BTreeMap::new(),
    };
    super::oauth::annotate(&mut api);
    super::shared::share_types(&mut api.types);
    super::shared::share_operation_types(&mut api.operations, &api.types);
    api.rejection_body = common_rejection_body(&api.operations);
    api.rejection_fn_prefixes = rejection_fn_prefixes(&api);
    Ok(api)
}

/// [`Api::rejection_fn_prefixes`].
fn rejection_fn_prefixes(api: &Api) -> BTreeMap<String, String> {
    let bodies = api.operations.iter().map(|op| api.rejection_type(op));
    // Every operation the same (or none at all): the names need no type.
    let one = bodies.clone().next().is_some_and(|first| bodies.clone().all(|ty| ty == first));
    let named: BTreeSet<&str> = bodies
        .filter_map(|ty| match ty {
            Some(TypeRef::Named(n)) => Some(n.as_str()),
            _ => None,
        })
        .collect();
    named
        .into_iter()
        .map(|n| (n.to_string(), if one { String::new() } else { format!("{}_", super::names::snake_case(super::names::unraw(n))) }))
        .collect()
}

/// What lowering the path items one by one adds to.
struct Paths<'a, 'd> {
    doc: &'d Document,
    security_schemes: &'a BTreeMap<String, SecurityScheme>,
    types: &'a mut Types<'d>,
    op_names: &'a mut BTreeSet<String>,
    operations: &'a mut Vec<Operation>,
}

impl Paths<'_, '_> {
    /// Lowers the operations of the path item `item` of `path`.
    fn lower(&mut self, path: &str, item: ReferenceOr<PathItem>) {
        let doc = self.doc;
        let item_pointer = push_pointer("/paths", path);
        let (item_pointer, item) = match item {
            ReferenceOr::Item(item) => (item_pointer, item),
            reference => match doc.resolve::<PathItem>(&item_pointer, &reference) {
                Ok((at, item)) => (at, item.into_owned()),
                Err(d) => {
                    self.types.diags.push(d);
                    return;
                }
            },
        };
        let methods = [
            (HttpMethod::Get, "get", &item.get),
            (HttpMethod::Put, "put", &item.put),
            (HttpMethod::Post, "post", &item.post),
            (HttpMethod::Delete, "delete", &item.delete),
            (HttpMethod::Options, "options", &item.options),
            (HttpMethod::Head, "head", &item.head),
            (HttpMethod::Patch, "patch", &item.patch),
            (HttpMethod::Trace, "trace", &item.trace),
        ];
        for (method, key, op) in methods {
            let Some(op) = op else { continue };
            let pointer = push_pointer(&item_pointer, key);
            let ctx = OpCtx { doc, path, pointer: &pointer, item: &item, method, security_schemes: self.security_schemes };
            if let Some(op) = ctx.lower(op, self.types, self.op_names) {
                self.operations.push(op);
            }
        }
    }
}

/// The rejection body most operations declare (ties: the first type).
fn common_rejection_body(operations: &[Operation]) -> Option<TypeRef> {
    let mut counts: BTreeMap<&TypeRef, usize> = BTreeMap::new();
    for op in operations {
        if let Some(ty) = op.rejection_body() {
            *counts.entry(ty).or_default() += 1;
        }
    }
    let most = counts.values().copied().max()?;
    counts.into_iter().find(|(_, n)| *n == most).map(|(ty, _)| ty.clone())
}

fn lower_security_schemes(doc: &Document) -> BTreeMap<String, SecurityScheme> {
    let mut out = BTreeMap::new();
    let Some(components) = &doc.api.components else { return out };
    for (key, scheme) in &components.security_schemes {
        let pointer = push_pointer("/components/securitySchemes", key);
        let Ok((_, scheme)) = doc.resolve::<openapiv3::SecurityScheme>(&pointer, scheme) else { continue };
        let (kind, description) = match scheme.into_owned() {
            openapiv3::SecurityScheme::APIKey { location, name, description, .. } => {
                let location = match location {
                    APIKeyLocation::Query => ParamLocation::Query,
                    APIKeyLocation::Header => ParamLocation::Header,
                    APIKeyLocation::Cookie => ParamLocation::Cookie,
                };
                (SecurityKind::ApiKey { name, location }, description)
            }
            openapiv3::SecurityScheme::HTTP { scheme, bearer_format, description, .. } => {
                let kind = match scheme.to_ascii_lowercase().as_str() {
                    "basic" => SecurityKind::Basic,
                    "bearer" => SecurityKind::Bearer { format: bearer_format },
                    _ => SecurityKind::OtherHttp { scheme },
                };
                (kind, description)
            }
            openapiv3::SecurityScheme::OAuth2 { flows, description, .. } => (SecurityKind::OAuth2 { flows: oauth_flows(flows) }, description),
            openapiv3::SecurityScheme::OpenIDConnect { open_id_connect_url, description, .. } => {
                (SecurityKind::OpenIdConnect { url: open_id_connect_url }, description)
            }
        };
        out.insert(key.clone(), SecurityScheme { description, kind });
    }
    out
}

/// The flows of an OAuth2 scheme, in the order client credentials, password, authorization
/// code, implicit.
fn oauth_flows(flows: openapiv3::OAuth2Flows) -> Vec<OAuthFlow> {
    let scopes = |s: indexmap::IndexMap<String, String>| s.into_iter().collect::<Vec<_>>();
    let mut out = Vec::new();
    if let Some(f) = flows.client_credentials {
        out.push(OAuthFlow { kind: FlowKind::ClientCredentials, authorization_url: None, token_url: Some(f.token_url), refresh_url: f.refresh_url, scopes: scopes(f.scopes) });
    }
    if let Some(f) = flows.password {
        out.push(OAuthFlow { kind: FlowKind::Password, authorization_url: None, token_url: Some(f.token_url), refresh_url: f.refresh_url, scopes: scopes(f.scopes) });
    }
    if let Some(f) = flows.authorization_code {
        out.push(OAuthFlow {
            kind: FlowKind::AuthorizationCode,
            authorization_url: Some(f.authorization_url),
            token_url: Some(f.token_url),
            refresh_url: f.refresh_url,
            scopes: scopes(f.scopes),
        });
    }
    if let Some(f) = flows.implicit {
        out.push(OAuthFlow { kind: FlowKind::Implicit, authorization_url: Some(f.authorization_url), token_url: None, refresh_url: f.refresh_url, scopes: scopes(f.scopes) });
    }
    out
}

struct OpCtx<'a> {
    doc: &'a Document,
    path: &'a str,
    pointer: &'a str,
    item: &'a PathItem,
    method: HttpMethod,
    security_schemes: &'a BTreeMap<String, SecurityScheme>,
}

impl OpCtx<'_> {
    fn lower(&self, op: &openapiv3::Operation, types: &mut Types, op_names: &mut BTreeSet<String>) -> Option<Operation> {
        let doc = self.doc;
        // A fragment is never sent; drop it. A `?` stays literal text of the path.
        let path = self.path.split('#').next().unwrap_or_default();
        let Some(template) = PathTemplate::parse(path) else {
            types.diags.push(doc.diagnostic(self.pointer, &format!("path template `{}` has unbalanced braces", self.path)));
            return None;
        };
        let operation_id = op.operation_id.clone().filter(|s| !s.trim().is_empty()).unwrap_or_else(|| {
            format!("{}{}", self.method.as_str().to_ascii_lowercase(), path.replace(['{', '}'], ""))
        });
        let name = unique_snake(names::field_name(&operation_id), op_names);
        let type_name = types.reserve(names::type_name(names::unraw(&name), "Op"));

        let params = self.lower_params(op, &type_name, types);
        let body = op.request_body.as_ref().and_then(|b| self.lower_body(b, &type_name, types));
        let responses = self.lower_responses(op, &type_name, types);

        let security = op.security.as_ref().or(doc.api.security.as_ref()).map(|reqs| {
            reqs.iter()
                .map(|req| {
                    req.iter()
                        .filter(|(k, _)| {
                            let known = self.security_schemes.contains_key(*k);
                            if !known {
                                // Real specs do this (two of `@readme/oas-examples`): the
                                // requirement cannot be met, so it is left out, with a warning.
                                let message = format!("unknown security scheme `{k}`: this requirement is left out");
                                types.warnings.push(doc.diagnostic(&push_pointer(self.pointer, "security"), &message));
                            }
                            known
                        })
                        .map(|(k, scopes)| SchemeUse { scheme: k.clone(), scopes: scopes.clone() })
                        .collect::<Vec<_>>()
                })
                .collect::<Vec<_>>()
        });
        let params_type = params.iter().any(|p| p.location != ParamLocation::Path).then(|| types.reserve(format!("{type_name}Params")));
        let successes: Vec<&Response> = responses.iter().filter(|r| r.status.is_success()).collect();
        let success_type = match successes.as_slice() {
            [only] if only.is_plain() => None,
            _ => Some(types.reserve(format!("{type_name}Success"))),
        };
        let error_type = responses.iter().any(|r| !r.status.is_success()).then(|| types.reserve(format!("{type_name}Error")));
        Some(Operation {
            operation_id,
            name,
            type_name,
            method: self.method,
            path: template,
            summary: op.summary.clone().filter(|s| !s.trim().is_empty()),
            description: op.description.clone().filter(|s| !s.trim().is_empty()),
            tags: op.tags.clone(),
            deprecated: op.deprecated,
            params,
            body,
            responses,
            params_type,
            success_type,
            error_type,
            params_sharing: Sharing::Own,
            success_sharing: Sharing::Own,
            error_sharing: Sharing::Own,
            security: security.unwrap_or_default(),
            oauth: None,
            pointer: self.pointer.to_string(),
        })
    }

    fn lower_params(&self, op: &openapiv3::Operation, type_name: &str, types: &mut Types) -> Vec<Param> {
        // Path-level parameters first, overridden by operation-level ones of the same name and place.
        let mut by_key: Vec<((ParamLocation, String), Param)> = Vec::new();
        let item_params = self.item.parameters.iter().enumerate().map(|(i, p)| (format!("{}/parameters/{i}", self.pointer.rsplit_once('/').map(|x| x.0).unwrap_or_default()), p));
        let op_params = op.parameters.iter().enumerate().map(|(i, p)| (format!("{}/parameters/{i}", self.pointer), p));
        for (pointer, param) in item_params.chain(op_params) {
            let (at, param) = match self.doc.resolve::<Parameter>(&pointer, param) {
                Ok(x) => x,
                Err(d) => {
                    types.diags.push(d);
                    continue;
                }
            };
            if let Some(param) = self.lower_param(&at, &param, type_name, types) {
                let key = (param.location, param.wire_name.clone());
                by_key.retain(|(k, _)| *k != key);
                by_key.push((key, param));
            }
        }
        let mut out = self.in_template_order(by_key);
        // Reserved for generated locals and fields of the request structs.
        let mut used_names: BTreeSet<String> = ["body", "credentials", "params", "client", "request", "response", "url"].map(String::from).into();
        for p in &mut out {
            p.name = unique_snake(names::field_name(&p.wire_name), &mut used_names);
        }
        out
    }

    /// One parameter, or `None` when OpenAPI says to ignore it (`Accept`, `Content-Type` and
    /// `Authorization` headers; path parameters the template does not use).
    fn lower_param(&self, at: &str, param: &Parameter, type_name: &str, types: &mut Types) -> Option<Param> {
        let mut deep_object = false;
        let (data, location, explode) = match param {
            Parameter::Query { parameter_data, style, .. } => {
                deep_object = matches!(style, QueryStyle::DeepObject);
                (parameter_data, ParamLocation::Query, parameter_data.explode.unwrap_or(matches!(style, QueryStyle::Form)))
            }
            Parameter::Header { parameter_data, .. } => (parameter_data, ParamLocation::Header, parameter_data.explode.unwrap_or(false)),
            Parameter::Path { parameter_data, .. } => (parameter_data, ParamLocation::Path, parameter_data.explode.unwrap_or(false)),
            Parameter::Cookie { parameter_data, .. } => (parameter_data, ParamLocation::Cookie, parameter_data.explode.unwrap_or(true)),
        };
        if location == ParamLocation::Header && ["accept", "content-type", "authorization"].contains(&data.name.to_ascii_lowercase().as_str()) {
            return None; // OpenAPI: these are described by other means and ignored here.
        }
        if location == ParamLocation::Path && !template_has(self.path, &data.name) {
            return None;
        }
        let hint = format!("{type_name}{}", names::type_name(&data.name, "Param"));
        let (ty, default) = match &data.format {
            ParameterSchemaOrContent::Schema(schema) => {
                let schema_at = push_pointer(at, "schema");
                let ty = types.type_of(&schema_at, schema, &hint);
                let default = self.doc.resolve(&schema_at, schema).ok().and_then(|(_, s)| s.schema_data.default.clone());
                (ty, default)
            }
            ParameterSchemaOrContent::Content(content) => match content.iter().next() {
                Some((_, MediaType { schema: Some(schema), .. })) => (types.type_of(&push_pointer(at, "content"), schema, &hint), None),
                _ => (TypeRef::Prim(Prim::String), None),
            },
        };
        // An alias (`type Ids = Vec<String>`) travels as what it names.
        let mut ty = ty;
        for _ in 0..8 {
            match &ty {
                TypeRef::Named(n) => match types.types.get(n).map(|t| &t.kind) {
                    Some(TypeKind::Alias { target }) => ty = target.clone(),
                    _ => break,
                },
                _ => break,
            }
        }
        let mut description = data.description.clone().filter(|d| !d.trim().is_empty());
        let mut object = None;
        let ty = if is_simple_param(&ty, &types.types) {
            ty
        } else if location == ParamLocation::Query {
            object = Some(if deep_object { ObjectStyle::DeepObject } else { ObjectStyle::Form });
            ty
        } else {
            // An object in a path, header or cookie: the caller writes its text form.
            let note = "Sent as given: the spec describes an object here; write its serialized form.";
            description = Some(match description {
                Some(d) => format!("{d}\n\n{note}"),
                None => note.to_string(),
            });
            TypeRef::Prim(Prim::String)
        };
        Some(Param {
            wire_name: data.name.clone(),
            name: String::new(),
            location,
            required: data.required || location == ParamLocation::Path,
            ty,
            description,
            default,
            deprecated: data.deprecated.unwrap_or(false),
            explode,
            // An authorization code is a credential too (RFC 6749 §10.5).
            secret: super::is_secret_name(&data.name) || data.name == "code",
            object,
        })
    }

    /// Path parameters in the order the template names them (undeclared ones as plain
    /// strings), then the others in declaration order.
    fn in_template_order(&self, mut by_key: Vec<((ParamLocation, String), Param)>) -> Vec<Param> {
        let template = PathTemplate::parse(self.path.split('#').next().unwrap_or_default());
        let mut out: Vec<Param> = Vec::new();
        for wire in template.iter().flat_map(|t| t.params()) {
            let declared = by_key.iter().position(|((l, n), _)| *l == ParamLocation::Path && n == wire);
            let param = match declared {
                Some(i) => by_key.remove(i).1,
                None => Param {
                    wire_name: wire.to_string(),
                    name: String::new(),
                    location: ParamLocation::Path,
                    required: true,
                    ty: TypeRef::Prim(Prim::String),
                    description: None,
                    default: None,
                    deprecated: false,
                    explode: false,
                    secret: false,
                    object: None,
                },
            };
            if !out.iter().any(|p| p.location == ParamLocation::Path && p.wire_name == wire) {
                out.push(param);
            }
        }
        out.extend(by_key.into_iter().map(|(_, p)| p));
        out
    }

    fn lower_body(&self, body: &ReferenceOr<openapiv3::RequestBody>, type_name: &str, types: &mut Types) -> Option<RequestBody> {
        let at = push_pointer(self.pointer, "requestBody");
        let (at, body) = match self.doc.resolve(&at, body) {
            Ok(x) => x,
            Err(d) => {
                types.diags.push(d);
                return None;
            }
        };
        let (media_type, kind, schema) = pick_content(&body.content)?;
        let content_at = push_pointer(&push_pointer(&at, "content"), &media_type);
        let ty = body_type(kind, schema, &push_pointer(&content_at, "schema"), &format!("{type_name}Body"), types);
        Some(RequestBody {
            required: body.required,
            description: body.description.clone().filter(|d| !d.trim().is_empty()),
            media_type,
            kind,
            ty,
            media_types: body.content.keys().cloned().collect(),
        })
    }

    fn lower_responses(&self, op: &openapiv3::Operation, type_name: &str, types: &mut Types) -> Vec<Response> {
        let at = push_pointer(self.pointer, "responses");
        let mut all: Vec<(StatusMatch, String, &ReferenceOr<openapiv3::Response>)> = op
            .responses
            .responses
            .iter()
            .filter_map(|(code, r)| {
                let status = match code {
                    StatusCode::Code(c) if (100..=599).contains(c) => StatusMatch::Code(*c),
                    StatusCode::Range(d) if (1..=5).contains(d) => StatusMatch::Range(*d),
                    _ => {
                        types.diags.push(self.doc.diagnostic(&push_pointer(&at, &code.to_string()), "not an HTTP status code or range"));
                        return None;
                    }
                };
                Some((status, push_pointer(&at, &code.to_string()), r))
            })
            .collect();
        if let Some(d) = &op.responses.default {
            all.push((StatusMatch::Default, push_pointer(&at, "default"), d));
        }
        all.sort_by_key(|(s, ..)| *s);
        let mut variants = BTreeSet::new();
        let mut out = Vec::new();
        for (status, pointer, response) in all {
            let (pointer, response) = match self.doc.resolve(&pointer, response) {
                Ok(x) => x,
                Err(d) => {
                    types.diags.push(d);
                    continue;
                }
            };
            let body = pick_content(&response.content).map(|(media_type, kind, schema)| {
                let schema_at = push_pointer(&push_pointer(&push_pointer(&pointer, "content"), &media_type), "schema");
                let hint = format!("{type_name}{}Response", status.label());
                let ty = body_type(kind, schema, &schema_at, &hint, types);
                ResponseBody { media_type, kind, ty }
            });
            let mut header_names = BTreeSet::from(["body".to_string(), "status".to_string()]);
            let mut headers: Vec<ResponseHeader> = Vec::new();
            let mut sorted: Vec<_> = response.headers.iter().collect();
            sorted.sort_by_key(|(k, _)| k.to_ascii_lowercase());
            for (wire, header) in sorted {
                if wire.eq_ignore_ascii_case("content-type") {
                    continue;
                }
                let h_at = push_pointer(&push_pointer(&pointer, "headers"), wire);
                let Ok((h_at, header)) = self.doc.resolve(&h_at, header).map_err(|d| types.diags.push(d)) else { continue };
                let ty = match &header.format {
                    ParameterSchemaOrContent::Schema(s) => types.type_of(&push_pointer(&h_at, "schema"), s, &format!("{type_name}{}", names::type_name(wire, "Header"))),
                    ParameterSchemaOrContent::Content(_) => TypeRef::Prim(Prim::String),
                };
                let ty = if is_simple_param(&ty, &types.types) && !matches!(ty, TypeRef::Array(_)) { ty } else { TypeRef::Prim(Prim::String) };
                headers.push(ResponseHeader {
                    wire_name: wire.clone(),
                    name: unique_snake(names::field_name(wire), &mut header_names),
                    required: header.required,
                    ty,
                    description: header.description.clone().filter(|d| !d.trim().is_empty()),
                });
            }
            let variant = names::unique(status_variant(status), &mut variants);
            out.push(Response { status, variant, description: response.description.clone(), body, headers });
        }
        if !out.iter().any(|r| r.status.is_success()) {
            // No success declared: the operation can still succeed, with an empty 200.
            out.insert(0, Response {
                status: StatusMatch::Code(200),
                variant: names::unique("Ok".to_string(), &mut variants),
                description: "Success (not declared by the spec)".to_string(),
                body: None,
                headers: Vec::new(),
            });
        }
        out
    }
}

fn template_has(path: &str, name: &str) -> bool {
    path.contains(&format!("{{{name}}}"))
}

/// The media type the generated code uses: JSON, then form, multipart, text, binary.
fn pick_content(content: &indexmap::IndexMap<String, MediaType>) -> Option<(String, BodyKind, Option<&ReferenceOr<openapiv3::Schema>>)> {
    content
        .iter()
        .map(|(media, m)| (media.clone(), body_kind(media), m.schema.as_ref()))
        .min_by_key(|(_, kind, _)| *kind)
}

/// How a media type is encoded.
pub fn body_kind(media: &str) -> BodyKind {
    let essence = media.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    match essence.as_str() {
        "application/json" | "*/*" | "application/*" => BodyKind::Json,
        "application/x-www-form-urlencoded" => BodyKind::Form,
        m if m.ends_with("+json") || m.ends_with("/json") => BodyKind::Json,
        m if m.starts_with("multipart/") => BodyKind::Multipart,
        m if m.starts_with("text/") || m.ends_with("/xml") || m.ends_with("+xml") => BodyKind::Text,
        _ => BodyKind::Binary,
    }
}

fn body_type(kind: BodyKind, schema: Option<&ReferenceOr<openapiv3::Schema>>, at: &str, hint: &str, types: &mut Types) -> TypeRef {
    match kind {
        BodyKind::Text => TypeRef::Prim(Prim::String),
        BodyKind::Binary => TypeRef::Prim(Prim::Binary),
        BodyKind::Json | BodyKind::Form | BodyKind::Multipart => match schema {
            Some(s) => types.type_of(at, s, hint),
            None => TypeRef::Any,
        },
    }
}

fn status_variant(status: StatusMatch) -> String {
    let name = match status {
        StatusMatch::Code(c) => match c {
            100 => "Continue",
            101 => "SwitchingProtocols",
            200 => "Ok",
            201 => "Created",
            202 => "Accepted",
            203 => "NonAuthoritativeInformation",
            204 => "NoContent",
            205 => "ResetContent",
            206 => "PartialContent",
            207 => "MultiStatus",
            300 => "MultipleChoices",
            301 => "MovedPermanently",
            302 => "Found",
            303 => "SeeOther",
            304 => "NotModified",
            307 => "TemporaryRedirect",
            308 => "PermanentRedirect",
            400 => "BadRequest",
            401 => "Unauthorized",
            402 => "PaymentRequired",
            403 => "Forbidden",
            404 => "NotFound",
            405 => "MethodNotAllowed",
            406 => "NotAcceptable",
            408 => "RequestTimeout",
            409 => "Conflict",
            410 => "Gone",
            411 => "LengthRequired",
            412 => "PreconditionFailed",
            413 => "PayloadTooLarge",
            414 => "UriTooLong",
            415 => "UnsupportedMediaType",
            416 => "RangeNotSatisfiable",
            417 => "ExpectationFailed",
            422 => "UnprocessableEntity",
            423 => "Locked",
            424 => "FailedDependency",
            428 => "PreconditionRequired",
            429 => "TooManyRequests",
            431 => "RequestHeaderFieldsTooLarge",
            451 => "UnavailableForLegalReasons",
            500 => "InternalServerError",
            501 => "NotImplemented",
            502 => "BadGateway",
            503 => "ServiceUnavailable",
            504 => "GatewayTimeout",
            505 => "HttpVersionNotSupported",
            507 => "InsufficientStorage",
            _ => return format!("Status{c}"),
        },
        StatusMatch::Range(1) => "Informational",
        StatusMatch::Range(2) => "Success",
        StatusMatch::Range(3) => "Redirection",
        StatusMatch::Range(4) => "ClientError",
        StatusMatch::Range(_) => "ServerError",
        StatusMatch::Default => "Default",
    };
    name.to_string()
}

/// Whether `ty` can travel as a path, query, header or cookie value.
fn is_simple_param(ty: &TypeRef, types: &BTreeMap<String, TypeDef>) -> bool {
    match ty {
        TypeRef::Prim(p) => *p != Prim::Binary,
        TypeRef::Named(n) => match types.get(n).map(|t| &t.kind) {
            Some(TypeKind::Enum { .. }) => true,
            Some(TypeKind::Alias { target }) => is_simple_param(target, types),
            _ => false,
        },
        TypeRef::Array(inner) => matches!(**inner, TypeRef::Prim(_) | TypeRef::Named(_)) && is_simple_param(inner, types),
        TypeRef::Map(_) | TypeRef::Any => false,
    }
}
