//! Reference implementation of the Apache Polaris / Iceberg REST catalog token endpoint
//! (`POST /v1/oauth/tokens`).
//!
//! How it implements [`server::Api`]:
//!
//! - **Client authentication** (RFC 6749 §2.3): the implementation reads `request.client`,
//!   the client's credentials however they came: HTTP Basic (id and secret already
//!   form-decoded by the router, §2.3.1) or `client_id` / `client_secret` in the body. The
//!   router already refuses a request that uses both (`400 invalid_request`, §2.3) or names
//!   another client in the body than in Basic, and answers `401 invalid_client` with
//!   `WWW-Authenticate` when a request carries neither client authentication nor a Bearer
//!   token. Unknown client, wrong or missing secret → `401 invalid_client` (the declared
//!   `401`, with `WWW-Authenticate` added by the router).
//! - **Client credentials** (§4.4) need client authentication: a Bearer token alone gets
//!   `401 invalid_client` too.
//! - **Scopes**: each space-separated scope must be `PRINCIPAL_ROLE:<role>` (what Polaris
//!   uses); anything else → `400 invalid_scope`. No scope means `PRINCIPAL_ROLE:ALL`.
//! - **Token exchange** (RFC 8693): authenticated by the catalog's Bearer token (the
//!   operation's security requirement; it must be an issued token, else `401
//!   invalid_client`) and/or by client authentication (checked as above). `subject_token`
//!   must be an access token this server issued (`subject_token_type` access token), else
//!   `400 invalid_grant`; an `actor_token` must be one too and comes with its
//!   `actor_token_type` (§2.1). The new token keeps the subject's client and scope (or a
//!   narrower requested scope), and the reply says `issued_token_type` = access token.
//! - **Tokens** are opaque, with `token_type` `bearer` as the spec spells it (clients
//!   compare it without regard to case, RFC 6749 §5.1).
//! - **5XX**: the scope [`UNAVAILABLE_SCOPE`] stands for a catalog in maintenance and
//!   gets `503` with an `OAuthError` body (`ServerError { status: 503, .. }`).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use generated::polaris::server::{self, ClientAuth, Credentials, Failure, GetTokenRequest};
use generated::polaris::{
    GetTokenError, OAuthClientCredentialsRequest, OAuthError, OAuthErrorError,
    OAuthTokenExchangeRequest, OAuthTokenRequest, OAuthTokenResponse, OAuthTokenResponseTokenType,
    TokenType,
};

/// The scope that makes the endpoint answer `503`.
pub const UNAVAILABLE_SCOPE: &str = "PRINCIPAL_ROLE:__unavailable__";
/// The scope granted when none is asked for.
pub const DEFAULT_SCOPE: &str = "PRINCIPAL_ROLE:ALL";
/// Lifetime of issued tokens, in seconds.
pub const TOKEN_LIFETIME: i64 = 3600;
/// The client configured by [`Polaris::new`].
pub const ROOT_CLIENT: (&str, &str) = ("root", "s3cr3t");

/// In-memory Polaris token endpoint. Clones share their state.
#[derive(Clone)]
pub struct Polaris {
    state: Arc<Mutex<State>>,
}

#[derive(Default)]
struct State {
    /// client id → secret.
    clients: HashMap<String, String>,
    /// access token → what it grants.
    tokens: HashMap<String, Grant>,
    issued: u64,
    calls: usize,
    last_credentials: Option<Credentials>,
    last_client: Option<ClientAuth>,
    /// Lifetime of issued tokens, in seconds ([`TOKEN_LIFETIME`] unless set).
    lifetime: Option<i64>,
    /// The grant of every request that reached the implementation, in order.
    grants: Vec<&'static str>,
}

#[derive(Clone, Debug)]
struct Grant {
    client_id: String,
    scope: String,
}

type Outcome = Result<OAuthTokenResponse, GetTokenError>;

fn error(error: OAuthErrorError, description: &str) -> OAuthError {
    OAuthError {
        error_description: Some(description.to_string()),
        ..OAuthError::new(error)
    }
}

fn bad_request(code: OAuthErrorError, description: &str) -> GetTokenError {
    GetTokenError::BadRequest(error(code, description))
}

fn unauthorized(description: &str) -> GetTokenError {
    GetTokenError::Unauthorized(error(OAuthErrorError::InvalidClient, description))
}

impl Default for Polaris {
    fn default() -> Self {
        Self::new()
    }
}

impl Polaris {
    /// An endpoint that knows the client [`ROOT_CLIENT`].
    pub fn new() -> Self {
        Polaris {
            state: Arc::default(),
        }
        .with_client(ROOT_CLIENT.0, ROOT_CLIENT.1)
    }

    /// Issues tokens that live `seconds` (for renewal tests).
    pub fn with_token_lifetime(self, seconds: i64) -> Self {
        self.state().lifetime = Some(seconds);
        self
    }

    /// The grant of every request that reached the implementation, in order:
    /// `client_credentials` or `token_exchange`.
    pub fn grants(&self) -> Vec<&'static str> {
        self.state().grants.clone()
    }

    /// Registers another client.
    pub fn with_client(self, id: &str, secret: &str) -> Self {
        self.state()
            .clients
            .insert(id.to_string(), secret.to_string());
        self
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// How many requests reached the implementation (the router rejects bad ones before).
    pub fn calls(&self) -> usize {
        self.state().calls
    }

    /// Whether `token` is an access token this endpoint issued.
    pub fn is_active(&self, token: &str) -> bool {
        self.state().tokens.contains_key(token)
    }

    /// The client id and scope an issued token stands for.
    pub fn grant_of(&self, token: &str) -> Option<(String, String)> {
        self.state()
            .tokens
            .get(token)
            .map(|g| (g.client_id.clone(), g.scope.clone()))
    }

    /// The credentials (`Authorization` header) of the last request that reached the
    /// implementation.
    pub fn last_credentials(&self) -> Option<Credentials> {
        self.state().last_credentials.clone()
    }

    /// The client authentication of the last request that reached the implementation, as
    /// the router handed it over.
    pub fn last_client(&self) -> Option<ClientAuth> {
        self.state().last_client.clone()
    }
}

impl State {
    fn issue(&mut self, client_id: &str, scope: &str, exchanged: bool) -> OAuthTokenResponse {
        self.issued += 1;
        let token = super::opaque("pol_at_", self.issued);
        let grant = Grant {
            client_id: client_id.to_string(),
            scope: scope.to_string(),
        };
        self.tokens.insert(token.clone(), grant);
        OAuthTokenResponse {
            expires_in: Some(self.lifetime.unwrap_or(TOKEN_LIFETIME)),
            issued_token_type: exchanged.then_some(TokenType::AccessToken),
            scope: Some(scope.to_string()),
            ..OAuthTokenResponse::new(token, OAuthTokenResponseTokenType::Bearer)
        }
    }

    /// The requested scope, checked: `Err` for a malformed one, `503` for maintenance.
    fn scope(requested: Option<&str>) -> Result<Option<String>, GetTokenError> {
        let Some(requested) = requested.map(str::trim).filter(|s| !s.is_empty()) else {
            return Ok(None);
        };
        for scope in requested.split_whitespace() {
            if scope == UNAVAILABLE_SCOPE {
                return Err(GetTokenError::ServerError {
                    status: 503,
                    body: error(
                        OAuthErrorError::InvalidRequest,
                        "the catalog is in maintenance, retry later",
                    ),
                });
            }
            let role = scope.strip_prefix("PRINCIPAL_ROLE:").unwrap_or_default();
            if role.is_empty() {
                return Err(bad_request(
                    OAuthErrorError::InvalidScope,
                    &format!("scope `{scope}` is not PRINCIPAL_ROLE:<role>"),
                ));
            }
        }
        Ok(Some(
            requested.split_whitespace().collect::<Vec<_>>().join(" "),
        ))
    }

    /// Checks the client's authentication (RFC 6749 §2.3.1): a known client with its
    /// secret, however it came; returns its id.
    fn authenticate(&self, client: &ClientAuth) -> Result<String, GetTokenError> {
        let secret = client.client_secret.as_ref().map(|s| s.expose());
        match (self.clients.get(&client.client_id), secret) {
            (Some(expected), Some(secret)) if expected == secret => Ok(client.client_id.clone()),
            _ => Err(unauthorized("client authentication failed")),
        }
    }

    fn client_credentials(
        &mut self,
        body: OAuthClientCredentialsRequest,
        client: Option<&ClientAuth>,
    ) -> Outcome {
        let Some(client) = client else {
            return Err(unauthorized(
                "the client credentials grant needs client authentication (RFC 6749 §4.4.2)",
            ));
        };
        let id = self.authenticate(client)?;
        let scope = Self::scope(body.scope.as_deref())?;
        Ok(self.issue(&id, scope.as_deref().unwrap_or(DEFAULT_SCOPE), false))
    }

    fn token_exchange(
        &mut self,
        body: OAuthTokenExchangeRequest,
        credentials: Option<&Credentials>,
        client: Option<&ClientAuth>,
    ) -> Outcome {
        if let Some(Credentials::Bearer(token)) = credentials {
            if !self.tokens.contains_key(token.expose()) {
                return Err(unauthorized("the bearer token is not an active token"));
            }
        }
        if let Some(client) = client {
            self.authenticate(client)?;
        }
        if body.subject_token_type != TokenType::AccessToken {
            return Err(bad_request(
                OAuthErrorError::InvalidRequest,
                "only access tokens of this catalog can be exchanged",
            ));
        }
        if body
            .requested_token_type
            .is_some_and(|t| t != TokenType::AccessToken)
        {
            return Err(bad_request(
                OAuthErrorError::InvalidRequest,
                "only access tokens can be requested",
            ));
        }
        let Some(subject) = self.tokens.get(&body.subject_token).cloned() else {
            return Err(bad_request(
                OAuthErrorError::InvalidGrant,
                "unknown subject_token",
            ));
        };
        if let Some(actor) = &body.actor_token {
            if body.actor_token_type.is_none() {
                return Err(bad_request(
                    OAuthErrorError::InvalidRequest,
                    "actor_token_type is required with actor_token",
                ));
            }
            if !self.tokens.contains_key(actor) {
                return Err(bad_request(
                    OAuthErrorError::InvalidGrant,
                    "unknown actor_token",
                ));
            }
        }
        let scope = match Self::scope(body.scope.as_deref())? {
            None => subject.scope.clone(),
            Some(asked) => {
                let held: Vec<&str> = subject.scope.split_whitespace().collect();
                let allowed = held.contains(&DEFAULT_SCOPE)
                    || asked.split_whitespace().all(|s| held.contains(&s));
                if !allowed {
                    return Err(bad_request(
                        OAuthErrorError::InvalidScope,
                        "the requested scope exceeds the subject token's",
                    ));
                }
                asked
            }
        };
        Ok(self.issue(&subject.client_id, &scope, true))
    }
}

impl server::Api for Polaris {
    async fn get_token(
        &self,
        request: GetTokenRequest,
    ) -> Result<OAuthTokenResponse, Failure<GetTokenError>> {
        let mut state = self.state();
        state.calls += 1;
        state.last_credentials = request.credentials.clone();
        state.last_client = request.client.clone();
        let (credentials, client) = (request.credentials.as_ref(), request.client.as_ref());
        let grant = match request.body {
            OAuthTokenRequest::ClientCredentials(_) => "client_credentials",
            OAuthTokenRequest::TokenExchange(_) => "token_exchange",
        };
        state.grants.push(grant);
        let outcome = match request.body {
            OAuthTokenRequest::ClientCredentials(body) => state.client_credentials(body, client),
            OAuthTokenRequest::TokenExchange(body) => {
                state.token_exchange(body, credentials, client)
            }
        };
        outcome.map_err(Failure::from)
    }
}
