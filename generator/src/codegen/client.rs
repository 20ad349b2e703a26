//! The `client` module: a reqwest client with one async method per operation.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use super::{doc, error_type, ident, response_enum, rust_type, success_type};
use crate::ir::{Api, BodyKind, Operation, ParamLocation, PathPart, Prim, Response, SecurityKind, StatusMatch, TypeRef};

/// How one operation may authenticate, in order of preference.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Scheme {
    ClientCredentials,
    Basic,
    Bearer,
    ApiKey(ParamLocation, String),
}

fn schemes(api: &Api, op: &Operation) -> Vec<Scheme> {
    let mut out = Vec::new();
    if op.token_endpoint {
        out.push(Scheme::ClientCredentials);
    }
    for alternative in &op.security {
        for key in alternative {
            let scheme = match api.security_schemes.get(key).map(|s| &s.kind) {
                Some(SecurityKind::Basic) => Scheme::Basic,
                Some(SecurityKind::Bearer { .. } | SecurityKind::OAuth2 { .. } | SecurityKind::OpenIdConnect { .. }) => Scheme::Bearer,
                Some(SecurityKind::ApiKey { name, location }) => Scheme::ApiKey(*location, name.clone()),
                Some(SecurityKind::OtherHttp { .. }) | None => continue,
            };
            if !out.contains(&scheme) {
                out.push(scheme);
            }
        }
    }
    out
}

fn scheme_expr(s: &Scheme) -> TokenStream {
    match s {
        Scheme::ClientCredentials => quote! { Scheme::ClientCredentials },
        Scheme::Basic => quote! { Scheme::Basic },
        Scheme::Bearer => quote! { Scheme::Bearer },
        Scheme::ApiKey(ParamLocation::Query, name) => quote! { Scheme::ApiKeyQuery(#name) },
        Scheme::ApiKey(ParamLocation::Cookie, name) => quote! { Scheme::ApiKeyCookie(#name) },
        Scheme::ApiKey(_, name) => quote! { Scheme::ApiKeyHeader(#name) },
    }
}

pub fn client(api: &Api) -> TokenStream {
    let all: BTreeSet<Scheme> = api.operations.iter().flat_map(|op| schemes(api, op)).collect();
    let has = |f: &dyn Fn(&Scheme) -> bool| all.iter().any(f);
    let basic = has(&|s| *s == Scheme::Basic);
    let bearer = has(&|s| *s == Scheme::Bearer);
    let client_credentials = has(&|s| *s == Scheme::ClientCredentials);
    let api_key = has(&|s| matches!(s, Scheme::ApiKey(..)));
    let api_key_locations: BTreeSet<ParamLocation> =
        all.iter().filter_map(|s| if let Scheme::ApiKey(l, _) = s { Some(*l) } else { None }).collect();

    let cred_fields = [
        basic.then(|| quote! { basic: Option<(String, String)>, }),
        bearer.then(|| quote! { bearer: Option<String>, }),
        api_key.then(|| quote! { api_key: Option<String>, }),
        client_credentials.then(|| quote! { client_credentials: Option<(String, String)>, }),
    ];
    let cred_debug = [
        basic.then(|| quote! { .field("basic", &self.credentials.basic.as_ref().map(|(user, _)| (user, "<redacted>"))) }),
        bearer.then(|| quote! { .field("bearer", &self.credentials.bearer.as_ref().map(|_| "<redacted>")) }),
        api_key.then(|| quote! { .field("api_key", &self.credentials.api_key.as_ref().map(|_| "<redacted>")) }),
        client_credentials.then(|| quote! { .field("client_credentials", &self.credentials.client_credentials.as_ref().map(|(id, _)| (id, "<redacted>"))) }),
    ];
    let scheme_names = api.security_schemes.iter().map(|(k, s)| (k.clone(), s.kind.clone())).collect::<Vec<_>>();
    let named = |pred: &dyn Fn(&SecurityKind) -> bool| {
        scheme_names.iter().filter(|(_, k)| pred(k)).map(|(n, _)| format!("`{n}`")).collect::<Vec<_>>().join(", ")
    };
    let with_basic = basic.then(|| {
        let d = format!(" Authenticates with HTTP Basic (the spec's {}).", named(&|k| *k == SecurityKind::Basic));
        quote! {
            #[doc = #d]
            pub fn with_basic_auth(mut self, username: impl Into<String>, password: impl Into<String>) -> Self {
                self.credentials.basic = Some((username.into(), password.into()));
                self
            }
        }
    });
    let with_bearer = bearer.then(|| {
        let d = format!(
            " Authenticates with a Bearer token (the spec's {}).",
            named(&|k| matches!(k, SecurityKind::Bearer { .. } | SecurityKind::OAuth2 { .. } | SecurityKind::OpenIdConnect { .. }))
        );
        quote! {
            #[doc = #d]
            pub fn with_bearer_token(mut self, token: impl Into<String>) -> Self {
                self.credentials.bearer = Some(token.into());
                self
            }
        }
    });
    let with_api_key = api_key.then(|| {
        let d = format!(" Authenticates with an API key (the spec's {}).", named(&|k| matches!(k, SecurityKind::ApiKey { .. })));
        quote! {
            #[doc = #d]
            pub fn with_api_key(mut self, key: impl Into<String>) -> Self {
                self.credentials.api_key = Some(key.into());
                self
            }
        }
    });
    let with_client_credentials = client_credentials.then(|| {
        quote! {
            /// OAuth client credentials for the token endpoint, sent as HTTP Basic with the id
            /// and secret form-encoded first (RFC 6749 §2.3.1).
            ///
            /// The alternative is to put `client_id` and `client_secret` in the request body;
            /// do not do both (RFC 6749 §2.3).
            pub fn with_client_credentials(mut self, client_id: impl Into<String>, client_secret: impl Into<String>) -> Self {
                self.credentials.client_credentials = Some((client_id.into(), client_secret.into()));
                self
            }
        }
    });
    let scheme_variants = [
        client_credentials.then(|| quote! { ClientCredentials, }),
        basic.then(|| quote! { Basic, }),
        bearer.then(|| quote! { Bearer, }),
        api_key_locations.contains(&ParamLocation::Header).then(|| quote! { ApiKeyHeader(&'static str), }),
        api_key_locations.contains(&ParamLocation::Query).then(|| quote! { ApiKeyQuery(&'static str), }),
        api_key_locations.contains(&ParamLocation::Cookie).then(|| quote! { ApiKeyCookie(&'static str), }),
    ];
    let scheme_arms = [
        client_credentials.then(|| quote! {
            Scheme::ClientCredentials => {
                if let Some((id, secret)) = &self.credentials.client_credentials {
                    return request.basic_auth(form_encode(id), Some(form_encode(secret)));
                }
            }
        }),
        basic.then(|| quote! {
            Scheme::Basic => {
                if let Some((username, password)) = &self.credentials.basic {
                    return request.basic_auth(username, Some(password));
                }
            }
        }),
        bearer.then(|| quote! {
            Scheme::Bearer => {
                if let Some(token) = &self.credentials.bearer {
                    return request.bearer_auth(token);
                }
            }
        }),
        api_key_locations.contains(&ParamLocation::Header).then(|| quote! {
            Scheme::ApiKeyHeader(name) => {
                if let Some(key) = &self.credentials.api_key {
                    return request.header(*name, key);
                }
            }
        }),
        api_key_locations.contains(&ParamLocation::Query).then(|| quote! {
            Scheme::ApiKeyQuery(name) => {
                if let Some(key) = &self.credentials.api_key {
                    return request.query(&[(*name, key)]);
                }
            }
        }),
        api_key_locations.contains(&ParamLocation::Cookie).then(|| quote! {
            Scheme::ApiKeyCookie(name) => {
                if let Some(key) = &self.credentials.api_key {
                    return request.header(reqwest::header::COOKIE, format!("{name}={key}"));
                }
            }
        }),
    ];
    let any_auth = !all.is_empty();
    let credentials_field = any_auth.then(|| quote! { credentials: Credentials, });
    let credentials_init = any_auth.then(|| quote! { credentials: Credentials::default(), });
    let credentials_struct = any_auth.then(|| {
        quote! {
            #[derive(Clone, Default)]
            struct Credentials {
                #(#cred_fields)*
            }
        }
    });
    let authorize = any_auth.then(|| {
        quote! {
            /// Adds the first configured credentials among `schemes` to `request`.
            fn authorize(&self, request: reqwest::RequestBuilder, schemes: &[Scheme]) -> reqwest::RequestBuilder {
                for scheme in schemes {
                    match scheme {
                        #(#scheme_arms)*
                    }
                }
                request
            }
        }
    });
    let scheme_enum = (!all.is_empty()).then(|| {
        quote! {
            /// A way an operation accepts credentials.
            #[derive(Clone, Copy)]
            enum Scheme {
                #(#scheme_variants)*
            }
        }
    });
    let form_encode = client_credentials.then(|| {
        quote! {
            /// `application/x-www-form-urlencoded` encoding of one value (RFC 6749 Appendix B).
            fn form_encode(text: &str) -> String {
                let mut out = String::with_capacity(text.len());
                for byte in text.bytes() {
                    match byte {
                        b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'*' | b'-' | b'.' | b'_' => out.push(char::from(byte)),
                        b' ' => out.push('+'),
                        other => out.push_str(&format!("%{other:02X}")),
                    }
                }
                out
            }
        }
    });
    let uses_multipart = api.operations.iter().any(|op| op.body.as_ref().is_some_and(|b| b.kind == BodyKind::Multipart));
    let multipart = uses_multipart.then(super::client_runtime::multipart_helper);
    let uses_objects = api.operations.iter().any(|op| op.params.iter().any(|p| p.object.is_some()));
    let object_query_helper = uses_objects.then(|| {
        quote! {
            /// An object query parameter as `key=value` pairs (`style: form`) or
            /// `name[key]=value` pairs (`style: deepObject`); nested objects add `[key]`.
            fn object_query<T: serde::Serialize, E>(name: &str, deep: bool, value: &T) -> Result<Vec<(String, String)>, Error<E>> {
                fn flatten(key: String, value: &serde_json::Value, out: &mut Vec<(String, String)>) {
                    match value {
                        serde_json::Value::Object(map) => {
                            for (k, v) in map {
                                flatten(if key.is_empty() { k.clone() } else { format!("{key}[{k}]") }, v, out);
                            }
                        }
                        serde_json::Value::Array(items) => {
                            for item in items {
                                flatten(key.clone(), item, out);
                            }
                        }
                        serde_json::Value::Null => {}
                        serde_json::Value::String(s) => out.push((key, s.clone())),
                        other => out.push((key, other.to_string())),
                    }
                }
                let value = serde_json::to_value(value).map_err(|e| Error::InvalidRequest(e.to_string()))?;
                let mut out = Vec::new();
                match (&value, deep) {
                    (serde_json::Value::Object(_), false) => flatten(String::new(), &value, &mut out),
                    _ => flatten(name.to_string(), &value, &mut out),
                }
                Ok(out)
            }
        }
    });
    let uses_text = api.operations.iter().any(|op| op.responses.iter().any(|r| r.body.as_ref().is_some_and(|b| b.kind == BodyKind::Text)));
    let uses_headers = api.operations.iter().any(|op| op.responses.iter().any(|r| !r.headers.is_empty()));
    let uses_required_headers = api.operations.iter().any(|op| op.responses.iter().any(|r| r.headers.iter().any(|h| h.required)));
    let uses_json = api.operations.iter().any(|op| op.responses.iter().any(|r| r.body.as_ref().is_some_and(|b| b.kind != BodyKind::Text && b.kind != BodyKind::Binary)));
    let uses_errors = api.operations.iter().any(|op| op.errors().next().is_some());
    let response_types = super::client_runtime::response_types();
    let raw_methods = super::client_runtime::raw_response_methods(uses_json, uses_text, uses_headers, uses_required_headers, uses_errors);
    let uses_path_params = api.operations.iter().any(|op| op.path_params().next().is_some());
    let encode_path = uses_path_params.then(|| {
        quote! {
            /// Percent-encodes a path parameter value (everything but RFC 3986 unreserved characters).
            fn encode_path(text: &str) -> String {
                let mut out = String::with_capacity(text.len());
                for byte in text.bytes() {
                    match byte {
                        b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => out.push(char::from(byte)),
                        other => out.push_str(&format!("%{other:02X}")),
                    }
                }
                out
            }
        }
    });
    let uses_params = uses_headers
        || api.operations.iter().any(|op| op.other_params().next().is_some() || op.path_params().any(|p| p.ty != TypeRef::Prim(Prim::String)));
    let param_import = uses_params.then(|| quote! { use super::runtime::ParamValue; });
    let methods = api.operations.iter().map(|op| method(api, op));
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
    let title = format!(" Client for {}.", api.title.trim());
    let base = api.servers.first().map(|s| s.url.as_str()).unwrap_or("http://localhost");
    let new_doc = format!(" Creates a client for `base_url` (the spec's first server is `{base}`).");
    quote! {
        /// The HTTP client: one async method per operation.
        pub mod client {
            use reqwest::header::HeaderMap;
            #param_import

            #servers_const

            #[doc = #title]
            ///
            /// Cloning is cheap: clones share the connection pool.
            #[derive(Clone)]
            pub struct Client {
                base_url: String,
                http: reqwest::Client,
                #credentials_field
            }

            #credentials_struct

            impl std::fmt::Debug for Client {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    f.debug_struct("Client")
                        .field("base_url", &self.base_url)
                        #(#cred_debug)*
                        .finish_non_exhaustive()
                }
            }

            #scheme_enum

            impl Client {
                #[doc = #new_doc]
                ///
                /// Redirects are not followed: a `3xx` the spec declares comes back as a result.
                ///
                /// # Errors
                ///
                /// When the TLS backend cannot be initialized.
                pub fn new(base_url: impl Into<String>) -> Result<Self, reqwest::Error> {
                    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build()?;
                    Ok(Self::with_client(base_url, http))
                }

                /// Creates a client that sends requests with the caller's `reqwest::Client`
                /// (proxies, timeouts, middleware). Give it `redirect::Policy::none()` to see the
                /// `3xx` responses the spec declares.
                pub fn with_client(base_url: impl Into<String>, http: reqwest::Client) -> Self {
                    let base_url = base_url.into().trim_end_matches('/').to_string();
                    Self { base_url, http, #credentials_init }
                }

                #with_basic
                #with_bearer
                #with_api_key
                #with_client_credentials

                /// The base URL requests go to.
                pub fn base_url(&self) -> &str {
                    &self.base_url
                }

                /// The underlying `reqwest::Client`.
                pub fn http_client(&self) -> &reqwest::Client {
                    &self.http
                }

                #authorize

                #(#methods)*
            }

            #response_types

            #raw_methods
            #form_encode
            #encode_path
            #multipart
            #object_query_helper
        }
    }
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

    // URL.
    let mut fmt = String::from("{}");
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
                        quote! { encode_path(#p) }
                    }
                    Some(p) if matches!(p.ty, TypeRef::Array(_)) => {
                        let p = ident(&p.name);
                        quote! { encode_path(&#p.iter().map(ParamValue::to_param).collect::<Vec<_>>().join(",")) }
                    }
                    Some(p) => {
                        let p = ident(&p.name);
                        quote! { encode_path(&#p.to_param()) }
                    }
                    None => quote! { "" },
                });
            }
        }
    }
    let http_method = ident(op.method.as_str());

    // Query, headers, cookies.
    let object_params: Vec<TokenStream> = op.other_params().filter(|p| p.object.is_some()).map(|p| {
        let f = ident(&p.name);
        let wire = &p.wire_name;
        let deep = p.object == Some(crate::ir::ObjectStyle::DeepObject);
        if p.required {
            quote! { objects.extend(object_query(#wire, #deep, &params.#f)?); }
        } else {
            quote! { if let Some(value) = &params.#f { objects.extend(object_query(#wire, #deep, value)?); } }
        }
    }).collect();
    let object_query = (!object_params.is_empty()).then(|| quote! {
        let mut objects: Vec<(String, String)> = Vec::new();
        #(#object_params)*
        request = request.query(&objects);
    });
    let query: Vec<TokenStream> = op.other_params().filter(|p| p.location == ParamLocation::Query && p.object.is_none()).map(|p| {
        let f = ident(&p.name);
        let wire = &p.wire_name;
        let push = |value: TokenStream| {
            if matches!(p.ty, TypeRef::Array(_)) {
                if p.explode {
                    quote! { for item in #value { query.push((#wire, item.to_param())); } }
                } else {
                    quote! { query.push((#wire, #value.iter().map(ParamValue::to_param).collect::<Vec<_>>().join(","))); }
                }
            } else {
                quote! { query.push((#wire, #value.to_param())); }
            }
        };
        if p.required {
            if matches!(p.ty, TypeRef::Array(_)) && p.explode { push(quote! { &params.#f }) } else { push(quote! { params.#f }) }
        } else {
            let push = push(quote! { value });
            quote! { if let Some(value) = &params.#f { #push } }
        }
    }).collect();
    let query = (!query.is_empty()).then(|| quote! {
        let mut query: Vec<(&str, String)> = Vec::new();
        #(#query)*
        request = request.query(&query);
    });
    let headers = op.other_params().filter(|p| p.location == ParamLocation::Header).map(|p| {
        let f = ident(&p.name);
        let wire = &p.wire_name;
        let text = |value: TokenStream| {
            if matches!(p.ty, TypeRef::Array(_)) {
                quote! { #value.iter().map(ParamValue::to_param).collect::<Vec<_>>().join(",") }
            } else {
                quote! { #value.to_param() }
            }
        };
        if p.required {
            let text = text(quote! { params.#f });
            quote! { request = request.header(#wire, #text); }
        } else {
            let text = text(quote! { value });
            quote! { if let Some(value) = &params.#f { request = request.header(#wire, #text); } }
        }
    });
    let cookies: Vec<TokenStream> = op.other_params().filter(|p| p.location == ParamLocation::Cookie).map(|p| {
        let f = ident(&p.name);
        let wire = &p.wire_name;
        let text = |value: TokenStream| {
            if matches!(p.ty, TypeRef::Array(_)) {
                quote! { #value.iter().map(ParamValue::to_param).collect::<Vec<_>>().join(",") }
            } else {
                quote! { #value.to_param() }
            }
        };
        if p.required {
            let text = text(quote! { params.#f });
            quote! { cookies.push(format!("{}={}", #wire, #text)); }
        } else {
            let text = text(quote! { value });
            quote! { if let Some(value) = &params.#f { cookies.push(format!("{}={}", #wire, #text)); } }
        }
    }).collect();
    let cookies = (!cookies.is_empty()).then(|| quote! {
        let mut cookies: Vec<String> = Vec::new();
        #(#cookies)*
        if !cookies.is_empty() {
            request = request.header(reqwest::header::COOKIE, cookies.join("; "));
        }
    });

    // Body.
    let body = op.body.as_ref().map(|b| {
        let media = b.media_type.as_str();
        let attach = match b.kind {
            BodyKind::Json if media == "application/json" => quote! { request = request.json(body); },
            BodyKind::Json => quote! { request = request.json(body).header(reqwest::header::CONTENT_TYPE, #media); },
            BodyKind::Form => quote! { request = request.form(body); },
            BodyKind::Multipart => quote! { request = request.multipart(multipart_form(body)?); },
            BodyKind::Text => quote! { request = request.header(reqwest::header::CONTENT_TYPE, #media).body(body.clone()); },
            BodyKind::Binary => quote! { request = request.header(reqwest::header::CONTENT_TYPE, #media).body(body.clone()); },
        };
        if b.required { attach } else { quote! { if let Some(body) = body { #attach } } }
    });

    let schemes = schemes(api, op);
    let authorize = (!schemes.is_empty()).then(|| {
        let list = schemes.iter().map(scheme_expr);
        quote! { request = self.authorize(request, &[#(#list),*]); }
    });

    // Response decoding: exact codes, then ranges, then `default` (or undeclared).
    let arms = op.responses.iter().map(|r| response_arm(op, r));
    let fallback = (!op.responses.iter().any(|r| r.status == StatusMatch::Default)).then(|| {
        quote! { _ => Err(Error::UnexpectedStatus(Box::new(raw))), }
    });

    let docs = method_docs(op);
    let deprecated = op.deprecated.then(|| quote! { #[doc = ""] #[doc = " **Deprecated.**"] });
    let mutable = query.is_some() || object_query.is_some() || op.other_params().any(|p| p.location != ParamLocation::Query) || body.is_some() || authorize.is_some();
    let request_binding = if mutable { quote! { let mut request } } else { quote! { let request } };
    let arg_count = op.path_params().count() + usize::from(op.params_type.is_some()) + usize::from(op.body.is_some());
    let allow = (arg_count > 6).then(|| quote! { #[allow(clippy::too_many_arguments)] });
    let headers = headers.collect::<Vec<_>>();
    quote! {
        #docs
        #deprecated
        #allow
        pub async fn #name(&self, #(#path_args,)* #params_arg #body_arg) -> Result<ResponseValue<#success>, Error<#error>> {
            let url = format!(#fmt, self.base_url #(, #fmt_args)*);
            #request_binding = self.http.request(reqwest::Method::#http_method, url);
            #query
            #object_query
            #(#headers)*
            #cookies
            #body
            #authorize
            let response = request.send().await.map_err(Error::Transport)?;
            let raw = RawResponse::read(response).await.map_err(Error::Transport)?;
            match raw.status {
                #(#arms)*
                #fallback
            }
        }
    }
}

fn method_docs(op: &Operation) -> TokenStream {
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
    doc(&[op.summary.as_deref(), op.description.as_deref(), Some(&line), args.as_deref(), Some(&responses)])
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
            BodyKind::Text => quote! { raw.text()? },
            BodyKind::Binary => quote! { raw.body.clone() },
            _ => quote! { raw.json()? },
        };
        if plain_single || r.is_plain() { quote! { let value = #decode; } } else { quote! { let body = #decode; } }
    });
    let decode_headers = r.headers.iter().map(|h| {
        let hname = ident(&h.name);
        let wire = h.wire_name.to_ascii_lowercase();
        if h.required {
            quote! { let #hname = raw.required_header(#wire)?; }
        } else {
            quote! { let #hname = raw.header(#wire)?; }
        }
    });
    let status_binding = matches!(r.status, StatusMatch::Range(_) | StatusMatch::Default).then(|| quote! { let status = raw.status; });
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
        quote! { Ok(raw.success(#payload)) }
    } else {
        quote! { Err(raw.error(#payload)) }
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
