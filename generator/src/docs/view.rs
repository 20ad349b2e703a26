//! The serializable views the templates render: every string is ready to print (escaped,
//! linked), every list is in output order.

use serde::Serialize;

use super::example::{base_url, example};
use super::text::{cell, json_cell, opt_cell, opt_para, rust_type, Links};
use crate::ir::names::unraw;
use crate::ir::{Api, Operation, ParamLocation, Prim, SecurityKind, SecurityScheme, TypeKind, TypeRef};

/// `{module}/README.md`.
#[derive(Serialize)]
pub struct Readme {
    pub module: String,
    pub title: String,
    pub version: String,
    pub description: Option<String>,
    /// The example base URL, as a Rust string literal.
    pub base_url: String,
    pub servers: Vec<ServerRow>,
    pub schemes: Vec<SchemeRow>,
    pub token_layer: super::token_layer::TokenLayer,
    pub methods: Vec<MethodRow>,
    pub operations: Vec<OperationView>,
    pub models: Vec<ModelRow>,
}

#[derive(Serialize)]
pub struct ServerRow {
    pub url: String,
    pub description: String,
    pub variables: String,
}

#[derive(Serialize)]
pub struct SchemeRow {
    pub name: String,
    pub kind: String,
    pub details: String,
    pub setup: String,
    pub description: String,
}

#[derive(Serialize)]
pub struct MethodRow {
    pub name: String,
    pub anchor: String,
    pub method: String,
    pub path: String,
    pub summary: String,
}

#[derive(Serialize)]
pub struct ModelRow {
    pub name: String,
    pub kind: String,
    pub summary: String,
}

/// One operation's section.
#[derive(Serialize)]
pub struct OperationView {
    pub name: String,
    pub anchor: String,
    pub method: String,
    pub path: String,
    pub operation_id: String,
    pub deprecated: bool,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub signature: String,
    pub example: String,
    /// `rust,no_run`, or `rust,ignore` when the example could not be written to compile.
    pub example_fence: String,
    pub params: Vec<ParamRow>,
    pub params_type: Option<String>,
    pub return_type: String,
    pub auth: Vec<String>,
    /// What the operation is in OAuth terms, and how the client authenticates to it.
    pub oauth: Option<String>,
    pub request_content_type: String,
    pub response_content_types: String,
    pub responses: Vec<ResponseRow>,
}

#[derive(Serialize)]
pub struct ParamRow {
    pub name: String,
    pub ty: String,
    pub location: String,
    pub required: String,
    pub description: String,
    pub default: String,
}

#[derive(Serialize)]
pub struct ResponseRow {
    pub status: String,
    pub variant: String,
    pub description: String,
    pub body: String,
    pub headers: String,
}

pub(super) fn yes_no(b: bool) -> String {
    if b { "yes" } else { "no" }.to_string()
}

/// The anchor of an operation's section.
pub(super) fn anchor(op: &Operation) -> String {
    unraw(&op.name).to_string()
}

/// The README view of `api`.
pub fn readme(api: &Api, module: &str) -> Readme {
    let links = Links { api, prefix: "models/" };
    let servers = api
        .servers
        .iter()
        .map(|s| ServerRow {
            url: format!("`{}`", s.url.replace('|', "\\|")),
            description: opt_cell(s.description.as_deref()),
            variables: s
                .variables
                .iter()
                .map(|(k, v)| if v.is_empty() { format!("`{k}` (default empty)") } else { format!("`{k}` (default `{v}`)") })
                .collect::<Vec<_>>()
                .join("<br>")
                .replace('|', "\\|"),
        })
        .collect();
    let schemes = api
        .security_schemes
        .iter()
        .map(|(name, s)| SchemeRow {
            name: format!("`{name}`"),
            kind: scheme_kind(s),
            details: scheme_details(s),
            setup: scheme_setup(s),
            description: opt_cell(s.description.as_deref()),
        })
        .collect();
    let methods = api
        .operations
        .iter()
        .map(|op| MethodRow {
            name: op.name.clone(),
            anchor: anchor(op),
            method: op.method.as_str().to_string(),
            path: op.path.raw.replace('|', "\\|"),
            summary: opt_cell(op.summary.as_deref()),
        })
        .collect();
    let models = api
        .types
        .values()
        .map(|t| ModelRow {
            name: t.name.clone(),
            kind: kind_name(&t.kind).to_string(),
            summary: t.doc.as_deref().and_then(|d| d.trim().lines().next()).map(cell).unwrap_or_default(),
        })
        .collect();
    Readme {
        module: module.to_string(),
        title: api.title.clone(),
        version: api.version.clone(),
        description: opt_para(api.description.as_deref()),
        base_url: format!("{:?}", base_url(api)),
        servers,
        schemes,
        token_layer: super::token_layer::token_layer(api, module),
        methods,
        operations: api.operations.iter().map(|op| operation(api, module, op, &links)).collect(),
        models,
    }
}

fn scheme_kind(s: &SecurityScheme) -> String {
    match &s.kind {
        SecurityKind::Basic => "HTTP Basic".to_string(),
        SecurityKind::Bearer { .. } => "HTTP Bearer".to_string(),
        SecurityKind::ApiKey { .. } => "API key".to_string(),
        SecurityKind::OAuth2 { .. } => "OAuth 2.0 (Bearer token)".to_string(),
        SecurityKind::OpenIdConnect { .. } => "OpenID Connect (Bearer token)".to_string(),
        SecurityKind::OtherHttp { scheme } => format!("HTTP `{scheme}`"),
    }
}

fn scheme_details(s: &SecurityScheme) -> String {
    match &s.kind {
        SecurityKind::Basic => String::new(),
        SecurityKind::Bearer { format } => format.as_deref().map(|f| format!("Bearer format: `{f}`")).unwrap_or_default(),
        SecurityKind::ApiKey { name, location } => format!("`{name}` in {}", location_name(*location)),
        SecurityKind::OAuth2 { flows } => flows
            .iter()
            .map(|f| {
                let mut parts = vec![format!("{} flow", f.kind.spec_name())];
                if let Some(u) = &f.authorization_url {
                    parts.push(format!("authorization URL `{u}`"));
                }
                if let Some(u) = &f.token_url {
                    parts.push(format!("token URL `{u}`"));
                }
                if let Some(u) = &f.refresh_url {
                    parts.push(format!("refresh URL `{u}`"));
                }
                if !f.scopes.is_empty() {
                    parts.push(format!("scopes {}", f.scopes.iter().map(|(s, _)| format!("`{s}`")).collect::<Vec<_>>().join(", ")));
                }
                parts.join(", ")
            })
            .collect::<Vec<_>>()
            .join("; "),
        SecurityKind::OpenIdConnect { url } => format!("Discovery URL: `{url}`"),
        SecurityKind::OtherHttp { .. } => "Not supported by the generated client".to_string(),
    }
    .replace('|', "\\|")
}

fn scheme_setup(s: &SecurityScheme) -> String {
    match &s.kind {
        SecurityKind::Basic => "`Client::with_basic_auth(user, password)`",
        SecurityKind::Bearer { .. } => "`Client::with_bearer_token(token)` or `Client::with_token_source(source)`",
        SecurityKind::OAuth2 { .. } => "`Client::with_token_source(source)` (see [Token layer](#token-layer)) or `Client::with_bearer_token(token)`",
        SecurityKind::OpenIdConnect { .. } => {
            "`Client::with_token_source(source)` (endpoints from `oauth_api::token::ProviderMetadata::discover`) or `Client::with_bearer_token(token)`"
        }
        SecurityKind::ApiKey { .. } => "`Client::with_api_key(key)`",
        SecurityKind::OtherHttp { .. } => "",
    }
    .to_string()
}

/// The OAuth role of an operation, for its section.
fn oauth_note(o: &crate::ir::OAuthEndpoint) -> String {
    use crate::ir::{OAuthRole, TokenLocation};
    let role = match o.role {
        OAuthRole::Token => "token endpoint",
        OAuthRole::Revocation => "token revocation endpoint",
        OAuthRole::Introspection => "token introspection endpoint",
    };
    let mut text = format!("An OAuth {role} ({}). `Client::with_client_credentials(id, secret)` authenticates the client with HTTP Basic (the id and secret form-encoded first, RFC 6749 §2.3.1); `Client::with_client_auth(ClientAuth::post(id, secret))` puts them in the body instead. The server takes either, never both.", o.role.rfc());
    if !o.grants.is_empty() {
        let grants: Vec<String> = o.grants.iter().map(|g| format!("`{}`", g.value)).collect();
        text.push_str(&format!(" Grants: {}{}.", grants.join(", "), if o.open_grants { " and others" } else { "" }));
    }
    if o.role == OAuthRole::Token {
        text.push_str(" Responses carry `Cache-Control: no-store`; `token_type` is read without regard to case.");
    }
    if matches!(o.token_in, Some(TokenLocation::Query | TokenLocation::Header)) {
        text.push_str(&format!(" The spec sends the token outside the form body {} defines, so clients of the RFC cannot call this endpoint.", o.role.rfc()));
    }
    text
}

fn location_name(l: ParamLocation) -> &'static str {
    match l {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
    }
}

pub(super) fn kind_name(kind: &TypeKind) -> &'static str {
    match kind {
        TypeKind::Struct { .. } => "struct",
        TypeKind::Enum { .. } => "enum",
        TypeKind::Union { .. } => "union",
        TypeKind::Alias { .. } => "alias",
    }
}

/// The Rust signature of the client method (see the generated `client` module).
pub fn signature(op: &Operation) -> String {
    let mut args = vec!["&self".to_string()];
    for p in op.path_params() {
        let ty = if p.ty == TypeRef::Prim(Prim::String) { "&str".to_string() } else { rust_type(&p.ty) };
        args.push(format!("{}: {ty}", p.name));
    }
    if let Some(params_type) = &op.params_type {
        args.push(format!("params: &{params_type}"));
    }
    if let Some(body) = &op.body {
        let ty = rust_type(&body.ty);
        args.push(if body.required { format!("body: &{ty}") } else { format!("body: Option<&{ty}>") });
    }
    // No declared error: `ApiResult`'s error defaults to `Infallible`.
    let error = op.error_type.as_deref().map(|e| format!(", {e}")).unwrap_or_default();
    format!("pub async fn {}({}) -> ApiResult<{}{error}>", op.name, args.join(", "), success_type(op))
}

/// The success payload: `{Op}Success`, the single success body type, or `()`.
fn success_type(op: &Operation) -> String {
    match &op.success_type {
        Some(name) => name.clone(),
        None => op.plain_success_body().map(rust_type).unwrap_or_else(|| "()".to_string()),
    }
}

fn operation(api: &Api, module: &str, op: &Operation, links: &Links) -> OperationView {
    let mut params: Vec<ParamRow> = op
        .params
        .iter()
        .map(|p| {
            let name = if p.location == ParamLocation::Path || unraw(&p.name) == p.wire_name {
                format!("`{}`", p.name)
            } else {
                format!("`{}` (`{}`)", p.name, p.wire_name)
            };
            let deprecated = if p.deprecated { "**Deprecated.** " } else { "" };
            ParamRow {
                name,
                ty: links.ty(&p.ty),
                location: location_name(p.location).to_string(),
                required: yes_no(p.required),
                description: format!("{deprecated}{}", opt_cell(p.description.as_deref())),
                default: p.default.as_ref().map(json_cell).unwrap_or_default(),
            }
        })
        .collect();
    if let Some(body) = &op.body {
        params.push(ParamRow {
            name: "`body`".to_string(),
            ty: links.ty(&body.ty),
            location: "body".to_string(),
            required: yes_no(body.required),
            description: opt_cell(body.description.as_deref()),
            default: String::new(),
        });
    }
    let success = success_type(op);
    let return_type = match (&op.success_type, op.plain_success_body()) {
        (None, Some(ty)) => links.spelled(&format!("ResponseValue<{success}>"), ty),
        (None, None) => "`ResponseValue<()>` (no body)".to_string(),
        (Some(s), _) => format!("`ResponseValue<{s}>`: one variant per success response (see [Responses](#responses-{}))", anchor(op)),
    };
    let mut media: Vec<String> = Vec::new();
    for r in &op.responses {
        if let Some(b) = &r.body {
            if !media.contains(&b.media_type) {
                media.push(b.media_type.clone());
            }
        }
    }
    let responses = op
        .responses
        .iter()
        .map(|r| {
            let holder = if r.status.is_success() { op.success_type.as_deref() } else { op.error_type.as_deref() };
            ResponseRow {
                status: r.status.label(),
                variant: holder.map(|h| format!("`{h}::{}`", r.variant)).unwrap_or_else(|| "(returned as is)".to_string()),
                description: cell(&r.description),
                body: r.body.as_ref().map(|b| links.ty(&b.ty)).unwrap_or_default(),
                headers: r
                    .headers
                    .iter()
                    .map(|h| {
                        let optional = if h.required { "" } else { " (optional)" };
                        let doc = h.description.as_deref().map(|d| format!(": {}", cell(d))).unwrap_or_default();
                        format!("`{}` as `{}`: {}{optional}{doc}", h.wire_name, h.name, links.ty(&h.ty))
                    })
                    .collect::<Vec<_>>()
                    .join("<br>"),
            }
        })
        .collect();
    let ex = example(api, module, op);
    OperationView {
        name: op.name.clone(),
        anchor: anchor(op),
        method: op.method.as_str().to_string(),
        path: op.path.raw.clone(),
        operation_id: op.operation_id.clone(),
        deprecated: op.deprecated,
        summary: opt_para(op.summary.as_deref()),
        // Specs often repeat the summary as the description.
        description: opt_para(op.description.as_deref()).filter(|d| Some(d) != opt_para(op.summary.as_deref()).as_ref()),
        signature: signature(op),
        example: ex.code,
        example_fence: if ex.compiles { "rust,no_run" } else { "rust,ignore" }.to_string(),
        params,
        params_type: op.params_type.clone(),
        return_type,
        auth: auth(api, op),
        oauth: op.oauth.as_ref().map(oauth_note),
        request_content_type: op.body.as_ref().map(|b| format!("`{}`", b.media_type)).unwrap_or_else(|| "none".to_string()),
        response_content_types: if media.is_empty() {
            "none".to_string()
        } else {
            media.iter().map(|m| format!("`{m}`")).collect::<Vec<_>>().join(", ")
        },
        responses,
    }
}

/// One line per security alternative.
fn auth(api: &Api, op: &Operation) -> Vec<String> {
    if op.security.is_empty() || !op.security.iter().any(|alt| !alt.is_empty()) {
        return vec!["No authorization required".to_string()];
    }
    op.security
        .iter()
        .map(|alt| {
            if alt.is_empty() {
                return "None (credentials are optional)".to_string();
            }
            alt.iter()
                .map(|u| {
                    let key = &u.scheme;
                    let scopes = if u.scopes.is_empty() {
                        String::new()
                    } else {
                        format!(", scopes {}", u.scopes.iter().map(|s| format!("`{s}`")).collect::<Vec<_>>().join(", "))
                    };
                    match api.security_schemes.get(key) {
                        Some(s) => format!("[`{key}`](#authentication) ({}{scopes})", scheme_kind(s)),
                        None => format!("`{key}`"),
                    }
                })
                .collect::<Vec<_>>()
                .join(" and ")
        })
        .collect()
}
