//! The `server` module: an `Api` trait with one async method per operation and an axum
//! `Router` whose handlers decode and validate requests (parameters, body, credentials, OAuth
//! client authentication), ask the implementation, and encode its answer. The decoding and
//! encoding helpers are the runtime's (`oauth_api::server`); what is generated here is what
//! depends on the spec.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;

use super::error_body::fill;
use super::{braced, doc, error_type_arg, ident, later, rust_type, success_type, Models, Moved, Part, Str};
use crate::ir::{Api, Operation, ParamLocation, PathPart, SecurityKind, TypeRef};

/// The methods the server's `Api` trait has besides the operations: operations never take
/// these names (`ir::lower` reserves them).
pub const OWN_METHODS: &[&str] = &["authenticate"];

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

/// The axum routing function of `op`'s method (`get`, `post`, …): a route starts with it (and
/// the module imports it), the route's other methods chain it as a method.
fn routing_fn(op: &Operation) -> String {
    op.method.as_str().to_ascii_lowercase()
}

/// Credential kinds an operation accepts, and what the router enforces.
pub(super) struct Auth {
    pub(super) basic: bool,
    pub(super) bearer: bool,
    pub(super) api_keys: Vec<(ParamLocation, String)>,
    /// `401` when no accepted credentials came (and, on OAuth endpoints, no client
    /// authentication either).
    pub(super) enforce: bool,
    /// An OAuth endpoint: Basic credentials are the client's, form-encoded (RFC 6749
    /// §2.3.1), and the request carries one typed client authentication.
    pub(super) oauth: bool,
    /// The `WWW-Authenticate` challenge of its `401`s.
    pub(super) challenge: String,
}

pub(super) fn auth(api: &Api, op: &Operation) -> Auth {
    let mut a = Auth { basic: false, bearer: false, api_keys: Vec::new(), enforce: false, oauth: op.oauth.is_some(), challenge: String::new() };
    for key in op.security.iter().flatten() {
        match api.security_schemes.get(&key.scheme).map(|s| &s.kind) {
            Some(SecurityKind::Basic) => a.basic = true,
            Some(k) if k.is_bearer() => a.bearer = true,
            Some(SecurityKind::ApiKey { name, location }) => a.api_keys.push((*location, name.clone())),
            _ => {}
        }
    }
    // Schemes the router cannot check (mutual TLS, digest) are left to the implementation.
    let checkable = a.basic || a.bearer || !a.api_keys.is_empty();
    a.enforce = op.requires_auth() && checkable;
    if a.oauth {
        // Clients authenticate to OAuth endpoints with Basic, which servers MUST support
        // (RFC 6749 §2.3.1), or in the body.
        a.basic = true;
    }
    // (`replace` with a pattern of two characters is slow unoptimized, as a proc macro runs.)
    let needs_quoting = api.title.bytes().any(|b| b == b'"' || b == b'\\');
    let realm = if needs_quoting { api.title.replace(['"', '\\'], "'") } else { api.title.clone() };
    a.challenge = if a.basic {
        format!("Basic realm=\"{realm}\"")
    } else if a.bearer {
        format!("Bearer realm=\"{realm}\"")
    } else {
        String::new()
    };
    a
}

/// Grants for which the client must authenticate (`*`: any request needs credentials).
pub(super) fn client_grants(op: &Operation, a: &Auth) -> Vec<String> {
    let Some(o) = &op.oauth else { return Vec::new() };
    if a.enforce {
        return vec!["*".to_string()];
    }
    let mut grants: Vec<String> = o.grants.iter().filter(|g| g.requires_client).map(|g| g.value.clone()).collect();
    grants.sort();
    grants.dedup();
    grants
}

pub fn server(api: &Api) -> Part<'_> {
    let (routes, skipped) = routes(api);
    let requests = api.operations.iter().map(move |op| later(move || request_struct(api, op)));
    // The routing functions a route starts with (its other methods chain on it).
    let methods: std::collections::BTreeSet<String> = routes.values().map(|ops| routing_fn(ops[0])).collect();
    // Error functions whose `405` fallback a route names.
    let fallbacks: std::collections::BTreeSet<String> = routes.values().filter_map(|ops| ops.first()).map(|op| error_fn_ident(api, op).to_string()).collect();
    let methods = methods.iter().map(|m| ident(m));
    let routing = (!routes.is_empty()).then(|| quote! { use axum::routing::{#(#methods),*}; });
    let routed: Vec<&Operation> = routes.values().flatten().copied().collect();
    let handlers = routed.clone().into_iter().map(move |op| {
        later(move || super::server_handler::handler(api, op))
    });
    // Generated last, when the handlers are written.
    let error_fns = std::iter::once(later(move || {
        // Each definition is built once per name: the first operation's error function, the
        // last operation's constants.
        let mut error_fns: BTreeMap<String, TokenStream> = BTreeMap::new();
        for op in &routed {
            if let std::collections::btree_map::Entry::Vacant(slot) = error_fns.entry(error_fn_ident(api, op).to_string()) {
                let fallback = fallbacks.contains(slot.key());
                slot.insert(error_fn(api, op, fallback).1);
            }
        }
        let mut consts: BTreeMap<String, TokenStream> = BTreeMap::new();
        for op in routed.iter().rev() {
            let a = auth(api, op);
            if let Some(name) = super::server_handler::accepts_ident(&a) {
                consts.entry(name.to_string()).or_insert_with(|| super::server_handler::accepts_const(&a, &name));
            }
        }
        for op in routed.iter().rev() {
            let name = super::server_handler::endpoint_ident(api, op);
            consts.entry(name.to_string()).or_insert_with(|| super::server_handler::endpoint_const(api, op, &name));
        }
        consts.into_values().chain(error_fns.into_values()).collect()
    }));
    let skipped_doc = (!skipped.is_empty()).then(|| {
        let lines: Vec<String> = skipped.iter().map(|(id, why)| format!("- `{id}`: {why}")).collect();
        let text = format!("Not routed (the trait still has them):\n{}", lines.join("\n"));
        doc(&[Some(""), Some(&text)])
    });
    let client_auth = api.operations.iter().any(|op| op.oauth.is_some()).then(|| quote! { pub use ::oauth_api::oauth::ClientAuth; });
    let imports = quote! {
        use std::future::Future;
        use std::sync::Arc;

        use ::oauth_api::__private::axum;
        use ::oauth_api::server as rt;
        pub use ::oauth_api::server::{AuthContext, Config, Credentials, Failure, Outcome, Rejection};
        use ::oauth_api::server::{Response, StatusCode};
        use axum::extract::{Request, State};
        #routing
        #client_auth
    };
    let api_trait = api_trait(api);
    // Only reading a body uses the config (its size limit): without one, the router keeps none.
    let reads_bodies = api.operations.iter().any(|op| op.body.is_some());
    let (config_field, config_param, config_doc) = if reads_bodies {
        (Some(quote! { config: Config, }), quote! { config }, " An axum router serving `api` with `config`.")
    } else {
        (None, quote! { _config }, " An axum router serving `api`; `config` sets nothing this API uses (none of its operations takes a request body).")
    };
    let config_init = reads_bodies.then(|| quote! { config });
    // One item a piece: each is printed on its own (Graph beta's router chains 13,828 routes).
    let router = [
        quote! {
            struct Shared<A> {
                api: A,
                #config_field
            }
        },
        quote! {
            /// The router's state.
            type App<A> = Arc<Shared<A>>;
        },
        quote! {
            /// An axum router serving `api` with the default [`Config`].
            #skipped_doc
            pub fn router<A: Api>(api: A) -> axum::Router {
                router_with_config(api, Config::default())
            }
        },
    ];
    // Built by the thread that formats it only: Graph beta's has 13,828 routes.
    let router_with_config = later(move || {
        let route_calls = routes.iter().map(|(route, ops)| {
            let method_router = ops.iter().enumerate().map(|(i, op)| {
                let m = ident(&routing_fn(op));
                let handler = handler_ident(op);
                if i == 0 {
                    quote! { #m(#handler::<A>) }
                } else {
                    quote! { .#m(#handler::<A>) }
                }
            });
            // Other methods on this path get 405 with the API's error body.
            let (route, not_allowed) = (Str(route), not_allowed_ident(api, ops[0]));
            quote! { .route(#route, #(#method_router)*.fallback(#not_allowed)) }
        });
        quote! {
            #[doc = #config_doc]
            pub fn router_with_config<A: Api>(api: A, #config_param: Config) -> axum::Router {
                let app: App<A> = Arc::new(Shared { api, #config_init });
                axum::Router::new()
                    #(#route_calls)*
                    .with_state(app)
            }
        }
    });
    // How each error enum is sent, once for the operations sharing it.
    let declared_errors = api
        .operations
        .iter()
        .filter_map(|op| Some((op, op.own_error_enum()?)))
        .map(|(op, name)| later(move || super::server_handler::declared_errors(op, name)));
    let body = std::iter::once(Part::Items(imports))
        .chain(requests)
        .chain(std::iter::once(api_trait))
        .chain(router.into_iter().map(Part::Items))
        .chain(std::iter::once(router_with_config))
        .chain(handlers)
        .chain(declared_errors)
        .chain(error_fns);
    Part::Nest {
        head: Box::new(|body| {
            let body = braced(body);
            quote! {
                /// The HTTP server: implement [`server::Api`] and serve [`server::router`].
                pub mod server #body
            }
        }),
        body: Box::new(body),
    }
}

/// The `Api` trait: `authenticate`, then one method per operation.
fn api_trait(api: &Api) -> Part<'_> {
    let title = super::escaped_doc_literal(&format!(" The server side of {}: implement this trait and serve [`router`].", api.title.trim()));
    let name = quote::format_ident!("{}", OWN_METHODS[0]);
    let trait_methods = api.operations.iter().map(|op| later(move || trait_method(op)));
    let authenticate = quote! {
        /// Checks the credentials of a request before it reaches its method (whether a
        /// token, password or client secret is valid, not only present). `Err` answers
        /// with the rejection (`401` carries a `WWW-Authenticate` challenge). The default
        /// accepts every request.
        fn #name(&self, context: AuthContext<'_>) -> impl Future<Output = Result<(), Rejection>> + Send {
            let _ = context;
            async { Ok(()) }
        }
    };
    Part::Nest {
        head: Box::new(move |body| {
            let body = braced(body);
            quote! {
                #[doc = #title]
                ///
                /// Requests reach a method only once they match the spec: parameters, body and
                /// credentials are decoded and validated by the router, which answers bad input
                /// with a 4xx and the API's error body. Every method has a default answering `501`,
                /// so an implementation writes only the operations it serves.
                pub trait Api: Send + Sync + 'static #body
            }
        }),
        body: Box::new(std::iter::once(Part::Items(authenticate)).chain(trait_methods)),
    }
}

fn request_struct(api: &Api, op: &Operation) -> TokenStream {
    let name = request_ident(op);
    let d = super::escaped_doc_literal(&format!(" The inputs of `{}` (`{} {}`), decoded and validated.", op.operation_id, op.method.as_str(), op.path.raw));
    let mut fields = Vec::new();
    for p in op.path_params() {
        let f = ident(&p.name);
        let ty = rust_type(&p.ty, Models::Parent);
        let docs = labelled_doc(&format!("Path parameter `{}`", p.wire_name), p.description.as_deref());
        let (docs, ty) = (Moved::from(docs), Moved::from(ty));
        fields.push(quote! { #docs pub #f: #ty, });
    }
    if let Some(t) = &op.params_type {
        let t = ident(t);
        fields.push(quote! {
            /// Query, header and cookie parameters (defaults applied).
            pub params: super::#t,
        });
    }
    if let Some(b) = &op.body {
        let ty = rust_type(&b.ty, Models::Parent);
        let ty = if b.required { ty } else { quote! { Option<#ty> } };
        let docs = labelled_doc(&format!("The `{}` body", b.media_type), b.description.as_deref());
        let (docs, ty) = (Moved::from(docs), Moved::from(ty));
        fields.push(quote! { #docs pub body: #ty, });
    }
    let a = auth(api, op);
    // Nothing to give (credentials, if any, are optional): `Default` is the request.
    let required_credentials = (a.basic || a.bearer || !a.api_keys.is_empty()) && a.enforce && !a.oauth;
    let default = (fields.is_empty() && !required_credentials).then(|| quote! { Default, });
    auth_fields(&a, &mut fields);
    fields.push(quote! {
        /// The request's extensions, as middleware left them (`Default::default()` in tests).
        pub extensions: ::oauth_api::server::Extensions,
    });
    let fields = fields.into_iter().map(Moved::from);
    quote! {
        #[doc = #d]
        #[derive(Clone, Debug, #default)]
        pub struct #name {
            #(#fields)*
        }
    }
}

/// The credentials and client fields of a request struct, pushed onto `fields`.
fn auth_fields(a: &Auth, fields: &mut Vec<TokenStream>) {
    if a.basic || a.bearer || !a.api_keys.is_empty() {
        if a.enforce && !a.oauth {
            fields.push(quote! {
                /// The caller's credentials (required by the spec: requests without get `401`).
                pub credentials: Credentials,
            });
        } else {
            fields.push(quote! {
                /// The caller's credentials (the `Authorization` header or API key), if any came.
                pub credentials: Option<Credentials>,
            });
        }
    }
    if a.oauth {
        fields.push(quote! {
            /// The client's authentication, however it came: HTTP Basic (form-decoded, RFC 6749
            /// §2.3.1) or `client_id`/`client_secret` in the body; `None` when the client did not
            /// identify itself. Check it in [`Api::authenticate`] or here.
            pub client: Option<ClientAuth>,
        });
    }
}

/// The doc of a request field: `label: description` when the spec's description is one line,
/// else the description followed by `label.` as a paragraph of its own.
fn labelled_doc(label: &str, description: Option<&str>) -> TokenStream {
    match description.map(str::trim).filter(|d| !d.is_empty()) {
        None => doc(&[Some(&format!("{label}."))]),
        Some(d) if !d.contains('\n') => doc(&[Some(&format!("{label}: {d}"))]),
        Some(d) => doc(&[Some(d), Some(&format!("{label}."))]),
    }
}

fn trait_method(op: &Operation) -> TokenStream {
    let name = ident(&op.name);
    let request = request_ident(op);
    let success = success_type(op, Models::Parent);
    let error = error_type_arg(op, Models::Parent);
    let line = format!("`{} {}` (`{}`). The default answers `501 Not Implemented` with the API's error body.", op.method.as_str(), op.path.raw, op.operation_id);
    let docs = doc(&[op.summary.as_deref(), op.description.as_deref(), Some(&line)]);
    let id = Str(&op.operation_id);
    let (docs, success, error) = (Moved::from(docs), Moved::from(success), error.map(Moved::from));
    quote! {
        #docs
        fn #name(&self, request: #request) -> impl Future<Output = Outcome<#success #error>> + Send {
            rt::not_implemented(#id, request)
        }
    }
}

pub(super) fn handler_ident(op: &Operation) -> proc_macro2::Ident {
    super::helper_ident(&["handle", &op.name])
}

pub(super) fn request_ident(op: &Operation) -> proc_macro2::Ident {
    ident(&format!("{}Request", op.type_name))
}

/// The function building the API's error body for `op`'s rejections; on OAuth endpoints, a
/// variant that also carries the RFC 6749 §5.2 members. Named after the body's type, unless
/// it is the API's only one (`rejection`, `oauth_rejection`).
pub(super) fn error_fn_ident(api: &Api, op: &Operation) -> proc_macro2::Ident {
    let kind = if op.oauth.is_some() { "oauth_rejection" } else { "rejection" };
    match api.rejection_type(op) {
        Some(TypeRef::Named(n)) => quote::format_ident!("{}{kind}", api.rejection_fn_prefixes.get(n).map_or("", String::as_str)),
        _ => quote::format_ident!("oauth_rejection"),
    }
}

/// The route fallback answering `405` with `op`'s error body.
fn not_allowed_ident(api: &Api, op: &Operation) -> proc_macro2::Ident {
    quote::format_ident!("not_allowed_{}", error_fn_ident(api, op))
}

/// `fn {type}_rejection(status, code, message) -> Response` and, when a route uses it
/// (`fallback`), its `405` route fallback; keyed by name for dedup.
fn error_fn(api: &Api, op: &Operation, fallback: bool) -> (String, TokenStream) {
    let name = error_fn_ident(api, op);
    let not_allowed = not_allowed_ident(api, op);
    // OAuth endpoints answer errors clients of RFC 6749 can read: the spec's model, with
    // `error` and `error_description` added where it has no `error` of its own (§5.2).
    let respond = if op.oauth.is_some() {
        quote! { rt::oauth_error_response(status, &body, Some(code), Some(message)) }
    } else {
        quote! { rt::json_response(status, &body) }
    };
    let body = api.rejection_type(op).and_then(|ty| {
        let value = fill(api, ty, "", 0)?;
        let ty = rust_type(ty, Models::Parent);
        Some(quote! {
            let body: #ty = #value;
            #respond
        })
    });
    let body = body.unwrap_or_else(|| {
        quote! {
            // RFC 6749 §5.2 error response: the spec declares no error body of its own.
            rt::json_response(status, &::oauth_api::oauth::ErrorResponse::new(code.into(), message))
        }
    });
    let not_allowed_fn = fallback.then(|| {
        quote! {
            /// `405` for a method the path does not have.
            async fn #not_allowed() -> Response {
                rt::method_not_allowed(#name)
            }
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

            #not_allowed_fn
        },
    )
}

