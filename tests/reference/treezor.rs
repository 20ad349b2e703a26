//! Reference implementation of the Treezor token endpoint (`POST /oauth/token`,
//! `multipart/form-data`, and `application/x-www-form-urlencoded` as RFC 6749 §3.2 asks).
//!
//! How it implements [`server::Api`]:
//!
//! - The body is a `oneOf` whose variants overlap; the router picks the variant by
//!   `grant_type` (`client_credentials`, `password`, `refresh_token`; another gets `400
//!   unsupported_grant_type` from the router). The implementation dispatches on
//!   `grant_type` and reads the fields that grant needs.
//! - **Client authentication** (RFC 6749 §2.3.1): the implementation reads
//!   `request.client`, the client's credentials however they came: HTTP Basic (id and
//!   secret already form-decoded by the router) or `client_id` / `client_secret` in the
//!   body (the router refuses both at once, `400`, §2.3). The spec declares no security, so
//!   the router lets requests without client authentication through: missing, unknown
//!   client or wrong secret → `401 invalid_client` through `default` (the router adds
//!   `WWW-Authenticate`).
//! - **Password grant** (§4.3): `username` / `password` of a known user, else `400
//!   invalid_grant`; issues an access and a refresh token.
//! - **Refresh grant** (§6): the refresh token must be one issued to the same client; it
//!   rotates (the old one stops working).
//! - Access tokens are JWTs (claims `iss`, `sub`, `scope`, `jti`), `token_type` `Bearer`,
//!   `expires_in` [`TOKEN_LIFETIME`].
//! - **`default` responses**: past [`Treezor::with_rate_limit`] requests → `429`; the scope
//!   [`MAINTENANCE_SCOPE`] → `503`. All errors carry a `DefaultError` whose item has the
//!   OAuth error code as `type`, a Treezor-style `code`, a message and [`DOC_URL`].

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use generated::treezor::server::{self, ClientAuth, Credentials, Failure, PutAuthRequest};
use generated::treezor::{
    ClientCredentialsTokenResponse, DefaultError, DefaultErrorItem, PasswordTokenResponse,
    PutAuth200Response, PutAuthBody, PutAuthError, RefreshTokenResponse,
};

/// The client [`Treezor::new`] knows.
pub const CLIENT: (&str, &str) = ("tz-client", "tz-secret");
/// The user [`Treezor::new`] knows.
pub const USER: (&str, &str) = ("alice@example.com", "correct horse battery staple");
/// The scope that makes the endpoint answer `503`.
pub const MAINTENANCE_SCOPE: &str = "maintenance";
/// Lifetime of access tokens, in seconds.
pub const TOKEN_LIFETIME: i64 = 3600;
/// The documentation link of every error.
pub const DOC_URL: &str = "https://docs.treezor.com/guide/api-basics/authentication.html";

/// In-memory Treezor authentication server. Clones share their state.
#[derive(Clone)]
pub struct Treezor {
    state: Arc<Mutex<State>>,
}

#[derive(Default)]
struct State {
    /// client id → secret.
    clients: HashMap<String, String>,
    /// user name → password.
    users: HashMap<String, String>,
    /// refresh token → (client id, user name, scope).
    refresh: HashMap<String, (String, String, String)>,
    rate_limit: Option<usize>,
    issued: u64,
    calls: usize,
    last_credentials: Option<Credentials>,
    last_client: Option<ClientAuth>,
}

/// The error of status `status`: `400` as such, the others through `default`.
pub fn error(status: u16, kind: &str, code: &str, message: &str) -> PutAuthError {
    let body = DefaultError {
        errors: Some(vec![DefaultErrorItem {
            r#type: Some(kind.to_string()),
            code: Some(code.to_string()),
            message: Some(message.to_string()),
            doc_url: Some(DOC_URL.to_string()),
        }]),
    };
    match status {
        400 => PutAuthError::BadRequest(body),
        status => PutAuthError::Default { status, body },
    }
}

/// The fields all three grants share, whatever variant the router picked (the client's
/// credentials come in `request.client`).
struct Common {
    grant_type: String,
    scope: Option<String>,
}

fn common(body: &PutAuthBody) -> Common {
    let (grant_type, scope) = match body {
        PutAuthBody::ClientCredentials(b) => (&b.grant_type, &b.scope),
        PutAuthBody::Password(b) => (&b.grant_type, &b.scope),
        PutAuthBody::RefreshToken(b) => (&b.grant_type, &b.scope),
    };
    Common {
        grant_type: grant_type.clone(),
        scope: scope.clone(),
    }
}

impl Default for Treezor {
    fn default() -> Self {
        Self::new()
    }
}

impl Treezor {
    /// A server with [`CLIENT`] and [`USER`] and no rate limit.
    pub fn new() -> Self {
        Treezor {
            state: Arc::default(),
        }
        .with_client(CLIENT.0, CLIENT.1)
        .with_user(USER.0, USER.1)
    }

    /// Registers a client.
    pub fn with_client(self, id: &str, secret: &str) -> Self {
        self.state()
            .clients
            .insert(id.to_string(), secret.to_string());
        self
    }

    /// Registers a user.
    pub fn with_user(self, name: &str, password: &str) -> Self {
        self.state()
            .users
            .insert(name.to_string(), password.to_string());
        self
    }

    /// Answers `429` to every request after the first `limit` that reached the implementation.
    pub fn with_rate_limit(self, limit: usize) -> Self {
        self.state().rate_limit = Some(limit);
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

    /// Whether `token` is an active refresh token.
    pub fn is_active_refresh_token(&self, token: &str) -> bool {
        self.state().refresh.contains_key(token)
    }
}

impl State {
    fn access_token(&mut self, client_id: &str, subject: &str, scope: &str) -> String {
        self.issued += 1;
        super::jwt(&serde_json::json!({
            "iss": "treezor-reference",
            "sub": subject,
            "client_id": client_id,
            "scope": scope,
            "jti": self.issued,
        }))
    }

    fn refresh_token(&mut self, client_id: &str, user: &str, scope: &str) -> String {
        self.issued += 1;
        let token = super::opaque("tz_rt_", self.issued);
        self.refresh.insert(
            token.clone(),
            (client_id.to_string(), user.to_string(), scope.to_string()),
        );
        token
    }

    /// Checks the client's authentication (RFC 6749 §2.3.1), however it came; returns its id.
    fn authenticate(&self, client: Option<&ClientAuth>) -> Result<String, PutAuthError> {
        let Some(client) = client else {
            return Err(error(
                401,
                "invalid_client",
                "unauthorized_client",
                "client credentials are missing",
            ));
        };
        let secret = client.client_secret.as_ref().map(|s| s.expose());
        match (self.clients.get(&client.client_id), secret) {
            (Some(expected), Some(secret)) if expected == secret => Ok(client.client_id.clone()),
            _ => Err(error(
                401,
                "invalid_client",
                "unauthorized_client",
                "client authentication failed",
            )),
        }
    }

    fn put_auth(&mut self, request: PutAuthRequest) -> Result<PutAuth200Response, PutAuthError> {
        if self.rate_limit.is_some_and(|limit| self.calls > limit) {
            return Err(error(
                429,
                "rate_limit",
                "too_many_requests",
                "too many token requests, retry later",
            ));
        }
        let common = common(&request.body);
        let client_id = self.authenticate(request.client.as_ref())?;
        let scope = common.scope.clone().unwrap_or_default();
        if scope.split_whitespace().any(|s| s == MAINTENANCE_SCOPE) {
            return Err(error(
                503,
                "temporarily_unavailable",
                "maintenance",
                "authentication is in maintenance",
            ));
        }
        let invalid_grant = |message: &str| error(400, "invalid_grant", "invalid_grant", message);
        match (common.grant_type.as_str(), request.body) {
            ("client_credentials", _) => {
                let access_token = self.access_token(&client_id, &client_id, &scope);
                Ok(PutAuth200Response::ClientCredentials(
                    ClientCredentialsTokenResponse {
                        token_type: "Bearer".to_string(),
                        expires_in: TOKEN_LIFETIME,
                        access_token: Some(access_token),
                    },
                ))
            }
            ("password", PutAuthBody::Password(body)) => {
                let (Some(user), Some(password)) = (body.username, body.password) else {
                    return Err(error(
                        400,
                        "invalid_request",
                        "invalid_request",
                        "username and password are required",
                    ));
                };
                if self.users.get(&user) != Some(&password) {
                    return Err(invalid_grant("wrong user name or password"));
                }
                let access_token = self.access_token(&client_id, &user, &scope);
                let refresh_token = self.refresh_token(&client_id, &user, &scope);
                Ok(PutAuth200Response::Password(PasswordTokenResponse {
                    token_type: "Bearer".to_string(),
                    expires_in: TOKEN_LIFETIME,
                    access_token: Some(access_token),
                    refresh_token: Some(refresh_token),
                }))
            }
            ("refresh_token", PutAuthBody::RefreshToken(body)) => {
                let Some(token) = body.refresh_token else {
                    return Err(error(
                        400,
                        "invalid_request",
                        "invalid_request",
                        "refresh_token is required",
                    ));
                };
                let Some((owner, user, granted)) = self.refresh.get(&token).cloned() else {
                    return Err(invalid_grant("unknown refresh token"));
                };
                if owner != client_id {
                    return Err(invalid_grant("the refresh token belongs to another client"));
                }
                self.refresh.remove(&token);
                let scope = if scope.is_empty() { granted } else { scope };
                let access_token = self.access_token(&client_id, &user, &scope);
                let refresh_token = self.refresh_token(&client_id, &user, &scope);
                Ok(PutAuth200Response::Refresh(RefreshTokenResponse {
                    token_type: "Bearer".to_string(),
                    expires_in: TOKEN_LIFETIME,
                    access_token: Some(access_token),
                    refresh_token: Some(refresh_token),
                }))
            }
            ("password" | "refresh_token", _) => Err(error(
                400,
                "invalid_request",
                "invalid_request",
                &format!("the {} grant is missing its fields", common.grant_type),
            )),
            (other, _) => Err(error(
                400,
                "unsupported_grant_type",
                "unsupported_grant_type",
                &format!("grant type `{other}` is not supported"),
            )),
        }
    }
}

impl server::Api for Treezor {
    async fn put_auth(
        &self,
        request: PutAuthRequest,
    ) -> Result<PutAuth200Response, Failure<PutAuthError>> {
        let mut state = self.state();
        state.calls += 1;
        state.last_credentials = request.credentials.clone();
        state.last_client = request.client.clone();
        state.put_auth(request).map_err(Failure::from)
    }
}
