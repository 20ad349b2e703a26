//! The `client` module: a `Client` wrapping the runtime's `Core` with one async method per
//! operation. Requests, credentials, retries and response reading are the runtime's; what is
//! generated here is what depends on the spec: paths, parameters, bodies, and decoding by
//! status.
//!

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{braced, doc, error_type, ident, response_enum, rust_type, success_type, Part};
use crate::ir::{Api, BodyKind, FlowKind, OAuthRole, Operation, ParamLocation, PathPart, Prim, Response, SecurityKind, StatusMatch, TypeRef};

/// The methods `Client` has besides the operations (its own and its traits'). Operations
/// never take these names: `ir::lower` reserves them, and every own method below is emitted
/// through `own`, which only takes names from this list.
pub const OWN_METHODS: &[&str] = &[
    "new",
    "with_config",
    "with_http_client",
    "from_core",
    "core",
    "base_url",
    "with_retry",
    "with_basic_auth",
    "with_bearer_token",
    "with_token_source",
    "with_api_key",
    "with_client_credentials",
    "with_client_auth",
    "client_credentials_flow",
    "password_flow",
    "authorization_code_flow",
    "clone",
    "clone_from",
    "fmt",
];

/// An own method of `Client`, named from [`OWN_METHODS`].
fn own(name: &'static str, docs: &str, signature_and_body: impl FnOnce(proc_macro2::Ident) -> TokenStream) -> TokenStream {
    let name = OWN_METHODS.iter().find(|n| **n == name).map_or_else(|| format_ident!("own_method_not_reserved"), |n| format_ident!("{}", n));
    let docs = doc(&[Some(docs)]);
    let item = signature_and_body(name);
    quote! { #docs #item }
}

/// The scheme kinds the operations' security requirements name.
struct Kinds {
    basic: bool,
    bearer: bool,
    api_key: bool,
    client_auth: bool,
}

fn kinds(api: &Api) -> Kinds {
    let used = || api.operations.iter().flat_map(|op| op.security.iter().flatten()).filter_map(|u| api.security_schemes.get(&u.scheme));
    Kinds {
        basic: used().any(|s| s.kind == SecurityKind::Basic),
        bearer: used().any(|s| s.kind.is_bearer()),
        api_key: used().any(|s| matches!(s.kind, SecurityKind::ApiKey { .. })),
        client_auth: api.operations.iter().any(|op| op.oauth.is_some()),
    }
}

/// The spec's schemes of a kind, for docs: `` `BearerAuth`, `OAuth2` ``.
fn scheme_names(api: &Api, pred: impl Fn(&SecurityKind) -> bool) -> String {
    api.security_schemes.iter().filter(|(_, s)| pred(&s.kind)).map(|(k, _)| format!("`{k}`")).collect::<Vec<_>>().join(", ")
}

/// `&[&[Scheme::Bearer], …]`: the operation's security requirement for the runtime.
fn security_expr(api: &Api, op: &Operation) -> TokenStream {
    let alternatives = op.security.iter().map(|alt| {
        let schemes = alt.iter().filter_map(|u| {
            Some(match &api.security_schemes.get(&u.scheme)?.kind {
                SecurityKind::Basic => quote! { Scheme::Basic },
                k if k.is_bearer() => quote! { Scheme::Bearer },
                SecurityKind::ApiKey { name, location } => {
                    let location = match location {
                        ParamLocation::Query => quote! { Query },
                        ParamLocation::Cookie => quote! { Cookie },
                        _ => quote! { Header },
                    };
                    quote! { Scheme::ApiKey(::oauth_api::ApiKeyLocation::#location, #name) }
                }
                _ => return None,
            })
        });
        quote! { &[#(#schemes),*] }
    });
    quote! { &[#(#alternatives),*] }
}

fn role_expr(op: &Operation) -> TokenStream {
    match op.role() {
        None => quote! { None },
        Some(OAuthRole::Token) => quote! { Token },
        Some(OAuthRole::Revocation) => quote! { Revocation },
        Some(OAuthRole::Introspection) => quote! { Introspection },
    }
}

/// The token-layer constructors of the spec's OAuth2 flows (for each kind of flow, the first
/// scheme that declares it): builders of `oauth_api::token` sources with the flow's URLs
/// resolved against the base URL.
fn flow_methods(api: &Api) -> Vec<TokenStream> {
    let mut out = Vec::new();
    for (key, flow) in crate::ir::oauth::client_flows(api) {
        let kind = flow.kind;
        let Some(token_url) = flow.token_url.as_deref() else { continue };
        let scopes = if flow.scopes.is_empty() {
            String::new()
        } else {
            format!(" Scopes the spec lists: {}.", flow.scopes.iter().map(|(s, _)| format!("`{s}`")).collect::<Vec<_>>().join(", "))
        };
        let errors = "\n\n# Errors\n\nWhen the flow's URLs do not resolve against the base URL.";
        match kind {
            FlowKind::ClientCredentials => {
                // The endpoint the flow names also takes a token exchange: renew that way, as
                // Iceberg clients do (RFC 8693, with the current token as subject).
                let exchange = crate::ir::oauth::renews_by_exchange(api, key, kind);
                let renew = exchange.then(|| quote! { .renew_by_token_exchange() });
                let renew_doc = if exchange {
                    " The token endpoint also takes RFC 8693 token exchange, so a token is renewed by exchanging it while it is valid, and fetched again with the client credentials otherwise."
                } else {
                    ""
                };
                let d = format!("The client credentials flow of the spec's `{key}` scheme (RFC 6749 §4.4): a token source fetching from `{token_url}` (resolved against the base URL) with the client's id and secret as HTTP Basic. Set scopes on the builder, then hand `build()` to [`Client::with_token_source`].{renew_doc}{scopes}{errors}");
                out.push(own("client_credentials_flow", &d, |name| quote! {
                    pub fn #name(&self, client_id: impl Into<String>, client_secret: impl Into<::oauth_api::Secret>) -> Result<::oauth_api::token::ClientCredentialsBuilder, ::oauth_api::token::TokenError> {
                        let token_url = self.core.endpoint_url(#token_url)?;
                        let client = ::oauth_api::oauth::ClientAuth::basic(client_id, client_secret);
                        Ok(::oauth_api::token::ClientCredentials::builder(token_url, client).http_client(self.core.http_client().clone()) #renew)
                    }
                }));
            }
            FlowKind::Password => {
                let d = format!("The password flow of the spec's `{key}` scheme (RFC 6749 §4.3): a token source fetching from `{token_url}` (resolved against the base URL), renewing with the refresh token. Hand `build()` to [`Client::with_token_source`].{scopes}{errors}");
                out.push(own("password_flow", &d, |name| quote! {
                    pub fn #name(&self, client: ::oauth_api::oauth::ClientAuth, username: impl Into<String>, password: impl Into<::oauth_api::Secret>) -> Result<::oauth_api::token::PasswordBuilder, ::oauth_api::token::TokenError> {
                        let token_url = self.core.endpoint_url(#token_url)?;
                        Ok(::oauth_api::token::Password::builder(token_url, client, username, password).http_client(self.core.http_client().clone()))
                    }
                }));
            }
            _ => {
                let authorization_url = flow.authorization_url.as_deref().unwrap_or_default();
                let d = format!("The authorization code flow of the spec's `{key}` scheme, with PKCE (RFC 6749 §4.1, RFC 7636): send the user to `authorize()`'s URL (`{authorization_url}`), then `exchange` the code at `{token_url}` (both resolved against the base URL) for a token source that renews with the refresh token.{scopes}{errors}");
                out.push(own("authorization_code_flow", &d, |name| quote! {
                    pub fn #name(&self, client: ::oauth_api::oauth::ClientAuth, redirect_uri: impl Into<String>) -> Result<::oauth_api::token::AuthorizationCodeBuilder, ::oauth_api::token::TokenError> {
                        let authorization_url = self.core.endpoint_url(#authorization_url)?;
                        let token_url = self.core.endpoint_url(#token_url)?;
                        Ok(::oauth_api::token::AuthorizationCode::builder(authorization_url, token_url, client, redirect_uri).http_client(self.core.http_client().clone()))
                    }
                }));
            }
        }
    }
    out
}

/// The methods `Client` has besides the operations: constructors, settings, credentials of
/// the kinds the spec's operations ask for, and the token-layer constructors of its flows.
fn own_methods(api: &Api) -> Vec<TokenStream> {
    let k = kinds(api);
    let mut own_methods = vec![
        own("new", &format!(
            "Creates a client for `base_url` (the spec's first server is `{}`), with the default settings: 10 s to connect, 30 s per attempt, no retries, redirects not followed.\n\n# Errors\n\nWhen the TLS backend cannot be initialized.",
            api.servers.first().map_or("http://localhost", |s| s.url.as_str())
        ), |name| quote! {
            pub fn #name(base_url: impl Into<String>) -> Result<Self, ::oauth_api::client::reqwest::Error> {
                Self::with_config(base_url, ::oauth_api::client::Config::default())
            }
        }),
        own("with_config", "Creates a client for `base_url` with other settings (timeouts, retries, response size limit).\n\n# Errors\n\nWhen the TLS backend cannot be initialized.", |name| quote! {
            pub fn #name(base_url: impl Into<String>, config: ::oauth_api::client::Config) -> Result<Self, ::oauth_api::client::reqwest::Error> {
                ::oauth_api::client::Core::with_config(base_url, config).map(Self::from_core)
            }
        }),
        own("with_http_client", "Creates a client that sends with the caller's `reqwest::Client` (proxies, middleware). Give it `redirect::Policy::none()` to see the `3xx` responses the spec declares.", |name| quote! {
            pub fn #name(base_url: impl Into<String>, http: ::oauth_api::client::reqwest::Client) -> Self {
                Self::from_core(::oauth_api::client::Core::with_http_client(base_url, http))
            }
        }),
        own("from_core", "A client around a runtime core (shared with clients of other APIs).", |name| quote! {
            pub fn #name(core: ::oauth_api::client::Core) -> Self {
                Self { core }
            }
        }),
        own("core", "The runtime core: base URL, HTTP client, credentials and settings.", |name| quote! {
            pub fn #name(&self) -> &::oauth_api::client::Core {
                &self.core
            }
        }),
        own("base_url", "The base URL requests go to.", |name| quote! {
            pub fn #name(&self) -> &str {
                self.core.base_url()
            }
        }),
        own("with_retry", "The same client with a retry policy (off by default): bounded attempts, exponential backoff with jitter, `Retry-After` honoured.", |name| quote! {
            #[must_use]
            pub fn #name(self, policy: ::oauth_api::client::RetryPolicy) -> Self {
                Self { core: self.core.retry(policy) }
            }
        }),
    ];
    if k.basic {
        let d = format!("Authenticates with HTTP Basic where an operation asks for it (the spec's {}).", scheme_names(api, |s| *s == SecurityKind::Basic));
        own_methods.push(own("with_basic_auth", &d, |name| quote! {
            #[must_use]
            pub fn #name(self, username: impl Into<String>, password: impl Into<::oauth_api::Secret>) -> Self {
                Self { core: self.core.basic_auth(username, password) }
            }
        }));
    }
    if k.bearer {
        let names = scheme_names(api, SecurityKind::is_bearer);
        let d = format!("Authenticates with a fixed Bearer token where an operation asks for one (the spec's {names}).");
        own_methods.push(own("with_bearer_token", &d, |name| quote! {
            #[must_use]
            pub fn #name(self, token: impl Into<::oauth_api::Secret>) -> Self {
                Self { core: self.core.bearer_token(token) }
            }
        }));
        let d = format!("Takes Bearer tokens from `source`, which fetches, caches and renews them (the spec's {names}); after a `401` the token is renewed and the call retried once.");
        own_methods.push(own("with_token_source", &d, |name| quote! {
            #[must_use]
            pub fn #name(self, source: impl ::oauth_api::token::TokenSource + 'static) -> Self {
                Self { core: self.core.token_source(source) }
            }
        }));
        own_methods.extend(flow_methods(api));
    }
    if k.api_key {
        let d = format!("Authenticates with an API key where an operation asks for one (the spec's {}).", scheme_names(api, |s| matches!(s, SecurityKind::ApiKey { .. })));
        own_methods.push(own("with_api_key", &d, |name| quote! {
            #[must_use]
            pub fn #name(self, key: impl Into<::oauth_api::Secret>) -> Self {
                Self { core: self.core.api_key(key) }
            }
        }));
    }
    if k.client_auth {
        let endpoints = api.operations.iter().filter(|op| op.oauth.is_some()).map(|op| format!("`{}`", op.name)).collect::<Vec<_>>().join(", ");
        let d = format!("OAuth client credentials for the OAuth endpoints ({endpoints}), sent as HTTP Basic with the id and secret form-encoded first (RFC 6749 §2.3.1). Leave `client_id` and `client_secret` out of the request bodies: they would be taken out anyway, since a client uses one method (§2.3).");
        own_methods.push(own("with_client_credentials", &d, |name| quote! {
            #[must_use]
            pub fn #name(self, client_id: impl Into<String>, client_secret: impl Into<::oauth_api::Secret>) -> Self {
                Self { core: self.core.client_auth(::oauth_api::oauth::ClientAuth::basic(client_id, client_secret)) }
            }
        }));
        own_methods.push(own("with_client_auth", &format!("How the client authenticates to the OAuth endpoints ({endpoints}): HTTP Basic, in the body (`client_secret_post`), or as a public client."), |name| quote! {
            #[must_use]
            pub fn #name(self, auth: ::oauth_api::oauth::ClientAuth) -> Self {
                Self { core: self.core.client_auth(auth) }
            }
        }));
    }
    own_methods
}

pub fn client(api: &Api) -> Part<'_> {
    let own_methods = own_methods(api);
    let methods = api.operations.iter().map(|op| Part::Items(method(api, op)));
    let servers: Vec<String> = api
        .servers
        .iter()
        .map(|s| s.variables.iter().fold(s.url.clone(), |url, (name, default)| url.replace(&format!("{{{name}}}"), default)))
        .collect();
    let servers_const = (!servers.is_empty()).then(|| {
        quote! {
            /// The servers the spec lists, with their variables at their defaults.
            pub const SERVERS: &[&str] = &[#(#servers),*];
        }
    });
    let uses_params = api.operations.iter().any(|op| op.path_params().any(|p| p.ty != TypeRef::Prim(Prim::String) && !matches!(p.ty, TypeRef::Array(_))));
    let param_import = uses_params.then(|| quote! { use ::oauth_api::ParamValue; });
    let uses_schemes = api.operations.iter().any(|op| op.security.iter().flatten().any(|u| {
        api.security_schemes.get(&u.scheme).is_some_and(|s| matches!(s.kind, SecurityKind::Basic | SecurityKind::ApiKey { .. }) || s.kind.is_bearer())
    }));
    let client_imports = if uses_schemes { quote! { use ::oauth_api::client::{Method, Operation, Scheme}; } } else { quote! { use ::oauth_api::client::{Method, Operation}; } };
    let title = format!(" Client for {}.", api.title.trim());
    let items = quote! {
        pub use ::oauth_api::client::{Error, ResponseValue};
        #client_imports
        #param_import

        #servers_const

        #[doc = #title]
        ///
        /// Cloning is cheap: clones share the connection pool and the token source. `Debug`
        /// hides the credentials.
        #[derive(Clone, Debug)]
        pub struct Client {
            core: ::oauth_api::client::Core,
        }
    };
    let implementation = Part::Nest {
        head: Box::new(|body| {
            let body = braced(body);
            quote! { impl Client #body }
        }),
        body: Box::new(own_methods.into_iter().map(Part::Items).chain(methods)),
    };
    Part::Nest {
        head: Box::new(|body| {
            let body = braced(body);
            quote! {
                /// The HTTP client: one async method per operation.
                pub mod client #body
            }
        }),
        body: Box::new([Part::Items(items), implementation].into_iter()),
    }
}

/// The request path: a literal, or `format!` of the literal parts and the encoded path
/// parameters.
fn path_expr(op: &Operation) -> TokenStream {
    let mut fmt = String::new();
    let mut fmt_args = Vec::new();
    for part in &op.path.parts {
        match part {
            PathPart::Literal(text) => fmt.push_str(&text.replace('{', "{{").replace('}', "}}")),
            PathPart::Param(wire) => {
                fmt.push_str("{}");
                let p = op.path_params().find(|p| &p.wire_name == wire);
                fmt_args.push(match p {
                    Some(p) if p.ty == TypeRef::Prim(Prim::String) => {
                        let p = ident(&p.name);
                        quote! { ::oauth_api::client::encode_path(#p) }
                    }
                    Some(p) if matches!(p.ty, TypeRef::Array(_)) => {
                        let p = ident(&p.name);
                        quote! { ::oauth_api::client::path_value(#p) }
                    }
                    Some(p) => {
                        let p = ident(&p.name);
                        quote! { ::oauth_api::client::encode_path(&#p.to_param()) }
                    }
                    None => quote! { "" },
                });
            }
        }
    }
    if fmt_args.is_empty() {
        let text = fmt.replace("{{", "{").replace("}}", "}");
        quote! { #text }
    } else {
        quote! { &format!(#fmt #(, #fmt_args)*) }
    }
}

/// The statements adding the query, header and cookie parameters to `request`.
fn param_statements(op: &Operation) -> Vec<TokenStream> {
    op.other_params().map(|p| {
        let f = ident(&p.name);
        let wire = &p.wire_name;
        let array = matches!(p.ty, TypeRef::Array(_));
        let add = |value: TokenStream| match (p.location, p.object, array) {
            (ParamLocation::Query, Some(style), _) => {
                let deep = style == crate::ir::ObjectStyle::DeepObject;
                quote! { request.query_object(#wire, #value, #deep)?; }
            }
            (ParamLocation::Query, None, true) => {
                let explode = p.explode;
                quote! { request.query_list(#wire, #value, #explode); }
            }
            (ParamLocation::Query, None, false) => quote! { request.query(#wire, #value); },
            (ParamLocation::Header, _, true) => quote! { request.header_list(#wire, #value); },
            (ParamLocation::Header, _, false) => quote! { request.header(#wire, #value); },
            (_, _, true) => quote! { request.cookie_list(#wire, #value); },
            (_, _, false) => quote! { request.cookie(#wire, #value); },
        };
        if p.required {
            add(quote! { &params.#f })
        } else {
            let add = add(quote! { value });
            quote! { if let Some(value) = &params.#f { #add } }
        }
    }).collect()
}

/// The statement encoding the body into `request`.
fn body_statement(op: &Operation) -> Option<TokenStream> {
    op.body.as_ref().map(|b| {
        let media = b.media_type.as_str();
        let attach = match b.kind {
            BodyKind::Json => quote! { request.json(body, #media)?; },
            BodyKind::Form => quote! { request.form(body)?; },
            BodyKind::Multipart => quote! { request.multipart(body)?; },
            BodyKind::Text => quote! { request.bytes(#media, body.clone().into_bytes()); },
            BodyKind::Binary => quote! { request.bytes(#media, body.clone()); },
        };
        if b.required { attach } else { quote! { if let Some(body) = body { #attach } } }
    })
}

fn method(api: &Api, op: &Operation) -> TokenStream {
    let name = ident(&op.name);
    let models = quote! { super:: };
    let success = success_type(op, &models);
    let error = error_type(op, &models);

    // Arguments.
    let path_args = op.path_params().map(|p| {
        let pname = ident(&p.name);
        match &p.ty {
            TypeRef::Prim(Prim::String) => quote! { #pname: &str },
            TypeRef::Array(inner) => {
                let inner = rust_type(inner, &models);
                quote! { #pname: &[#inner] }
            }
            ty => {
                let ty = rust_type(ty, &models);
                quote! { #pname: #ty }
            }
        }
    });
    let params_arg = op.params_type.as_ref().map(|t| {
        let t = ident(t);
        quote! { params: &super::#t, }
    });
    let body_arg = op.body.as_ref().map(|b| {
        let ty = rust_type(&b.ty, &models);
        if b.required { quote! { body: &#ty, } } else { quote! { body: Option<&#ty>, } }
    });

    let path = path_expr(op);
    let http_method = ident(op.method.as_str());

    let params = param_statements(op);
    let body = body_statement(op);

    let security = security_expr(api, op);
    let role = role_expr(op);
    let id = op.operation_id.as_str();

    // Response decoding: exact codes, then ranges, then `default` (or undeclared).
    let arms = op.responses.iter().map(|r| response_arm(op, r));
    let fallback = (!op.responses.iter().any(|r| r.status == StatusMatch::Default)).then(|| {
        quote! { _ => Err(response.unexpected()), }
    });

    let docs = method_docs(api, op);
    let deprecated = op.deprecated.then(|| quote! { #[doc = ""] #[doc = " **Deprecated.**"] });
    let request_binding = if params.is_empty() && body.is_none() { quote! { let request } } else { quote! { let mut request } };
    let arg_count = op.path_params().count() + usize::from(op.params_type.is_some()) + usize::from(op.body.is_some());
    let allow = (arg_count > 6).then(|| quote! { #[allow(clippy::too_many_arguments)] });
    quote! {
        #docs
        #deprecated
        #allow
        pub async fn #name(&self, #(#path_args,)* #params_arg #body_arg) -> Result<ResponseValue<#success>, Error<#error>> {
            #request_binding = self.core.request(Method::#http_method, #path);
            #(#params)*
            #body
            let operation = Operation { id: #id, security: #security, role: ::oauth_api::oauth::Role::#role };
            let response = self.core.send(request, &operation).await?;
            match response.status() {
                #(#arms)*
                #fallback
            }
        }
    }
}

fn method_docs(api: &Api, op: &Operation) -> TokenStream {
    let line = format!("`{} {}` (`{}`)", op.method.as_str(), op.path.raw, op.operation_id);
    let mut args = Vec::new();
    for p in op.path_params() {
        let d = p.description.as_deref().map(|d| format!(": {}", d.trim().replace('\n', " "))).unwrap_or_default();
        args.push(format!("- `{}`: path parameter `{}`{d}", crate::ir::names::unraw(&p.name), p.wire_name));
    }
    if let Some(t) = &op.params_type {
        args.push(format!("- `params`: query, header and cookie parameters ([`super::{t}`])"));
    }
    if let Some(b) = &op.body {
        let d = b.description.as_deref().map(|d| format!(": {}", d.trim().replace('\n', " "))).unwrap_or_default();
        args.push(format!("- `body`: the `{}` request body{d}", b.media_type));
    }
    let args = (!args.is_empty()).then(|| format!("# Arguments\n\n{}", args.join("\n")));
    let responses: Vec<String> = op
        .responses
        .iter()
        .map(|r| format!("- {}: {}", r.status.label(), r.description.trim().replace('\n', " ")))
        .collect();
    let responses = format!("# Responses\n\n{}", responses.join("\n"));
    let declared = match &op.error_type {
        Some(t) => format!("[`Error::Api`] with a [`super::{t}`] for the error statuses the spec declares; [`Error::UnexpectedStatus`] for others; "),
        None => "[`Error::UnexpectedStatus`] for a status the spec does not declare; ".to_string(),
    };
    let errors = format!(
        "# Errors\n\n{declared}[`Error::InvalidResponse`] when a body or header does not decode; [`Error::Transport`] and [`Error::Token`] when the call cannot be made."
    );
    let oauth = op.oauth.as_ref().map(oauth_note);
    let text = doc(&[op.summary.as_deref(), op.description.as_deref(), Some(&line), oauth.as_deref(), args.as_deref(), Some(&responses), Some(&errors)]);
    // Code is not spec text: its lines go in as they are.
    let example = crate::docs::example::method_example(api, op).into_iter().flat_map(|e| {
        std::iter::once(String::new()).chain(e.lines().map(|l| if l.is_empty() { String::new() } else { format!(" {l}") })).collect::<Vec<_>>()
    });
    quote! { #text #(#[doc = #example])* }
}

/// What the client does on an OAuth endpoint, and the way out where the spec departs from
/// the RFC.
fn oauth_note(endpoint: &crate::ir::OAuthEndpoint) -> String {
    use crate::ir::TokenLocation;
    let mut text = format!(
        "OAuth: a {} endpoint ({}). With [`Client::with_client_credentials`] (or [`Client::with_client_auth`]) the client authenticates as the RFC says: HTTP Basic by default, or in the body; leave `client_id` and `client_secret` out of the body then.",
        match endpoint.role {
            OAuthRole::Token => "token",
            OAuthRole::Revocation => "token revocation",
            OAuthRole::Introspection => "token introspection",
        },
        endpoint.role.rfc()
    );
    if endpoint.role == OAuthRole::Token {
        text.push_str(" Error responses keep their body: [`Error::oauth_error`] gives the RFC 6749 §5.2 `error` whatever model the spec declares. To have tokens fetched, cached and renewed for you, use a token source from `oauth_api::token` instead of calling this method.");
    }
    match endpoint.token_in {
        Some(TokenLocation::Query) | Some(TokenLocation::Header) => text.push_str(&format!(
            " The spec sends the token as a {} parameter, where {} puts it in a form body: clients of the RFC cannot call this endpoint, and this method follows the spec. To revoke as RFC 7009 says, use `oauth_api::token::Revocation`, which sends the token in a form body.",
            if endpoint.token_in == Some(TokenLocation::Query) { "query" } else { "header" },
            endpoint.role.rfc()
        )),
        _ => {}
    }
    text
}

fn response_arm(op: &Operation, r: &Response) -> TokenStream {
    let pattern = match r.status {
        StatusMatch::Code(c) => {
            let c = proc_macro2::Literal::u16_unsuffixed(c);
            quote! { #c }
        }
        StatusMatch::Range(d) => {
            let (lo, hi) = (proc_macro2::Literal::u16_unsuffixed(d * 100), proc_macro2::Literal::u16_unsuffixed(d * 100 + 99));
            quote! { #lo..=#hi }
        }
        StatusMatch::Default => quote! { _ },
    };
    let plain_single = response_enum(op, r).is_none();
    let decode_body = r.body.as_ref().map(|b| {
        let decode = match b.kind {
            BodyKind::Text => quote! { response.utf8()? },
            BodyKind::Binary => quote! { response.bytes() },
            _ => quote! { response.json()? },
        };
        if plain_single || r.is_plain() { quote! { let value = #decode; } } else { quote! { let body = #decode; } }
    });
    let decode_headers = r.headers.iter().map(|h| {
        let hname = ident(&h.name);
        let wire = h.wire_name.to_ascii_lowercase();
        if h.required {
            quote! { let #hname = response.required_header(#wire)?; }
        } else {
            quote! { let #hname = response.header(#wire); }
        }
    });
    let status_binding = matches!(r.status, StatusMatch::Range(_) | StatusMatch::Default).then(|| quote! { let status = response.status(); });
    let payload = match response_enum(op, r) {
        None => match &r.body {
            Some(_) => quote! { value },
            None => quote! { () },
        },
        Some(enum_name) => {
            let variant = ident(&r.variant);
            if r.is_plain() {
                match &r.body {
                    Some(_) => quote! { super::#enum_name::#variant(value) },
                    None => quote! { super::#enum_name::#variant },
                }
            } else {
                let status_field = status_binding.as_ref().map(|_| quote! { status, });
                let body_field = r.body.as_ref().map(|_| quote! { body, });
                let header_fields = r.headers.iter().map(|h| {
                    let hname = ident(&h.name);
                    quote! { #hname, }
                });
                quote! { super::#enum_name::#variant { #status_field #body_field #(#header_fields)* } }
            }
        }
    };
    let result = if r.status.is_success() {
        quote! { Ok(response.success(#payload)) }
    } else {
        quote! { Err(response.error(#payload)) }
    };
    quote! {
        #pattern => {
            #status_binding
            #decode_body
            #(#decode_headers)*
            #result
        }
    }
}
