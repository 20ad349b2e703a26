//! Credentials: HTTP Basic, Bearer tokens, API keys, and OAuth client authentication.

use std::fmt;

use axum::http::request::Parts;
use axum::http::Extensions;

use super::form::Field;
use super::params::cookie_values;
use super::rejection::Rejection;
use crate::oauth::{form_decode, ClientAuth};
use crate::{ApiKeyLocation, Secret};

/// Credentials a request carried. `Debug` hides the secrets.
#[derive(Clone, PartialEq, Eq)]
pub enum Credentials {
    /// HTTP Basic. On OAuth endpoints these are the client id and secret, already
    /// form-decoded (RFC 6749 §2.3.1).
    Basic {
        /// User name or client id.
        username: String,
        /// Password or client secret.
        password: Secret,
    },
    /// A Bearer token (RFC 6750).
    Bearer(Secret),
    /// An API key.
    ApiKey(Secret),
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Credentials::Basic { username, password } => f.debug_struct("Basic").field("username", username).field("password", password).finish(),
            Credentials::Bearer(token) => f.debug_tuple("Bearer").field(token).finish(),
            Credentials::ApiKey(key) => f.debug_tuple("ApiKey").field(key).finish(),
        }
    }
}

/// The kinds of credentials an operation accepts.
#[derive(Clone, Copy, Debug)]
pub struct Accepts {
    /// HTTP Basic.
    pub basic: bool,
    /// Bearer tokens.
    pub bearer: bool,
    /// Basic credentials are OAuth client credentials, form-encoded (RFC 6749 §2.3.1).
    pub client_auth: bool,
    /// API keys: where, and under which name.
    pub api_keys: &'static [(ApiKeyLocation, &'static str)],
    /// The `WWW-Authenticate` challenge of the `401` a request without credentials gets.
    pub challenge: &'static str,
}

/// The request's credentials of the accepted kinds.
///
/// # Errors
///
/// `401` for an `Authorization` header of an accepted kind that does not decode.
pub fn credentials(parts: &Parts, accepts: &Accepts) -> Result<Option<Credentials>, Rejection> {
    if let Some(value) = parts.headers.get(axum::http::header::AUTHORIZATION) {
        let value = value.to_str().map_err(|_| Rejection::unauthorized("Basic", "malformed Authorization header"))?;
        let (scheme, rest) = value.split_once(' ').unwrap_or((value, ""));
        if accepts.basic && scheme.eq_ignore_ascii_case("basic") {
            let malformed = || Rejection::unauthorized("Basic", "malformed Basic credentials");
            let raw = base64::Engine::decode(&base64::engine::general_purpose::STANDARD, rest.trim()).map_err(|_| malformed())?;
            let text = String::from_utf8(raw).map_err(|_| malformed())?;
            let (username, password) = text.split_once(':').ok_or_else(malformed)?;
            let (username, password) = if accepts.client_auth {
                // RFC 6749 §2.3.1 form-encodes the id and secret first. Many clients do not
                // (authlib, requests-oauthlib, pyiceberg): text that is not valid
                // form-encoding is taken as it came.
                (form_decode(username).unwrap_or_else(|| username.to_string()), form_decode(password).unwrap_or_else(|| password.to_string()))
            } else {
                (username.to_string(), password.to_string())
            };
            return Ok(Some(Credentials::Basic { username, password: Secret::new(password) }));
        }
        if accepts.bearer && scheme.eq_ignore_ascii_case("bearer") {
            let token = rest.trim();
            if token.is_empty() {
                return Err(Rejection::invalid_token("empty Bearer token"));
            }
            return Ok(Some(Credentials::Bearer(Secret::new(token))));
        }
    }
    for (location, name) in accepts.api_keys {
        let value = match location {
            ApiKeyLocation::Query => parts
                .uri
                .query()
                .and_then(|q| serde_urlencoded::from_str::<Vec<(String, String)>>(q).ok())
                .and_then(|pairs| pairs.into_iter().find(|(k, _)| k == name).map(|(_, v)| v)),
            ApiKeyLocation::Cookie => cookie_values(&parts.headers, name).first().map(|v| v.to_string()),
            ApiKeyLocation::Header => parts.headers.get(*name).and_then(|v| v.to_str().ok()).map(str::to_string),
        };
        if let Some(value) = value {
            return Ok(Some(Credentials::ApiKey(Secret::new(value))));
        }
    }
    Ok(None)
}

/// The request's credentials, which the operation requires.
///
/// # Errors
///
/// `401` with the accepted kinds' challenge when none of them came; as [`credentials`]
/// otherwise.
pub fn required_credentials(parts: &Parts, accepts: &Accepts) -> Result<Credentials, Rejection> {
    credentials(parts, accepts)?.ok_or_else(|| Rejection::unauthorized(accepts.challenge, "missing credentials"))
}

/// The client authentication of a request to an OAuth endpoint, however the client sent it:
/// HTTP Basic (`credentials`, already form-decoded) or `client_id`/`client_secret` in the
/// body `fields` (RFC 6749 §2.3.1), or `client_id` alone for a public client (§2.1).
///
/// # Errors
///
/// `400 invalid_request` when the client uses two methods (Basic and a body secret, §2.3),
/// or names itself differently in the body and in Basic (§3.2.1 allows the same id).
pub fn client_authentication(credentials: Option<&Credentials>, fields: &[Field<'_>]) -> Result<Option<ClientAuth>, Rejection> {
    let field = |name: &str| fields.iter().find(|(k, v)| k == name && !v.is_empty()).map(|(_, v)| v.as_ref());
    match credentials {
        Some(Credentials::Basic { username, password }) => {
            if field("client_secret").is_some() {
                return Err(Rejection::bad_request(
                    "invalid_request",
                    "client credentials came both in the Authorization header and in the body (RFC 6749 §2.3)",
                ));
            }
            if field("client_id").is_some_and(|id| id != username) {
                return Err(Rejection::bad_request("invalid_request", "`client_id` in the body is not the client of the Authorization header"));
            }
            Ok(Some(ClientAuth::basic(username.clone(), password.clone())))
        }
        _ => Ok(field("client_id").map(|id| match field("client_secret") {
            Some(secret) => ClientAuth::post(id, secret),
            None => ClientAuth::public(id),
        })),
    }
}

/// Requires client authentication when the request's `grant_type` is one of `grants` (`*`:
/// any) and the request carries no other accepted credentials.
///
/// # Errors
///
/// `401 invalid_client` with `challenge` (RFC 6749 §5.2).
pub fn require_client(
    client: Option<&ClientAuth>,
    others: Option<&Credentials>,
    fields: &[Field<'_>],
    grants: &[&str],
    challenge: &str,
) -> Result<(), Rejection> {
    let grant = fields.iter().find(|(k, _)| k == "grant_type").map(|(_, v)| v.as_ref());
    let needed = grants.contains(&"*") || grant.is_some_and(|g| grants.contains(&g));
    let basic_other = matches!(others, Some(Credentials::Basic { .. }));
    if needed && client.is_none() && (others.is_none() || basic_other) {
        return Err(Rejection::unauthorized(challenge, "client authentication is required (RFC 6749 §2.3)"));
    }
    Ok(())
}

/// What the implementation's `authenticate` hook sees of a request before it is dispatched.
#[derive(Clone, Copy, Debug)]
pub struct AuthContext<'a> {
    /// The operation's `operationId`.
    pub operation_id: &'static str,
    /// The credentials the request carried (`Authorization`, API key).
    pub credentials: Option<&'a Credentials>,
    /// On OAuth endpoints: the client authentication, however it came.
    pub client: Option<&'a ClientAuth>,
    /// The request's extensions (set by middleware).
    pub extensions: &'a Extensions,
}

/// The context of a request to `operation_id` (`parts`: its head).
pub fn context<'a>(operation_id: &'static str, parts: &'a Parts, credentials: Option<&'a Credentials>, client: Option<&'a ClientAuth>) -> AuthContext<'a> {
    AuthContext { operation_id, credentials, client, extensions: &parts.extensions }
}

/// The context of a request to `operation_id`, an operation that takes no credentials.
pub fn open_context<'a>(operation_id: &'static str, parts: &'a Parts) -> AuthContext<'a> {
    context(operation_id, parts, None, None)
}
