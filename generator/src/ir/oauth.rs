//! OAuth knowledge, in one place: which operations are token, revocation and introspection
//! endpoints, which grants they take, and where the generated code follows the OAuth RFCs
//! although the spec is narrower.
//!
//! [`annotate`] runs once after lowering. It sets [`Operation::oauth`] and adjusts the types
//! OAuth endpoints use:
//! - `client_id`/`client_secret` in their bodies become optional: HTTP Basic satisfies them
//!   (RFC 6749 §2.3.1), and a client sending Basic must leave them out (§2.3);
//! - the `token_type` of token responses decodes without regard to case and keeps unknown
//!   types (§5.1, §7.1), whatever enum the spec declares;
//! - the `error` code of their error bodies keeps extension codes (§5.2, §8.5);
//! - token endpoints also take `application/x-www-form-urlencoded` bodies (§3.2), even where
//!   the spec lists only multipart;
//! - a union body whose alternatives each name one `grant_type` (an enum of one value or a
//!   default) decodes by it.
//!
//! Codegen and docs read [`OAuthEndpoint`]; no other stage matches OAuth property names.

use std::collections::BTreeMap;

use serde::Serialize;

use super::tags::struct_fields;
use super::{Api, BodyKind, Discriminator, FlowKind, Operation, ParamLocation, SecurityKind, TypeDef, TypeKind, TypeRef};

/// What an OAuth endpoint does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OAuthRole {
    /// A token endpoint (RFC 6749 §3.2).
    Token,
    /// A token revocation endpoint (RFC 7009).
    Revocation,
    /// A token introspection endpoint (RFC 7662).
    Introspection,
}

impl OAuthRole {
    /// The RFC that defines the endpoint.
    pub fn rfc(self) -> &'static str {
        match self {
            OAuthRole::Token => "RFC 6749 §3.2",
            OAuthRole::Revocation => "RFC 7009",
            OAuthRole::Introspection => "RFC 7662",
        }
    }
}

/// An operation's OAuth role and what the generated code needs to know about it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OAuthEndpoint {
    pub role: OAuthRole,
    /// The grant types the body declares (token endpoints), in body order.
    pub grants: Vec<Grant>,
    /// `grant_type` is a free string: other grants may come too.
    pub open_grants: bool,
    /// Flows of the spec's OAuth2 schemes whose `tokenUrl` or `refreshUrl` is this endpoint:
    /// `(scheme key, flow)`.
    pub flows: Vec<(String, FlowKind)>,
    /// The body has `client_id`/`client_secret` fields (now optional, see the module docs).
    pub client_fields: bool,
    /// Where the token to revoke or introspect travels.
    pub token_in: Option<TokenLocation>,
}

/// Where the token of a revocation or introspection request travels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenLocation {
    /// A form field, as RFC 7009 and RFC 7662 define it.
    Body,
    /// A query parameter (not what the RFCs define: their clients cannot call it).
    Query,
    /// A header.
    Header,
}

/// A grant type a token endpoint declares.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Grant {
    /// The `grant_type` value.
    pub value: String,
    /// The alternative of a union body that carries it.
    pub variant: Option<usize>,
    /// The spec requires `client_id` or `client_secret` in the body for it: the client must
    /// authenticate (by Basic or in the body).
    pub requires_client: bool,
}

/// Whether the token endpoint a flow names also takes RFC 8693 token exchange, so that a
/// token source renews a valid token by exchanging it (as Iceberg clients do).
pub fn renews_by_exchange(api: &Api, scheme: &str, kind: FlowKind) -> bool {
    api.operations.iter().any(|op| {
        op.oauth.as_ref().is_some_and(|o| {
            o.flows.iter().any(|(k, f)| k == scheme && *f == kind) && o.grants.iter().any(|g| g.value == TOKEN_EXCHANGE)
        })
    })
}

/// The grant type of RFC 8693.
const TOKEN_EXCHANGE: &str = "urn:ietf:params:oauth:grant-type:token-exchange";

/// The flows the generated client builds token sources for: for each kind (client
/// credentials, password, authorization code), the first scheme that declares it.
pub fn client_flows(api: &Api) -> Vec<(&str, &super::OAuthFlow)> {
    [FlowKind::ClientCredentials, FlowKind::Password, FlowKind::AuthorizationCode]
        .into_iter()
        .filter_map(|kind| {
            api.security_schemes.iter().find_map(|(key, s)| match &s.kind {
                SecurityKind::OAuth2 { flows } => flows.iter().find(|f| f.kind == kind && f.token_url.is_some()).map(|f| (key.as_str(), f)),
                _ => None,
            })
        })
        .collect()
}

/// Sets the OAuth role of every operation and adjusts the types they use.
pub fn annotate(api: &mut Api) {
    let flows = flow_urls(api);
    let mut roles = Vec::new();
    for (i, op) in api.operations.iter().enumerate() {
        if let Some(endpoint) = endpoint(api, op, &flows) {
            roles.push((i, endpoint));
        }
    }
    for (i, endpoint) in roles {
        let op = &mut api.operations[i];
        if endpoint.role == OAuthRole::Token {
            if let Some(body) = op.body.as_mut().filter(|b| b.kind == BodyKind::Multipart) {
                let form = "application/x-www-form-urlencoded".to_string();
                if !body.media_types.contains(&form) {
                    body.media_types.push(form);
                }
            }
        }
        let body = op.body.as_ref().map(|b| b.ty.clone());
        let successes: Vec<TypeRef> = op.successes().filter_map(|r| r.body.as_ref().map(|b| b.ty.clone())).collect();
        let errors: Vec<TypeRef> = op.errors().filter_map(|r| r.body.as_ref().map(|b| b.ty.clone())).collect();
        op.oauth = Some(endpoint.clone());
        if let Some(body) = body {
            relax_client_fields(&mut api.types, &body);
            if endpoint.role == OAuthRole::Token {
                tag_by_grant(&mut api.types, &body, &endpoint.grants);
            }
        }
        if endpoint.role == OAuthRole::Token {
            for ty in &successes {
                for_fields(&mut api.types, ty, "token_type", |kind| {
                    if let TypeKind::Enum { open, case_insensitive, integer: false, .. } = kind {
                        *open = true;
                        *case_insensitive = true;
                    }
                });
            }
        }
        for ty in &errors {
            for_fields(&mut api.types, ty, "error", |kind| {
                if let TypeKind::Enum { open, integer: false, .. } = kind {
                    *open = true;
                }
            });
        }
    }
}

/// The path of every `tokenUrl`/`refreshUrl`, with its scheme and flow.
fn flow_urls(api: &Api) -> Vec<(String, String, FlowKind)> {
    let mut out = Vec::new();
    for (key, scheme) in &api.security_schemes {
        let SecurityKind::OAuth2 { flows } = &scheme.kind else { continue };
        for flow in flows {
            for url in [&flow.token_url, &flow.refresh_url].into_iter().flatten() {
                out.push((url_path(url), key.clone(), flow.kind));
            }
        }
    }
    out
}

/// The path of a URL (`https://h/a/b?x` → `/a/b`, `a/b` → `/a/b`).
fn url_path(url: &str) -> String {
    let rest = match url.split_once("://") {
        Some((_, rest)) => rest.find('/').map_or("", |i| &rest[i..]),
        None => url,
    };
    let rest = rest.split(['?', '#']).next().unwrap_or_default().trim_end_matches('/');
    format!("/{}", rest.trim_start_matches('/'))
}

fn endpoint(api: &Api, op: &Operation, flows: &[(String, String, FlowKind)]) -> Option<OAuthEndpoint> {
    let form_body = op.body.as_ref().filter(|b| matches!(b.kind, BodyKind::Form | BodyKind::Multipart));
    let body_fields = form_body.map(|b| fields_of(&api.types, &b.ty)).unwrap_or_default();
    let has = |name: &str| body_fields.iter().any(|(_, fields)| fields.iter().any(|f| f.wire_name == name));
    let path = op.path.raw.trim_end_matches('/');
    let named_flows: Vec<(String, FlowKind)> = flows
        .iter()
        .filter(|(url, ..)| op.method == super::HttpMethod::Post && !path.is_empty() && url.ends_with(path))
        .map(|(_, key, kind)| (key.clone(), *kind))
        .collect();
    let client_fields = has("client_id") || has("client_secret");
    let base = |role| OAuthEndpoint { role, grants: Vec::new(), open_grants: false, flows: Vec::new(), client_fields, token_in: None };
    if has("grant_type") || !named_flows.is_empty() {
        let (grants, open_grants) = grants(&api.types, &body_fields);
        return Some(OAuthEndpoint { grants, open_grants, flows: named_flows, ..base(OAuthRole::Token) });
    }
    let token_in = if has("token") {
        TokenLocation::Body
    } else {
        match op.params.iter().find(|p| p.wire_name == "token").map(|p| p.location)? {
            ParamLocation::Query => TokenLocation::Query,
            ParamLocation::Header => TokenLocation::Header,
            ParamLocation::Path | ParamLocation::Cookie => return None,
        }
    };
    let lower = path.to_ascii_lowercase();
    let hint = has("token_type_hint") || op.params.iter().any(|p| p.wire_name == "token_type_hint");
    let role = if lower.contains("introspect") {
        OAuthRole::Introspection
    } else if lower.contains("revoke") || lower.contains("revocation") || hint {
        OAuthRole::Revocation
    } else {
        return None;
    };
    Some(OAuthEndpoint { token_in: Some(token_in), ..base(role) })
}

/// The structs of a body: `(union alternative, fields)`.
fn fields_of<'a>(types: &'a BTreeMap<String, TypeDef>, ty: &TypeRef) -> Vec<(Option<usize>, &'a [super::Field])> {
    if let Some(fields) = struct_fields(types, ty) {
        return vec![(None, fields)];
    }
    let TypeRef::Named(name) = ty else { return Vec::new() };
    match types.get(name).map(|t| &t.kind) {
        Some(TypeKind::Union { variants, .. }) => {
            variants.iter().enumerate().filter_map(|(i, v)| struct_fields(types, &v.ty).map(|f| (Some(i), f))).collect()
        }
        Some(TypeKind::Alias { target }) if target != ty => fields_of(types, target),
        _ => Vec::new(),
    }
}

/// The grants of a token endpoint's body, and whether `grant_type` is free text somewhere.
fn grants(types: &BTreeMap<String, TypeDef>, body: &[(Option<usize>, &[super::Field])]) -> (Vec<Grant>, bool) {
    let mut grants = Vec::new();
    let mut open = body.is_empty();
    for (variant, fields) in body {
        let requires_client = fields.iter().any(|f| f.required && (f.wire_name == "client_id" || f.wire_name == "client_secret"));
        let Some(field) = fields.iter().find(|f| f.wire_name == "grant_type") else {
            open = true;
            continue;
        };
        let values: Vec<String> = match (&field.ty, &field.default) {
            (TypeRef::Named(n), _) if matches!(types.get(n).map(|t| &t.kind), Some(TypeKind::Enum { open: false, integer: false, .. })) => {
                match types.get(n).map(|t| &t.kind) {
                    Some(TypeKind::Enum { variants, .. }) => variants.iter().filter_map(|v| v.value.as_str().map(str::to_string)).collect(),
                    _ => Vec::new(),
                }
            }
            (_, Some(serde_json::Value::String(default))) => vec![default.clone()],
            _ => {
                open = true;
                Vec::new()
            }
        };
        grants.extend(values.into_iter().map(|value| Grant { value, variant: *variant, requires_client }));
    }
    (grants, open)
}

/// `client_id` and `client_secret` of the body's structs become optional.
fn relax_client_fields(types: &mut BTreeMap<String, TypeDef>, body: &TypeRef) {
    let names: Vec<String> = struct_names(types, body);
    for name in names {
        if let Some(TypeDef { kind: TypeKind::Struct { fields, .. }, .. }) = types.get_mut(&name) {
            for f in fields.iter_mut().filter(|f| f.wire_name == "client_id" || f.wire_name == "client_secret") {
                f.required = false;
            }
        }
    }
}

/// A union body without discriminator whose alternatives each declare one grant decodes by
/// `grant_type`.
fn tag_by_grant(types: &mut BTreeMap<String, TypeDef>, body: &TypeRef, grants: &[Grant]) {
    let TypeRef::Named(name) = body else { return };
    let Some(TypeDef { kind: TypeKind::Union { variants, discriminator }, .. }) = types.get_mut(name) else { return };
    if discriminator.is_some() {
        return;
    }
    let mut mapping: Vec<(String, usize)> = Vec::new();
    for i in 0..variants.len() {
        let mut of_variant = grants.iter().filter(|g| g.variant == Some(i));
        match (of_variant.next(), of_variant.next()) {
            (Some(g), None) if !mapping.iter().any(|(v, _)| *v == g.value) => mapping.push((g.value.clone(), i)),
            _ => return,
        }
    }
    mapping.sort();
    *discriminator = Some(Discriminator { property: "grant_type".to_string(), mapping, required: false });
}

/// The named structs a type is or holds as union alternatives.
fn struct_names(types: &BTreeMap<String, TypeDef>, ty: &TypeRef) -> Vec<String> {
    let TypeRef::Named(name) = ty else { return Vec::new() };
    match types.get(name).map(|t| &t.kind) {
        Some(TypeKind::Struct { .. }) => vec![name.clone()],
        Some(TypeKind::Union { variants, .. }) => variants.iter().flat_map(|v| struct_names(types, &v.ty)).collect(),
        Some(TypeKind::Alias { target }) if target != ty => struct_names(types, target),
        _ => Vec::new(),
    }
}

/// Calls `f` on the kind of the named type of field `field` in the structs `ty` holds.
fn for_fields(types: &mut BTreeMap<String, TypeDef>, ty: &TypeRef, field: &str, f: impl Fn(&mut TypeKind)) {
    let mut targets = Vec::new();
    for name in struct_names(types, ty) {
        if let Some(TypeDef { kind: TypeKind::Struct { fields, .. }, .. }) = types.get(&name) {
            targets.extend(fields.iter().filter(|x| x.wire_name == field).filter_map(|x| match &x.ty {
                TypeRef::Named(n) => Some(n.clone()),
                _ => None,
            }));
        }
    }
    for target in targets {
        if let Some(def) = types.get_mut(&target) {
            f(&mut def.kind);
        }
    }
}
