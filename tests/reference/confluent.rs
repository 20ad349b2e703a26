//! Reference implementation of the Confluent Cloud Security Token Service
//! (`POST /sts/v1/oauth2/token`, RFC 8693 token exchange).
//!
//! How it implements [`server::Api`]:
//!
//! - **Rate limiting**: a fixed window of [`Confluent::with_rate_limit`] requests (default
//!   [`DEFAULT_RATE_LIMIT`]). Every request that reaches the implementation counts; past
//!   the limit the answer is `429` with no body and the headers `X-RateLimit-Limit`,
//!   `X-RateLimit-Remaining` (0), `X-RateLimit-Reset` and `Retry-After` (both
//!   [`WINDOW_SECONDS`]). The window never elapses by itself, so tests stay deterministic:
//!   [`Confluent::reset_window`] starts a new one.
//! - **Validation** (`400`, `Failure` body with one `Error` whose `source.pointer` names the
//!   field): the five fields the operation requires must be there; `grant_type` must be
//!   token exchange, `subject_token_type` JWT and `requested_token_type` access token (the
//!   spec types them as open enums, so the router lets other values through);
//!   `identity_pool_id` must be a known pool; `subject_token` must be a JWT (three
//!   base64url segments, JSON header with `alg`, JSON claims with `sub`): anything else is
//!   `invalid_grant`. `expires_in` (at most 900, checked by the router) must be positive.
//! - **Success**: an opaque Confluent access token valid `expires_in` seconds, with
//!   `issued_token_type` access token and `token_type` `Bearer`.
//! - **500**: the identity pool [`FAILING_POOL`] stands for a backend failure.
//! - Every response but `200` carries `X-Request-Id` (`req-<n>`), which also becomes the
//!   `id` of the `Error`.
//! - **No client authentication**: the STS authenticates the subject token, not a client
//!   (the spec declares no security), so `request.client` is not checked. Every response
//!   carries `Cache-Control: no-store` (the router adds it to token endpoint responses).

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, MutexGuard};

use generated::confluent::server::{self, ExchangeStsV1OauthTokenRequest};
use generated::confluent::{
    Error, ErrorSource, ExchangeStsV1OauthTokenError, Failure, StsV1TokenExchangeReply,
    StsV1TokenExchangeReplyIssuedTokenType, StsV1TokenExchangeReplyTokenType,
    StsV1TokenExchangeRequestGrantType, StsV1TokenExchangeRequestRequestedTokenType,
    StsV1TokenExchangeRequestSubjectTokenType,
};

/// The identity pool [`Confluent::new`] knows.
pub const DEFAULT_POOL: &str = "pool-Ab1x";
/// The identity pool whose use makes the service fail with `500`.
pub const FAILING_POOL: &str = "pool-fail";
/// Requests per window unless configured otherwise.
pub const DEFAULT_RATE_LIMIT: i64 = 1000;
/// Length of a rate-limit window, in seconds.
pub const WINDOW_SECONDS: i64 = 60;

/// In-memory Confluent STS. Clones share their state.
#[derive(Clone)]
pub struct Confluent {
    state: Arc<Mutex<State>>,
}

struct State {
    pools: HashSet<String>,
    rate_limit: i64,
    used: i64,
    /// access token → (identity pool, subject).
    tokens: HashMap<String, (String, String)>,
    issued: u64,
    request_ids: u64,
    calls: usize,
}

type Outcome = Result<StsV1TokenExchangeReply, ExchangeStsV1OauthTokenError>;

impl Default for Confluent {
    fn default() -> Self {
        Self::new()
    }
}

impl Confluent {
    /// A service with the pools [`DEFAULT_POOL`] and [`FAILING_POOL`] and a limit of
    /// [`DEFAULT_RATE_LIMIT`] requests.
    pub fn new() -> Self {
        let pools = [DEFAULT_POOL, FAILING_POOL]
            .iter()
            .map(|p| p.to_string())
            .collect();
        let state = State {
            pools,
            rate_limit: DEFAULT_RATE_LIMIT,
            used: 0,
            tokens: HashMap::new(),
            issued: 0,
            request_ids: 0,
            calls: 0,
        };
        Confluent {
            state: Arc::new(Mutex::new(state)),
        }
    }

    /// Allows `limit` requests per window.
    pub fn with_rate_limit(self, limit: i64) -> Self {
        self.state().rate_limit = limit;
        self
    }

    /// Adds an identity pool.
    pub fn with_identity_pool(self, pool: &str) -> Self {
        self.state().pools.insert(pool.to_string());
        self
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Starts a new rate-limit window.
    pub fn reset_window(&self) {
        self.state().used = 0;
    }

    /// How many requests reached the implementation (the router rejects bad ones before).
    pub fn calls(&self) -> usize {
        self.state().calls
    }

    /// The identity pool and subject an issued access token stands for.
    pub fn grant_of(&self, token: &str) -> Option<(String, String)> {
        self.state().tokens.get(token).cloned()
    }
}

/// A `Failure` with one `Error`.
fn failure(request_id: &str, status: u16, code: &str, detail: &str, pointer: &str) -> Failure {
    let title = match status {
        400 => "Bad Request",
        _ => "Internal Server Error",
    };
    Failure::new(vec![Error {
        id: Some(request_id.to_string()),
        status: Some(status.to_string()),
        code: Some(code.to_string()),
        title: Some(title.to_string()),
        detail: Some(detail.to_string()),
        source: (!pointer.is_empty()).then(|| ErrorSource {
            pointer: Some(pointer.to_string()),
            ..ErrorSource::new()
        }),
    }])
}

impl State {
    fn exchange(&mut self, request: ExchangeStsV1OauthTokenRequest) -> Outcome {
        self.request_ids += 1;
        let request_id = format!("req-{}", self.request_ids);
        self.used += 1;
        if self.used > self.rate_limit {
            return Err(ExchangeStsV1OauthTokenError::TooManyRequests {
                retry_after: Some(WINDOW_SECONDS),
                x_rate_limit_limit: Some(self.rate_limit),
                x_rate_limit_remaining: Some(0),
                x_rate_limit_reset: Some(WINDOW_SECONDS),
                x_request_id: Some(request_id),
            });
        }
        let bad =
            |code: &str, detail: &str, pointer: &str| ExchangeStsV1OauthTokenError::BadRequest {
                body: failure(&request_id, 400, code, detail, pointer),
                x_request_id: Some(request_id.clone()),
            };
        // The router already refused requests missing a required field.
        let body = request.body;
        let grant_type = body.grant_type;
        let subject_token = body.subject_token;
        let pool = body.identity_pool_id;
        let subject_type = body.subject_token_type;
        let requested = body.requested_token_type;
        if grant_type != StsV1TokenExchangeRequestGrantType::TokenExchange {
            return Err(bad(
                "unsupported_grant_type",
                "only token exchange is supported",
                "/grant_type",
            ));
        }
        if subject_type != StsV1TokenExchangeRequestSubjectTokenType::Jwt {
            return Err(bad(
                "invalid_request",
                "the subject token must be a JWT",
                "/subject_token_type",
            ));
        }
        if requested != StsV1TokenExchangeRequestRequestedTokenType::AccessToken {
            return Err(bad(
                "invalid_request",
                "only access tokens can be requested",
                "/requested_token_type",
            ));
        }
        if body.expires_in <= 0 {
            return Err(bad(
                "invalid_request",
                "`expires_in` must be positive",
                "/expires_in",
            ));
        }
        if !self.pools.contains(&pool) {
            return Err(bad(
                "invalid_request",
                &format!("identity pool `{pool}` not found"),
                "/identity_pool_id",
            ));
        }
        let claims = super::jwt_claims(&subject_token);
        let Some(subject) = claims
            .as_ref()
            .and_then(|c| c.get("sub"))
            .and_then(|s| s.as_str())
        else {
            return Err(bad(
                "invalid_grant",
                "the subject token is not a valid JWT",
                "/subject_token",
            ));
        };
        if pool == FAILING_POOL {
            return Err(ExchangeStsV1OauthTokenError::InternalServerError {
                body: failure(
                    &request_id,
                    500,
                    "internal_error",
                    "the identity pool could not be read",
                    "",
                ),
                x_request_id: Some(request_id.clone()),
            });
        }
        self.issued += 1;
        let token = super::opaque("cflt_at_", self.issued);
        self.tokens
            .insert(token.clone(), (pool, subject.to_string()));
        Ok(StsV1TokenExchangeReply::new(
            token,
            StsV1TokenExchangeReplyIssuedTokenType::AccessToken,
            StsV1TokenExchangeReplyTokenType::Bearer,
            body.expires_in,
        ))
    }
}

impl server::Api for Confluent {
    async fn exchange_sts_v1_oauth_token(
        &self,
        request: ExchangeStsV1OauthTokenRequest,
    ) -> Result<StsV1TokenExchangeReply, server::Failure<ExchangeStsV1OauthTokenError>> {
        let mut state = self.state();
        state.calls += 1;
        state.exchange(request).map_err(server::Failure::from)
    }
}
