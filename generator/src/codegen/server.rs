//! The `server` module: an `Api` trait with one async method per operation and an axum
//! `Router` that does all decoding, validation, authentication extraction and encoding.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;

use super::error_body::{fill, rejection_type};
use super::{doc, error_type, ident, response_enum, rust_type, success_type};
use crate::ir::{Api, BodyKind, Operation, Param, ParamLocation, PathPart, Response, SecurityKind, StatusMatch, TypeRef};

/// The axum route of an operation, or why it cannot be routed.
fn route_of(op: &Operation) -> Result<String, String> {
    let raw = &op.path.raw;
    if !raw.starts_with('/') {
        return Err("the path does not start with `/`".into());
    }
    if raw.contains('?') {
        return Err("the path holds a query string".into());
    }
    let mut route = String::new();
    let mut index = 0;
    for part in &op.path.parts {
        match part {
            PathPart::Literal(text) => route.push_str(&text.replace('{', "{{").replace('}', "}}")),
            PathPart::Param(_) => {
                route.push_str(&format!("{{p{index}}}"));
                index += 1;
            }
        }
    }
    if route.split('/').any(|seg| seg.starts_with(':') || seg.starts_with('*')) {
        return Err("a path segment starts with `:` or `*`".into());
    }
    Ok(route)
}

/// Operations by axum route.
type Routes<'a> = BTreeMap<String, Vec<&'a Operation>>;

/// Routes by path, each with its operations; operations axum cannot route are left out with
/// `(operationId, reason)` (checked with the very router axum uses, so `Router::route` cannot
/// panic).
fn routes(api: &Api) -> (Routes<'_>, Vec<(String, String)>) {
    let mut checker = matchit::Router::new();
    let mut routes = Routes::new();
    let mut skipped = Vec::new();
    for op in &api.operations {
        let route = match route_of(op) {
            Ok(r) => r,
            Err(why) => {
                skipped.push((op.operation_id.clone(), why));
                continue;
            }
        };
        if let Some(ops) = routes.get_mut(&route) {
            if ops.iter().any(|o| o.method == op.method) {
                skipped.push((op.operation_id.clone(), "another operation has the same method and path".into()));
            } else {
                ops.push(op);
            }
            continue;
        }
        match checker.insert(route.clone(), ()) {
            Ok(()) => {
                routes.insert(route, vec![op]);
            }
            Err(e) => skipped.push((op.operation_id.clone(), format!("axum cannot route it: {e}"))),
        }
    }
    (routes, skipped)
}

/// Credential kinds an operation accepts.
struct Auth {
    basic: bool,
    bearer: bool,
    api_keys: Vec<(ParamLocation, String)>,
    /// 401 when no accepted credentials came.
    enforce: bool,
    /// Basic credentials are OAuth client credentials, form-encoded (RFC 6749 §2.3.1): on
    /// every token endpoint.
    client_auth: bool,
    /// Client credentials may come as Basic or in the body but not both (RFC 6749 §2.3): on
    /// token endpoints whose spec does not require Basic for something else.
    single_client_auth: bool,
}

fn auth(api: &Api, op: &Operation) -> Auth {
    let mut a = Auth { basic: false, bearer: false, api_keys: Vec::new(), enforce: false, client_auth: false, single_client_auth: false };
    for key in op.security.iter().flatten() {
        match api.security_schemes.get(key).map(|s| &s.kind) {
            Some(SecurityKind::Basic) => a.basic = true,
            Some(SecurityKind::Bearer { .. } | SecurityKind::OAuth2 { .. } | SecurityKind::OpenIdConnect { .. }) => a.bearer = true,
            Some(SecurityKind::ApiKey { name, location }) => a.api_keys.push((*location, name.clone())),
            _ => {}
        }
    }
    a.client_auth = op.token_endpoint;
    if op.token_endpoint && !a.basic {
        // The token endpoint takes client credentials as Basic (RFC 6749 §2.3.1), or in the
        // body; whatever else the spec requires is the implementation's call.
        a.basic = true;
        a.single_client_auth = true;
    } else {
        // Schemes the router cannot check (mutual TLS, digest) are left to the implementation.
        a.enforce = op.requires_auth() && (a.basic || a.bearer || !a.api_keys.is_empty());
    }
    a
}

pub fn server(api: &Api) -> TokenStream {
    let (routes, skipped) = routes(api);
    let requests = api.operations.iter().map(|op| request_struct(api, op));
    let trait_methods = api.operations.iter().map(trait_method);
    let route_calls = routes.iter().map(|(route, ops)| {
        let method_router = ops.iter().enumerate().map(|(i, op)| {
            let m = ident(&op.method.as_str().to_ascii_lowercase());
            let handler = handler_ident(op);
            if i == 0 {
                quote! { axum::routing::#m(#handler::<A>) }
            } else {
                quote! { .#m(#handler::<A>) }
            }
        });
        // Other methods on this path get 405 with the API's error body.
        let error_fn = error_fn_ident(api, ops[0]);
        quote! { .route(#route, #(#method_router)*.fallback(|| async { method_not_allowed(#error_fn) })) }
    });
    let handlers = routes.values().flatten().map(|op| {
        let handler = handler(api, op);
        let encode = encode_fn(op);
        quote! { #handler #encode }
    });
    let error_fns: BTreeMap<String, TokenStream> = api
        .operations
        .iter()
        .map(|op| error_fn(api, op))
        .collect();
    let error_fns = error_fns.values();
    let skipped_doc = (!skipped.is_empty()).then(|| {
        let lines: Vec<String> = skipped.iter().map(|(id, why)| format!("- `{id}`: {why}")).collect();
        let text = format!("Not routed (the trait still has them):\n{}", lines.join("\n"));
        doc(&[Some(""), Some(&text)])
    });
    let title = format!(" The server side of {}: implement this trait and serve [`router`].", api.title.trim());
    let routed: Vec<&Operation> = routes.values().flatten().copied().collect();
    let any_basic = routed.iter().any(|op| auth(api, op).basic);
    let any_client_auth = routed.iter().any(|op| auth(api, op).client_auth);
    let any_single_client_auth = routed.iter().any(|op| auth(api, op).single_client_auth);
    let any_api_key = routed.iter().any(|op| !auth(api, op).api_keys.is_empty());
    let any_enforce = routed.iter().any(|op| auth(api, op).enforce);
    let runtime = super::server_runtime::helpers(&routed, any_basic, any_client_auth, any_single_client_auth, any_api_key, any_enforce);
    quote! {
        /// The HTTP server: implement [`server::Api`](Api) and serve [`server::router`](router).
        pub mod server {
            use std::sync::Arc;

            use axum::http::StatusCode;
            use axum::response::Response;

            #[allow(unused_imports)]
            use super::runtime::{ParamValue, Validate};

            /// Credentials a request carried.
            #[derive(Clone, PartialEq, Eq)]
            pub enum Credentials {
                /// HTTP Basic. On a token endpoint these are the OAuth client id and secret,
                /// already form-decoded (RFC 6749 §2.3.1).
                Basic {
                    /// User name or client id.
                    username: String,
                    /// Password or client secret.
                    password: String,
                },
                /// A Bearer token (RFC 6750).
                Bearer(String),
                /// An API key.
                ApiKey(String),
            }

            impl std::fmt::Debug for Credentials {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    match self {
                        Credentials::Basic { username, .. } => f
                            .debug_struct("Basic")
                            .field("username", username)
                            .field("password", &"<redacted>")
                            .finish(),
                        Credentials::Bearer(_) => f.debug_tuple("Bearer").field(&"<redacted>").finish(),
                        Credentials::ApiKey(_) => f.debug_tuple("ApiKey").field(&"<redacted>").finish(),
                    }
                }
            }

            #(#requests)*

            #[doc = #title]
            ///
            /// Requests reach a method only once they match the spec: parameters, body and
            /// credentials are decoded and validated by the router, which answers bad input
            /// with a 4xx and the API's error body.
            pub trait Api: Send + Sync + 'static {
                #(#trait_methods)*
            }

            /// Router settings.
            #[derive(Clone, Debug)]
            pub struct Config {
                /// Largest request body accepted, in bytes; larger ones get `413`.
                pub body_limit: usize,
            }

            impl Default for Config {
                fn default() -> Self {
                    Config { body_limit: 64 * 1024 }
                }
            }

            struct Shared<A> {
                api: A,
                config: Config,
            }

            /// An axum router serving `api` with the default [`Config`].
            #skipped_doc
            pub fn router<A: Api>(api: A) -> axum::Router {
                router_with_config(api, Config::default())
            }

            /// An axum router serving `api` with `config`.
            pub fn router_with_config<A: Api>(api: A, config: Config) -> axum::Router {
                let shared = Arc::new(Shared { api, config });
                axum::Router::new()
                    #(#route_calls)*
                    .with_state(shared)
            }

            #(#handlers)*
            #(#error_fns)*
            #runtime
        }
    }
}

/// The `grant_type` values a token endpoint knows, when its spec closes the list (every
/// alternative of the body has an enum `grant_type`); empty otherwise.
fn grant_types(api: &Api, op: &Operation) -> Vec<String> {
    use crate::ir::TypeKind;
    if !op.token_endpoint {
        return Vec::new();
    }
    let Some(TypeRef::Named(body)) = op.body.as_ref().map(|b| &b.ty) else { return Vec::new() };
    let structs: Vec<&str> = match api.types.get(body).map(|t| &t.kind) {
        Some(TypeKind::Struct { .. }) => vec![body.as_str()],
        Some(TypeKind::Union { variants, .. }) => variants
            .iter()
            .filter_map(|v| if let TypeRef::Named(n) = &v.ty { Some(n.as_str()) } else { None })
            .collect(),
        _ => return Vec::new(),
    };
    let mut values = Vec::new();
    for name in structs {
        let Some(TypeKind::Struct { fields, .. }) = api.types.get(name).map(|t| &t.kind) else { return Vec::new() };
        let Some(grant) = fields.iter().find(|f| f.wire_name == "grant_type") else { return Vec::new() };
        let TypeRef::Named(enum_name) = &grant.ty else { return Vec::new() };
        match api.types.get(enum_name).map(|t| &t.kind) {
            Some(TypeKind::Enum { variants, open: false, integer: false }) => {
                values.extend(variants.iter().filter_map(|v| v.value.as_str().map(str::to_string)));
            }
            _ => return Vec::new(),
        }
    }
    values.sort();
    values.dedup();
    values
}

fn handler_ident(op: &Operation) -> proc_macro2::Ident {
    super::helper_ident(&["handle", &op.name])
}

fn request_ident(op: &Operation) -> proc_macro2::Ident {
    ident(&format!("{}Request", op.type_name))
}

fn error_fn_ident(api: &Api, op: &Operation) -> proc_macro2::Ident {
    match rejection_type(api, op) {
        Some(TypeRef::Named(n)) => super::helper_ident(&[n, "rejection"]),
        _ => quote::format_ident!("oauth_rejection"),
    }
}

/// `fn {type}_rejection(status, code, message) -> Response`, keyed by name for dedup.
fn error_fn(api: &Api, op: &Operation) -> (String, TokenStream) {
    let name = error_fn_ident(api, op);
    let body = rejection_type(api, op).and_then(|ty| {
        let value = fill(api, ty, "", 0)?;
        let ty = rust_type(ty, &quote! { super:: });
        Some(quote! {
            let body: #ty = #value;
            json_response(status, &body)
        })
    });
    let body = body.unwrap_or_else(|| {
        quote! {
            // RFC 6749 §5.2 error response: the spec declares no error body of its own.
            json_response(status, &serde_json::json!({ "error": code, "error_description": message }))
        }
    });
    (
        name.to_string(),
        quote! {
            /// The API's error body for a rejected request.
            #[allow(unused_variables)]
            fn #name(status: StatusCode, code: &str, message: &str) -> Response {
                let status = status.as_u16();
                #body
            }
        },
    )
}

fn request_struct(api: &Api, op: &Operation) -> TokenStream {
    let name = request_ident(op);
    let d = format!(" The inputs of `{}` (`{} {}`), decoded and validated.", op.operation_id, op.method.as_str(), op.path.raw);
    let path_fields = op.path_params().map(|p| {
        let f = ident(&p.name);
        let ty = rust_type(&p.ty, &quote! { super:: });
        let docs = doc(&[p.description.as_deref(), Some(&format!("Path parameter `{}`.", p.wire_name))]);
        quote! { #docs pub #f: #ty, }
    });
    let params = op.params_type.as_ref().map(|t| {
        let t = ident(t);
        quote! {
            /// Query, header and cookie parameters (defaults applied).
            pub params: super::#t,
        }
    });
    let body = op.body.as_ref().map(|b| {
        let ty = rust_type(&b.ty, &quote! { super:: });
        let ty = if b.required { ty } else { quote! { Option<#ty> } };
        let docs = doc(&[b.description.as_deref(), Some(&format!("The `{}` body.", b.media_type))]);
        quote! { #docs pub body: #ty, }
    });
    let a = auth(api, op);
    let any = a.basic || a.bearer || !a.api_keys.is_empty();
    let credentials = any.then(|| {
        if a.enforce {
            quote! {
                /// The caller's credentials (required by the spec: requests without get `401`).
                pub credentials: Credentials,
            }
        } else {
            quote! {
                /// The caller's credentials, if any came.
                pub credentials: Option<Credentials>,
            }
        }
    });
    quote! {
        #[doc = #d]
        #[derive(Clone, Debug)]
        #[non_exhaustive]
        pub struct #name {
            #(#path_fields)*
            #params
            #body
            #credentials
        }
    }
}

fn trait_method(op: &Operation) -> TokenStream {
    let name = ident(&op.name);
    let request = request_ident(op);
    let success = success_type(op, &quote! { super:: });
    let error = error_type(op, &quote! { super:: });
    let line = format!("`{} {}` (`{}`)", op.method.as_str(), op.path.raw, op.operation_id);
    let docs = doc(&[op.summary.as_deref(), op.description.as_deref(), Some(&line)]);
    quote! {
        #docs
        fn #name(&self, request: #request) -> impl std::future::Future<Output = Result<#success, #error>> + Send;
    }
}

fn param_decode(api: &Api, p: &Param, op: &Operation) -> TokenStream {
    let wire = p.wire_name.as_str();
    let location = format!("{:?}", p.location).to_lowercase();
    let values = match p.location {
        ParamLocation::Query => quote! { query_values(&query, #wire) },
        ParamLocation::Header => quote! { header_values(&parts.headers, #wire)? },
        ParamLocation::Cookie => quote! { cookie_values(&parts.headers, #wire) },
        ParamLocation::Path => {
            let index = op.path_params().position(|q| q.wire_name == p.wire_name).unwrap_or(0);
            quote! { path_value(&path, #index) }
        }
    };
    let decode = if let Some(style) = p.object {
        let deep = style == crate::ir::ObjectStyle::DeepObject;
        let ty = rust_type(&p.ty, &quote! { super:: });
        quote! { object_param::<#ty>(&query, #wire, #deep)? }
    } else if matches!(p.ty, TypeRef::Array(_)) {
        let split = !p.explode || p.location != ParamLocation::Query;
        quote! { param_list(#values, #wire, #location, #split)? }
    } else {
        quote! { param_one(#values, #wire, #location)? }
    };
    let default = p.default.as_ref().and_then(|d| super::value_expr(api, &p.ty, d, &quote! { super:: }));
    match (p.required, default) {
        (true, _) => quote! { required(#decode, #wire, #location)? },
        (false, Some(d)) => quote! { #decode.or(Some(#d)) },
        (false, None) => decode,
    }
}

fn handler(api: &Api, op: &Operation) -> TokenStream {
    let handler = handler_ident(op);
    let request = request_ident(op);
    let method = ident(&op.name);
    let error_fn = error_fn_ident(api, op);
    let a = auth(api, op);

    let path_params: Vec<&Param> = op.path_params().collect();
    let path = (!path_params.is_empty()).then(|| quote! { let path = path_params(&mut parts).await?; });
    let needs_query = op.other_params().any(|p| p.location == ParamLocation::Query);
    let query = needs_query.then(|| quote! { let query = query_pairs(&parts); });
    let path_fields = path_params.iter().map(|p| {
        let f = ident(&p.name);
        let decode = param_decode(api, p, op);
        quote! { #f: #decode, }
    });
    let params = op.params_type.as_ref().map(|t| {
        let t = ident(t);
        let fields = op.other_params().map(|p| {
            let f = ident(&p.name);
            let decode = param_decode(api, p, op);
            quote! { #f: #decode, }
        });
        quote! { params: super::#t { #(#fields)* }, }
    });

    let any_auth = a.basic || a.bearer || !a.api_keys.is_empty();
    let (basic, bearer, client_auth) = (a.basic, a.bearer, a.client_auth);
    let api_keys = a.api_keys.iter().map(|(loc, name)| {
        let loc = format!("{loc:?}").to_lowercase();
        quote! { (#loc, #name) }
    });
    let credentials = any_auth.then(|| {
        quote! {
            let credentials = credentials(&parts, &Accepts { basic: #basic, bearer: #bearer, client_auth: #client_auth, api_keys: &[#(#api_keys),*] })?;
        }
    });
    let challenge = if a.basic { format!("Basic realm=\"{}\"", api.title.replace('"', "'")) } else { "Bearer".to_string() };
    let enforce = a.enforce.then(|| {
        quote! {
            let Some(credentials) = credentials else {
                return Err(Rejection::unauthorized(#challenge));
            };
        }
    });
    let credentials_field = any_auth.then(|| quote! { credentials, });

    let body = op.body.as_ref().map(|b| {
        let ty = rust_type(&b.ty, &quote! { super:: });
        let grants = grant_types(api, op);
        let decode_as = |kind: BodyKind| match kind {
            BodyKind::Json => quote! { decode_json::<#ty>(&parts.headers, &bytes)? },
            BodyKind::Form => quote! { decode_form::<#ty>(&parts.headers, &bytes, &[#(#grants),*])? },
            BodyKind::Multipart => quote! { decode_multipart::<#ty>(&parts.headers, bytes, &[#(#grants),*]).await? },
            BodyKind::Text => quote! { (decode_text(&parts.headers, &bytes)?, Vec::<(String, String)>::new()) },
            BodyKind::Binary => quote! { (bytes.to_vec(), Vec::<(String, String)>::new()) },
        };
        // Other structured encodings the spec lists for the same body are accepted too.
        let alternatives: Vec<(String, BodyKind)> = b
            .media_types
            .iter()
            .map(|m| (m.split(';').next().unwrap_or_default().trim().to_ascii_lowercase(), crate::ir::body_kind(m)))
            .filter(|(_, k)| *k != b.kind && matches!(k, BodyKind::Json | BodyKind::Form | BodyKind::Multipart))
            .collect();
        let decode = if alternatives.is_empty() || !matches!(b.kind, BodyKind::Json | BodyKind::Form | BodyKind::Multipart) {
            decode_as(b.kind)
        } else {
            let arms = alternatives.iter().map(|(media, kind)| {
                let decode = decode_as(*kind);
                quote! { #media => #decode, }
            });
            let primary = decode_as(b.kind);
            quote! {
                match media_type(&parts.headers).as_str() {
                    #(#arms)*
                    _ => #primary,
                }
            }
        };
        let both_check = a.single_client_auth.then(|| {
            let cred_ref = if a.enforce { quote! { Some(&credentials) } } else { quote! { credentials.as_ref() } };
            quote! { single_client_auth(#cred_ref, &fields)?; }
        });
        let fields_name = if both_check.is_some() { quote! { fields } } else { quote! { _fields } };
        let validate = matches!(b.ty, TypeRef::Named(_)).then(|| {
            quote! { body.validate("").map_err(|m| Rejection::bad_request("invalid_request", m))?; }
        });
        if b.required {
            quote! {
                let bytes = read_body(body, config.body_limit).await?;
                let (body, #fields_name) = #decode;
                #both_check
                #validate
            }
        } else {
            quote! {
                let bytes = read_body(body, config.body_limit).await?;
                let body = if bytes.is_empty() {
                    None
                } else {
                    let (body, #fields_name) = #decode;
                    #both_check
                    #validate
                    Some(body)
                };
            }
        }
    });
    let body_field = op.body.as_ref().map(|_| quote! { body, });
    let body_name = if op.body.is_some() { quote! { body } } else { quote! { _body } };
    let request_binding = if path.is_some() { quote! { let (mut parts, #body_name) } } else { quote! { let (parts, #body_name) } };
    let encode = super::helper_ident(&["encode", &op.name]);
    let body_reads_headers = op.body.as_ref().is_some_and(|b| b.kind != BodyKind::Binary);
    let parts_used = path.is_some() || query.is_some() || credentials.is_some() || body_reads_headers || op.other_params().next().is_some();
    let parts_binding = if parts_used { request_binding } else { quote! { let (_parts, #body_name) } };
    let decode = super::helper_ident(&["decode", &op.name]);
    let config_arg = if op.body.is_some() { quote! { config } } else { quote! { _config } };
    quote! {
        async fn #handler<A: Api>(
            axum::extract::State(shared): axum::extract::State<Arc<Shared<A>>>,
            request: axum::extract::Request,
        ) -> Response {
            match #decode(&shared.config, request).await {
                Ok(request) => #encode(shared.api.#method(request).await),
                Err(rejection) => rejection.into_response(#error_fn),
            }
        }

        async fn #decode(#config_arg: &Config, request: axum::extract::Request) -> Result<#request, Rejection> {
            #parts_binding = request.into_parts();
            #path
            #query
            #credentials
            #enforce
            #body
            Ok(#request {
                #(#path_fields)*
                #params
                #body_field
                #credentials_field
            })
        }
    }
}

/// `fn encode_{op}(result) -> Response`: the trait method's result as a response.
fn encode_fn(op: &Operation) -> TokenStream {
    let name = super::helper_ident(&["encode", &op.name]);
    let success = success_type(op, &quote! { super:: });
    let error = error_type(op, &quote! { super:: });
    let arms = op.responses.iter().map(|r| encode_arm(op, r));
    let never = op.error_type.is_none().then(|| quote! { Err(never) => match never {}, });
    quote! {
        fn #name(result: Result<#success, #error>) -> Response {
            match result {
                #(#arms)*
                #never
            }
        }
    }
}

fn encode_arm(op: &Operation, r: &Response) -> TokenStream {
    let status = match r.status {
        StatusMatch::Code(c) => {
            let c = proc_macro2::Literal::u16_unsuffixed(c);
            quote! { #c }
        }
        StatusMatch::Range(d) => {
            let (digit, fallback) = (proc_macro2::Literal::u16_unsuffixed(d), proc_macro2::Literal::u16_unsuffixed(d * 100));
            quote! { status_in_range(status, #digit, #fallback) }
        }
        StatusMatch::Default => quote! { status },
    };
    let body_expr = |value: TokenStream| match r.body.as_ref().map(|b| b.kind) {
        Some(BodyKind::Text) => quote! { text_response(#status, #value) },
        Some(BodyKind::Binary) => quote! { bytes_response(#status, #value) },
        Some(_) => quote! { json_response(#status, &#value) },
        None => quote! { empty_response(#status) },
    };
    let headers = r.headers.iter().map(|h| {
        let f = ident(&h.name);
        let wire = h.wire_name.as_str();
        if h.required {
            quote! { insert_header(&mut response, #wire, #f.to_param()); }
        } else {
            quote! { if let Some(value) = #f { insert_header(&mut response, #wire, value.to_param()); } }
        }
    });
    let wrap = |inner: TokenStream| if r.status.is_success() { quote! { Ok(#inner) } } else { quote! { Err(#inner) } };
    match response_enum(op, r) {
        None => {
            let pattern = wrap(if r.body.is_some() { quote! { value } } else { quote! { () } });
            let respond = body_expr(quote! { value });
            quote! { #pattern => #respond, }
        }
        Some(enum_name) => {
            let variant = ident(&r.variant);
            if r.is_plain() {
                let pattern = wrap(match &r.body {
                    Some(_) => quote! { super::#enum_name::#variant(value) },
                    None => quote! { super::#enum_name::#variant },
                });
                let respond = body_expr(quote! { value });
                quote! { #pattern => #respond, }
            } else {
                let status_field = (!matches!(r.status, StatusMatch::Code(_))).then(|| quote! { status, });
                let body_field = r.body.as_ref().map(|_| quote! { body, });
                let header_fields = r.headers.iter().map(|h| {
                    let f = ident(&h.name);
                    quote! { #f, }
                });
                let pattern = wrap(quote! { super::#enum_name::#variant { #status_field #body_field #(#header_fields)* } });
                let respond = body_expr(quote! { body });
                if r.headers.is_empty() {
                    quote! { #pattern => #respond, }
                } else {
                    quote! {
                        #pattern => {
                            let mut response = #respond;
                            #(#headers)*
                            response
                        }
                    }
                }
            }
        }
    }
}
