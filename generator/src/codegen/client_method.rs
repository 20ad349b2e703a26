//! One `Client` method per operation: the path, the parameters and body put on the runtime's
//! `Request`, the call through `Core::send`, and one match arm per declared response handing
//! the body to the runtime's decoding (`ok_json`, `err_json`, …).

use proc_macro2::TokenStream;
use quote::quote;

use super::{doc_lines, error_type_arg, ident, local_enum, rust_type, success_alias, success_type, Models, Moved, Str};
use crate::ir::{Api, BodyKind, OAuthRole, Operation, ParamLocation, PathPart, Prim, Response, StatusMatch, TypeRef};

/// What the methods name unqualified, for the module's imports: runtime items, and models
/// (through `use super::*`, left out when nothing would use it).
#[derive(Default)]
pub(super) struct Uses {
    pub encode_path: bool,
    pub path_value: bool,
    pub param_value: bool,
    pub identity: bool,
    pub models: bool,
}

impl Uses {
    pub(super) fn of(api: &Api) -> Uses {
        let mut uses = Uses::default();
        for op in &api.operations {
            for p in op.path_params() {
                match &p.ty {
                    TypeRef::Prim(Prim::String) => uses.encode_path = true,
                    TypeRef::Array(_) => uses.path_value = true,
                    _ => (uses.encode_path, uses.param_value) = (true, true),
                }
            }
            uses.identity |= op.success_type.is_none() && single_success(op).is_none() && op.successes().any(|r| r.body.is_some() && r.headers.is_empty());
            let enums = [&op.params_type, &op.success_type, &op.error_type].into_iter().flatten();
            let mut types = op.path_params().map(|p| &p.ty).chain(op.body.as_ref().map(|b| &b.ty)).chain(op.plain_success_body());
            uses.models |= enums.map(String::as_str).any(|n| !Models::Imported.qualifies(n)) || types.any(names_model);
        }
        uses
    }
}

/// Whether `ty` names a model the client module imports (see [`Models::Imported`]).
fn names_model(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Named(n) => !Models::Imported.qualifies(n),
        TypeRef::Array(t) | TypeRef::Map(t) => names_model(t),
        TypeRef::Prim(_) | TypeRef::Any => false,
    }
}

/// The request path: a literal, or `&path` after the statement that binds it (first of the
/// pair) to `format!` of the literal parts and the encoded path parameters.
fn request_path(op: &Operation) -> (Option<TokenStream>, TokenStream) {
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
                        quote! { encode_path(#p) }
                    }
                    Some(p) if matches!(p.ty, TypeRef::Array(_)) => {
                        let p = ident(&p.name);
                        quote! { path_value(#p) }
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
    if fmt_args.is_empty() {
        let text = fmt.replace("{{", "{").replace("}}", "}");
        let text = Str(&text);
        (None, quote! { #text })
    } else {
        let fmt = Str(&fmt);
        (Some(quote! { let path = format!(#fmt #(, #fmt_args)*); }), quote! { &path })
    }
}

/// The statements adding the query, header and cookie parameters to `request`, each as an
/// `Option` (an absent one adds nothing).
fn param_statements(op: &Operation) -> Vec<TokenStream> {
    op.other_params()
        .map(|p| {
            let f = ident(&p.name);
            let wire = Str(&p.wire_name);
            let array = matches!(p.ty, TypeRef::Array(_)) && p.object.is_none();
            let value = Moved::from(match (p.required, array) {
                (true, false) => quote! { &params.#f },
                (true, true) => quote! { params.#f.as_slice() },
                (false, false) => quote! { params.#f.as_ref() },
                (false, true) => quote! { params.#f.as_deref() },
            });
            match (p.location, p.object, array) {
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
            }
        })
        .collect()
}

/// The statement encoding the body into `request` (JSON, form and multipart bodies take an
/// `Option`).
fn body_statement(op: &Operation) -> Option<TokenStream> {
    op.body.as_ref().map(|b| {
        let media = Str(&b.media_type);
        let attach = match b.kind {
            BodyKind::Json => return quote! { request.json(body, #media)?; },
            BodyKind::Form => return quote! { request.form(body)?; },
            BodyKind::Multipart => return quote! { request.multipart(body)?; },
            BodyKind::Text => quote! { request.bytes(#media, body.clone().into_bytes()); },
            BodyKind::Binary => quote! { request.bytes(#media, body.clone()); },
        };
        if b.required { attach } else { quote! { if let Some(body) = body { #attach } } }
    })
}

/// The method's arguments after `&self`: path parameters, `params`, `body`.
fn arguments(op: &Operation) -> Vec<TokenStream> {
    let models = Models::Imported;
    let path_args = op.path_params().map(|p| {
        let pname = ident(&p.name);
        match &p.ty {
            TypeRef::Prim(Prim::String) => quote! { #pname: &str },
            TypeRef::Array(inner) => {
                let inner = rust_type(inner, models);
                quote! { #pname: &[#inner] }
            }
            ty => {
                let ty = rust_type(ty, models);
                quote! { #pname: #ty }
            }
        }
    });
    let params_arg = op.params_type.as_ref().map(|t| {
        let t = models.path(t);
        quote! { params: &#t }
    });
    let body_arg = op.body.as_ref().map(|b| {
        let ty = rust_type(&b.ty, models);
        if b.required { quote! { body: &#ty } } else { quote! { body: Option<&#ty> } }
    });
    path_args.chain(params_arg).chain(body_arg).collect()
}

/// The method of `op`, sending with the module's constant `operation` (its security
/// requirement and role).
pub(super) fn method(api: &Api, op: &Operation, operation: &proc_macro2::Ident) -> TokenStream {
    let name = ident(&op.name);
    let models = Models::Imported;
    let success = success_type(op, models);
    let error = error_type_arg(op, models);
    let args = arguments(op);

    let http_method = ident(op.method.as_str());
    let (path_binding, path) = request_path(op);
    let params = param_statements(op);
    let body = body_statement(op);
    let id = Str(&op.operation_id);

    // The success enum the arms name, by a short local name.
    let aliases = success_alias(op).unwrap_or_default();
    // Exact codes, then ranges, then the declared errors (their enum's `DeclaredErrors`), or
    // none.
    // Whatever no success matches is a declared error (without any, `Infallible`'s: unexpected).
    let send = Moved::from(quote! { self.core.send(request, &operation).await? });
    let successes: Vec<&Response> = op.successes().collect();
    let expect = match successes.as_slice() {
        [only] => status_check(only.status),
        _ => None,
    };
    let decode = match (single_success(op), successes.as_slice(), expect) {
        // One success by one status: the runtime decodes it, and the rest as declared errors.
        (Some((decode, code)), _, _) => {
            let (decode, code) = (ident(decode), proc_macro2::Literal::u16_unsuffixed(code));
            quote! { #send.#decode(#code) }
        }
        (None, [], _) => quote! { #send.declared_error() },
        // One success otherwise (headers, a range, a text body): its status checked, any other
        // a declared error, then decoded.
        (None, [only], Some(expect)) => {
            let (expect, decode) = (Moved::from(expect), Moved::from(response_arm(op, only, Alone::Yes)));
            quote! {
                let response = #send.#expect?;
                #decode
            }
        }
        (None, successes, _) => {
            let arms = successes.iter().map(|r| Moved::from(response_arm(op, r, Alone::No)));
            quote! {
                let response = #send;
                match response.status() {
                    #(#arms)*
                    _ => response.declared_error(),
                }
            }
        }
    };

    let docs = Moved::from(method_docs(api, op));
    let deprecated = op.deprecated.then(|| quote! { #[doc = ""] #[doc = " **Deprecated.**"] });
    let request_binding = if params.is_empty() && body.is_none() { quote! { let request } } else { quote! { let mut request } };
    let allow = (args.len() > 6).then(|| quote! { #[allow(clippy::too_many_arguments)] });
    let (args, params, body) = (args.into_iter().map(Moved::from), params.into_iter().map(Moved::from), body.map(Moved::from));
    let (success, error, path) = (Moved::from(success), error.map(Moved::from), Moved::from(path));
    let (aliases, path_binding) = (Moved::from(aliases), path_binding.map(Moved::from));
    let (decode, deprecated, allow, request_binding) = (Moved::from(decode), deprecated.map(Moved::from), allow.map(Moved::from), Moved::from(request_binding));
    quote! {
        #docs
        #deprecated
        #allow
        pub async fn #name(&self, #(#args),*) -> ApiResult<#success #error> {
            #aliases
            #path_binding
            #request_binding = self.core.request(Method::#http_method, #path);
            #(#params)*
            #body
            let operation = #operation.named(#id);
            #decode
        }
    }
}

/// The runtime call checking that a response has the status of an operation's one success
/// (`expect_code(200)`, `expect_class(2)` for `2XX`); none for `default`.
fn status_check(status: StatusMatch) -> Option<TokenStream> {
    match status {
        StatusMatch::Code(code) => {
            let code = proc_macro2::Literal::u16_unsuffixed(code);
            Some(quote! { expect_code(#code) })
        }
        StatusMatch::Range(class) => {
            let class = proc_macro2::Literal::u16_unsuffixed(class);
            Some(quote! { expect_class(#class) })
        }
        StatusMatch::Default => None,
    }
}

/// The runtime method decoding the response of an operation whose one success is a plain
/// status with a JSON body or none, and that status (`json_success(200)`,
/// `empty_success(204)`); `None` for others.
fn single_success(op: &Operation) -> Option<(&'static str, u16)> {
    let [only] = op.successes().collect::<Vec<_>>()[..] else { return None };
    let StatusMatch::Code(code) = only.status else { return None };
    if op.success_type.is_some() || !only.headers.is_empty() {
        return None;
    }
    match only.body.as_ref().map(|b| b.kind) {
        None => Some(("empty_success", code)),
        Some(BodyKind::Text | BodyKind::Binary) => None,
        Some(_) => Some(("json_success", code)),
    }
}

/// `impl DeclaredErrors for {Op}Error`, the enum `name` that `op` defines
/// ([`Operation::own_error_enum`]): the arms decoding its error responses (exact codes, then
/// ranges, then `default` or undeclared).
pub(super) fn declared_errors(op: &Operation, name: &str) -> TokenStream {
    let name = Models::Imported.path(name);
    let decode = match op.errors().collect::<Vec<_>>().as_slice() {
        // `default` alone: no match of one arm.
        [only] if only.status == StatusMatch::Default && only.headers.is_empty() => response_arm(op, only, Alone::Yes),
        errors => {
            let arms = errors.iter().map(|r| Moved::from(response_arm(op, r, Alone::No)));
            let fallback = (!errors.iter().any(|r| r.status == StatusMatch::Default)).then(|| quote! { _ => Err(response.unexpected()), });
            let fallback = fallback.map(Moved::from);
            quote! {
                match response.status() {
                    #(#arms)*
                    #fallback
                }
            }
        }
    };
    let decode = Moved::from(decode);
    quote! {
        impl DeclaredErrors for #name {
            fn decode<T>(response: RawResponse) -> ApiResult<T, Self> {
                #decode
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
        args.push(format!("- `params`: query, header and cookie parameters ([`{}`])", Models::Imported.doc_path(t)));
    }
    if let Some(b) = &op.body {
        let d = b.description.as_deref().map(|d| format!(": {}", d.trim().replace('\n', " "))).unwrap_or_default();
        args.push(format!("- `body`: the `{}` request body{d}", b.media_type));
    }
    let args = (!args.is_empty()).then(|| format!("# Arguments\n{}", args.join("\n")));
    let responses: Vec<String> = op
        .responses
        .iter()
        .map(|r| format!("- {}: {}", r.status.label(), r.description.trim().replace('\n', " ")))
        .collect();
    let responses = format!("# Responses\n{}", responses.join("\n"));
    let errors = match &op.error_type {
        Some(t) => format!("# Errors\nSee [`Error`]; a declared error status is [`Error::Api`] with a [`{}`].", Models::Imported.doc_path(t)),
        None => "# Errors\nSee [`Error`] (the spec declares no error status).".to_string(),
    };
    let oauth = op.oauth.as_ref().map(oauth_note);
    let mut text = doc_lines(&[op.summary.as_deref(), op.description.as_deref(), Some(&line), oauth.as_deref(), args.as_deref(), Some(&responses), Some(&errors)]);
    // Code is not spec text: its lines go in as they are.
    if let Some(example) = crate::docs::example::method_example(api, op) {
        text.push_line("");
        text.push_lines(&example);
    }
    text.into_tokens()
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

/// The arm decoding response `r` (or, `alone`, its expression, after
/// `let status = response.status();` if it needs it): `200 => response.ok_json(identity),`,
/// `404 => response.err_json(Failure::NotFound),`,
/// `status => response.err_json(|body| Failure::Default { status, body }),`; a response with
/// declared headers decodes them one by one.
fn response_arm(op: &Operation, r: &Response, alone: Alone) -> TokenStream {
    let enum_name = local_enum(op, r);
    let status_field = enum_name.is_some() && !r.is_plain() && matches!(r.status, StatusMatch::Range(_) | StatusMatch::Default);
    let pattern = match r.status {
        StatusMatch::Code(c) => {
            let c = proc_macro2::Literal::u16_unsuffixed(c);
            quote! { #c }
        }
        StatusMatch::Range(d) => {
            let (lo, hi) = (proc_macro2::Literal::u16_unsuffixed(d * 100), proc_macro2::Literal::u16_unsuffixed(d * 100 + 99));
            if status_field { quote! { status @ #lo..=#hi } } else { quote! { #lo..=#hi } }
        }
        StatusMatch::Default if status_field => quote! { status },
        StatusMatch::Default => quote! { _ },
    };
    let decode = if r.headers.is_empty() { plain_decode(r, enum_name.as_ref(), status_field) } else { header_decode(r, enum_name.as_ref(), status_field) };
    let decode = Moved::from(decode);
    match alone {
        Alone::Yes => {
            let status = status_field.then(|| quote! { let status = response.status(); });
            quote! { #status #decode }
        }
        Alone::No => {
            let pattern = Moved::from(pattern);
            if r.headers.is_empty() { quote! { #pattern => #decode, } } else { quote! { #pattern => { #decode } } }
        }
    }
}

/// The decoding of a response without declared headers, one call: `response.ok_json(identity)`,
/// `response.err_json(|body| Self::NotFound { status, body })`.
fn plain_decode(r: &Response, enum_name: Option<&proc_macro2::Ident>, status_field: bool) -> TokenStream {
    let variant = ident(&r.variant);
    let (ok, with_body) = match (r.status.is_success(), r.body.as_ref().map(|b| b.kind)) {
        (true, None) => (quote! { ok }, None),
        (false, None) => (quote! { err }, None),
        (true, Some(BodyKind::Text)) => (quote! { ok_text }, Some(())),
        (false, Some(BodyKind::Text)) => (quote! { err_text }, Some(())),
        (true, Some(BodyKind::Binary)) => (quote! { ok_bytes }, Some(())),
        (false, Some(BodyKind::Binary)) => (quote! { err_bytes }, Some(())),
        (true, Some(_)) => (quote! { ok_json }, Some(())),
        (false, Some(_)) => (quote! { err_json }, Some(())),
    };
    let value = match (enum_name, with_body, r.is_plain()) {
        (None, Some(()), _) => quote! { identity },
        (None, None, _) => quote! { () },
        (Some(e), Some(()), true) => quote! { #e::#variant },
        (Some(e), None, true) => quote! { #e::#variant },
        (Some(e), Some(()), false) => {
            let status = status_field.then(|| quote! { status, });
            quote! { |body| #e::#variant { #status body } }
        }
        (Some(e), None, false) => {
            let status = status_field.then(|| quote! { status });
            quote! { #e::#variant { #status } }
        }
    };
    let (ok, value) = (Moved::from(ok), Moved::from(value));
    quote! { response.#ok(#value) }
}

/// Whether a response is decoded alone (`default` without headers, the only error response;
/// the one success once its status is checked), or by an arm of a `match` on the status.
#[derive(Clone, Copy)]
enum Alone {
    Yes,
    No,
}

/// The decoding of a response with declared headers, statements: each header decoded, then
/// the variant.
fn header_decode(r: &Response, enum_name: Option<&proc_macro2::Ident>, status_field: bool) -> TokenStream {
    let decode_body = r.body.as_ref().map(|b| match b.kind {
        BodyKind::Text => quote! { let body = response.utf8()?; },
        BodyKind::Binary => quote! { let body = response.bytes(); },
        _ => quote! { let body = response.json()?; },
    });
    let decode_headers = r.headers.iter().map(|h| {
        let hname = ident(&h.name);
        let wire = h.wire_name.to_ascii_lowercase();
        let wire = Str(&wire);
        if h.required {
            quote! { let #hname = response.required_header(#wire)?; }
        } else {
            quote! { let #hname = response.header(#wire); }
        }
    });
    let payload = match enum_name {
        // A single success is its body alone.
        None => match &r.body {
            Some(_) => quote! { body },
            None => quote! { () },
        },
        Some(e) => {
            let variant = ident(&r.variant);
            let status = status_field.then(|| quote! { status, });
            let body = r.body.as_ref().map(|_| quote! { body, });
            let headers = r.headers.iter().map(|h| ident(&h.name));
            quote! { #e::#variant { #status #body #(#headers,)* } }
        }
    };
    let result = if r.status.is_success() { quote! { response.ok(#payload) } } else { quote! { response.err(#payload) } };
    quote! {
        #decode_body
        #(#decode_headers)*
        #result
    }
}
