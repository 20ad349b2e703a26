//! The handlers of the `server` module: per operation, a `handle_*` function that decodes the
//! request (parameters, body, credentials) and authenticates it, asks the implementation and
//! encodes its answer.

use proc_macro2::TokenStream;
use quote::quote;

use super::server::{auth, client_grants, error_fn_ident, handler_ident, request_ident, Auth};
use super::{ident, local_enum, success_alias, Moved, Str};
use crate::ir::{Api, BodyKind, OAuthRole, Operation, Param, ParamLocation, Response, StatusMatch, TypeRef};

pub(super) fn handler(api: &Api, op: &Operation) -> TokenStream {
    let handler = handler_ident(op);
    let endpoint = endpoint_ident(api, op);
    let aliases = success_alias(op).map(Moved::from);
    let answer = Moved::from(answer_block(api, op, &auth(api, op)));
    let encode = Moved::from(encode_closure(op));
    quote! {
        async fn #handler<A: Api>(State(app): State<App<A>>, request: Request) -> Response {
            #aliases
            let answer = async #answer;
            let encode = #encode;
            rt::respond(&#endpoint, answer.await, encode)
        }
    }
}

/// The name of the server module's constant telling how the router answers for `op` besides
/// its declared responses (error body, challenge, token endpoint), named after them.
pub(super) fn endpoint_ident(api: &Api, op: &Operation) -> proc_macro2::Ident {
    let a = auth(api, op);
    let error_fn = error_fn_ident(api, op);
    let token = op.role() == Some(OAuthRole::Token);
    let kind = if a.basic {
        "BASIC"
    } else if a.bearer {
        "BEARER"
    } else {
        "OPEN"
    };
    quote::format_ident!("{}_{}{}", error_fn.to_string().to_ascii_uppercase(), kind, if token { "_TOKEN" } else { "" })
}

/// The definition of the constant [`endpoint_ident`] names.
pub(super) fn endpoint_const(api: &Api, op: &Operation, name: &proc_macro2::Ident) -> TokenStream {
    let a = auth(api, op);
    let error_fn = error_fn_ident(api, op);
    let token = op.role() == Some(OAuthRole::Token);
    let challenge = a.challenge.as_str();
    let doc = format!(" Rejections answered with `{error_fn}`, {}{}.", if challenge.is_empty() { "no challenge".to_string() } else { format!("challenge `{challenge}`") }, if token { ", on a token endpoint" } else { "" });
    let doc = super::escaped_doc_literal(&doc);
    quote! {
        #[doc = #doc]
        const #name: rt::Endpoint = rt::Endpoint { error_body: #error_fn, challenge: #challenge, token: #token };
    }
}

/// The block decoding `request` (the HTTP request) into the request struct, authenticated, and
/// asking the implementation about it; or the rejection.
fn answer_block(api: &Api, op: &Operation, a: &Auth) -> TokenStream {
    let request = request_ident(op);
    let method = ident(&op.name);
    let path_params: Vec<&Param> = op.path_params().collect();
    let path = (!path_params.is_empty()).then(|| quote! { let path = rt::path_params(&mut parts).await?; });
    let needs_query = op.other_params().any(|p| p.location == ParamLocation::Query);
    let query = needs_query.then(|| quote! { let query = rt::query_pairs(&parts); });
    let path_fields = path_params.iter().map(|p| {
        let f = ident(&p.name);
        let decode = Moved::from(param_decode(api, p, op));
        quote! { #f: #decode, }
    });
    let params = op.params_type.as_ref().map(|t| {
        let t = ident(t);
        let fields = op.other_params().map(|p| {
            let f = ident(&p.name);
            let decode = Moved::from(param_decode(api, p, op));
            Moved::from(quote! { #f: #decode, })
        });
        quote! { params: super::#t { #(#fields)* }, }
    });

    let any_auth = a.basic || a.bearer || !a.api_keys.is_empty();
    let credentials = any_auth.then(|| credentials_decode(a));
    let challenge = Str(&a.challenge);
    let body = body_decode(api, op, a.oauth);
    let client = a.oauth.then(|| {
        let fields = if op.body.is_some() { quote! { &fields } } else { quote! { &[] } };
        let grants = client_grants(op, a);
        let require = (!grants.is_empty()).then(|| {
            quote! { rt::require_client(client.as_ref(), credentials.as_ref(), #fields, &[#(#grants),*], #challenge)?; }
        });
        quote! {
            let client = rt::client_authentication(credentials.as_ref(), #fields)?;
            #require
        }
    });
    let id = Str(&op.operation_id);
    let context = if any_auth || a.oauth {
        let credentials_ref = if !any_auth {
            quote! { None }
        } else if a.enforce && !a.oauth {
            quote! { Some(&credentials) }
        } else {
            quote! { credentials.as_ref() }
        };
        let client_ref = if a.oauth { quote! { client.as_ref() } } else { quote! { None } };
        quote! { rt::context(#id, &parts, #credentials_ref, #client_ref) }
    } else {
        quote! { rt::open_context(#id, &parts) }
    };
    let credentials_field = any_auth.then(|| quote! { credentials, });
    let client_field = a.oauth.then(|| quote! { client, });
    let body_field = op.body.as_ref().map(|_| quote! { body, });
    let body_name = if op.body.is_some() { quote! { body } } else { quote! { _body } };
    let parts_mut = if path.is_some() { quote! { mut parts } } else { quote! { parts } };
    let (path, query, credentials, body, client) = (path.map(Moved::from), query.map(Moved::from), credentials.map(Moved::from), body.map(Moved::from), client.map(Moved::from));
    let (path_fields, params) = (path_fields.map(Moved::from), params.map(Moved::from));
    let (context, parts_mut, body_name) = (Moved::from(context), Moved::from(parts_mut), Moved::from(body_name));
    let (credentials_field, client_field, body_field) = (credentials_field.map(Moved::from), client_field.map(Moved::from), body_field.map(Moved::from));
    quote! {
        {
            let (#parts_mut, #body_name) = request.into_parts();
            #path
            #query
            #credentials
            #body
            #client
            let context = #context;
            app.api.authenticate(context).await?;
            let request = #request {
                #(#path_fields)*
                #params
                #body_field
                #credentials_field
                #client_field
                extensions: parts.extensions,
            };
            Ok(app.api.#method(request).await)
        }
    }
}

/// The request's credentials of the kinds the operation accepts (`401` without any when the
/// operation requires them).
fn credentials_decode(a: &Auth) -> TokenStream {
    let accepts = match accepts_ident(a) {
        Some(name) => quote! { #name },
        None => accepts_value(a),
    };
    if a.enforce && !a.oauth {
        quote! { let credentials = rt::required_credentials(&parts, &#accepts)?; }
    } else {
        quote! { let credentials = rt::credentials(&parts, &#accepts)?; }
    }
}

/// `rt::Accepts { … }` for the operation.
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
    let challenge = Str(&a.challenge);
    quote! { rt::Accepts { basic: #basic, bearer: #bearer, client_auth: #client_auth, api_keys: &[#(#api_keys),*], challenge: #challenge } }
}

/// The name of the server module's constant for the credential kinds an operation accepts
/// (`ACCEPTS_BASIC_BEARER`); `None` with API keys (their value is written out in place).
pub(super) fn accepts_ident(a: &Auth) -> Option<proc_macro2::Ident> {
    let any_auth = a.basic || a.bearer;
    if !a.api_keys.is_empty() || !any_auth {
        return None;
    }
    let kinds: Vec<&str> = [(a.basic, "BASIC"), (a.bearer, "BEARER"), (a.oauth, "CLIENT")].into_iter().filter(|(on, _)| *on).map(|(_, k)| k).collect();
    Some(quote::format_ident!("ACCEPTS_{}", kinds.join("_")))
}

/// The definition of the constant [`accepts_ident`] names.
pub(super) fn accepts_const(a: &Auth, name: &proc_macro2::Ident) -> TokenStream {
    let text = [(a.basic, "HTTP Basic"), (a.bearer, "Bearer tokens"), (a.oauth, "OAuth client authentication")]
        .into_iter()
        .filter(|(on, _)| *on)
        .map(|(_, k)| k)
        .collect::<Vec<_>>()
        .join(", ");
    let doc = super::escaped_doc_literal(&format!(" The credentials some operations accept: {text}."));
    let value = accepts_value(a);
    quote! { #[doc = #doc] const #name: rt::Accepts = #value; }
}

/// Reads and decodes the body, in every structured encoding the spec lists for it, and
/// validates it; keeps the form fields when `keep_fields` (OAuth endpoints).
fn body_decode(api: &Api, op: &Operation, keep_fields: bool) -> Option<TokenStream> {
    op.body.as_ref().map(|b| {
        let object = is_struct(api, &b.ty);
        let grants = grant_types(op);
        // A `Result` of `(body, fields)` from `bytes` (`&[u8]`, or `Bytes` for multipart).
        let decode_as = |kind: BodyKind, bytes: &TokenStream| match kind {
            BodyKind::Json if object => quote! { rt::decode_json_object(&parts.headers, #bytes) },
            BodyKind::Json => quote! { rt::decode_json(&parts.headers, #bytes) },
            BodyKind::Form => quote! { rt::decode_form(&parts.headers, #bytes, &[#(#grants),*]) },
            BodyKind::Multipart => quote! { rt::decode_multipart(&parts.headers, bytes, &[#(#grants),*]).await },
            BodyKind::Text => quote! { rt::decode_text(#bytes) },
            BodyKind::Binary => quote! { Ok((#bytes.to_vec(), rt::Fields::new())) },
        };
        // Other structured encodings the spec lists for the same body are accepted too.
        let alternatives: Vec<(String, BodyKind)> = b
            .media_types
            .iter()
            .map(|m| (m.split(';').next().unwrap_or_default().trim().to_ascii_lowercase(), crate::ir::body_kind(m)))
            .filter(|(_, k)| *k != b.kind && matches!(k, BodyKind::Json | BodyKind::Form | BodyKind::Multipart))
            .collect();
        let structured = matches!(b.kind, BodyKind::Json | BodyKind::Form | BodyKind::Multipart);
        let decode = |bytes: TokenStream| {
            if alternatives.is_empty() || !structured {
                return decode_as(b.kind, &bytes);
            }
            let arms = alternatives.iter().map(|(media, kind)| {
                let (media, decode) = (Str(media), decode_as(*kind, &bytes));
                quote! { #media => #decode, }
            });
            let primary = decode_as(b.kind, &bytes);
            quote! {
                match rt::media_type(&parts.headers).as_str() {
                    #(#arms)*
                    _ => #primary,
                }
            }
        };
        let validate = matches!(b.ty, TypeRef::Named(_)).then(|| quote! { rt::validate(&body)?; });
        let fields_name = if keep_fields { quote! { fields } } else { quote! { _ } };
        let multipart = b.kind == BodyKind::Multipart || alternatives.iter().any(|(_, k)| *k == BodyKind::Multipart);
        let decoded = if b.required && b.kind == BodyKind::Binary {
            quote! { (bytes.to_vec(), rt::Fields::new()) }
        } else if b.required {
            let decode = decode(quote! { &bytes });
            quote! { #decode? }
        } else if multipart {
            // Multipart decodes asynchronously, and the body is taken as it came.
            let decode = decode(quote! { &bytes });
            quote! { if bytes.is_empty() { (None, rt::Fields::new()) } else { #decode.map(|(body, fields)| (Some(body), fields))? } }
        } else {
            let decode = match b.kind {
                // A plain function of the bytes (clippy's `redundant_closure`).
                BodyKind::Text => quote! { rt::decode_text },
                _ => {
                    let decode = decode(quote! { b });
                    quote! { |b| #decode }
                }
            };
            quote! { rt::optional(&bytes, #decode)? }
        };
        quote! {
            let bytes = rt::read_body(body, app.config.body_limit).await?;
            let (body, #fields_name) = #decoded;
            #validate
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
    let wire = Str(&p.wire_name);
    let path_index = || proc_macro2::Literal::usize_unsuffixed(op.path_params().position(|q| q.wire_name == p.wire_name).unwrap_or(0));
    if p.location == ParamLocation::Path && p.required && p.object.is_none() && !matches!(p.ty, TypeRef::Array(_)) {
        let index = path_index();
        return quote! { rt::path_param(&path, #index, #wire)? };
    }
    let location = format!("{:?}", p.location).to_lowercase();
    let location = Str(&location);
    // The parameter's raw values, for the decodings that take them.
    let values = || Moved::from(match p.location {
        ParamLocation::Query => quote! { rt::query_values(&query, #wire) },
        ParamLocation::Header => quote! { rt::header_values(&parts.headers, #wire)? },
        ParamLocation::Cookie => quote! { rt::cookie_values(&parts.headers, #wire) },
        ParamLocation::Path => {
            let index = path_index();
            quote! { rt::path_value(&path, #index) }
        }
    });
    let decode = if let Some(style) = p.object {
        let deep = style == crate::ir::ObjectStyle::DeepObject;
        quote! { rt::object_param(&query, #wire, #deep)? }
    } else if matches!(p.ty, TypeRef::Array(_)) {
        let split = !p.explode || p.location != ParamLocation::Query;
        if p.location == ParamLocation::Query {
            quote! { rt::query_list(&query, #wire, #split)? }
        } else {
            let values = values();
            quote! { rt::param_list(#values, #wire, #location, #split)? }
        }
    } else if p.location == ParamLocation::Query {
        quote! { rt::query_param(&query, #wire)? }
    } else {
        let values = values();
        quote! { rt::param_one(#values, #wire, #location)? }
    };
    let default = p.default.as_ref().and_then(|d| super::value_expr(api, &p.ty, d, super::Models::Parent));
    match (p.required, default) {
        (true, _) => {
            let decode = Moved::from(decode);
            quote! { rt::required(#decode, #wire, #location)? }
        }
        (false, Some(d)) => {
            let (decode, d) = (Moved::from(decode), Moved::from(d));
            quote! { #decode.or(Some(#d)) }
        }
        (false, None) => decode,
    }
}

/// The closure encoding the trait method's success as a response (its declared errors are
/// their enum's [`declared_errors`]).
fn encode_closure(op: &Operation) -> TokenStream {
    match op.success_type {
        // A single plain success: the value is its body (or `()`).
        None => {
            let Some(r) = op.successes().next() else { return TokenStream::new() };
            let pattern = if r.body.is_some() { quote! { body } } else { quote! { () } };
            let respond = respond_expr(op, r);
            quote! { |#pattern| #respond }
        }
        Some(_) => {
            let arms = op.successes().map(|r| Moved::from(encode_arm(op, r)));
            quote! {
                |success| match success {
                    #(#arms)*
                }
            }
        }
    }
}

/// `impl rt::DeclaredErrors for super::{Op}Error`, the enum `name` that `op` defines
/// ([`Operation::own_error_enum`]): one arm per error response.
pub(super) fn declared_errors(op: &Operation, name: &str) -> TokenStream {
    let name = ident(name);
    let arms = op.errors().map(|r| Moved::from(encode_arm(op, r)));
    quote! {
        impl rt::DeclaredErrors for super::#name {
            fn encode(self) -> Response {
                match self {
                    #(#arms)*
                }
            }
        }
    }
}

/// The arm encoding response `r`, whose value is a variant of its enum (or, for
/// a single plain success, the value itself).
fn encode_arm(op: &Operation, r: &Response) -> TokenStream {
    let headers = r.headers.iter().map(|h| {
        let f = ident(&h.name);
        let wire = Str(&h.wire_name);
        if h.required {
            quote! { rt::insert_header(&mut response, #wire, Some(&#f)); }
        } else {
            quote! { rt::insert_header(&mut response, #wire, #f.as_ref()); }
        }
    });
    let respond = Moved::from(respond_expr(op, r));
    let pattern = match local_enum(op, r) {
        None if r.body.is_some() => quote! { body },
        None => quote! { () },
        Some(enum_name) => {
            let variant = ident(&r.variant);
            if r.is_plain() {
                match &r.body {
                    Some(_) => quote! { #enum_name::#variant(body) },
                    None => quote! { #enum_name::#variant },
                }
            } else {
                let status_field = (!matches!(r.status, StatusMatch::Code(_))).then(|| quote! { status, });
                let body_field = r.body.as_ref().map(|_| quote! { body, });
                let header_fields = r.headers.iter().map(|h| {
                    let f = ident(&h.name);
                    quote! { #f, }
                });
                quote! { #enum_name::#variant { #status_field #body_field #(#header_fields)* } }
            }
        }
    };
    let pattern = Moved::from(pattern);
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

/// The response of `r`, from its `status` (when it is a range or `default`) and `body` (when
/// it has one).
fn respond_expr(op: &Operation, r: &Response) -> TokenStream {
    let status = match r.status {
        StatusMatch::Code(c) => {
            let c = proc_macro2::Literal::u16_unsuffixed(c);
            quote! { #c }
        }
        StatusMatch::Range(d) => {
            let (digit, fallback) = (proc_macro2::Literal::u16_unsuffixed(d), proc_macro2::Literal::u16_unsuffixed(d * 100));
            quote! { rt::status_in_range(status, #digit, #fallback) }
        }
        StatusMatch::Default => quote! { status },
    };
    match r.body.as_ref().map(|b| b.kind) {
        Some(BodyKind::Text) => quote! { rt::text_response(#status, body) },
        Some(BodyKind::Binary) => quote! { rt::bytes_response(#status, body) },
        Some(_) if op.oauth.is_some() && !r.status.is_success() => {
            quote! { rt::oauth_error_response(#status, &body, None, None) }
        }
        Some(_) => quote! { rt::json_response(#status, &body) },
        None => quote! { rt::empty_response(#status) },
    }
}
