//! The `client` module: a `Client` wrapping the runtime's `Core` with one async method per
//! operation. Requests, credentials, retries and response reading are the runtime's; what is
//! generated here is what depends on the spec: paths, parameters, bodies, and decoding by
//! status.
//!

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{braced, doc, later, Part};
use crate::ir::{Api, FlowKind, OAuthRole, Operation, ParamLocation, SecurityKind};

/// The names the client module's own items and imports take. The module imports the models
/// with `use super::*`, which these shadow, so a model of one of these names is named
/// `super::Error` there ([`super::Models::Imported`]). The prelude's names that client code uses
/// are never model names (`ir::schema` reserves them), and `Result` is spelled
/// `std::result::Result`: the glob also brings a macro user's own items (`use anyhow::Result;`
/// beside the generated ones), which would shadow the prelude's.
pub(super) const OWN_NAMES: &[&str] = &["Client", "ApiResult", "Error", "ResponseValue", "DeclaredErrors", "Method", "Operation", "RawResponse", "Scheme", "ParamValue", "Success"];

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
    let mut tokens = doc(&[Some(docs)]);
    super::append(&mut tokens, signature_and_body(name));
    tokens
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

/// The name and description of an operation's security requirement and role, for its
/// constant: `BASIC_OR_BEARER`, "HTTP Basic, or a Bearer token".
fn operation_name(api: &Api, op: &Operation) -> (String, String) {
    let mut names: Vec<String> = Vec::new();
    let mut texts: Vec<String> = Vec::new();
    for alt in &op.security {
        let schemes: Vec<(&str, String)> = alt
            .iter()
            .filter_map(|u| match &api.security_schemes.get(&u.scheme)?.kind {
                SecurityKind::Basic => Some(("BASIC", "HTTP Basic".to_string())),
                k if k.is_bearer() => Some(("BEARER", "a Bearer token".to_string())),
                SecurityKind::ApiKey { name, .. } => Some(("API_KEY", format!("the API key `{name}`"))),
                _ => None,
            })
            .collect();
        let (name, text) = if schemes.is_empty() {
            ("ANONYMOUS".to_string(), "no credentials".to_string())
        } else {
            (schemes.iter().map(|s| s.0).collect::<Vec<_>>().join("_AND_"), schemes.into_iter().map(|s| s.1).collect::<Vec<_>>().join(" and "))
        };
        if !names.contains(&name) {
            names.push(name);
            texts.push(text);
        }
    }
    let (mut name, mut text) = if names.is_empty() { ("PUBLIC".to_string(), "no credentials".to_string()) } else { (names.join("_OR_"), texts.join(", or ")) };
    if let Some(role) = op.role() {
        let (prefix, what) = match role {
            OAuthRole::Token => ("TOKEN_ENDPOINT", "token"),
            OAuthRole::Revocation => ("REVOCATION_ENDPOINT", "revocation"),
            OAuthRole::Introspection => ("INTROSPECTION_ENDPOINT", "introspection"),
        };
        name = format!("{prefix}_{name}");
        text = format!("the client's credentials (an OAuth {what} endpoint), else {text}");
    }
    (name, text)
}

/// The module's constants describing operations to the runtime, one per security requirement
/// and role (named at each call); and, for each operation, its constant.
fn operation_consts(api: &Api) -> (Vec<TokenStream>, Vec<proc_macro2::Ident>) {
    // (security and role as code) -> constant name, in order of first use.
    let mut seen: Vec<(String, proc_macro2::Ident)> = Vec::new();
    let mut items = Vec::new();
    let mut per_op = Vec::new();
    for op in &api.operations {
        let security = security_expr(api, op);
        let role = role_expr(op);
        let key = format!("{security} {role}");
        if let Some((_, name)) = seen.iter().find(|(k, _)| *k == key) {
            per_op.push(name.clone());
            continue;
        }
        let (base, text) = operation_name(api, op);
        let taken = |n: &str| seen.iter().any(|(_, i)| i == n);
        let name = (1..).map(|i| if i == 1 { base.clone() } else { format!("{base}_{i}") }).find(|n| !taken(n)).unwrap_or(base);
        let name = format_ident!("{}", name);
        let doc = super::escaped_doc_literal(&format!(" Operations sending {text}."));
        items.push(quote! {
            #[doc = #doc]
            const #name: Operation = Operation::new(#security, ::oauth_api::oauth::Role::#role);
        });
        seen.push((key, name.clone()));
        per_op.push(name);
    }
    (items, per_op)
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
                    pub fn #name(&self, client_id: impl Into<String>, client_secret: impl Into<::oauth_api::Secret>) -> std::result::Result<::oauth_api::token::ClientCredentialsBuilder, ::oauth_api::token::TokenError> {
                        let token_url = self.core.endpoint_url(#token_url)?;
                        let client = ::oauth_api::oauth::ClientAuth::basic(client_id, client_secret);
                        Ok(::oauth_api::token::ClientCredentials::builder(token_url, client).http_client(self.core.http_client().clone()) #renew)
                    }
                }));
            }
            FlowKind::Password => {
                let d = format!("The password flow of the spec's `{key}` scheme (RFC 6749 §4.3): a token source fetching from `{token_url}` (resolved against the base URL), renewing with the refresh token. Hand `build()` to [`Client::with_token_source`].{scopes}{errors}");
                out.push(own("password_flow", &d, |name| quote! {
                    pub fn #name(&self, client: ::oauth_api::oauth::ClientAuth, username: impl Into<String>, password: impl Into<::oauth_api::Secret>) -> std::result::Result<::oauth_api::token::PasswordBuilder, ::oauth_api::token::TokenError> {
                        let token_url = self.core.endpoint_url(#token_url)?;
                        Ok(::oauth_api::token::Password::builder(token_url, client, username, password).http_client(self.core.http_client().clone()))
                    }
                }));
            }
            _ => {
                let authorization_url = flow.authorization_url.as_deref().unwrap_or_default();
                let d = format!("The authorization code flow of the spec's `{key}` scheme, with PKCE (RFC 6749 §4.1, RFC 7636): send the user to `authorize()`'s URL (`{authorization_url}`), then `exchange` the code at `{token_url}` (both resolved against the base URL) for a token source that renews with the refresh token.{scopes}{errors}");
                out.push(own("authorization_code_flow", &d, |name| quote! {
                    pub fn #name(&self, client: ::oauth_api::oauth::ClientAuth, redirect_uri: impl Into<String>) -> std::result::Result<::oauth_api::token::AuthorizationCodeBuilder, ::oauth_api::token::TokenError> {
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
            pub fn #name(base_url: impl Into<String>) -> std::result::Result<Self, ::oauth_api::client::reqwest::Error> {
                Self::with_config(base_url, ::oauth_api::client::Config::default())
            }
        }),
        own("with_config", "Creates a client for `base_url` with other settings (timeouts, retries, response size limit).\n\n# Errors\n\nWhen the TLS backend cannot be initialized.", |name| quote! {
            pub fn #name(base_url: impl Into<String>, config: ::oauth_api::client::Config) -> std::result::Result<Self, ::oauth_api::client::reqwest::Error> {
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
    let (operation_consts, operations) = operation_consts(api);
    let methods = api.operations.iter().zip(operations).map(move |(op, operation)| later(move || super::client_method::method(api, op, &operation)));
    // After `impl Client`: how each error enum decodes, once for the operations sharing it.
    let declared_errors = api
        .operations
        .iter()
        .filter_map(|op| Some((op, op.own_error_enum()?)))
        .map(|(op, name)| later(move || super::client_method::declared_errors(op, name)));
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
    let uses = super::client_method::Uses::of(api);
    let param_import = uses.param_value.then(|| quote! { use ::oauth_api::ParamValue; });
    let identity_import = uses.identity.then(|| quote! { use std::convert::identity; });
    let uses_schemes = api.operations.iter().any(|op| op.security.iter().flatten().any(|u| {
        api.security_schemes.get(&u.scheme).is_some_and(|s| matches!(s.kind, SecurityKind::Basic | SecurityKind::ApiKey { .. }) || s.kind.is_bearer())
    }));
    let declares_errors = api.operations.iter().any(|op| op.error_type.is_some());
    let runtime_items = [
        (declares_errors, "DeclaredErrors"),
        (true, "Method"),
        (true, "Operation"),
        (declares_errors, "RawResponse"),
        (uses_schemes, "Scheme"),
        (uses.encode_path, "encode_path"),
        (uses.path_value, "path_value"),
    ];
    // The types among them shadow models of the same name (functions are never model names).
    debug_assert!(runtime_items.iter().all(|(_, name)| name.starts_with(char::is_lowercase) || OWN_NAMES.contains(name)));
    let runtime_items = runtime_items.iter().filter(|(used, _)| *used).map(|(_, name)| format_ident!("{}", name));
    let models_import = uses.models.then(|| quote! { use super::*; });
    let title = super::escaped_doc_literal(&format!(" Client for {}.", api.title.trim()));
    let example = crate::docs::example::client_example(api).lines().map(|l| super::escaped_doc_literal(&format!(" {l}"))).collect::<Vec<_>>();
    let items = quote! {
        pub use ::oauth_api::client::{ApiResult, Error, ResponseValue};
        use ::oauth_api::client::{#(#runtime_items),*};
        #models_import
        #param_import
        #identity_import

        #servers_const

        #(#operation_consts)*

        #[doc = #title]
        ///
        /// Cloning is cheap: clones share the connection pool and the token source. `Debug`
        /// hides the credentials.
        ///
        /// # Example
        ///
        /// The methods' examples call this `client`:
        ///
        /// ```ignore
        #(#[doc = #example])*
        /// ```
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
        body: Box::new([Part::Items(items), implementation].into_iter().chain(declared_errors)),
    }
}
