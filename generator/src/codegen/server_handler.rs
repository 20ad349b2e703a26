//! The handlers of the `server` module: per operation, a `handle_*` function that decodes the
//! request (`decode_*`), asks the implementation and encodes its answer (`encode_*`).

use proc_macro2::TokenStream;
use quote::quote;

use super::server::{auth, client_grants, error_fn_ident, handler_ident, request_ident, Auth};
use super::{error_type, ident, response_enum, rust_type, success_type};
use crate::ir::{Api, BodyKind, OAuthRole, Operation, Param, ParamLocation, Response, StatusMatch, TypeRef};

pub(super) fn handler(api: &Api, op: &Operation) -> TokenStream {
    let handler = handler_ident(op);
    let method = ident(&op.name);
    let error_fn = error_fn_ident(api, op);
    let a = auth(api, op);
    let id = op.operation_id.as_str();
    let any_auth = a.basic || a.bearer || !a.api_keys.is_empty();
    let decode = super::helper_ident(&["decode", &op.name]);
    let encode = super::helper_ident(&["encode", &op.name]);
    let credentials_ref = if !any_auth {
        quote! { None }
    } else if a.enforce && !a.oauth {
        quote! { Some(&request.credentials) }
    } else {
        quote! { request.credentials.as_ref() }
    };
    let client_ref = if a.oauth { quote! { request.client.as_ref() } } else { quote! { None } };
    let finish = finish(op, &a);
    let on_oauth = (op.role() == Some(OAuthRole::Token)).then(|| quote! { .on_oauth_endpoint() });
    let decode_fn = decode_fn(api, op, &a, &decode);
    quote! {
        async fn #handler<A: Api>(
            axum::extract::State(shared): axum::extract::State<Arc<Shared<A>>>,
            request: axum::extract::Request,
        ) -> Response {
            let response = match #decode(&shared.config, request).await {
                Err(rejection) => rejection #on_oauth .into_response(#error_fn),
                Ok(request) => {
                    let context = AuthContext {
                        operation_id: #id,
                        credentials: #credentials_ref,
                        client: #client_ref,
                        extensions: &request.extensions,
                    };
                    match shared.api.authenticate(context).await {
                        Err(rejection) => rejection.into_response(#error_fn),
                        Ok(()) => #encode(shared.api.#method(request).await),
                    }
                }
            };
            #finish
        }

        #decode_fn
    }
}

/// `decode_*`: the request struct from an HTTP request, or the rejection.
fn decode_fn(api: &Api, op: &Operation, a: &Auth, decode: &proc_macro2::Ident) -> TokenStream {
    let request = request_ident(op);
    let path_params: Vec<&Param> = op.path_params().collect();
    let path = (!path_params.is_empty()).then(|| quote! { let path = ::oauth_api::server::path_params(&mut parts).await?; });
    let needs_query = op.other_params().any(|p| p.location == ParamLocation::Query);
    let query = needs_query.then(|| quote! { let query = ::oauth_api::server::query_pairs(&parts); });
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
    let credentials = any_auth.then(|| credentials_decode(a));
    let challenge = a.challenge.as_str();
    let body = body_decode(api, op, a.oauth);
    let client = a.oauth.then(|| {
        let fields = if op.body.is_some() { quote! { &fields } } else { quote! { &[] } };
        let grants = client_grants(op, a);
        let require = (!grants.is_empty()).then(|| {
            quote! { ::oauth_api::server::require_client(client.as_ref(), credentials.as_ref(), #fields, &[#(#grants),*], #challenge)?; }
        });
        quote! {
            let client = ::oauth_api::server::client_authentication(credentials.as_ref(), #fields)?;
            #require
        }
    });
    let credentials_field = any_auth.then(|| quote! { credentials, });
    let client_field = a.oauth.then(|| quote! { client, });
    let body_field = op.body.as_ref().map(|_| quote! { body, });
    let body_name = if op.body.is_some() { quote! { body } } else { quote! { _body } };
    let parts_mut = if path.is_some() { quote! { mut parts } } else { quote! { parts } };
    let config_arg = if op.body.is_some() { quote! { config } } else { quote! { _config } };
    quote! {
        async fn #decode(#config_arg: &Config, request: axum::extract::Request) -> Result<#request, Rejection> {
            let (#parts_mut, #body_name) = request.into_parts();
            #path
            #query
            #credentials
            #body
            #client
            Ok(#request {
                #(#path_fields)*
                #params
                #body_field
                #credentials_field
                #client_field
                extensions: parts.extensions,
            })
        }
    }
}

/// The request's credentials of the kinds the operation accepts (`401` without any when the
/// operation requires them).
fn credentials_decode(a: &Auth) -> TokenStream {
    let accepts = match accepts_const(a) {
        Some((name, _)) => quote! { #name },
        None => accepts_value(a),
    };
    if a.enforce && !a.oauth {
        let challenge = a.challenge.as_str();
        quote! { let credentials = ::oauth_api::server::required_credentials(&parts, &#accepts, #challenge)?; }
    } else {
        quote! { let credentials = ::oauth_api::server::credentials(&parts, &#accepts)?; }
    }
}

/// `::oauth_api::server::Accepts { … }` for the operation.
fn accepts_value(a: &Auth) -> TokenStream {
    let (basic, bearer, client_auth) = (a.basic, a.bearer, a.oauth);
    let api_keys = a.api_keys.iter().map(|(loc, name)| {
        let loc = match loc {
            ParamLocation::Query => quote! { Query },
            ParamLocation::Cookie => quote! { Cookie },
            _ => quote! { Header },
        };
        quote! { (::oauth_api::ApiKeyLocation::#loc, #name) }
    });
    quote! { ::oauth_api::server::Accepts { basic: #basic, bearer: #bearer, client_auth: #client_auth, api_keys: &[#(#api_keys),*] } }
}

/// The server module's constant for the credential kinds an operation accepts, named after
/// them (`ACCEPTS_BASIC_BEARER`), with its definition; `None` with API keys (their value is
/// written out in place).
pub(super) fn accepts_const(a: &Auth) -> Option<(proc_macro2::Ident, TokenStream)> {
    let any_auth = a.basic || a.bearer;
    if !a.api_keys.is_empty() || !any_auth {
        return None;
    }
    let kinds: Vec<&str> = [(a.basic, "BASIC"), (a.bearer, "BEARER"), (a.oauth, "CLIENT")].into_iter().filter(|(on, _)| *on).map(|(_, k)| k).collect();
    let name = quote::format_ident!("ACCEPTS_{}", kinds.join("_"));
    let text = [(a.basic, "HTTP Basic"), (a.bearer, "Bearer tokens"), (a.oauth, "OAuth client authentication")]
        .into_iter()
        .filter(|(on, _)| *on)
        .map(|(_, k)| k)
        .collect::<Vec<_>>()
        .join(", ");
    let doc = format!(" The credentials some operations accept: {text}.");
    let value = accepts_value(a);
    Some((name.clone(), quote! { #[doc = #doc] const #name: ::oauth_api::server::Accepts = #value; }))
}

/// Reads and decodes the body, in every structured encoding the spec lists for it, and
/// validates it; keeps the form fields when `keep_fields` (OAuth endpoints).
fn body_decode(api: &Api, op: &Operation, keep_fields: bool) -> Option<TokenStream> {
    op.body.as_ref().map(|b| {
        let ty = rust_type(&b.ty, &quote! { super:: });
        let object = is_struct(api, &b.ty);
        let grants = grant_types(op);
        let decode_as = |kind: BodyKind| match kind {
            BodyKind::Json if object => quote! { ::oauth_api::server::decode_json_object::<#ty>(&parts.headers, &bytes)? },
            BodyKind::Json => quote! { ::oauth_api::server::decode_json::<#ty>(&parts.headers, &bytes)? },
            BodyKind::Form => quote! { ::oauth_api::server::decode_form::<#ty>(&parts.headers, &bytes, &[#(#grants),*])? },
            BodyKind::Multipart => quote! { ::oauth_api::server::decode_multipart::<#ty>(&parts.headers, bytes, &[#(#grants),*]).await? },
            BodyKind::Text => quote! { ::oauth_api::server::decode_text(&bytes)? },
            BodyKind::Binary => quote! { (bytes.to_vec(), ::oauth_api::server::Fields::new()) },
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
                match ::oauth_api::server::media_type(&parts.headers).as_str() {
                    #(#arms)*
                    _ => #primary,
                }
            }
        };
        let validate = matches!(b.ty, TypeRef::Named(_)).then(|| {
            quote! { ::oauth_api::Validate::validate(&body, "").map_err(|m| Rejection::bad_request("invalid_request", m))?; }
        });
        let fields_name = if keep_fields { quote! { fields } } else { quote! { _ } };
        if b.required {
            quote! {
                let bytes = ::oauth_api::server::read_body(body, config.body_limit).await?;
                let (body, #fields_name) = #decode;
                #validate
            }
        } else {
            let fields_out = keep_fields.then(|| quote! { let mut fields = ::oauth_api::server::Fields::new(); });
            let keep = keep_fields.then(|| quote! { fields = decoded_fields; });
            let decoded_fields = if keep_fields { quote! { decoded_fields } } else { quote! { _ } };
            quote! {
                let bytes = ::oauth_api::server::read_body(body, config.body_limit).await?;
                #fields_out
                let body = if bytes.is_empty() {
                    None
                } else {
                    let (body, #decoded_fields) = #decode;
                    #keep
                    #validate
                    Some(body)
                };
            }
        }
    })
}

/// Whether a type is (an alias of) a struct: its JSON must be an object.
fn is_struct(api: &Api, ty: &TypeRef) -> bool {
    let mut ty = ty;
    for _ in 0..8 {
        let TypeRef::Named(n) = ty else { return false };
        match api.types.get(n).map(|t| &t.kind) {
            Some(crate::ir::TypeKind::Struct { .. }) => return true,
            Some(crate::ir::TypeKind::Alias { target }) => ty = target,
            _ => return false,
        }
    }
    false
}

/// The `grant_type` values a token endpoint knows, when its spec closes the list; empty
/// otherwise (any grant reaches the implementation).
fn grant_types(op: &Operation) -> Vec<String> {
    match &op.oauth {
        Some(o) if o.role == OAuthRole::Token && !o.open_grants => {
            let mut values: Vec<String> = o.grants.iter().map(|g| g.value.clone()).collect();
            values.sort();
            values.dedup();
            values
        }
        _ => Vec::new(),
    }
}

fn param_decode(api: &Api, p: &Param, op: &Operation) -> TokenStream {
    let wire = p.wire_name.as_str();
    let path_index = || proc_macro2::Literal::usize_unsuffixed(op.path_params().position(|q| q.wire_name == p.wire_name).unwrap_or(0));
    if p.location == ParamLocation::Path && p.required && p.object.is_none() && !matches!(p.ty, TypeRef::Array(_)) {
        let index = path_index();
        return quote! { ::oauth_api::server::path_param(&path, #index, #wire)? };
    }
    let location = format!("{:?}", p.location).to_lowercase();
    let values = match p.location {
        ParamLocation::Query => quote! { ::oauth_api::server::query_values(&query, #wire) },
        ParamLocation::Header => quote! { ::oauth_api::server::header_values(&parts.headers, #wire)? },
        ParamLocation::Cookie => quote! { ::oauth_api::server::cookie_values(&parts.headers, #wire) },
        ParamLocation::Path => {
            let index = path_index();
            quote! { ::oauth_api::server::path_value(&path, #index) }
        }
    };
    let decode = if let Some(style) = p.object {
        let deep = style == crate::ir::ObjectStyle::DeepObject;
        let ty = rust_type(&p.ty, &quote! { super:: });
        quote! { ::oauth_api::server::object_param::<#ty>(&query, #wire, #deep)? }
    } else if matches!(p.ty, TypeRef::Array(_)) {
        let split = !p.explode || p.location != ParamLocation::Query;
        if p.location == ParamLocation::Query {
            quote! { ::oauth_api::server::query_list(&query, #wire, #split)? }
        } else {
            quote! { ::oauth_api::server::param_list(#values, #wire, #location, #split)? }
        }
    } else if p.location == ParamLocation::Query {
        quote! { ::oauth_api::server::query_param(&query, #wire)? }
    } else {
        quote! { ::oauth_api::server::param_one(#values, #wire, #location)? }
    };
    let default = p.default.as_ref().and_then(|d| super::value_expr(api, &p.ty, d, &quote! { super:: }));
    match (p.required, default) {
        (true, _) => quote! { ::oauth_api::server::required(#decode, #wire, #location)? },
        (false, Some(d)) => quote! { #decode.or(Some(#d)) },
        (false, None) => decode,
    }
}

/// The last touch on every response of an operation: a `401` carries a challenge (RFC 9110
/// §15.5.2, RFC 6749 §5.2), token responses are not cached (RFC 6749 §5.1).
fn finish(op: &Operation, a: &Auth) -> TokenStream {
    let challenge = a.challenge.as_str();
    let with_challenge = if challenge.is_empty() {
        quote! { response }
    } else {
        quote! { ::oauth_api::server::with_challenge(response, #challenge) }
    };
    if op.role() == Some(OAuthRole::Token) {
        quote! { ::oauth_api::server::no_store(#with_challenge) }
    } else {
        with_challenge
    }
}

/// `fn encode_{op}(result) -> Response`: the trait method's result as a response.
pub(super) fn encode_fn(api: &Api, op: &Operation) -> TokenStream {
    let name = super::helper_ident(&["encode", &op.name]);
    let success = success_type(op, &quote! { super:: });
    let error = error_type(op, &quote! { super:: });
    let error_fn = error_fn_ident(api, op);
    let arms = op.responses.iter().map(|r| encode_arm(op, r));
    let never = op.error_type.is_none().then(|| quote! { Err(Failure::Declared(never)) => match never {}, });
    quote! {
        fn #name(result: Result<#success, Failure<#error>>) -> Response {
            match result {
                #(#arms)*
                #never
                Err(Failure::Rejected(rejection)) => rejection.into_response(#error_fn),
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
            quote! { ::oauth_api::server::status_in_range(status, #digit, #fallback) }
        }
        StatusMatch::Default => quote! { status },
    };
    let body_expr = |value: TokenStream| match r.body.as_ref().map(|b| b.kind) {
        Some(BodyKind::Text) => quote! { ::oauth_api::server::text_response(#status, #value) },
        Some(BodyKind::Binary) => quote! { ::oauth_api::server::bytes_response(#status, #value) },
        Some(_) if op.oauth.is_some() && !r.status.is_success() => {
            quote! { ::oauth_api::server::oauth_error_response(#status, &#value, None, None) }
        }
        Some(_) => quote! { ::oauth_api::server::json_response(#status, &#value) },
        None => quote! { ::oauth_api::server::empty_response(#status) },
    };
    let headers = r.headers.iter().map(|h| {
        let f = ident(&h.name);
        let wire = h.wire_name.as_str();
        if h.required {
            quote! { ::oauth_api::server::insert_header(&mut response, #wire, ::oauth_api::ParamValue::to_param(&#f)); }
        } else {
            quote! { if let Some(value) = #f { ::oauth_api::server::insert_header(&mut response, #wire, ::oauth_api::ParamValue::to_param(&value)); } }
        }
    });
    let wrap = |inner: TokenStream| if r.status.is_success() { quote! { Ok(#inner) } } else { quote! { Err(Failure::Declared(#inner)) } };
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
