//! RFC 8693 token exchange.

use std::fmt;
use std::sync::Arc;

use url::Url;

use super::cache::{cache_options, Grant, Options};
use super::flows::scope_param;
use super::{BoxFuture, CachedTokenSource, TokenEndpoint, TokenError, TokenSource};
use crate::oauth::{ClientAuth, ErrorCode, GrantType, TokenResponse};
use crate::Secret;

/// Where a subject or actor token comes from.
#[derive(Clone)]
enum Input {
    Fixed(Secret, String),
    Source(Arc<dyn TokenSource>, String),
}

impl fmt::Debug for Input {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Input::Fixed(token, kind) => f.debug_tuple("Fixed").field(token).field(kind).finish(),
            Input::Source(source, kind) => f.debug_tuple("Source").field(source).field(kind).finish(),
        }
    }
}

impl Input {
    /// The token now: a source's current access token.
    async fn get(&self) -> Result<(Secret, Option<super::AccessToken>), TokenError> {
        match self {
            Input::Fixed(token, _) => Ok((token.clone(), None)),
            Input::Source(source, _) => {
                let token = source.token().await?;
                Ok((token.secret().clone(), Some(token)))
            }
        }
    }

    fn kind(&self) -> &str {
        match self {
            Input::Fixed(_, kind) | Input::Source(_, kind) => kind,
        }
    }
}

/// RFC 8693 token exchange: a token for the client in exchange for a subject token (and
/// optionally an actor token), e.g. a token for another audience, or a downscoped one.
/// Builds a [`CachedTokenSource`] that renews with the refresh token if the server issues one,
/// else by exchanging again.
///
/// The subject token is fixed, or taken from another [`TokenSource`] at each exchange (a
/// source's own renewal then happens there). When the exchange is refused with
/// `invalid_request` or `invalid_grant` (how RFC 8693 §2.2.2 says an unacceptable subject
/// token is refused) and the subject came from a source, that subject token is invalidated
/// and the exchange tried once more with a new one.
///
/// ```no_run
/// use std::sync::Arc;
/// use oauth_api::oauth::ClientAuth;
/// use oauth_api::token::{ClientCredentials, TokenExchange, ACCESS_TOKEN_TYPE};
/// let token_url = url::Url::parse("https://idp.example/token").unwrap();
/// let own = ClientCredentials::builder(token_url.clone(), ClientAuth::basic("svc", "secret")).build();
/// let downstream = TokenExchange::builder(token_url, ClientAuth::basic("svc", "secret"))
///     .subject_from(Arc::new(own), ACCESS_TOKEN_TYPE)
///     .audience("https://api.example")
///     .scope("read")
///     .build();
/// ```
#[derive(Debug)]
pub struct TokenExchange;

impl TokenExchange {
    /// A builder for the token endpoint at `token_url`. Give it a subject
    /// ([`TokenExchangeBuilder::subject_token`] or [`TokenExchangeBuilder::subject_from`]).
    pub fn builder(token_url: Url, auth: ClientAuth) -> TokenExchangeBuilder {
        TokenExchangeBuilder {
            endpoint: TokenEndpoint::new(token_url, auth),
            subject: None,
            actor: None,
            requested_token_type: None,
            audiences: Vec::new(),
            resources: Vec::new(),
            scopes: Vec::new(),
            params: Vec::new(),
            options: Options::default(),
        }
    }
}

/// Builds a token exchange [`CachedTokenSource`]; see [`TokenExchange`].
#[derive(Debug)]
#[must_use]
pub struct TokenExchangeBuilder {
    endpoint: TokenEndpoint,
    subject: Option<Input>,
    actor: Option<Input>,
    requested_token_type: Option<String>,
    audiences: Vec<String>,
    resources: Vec<String>,
    scopes: Vec<String>,
    params: Vec<(String, String)>,
    options: Options,
}

impl TokenExchangeBuilder {
    /// A fixed subject token of `token_type` (e.g. [`ACCESS_TOKEN_TYPE`](super::ACCESS_TOKEN_TYPE),
    /// `urn:ietf:params:oauth:token-type:jwt`).
    pub fn subject_token(mut self, token: impl Into<Secret>, token_type: impl Into<String>) -> Self {
        self.subject = Some(Input::Fixed(token.into(), token_type.into()));
        self
    }

    /// The subject token is `source`'s access token, asked for at each exchange.
    pub fn subject_from(mut self, source: Arc<dyn TokenSource>, token_type: impl Into<String>) -> Self {
        self.subject = Some(Input::Source(source, token_type.into()));
        self
    }

    /// A fixed actor token (delegation, RFC 8693 §1.1).
    pub fn actor_token(mut self, token: impl Into<Secret>, token_type: impl Into<String>) -> Self {
        self.actor = Some(Input::Fixed(token.into(), token_type.into()));
        self
    }

    /// The actor token is `source`'s access token, asked for at each exchange.
    pub fn actor_from(mut self, source: Arc<dyn TokenSource>, token_type: impl Into<String>) -> Self {
        self.actor = Some(Input::Source(source, token_type.into()));
        self
    }

    /// `requested_token_type`.
    pub fn requested_token_type(mut self, token_type: impl Into<String>) -> Self {
        self.requested_token_type = Some(token_type.into());
        self
    }

    /// An `audience`; may be repeated.
    pub fn audience(mut self, audience: impl Into<String>) -> Self {
        self.audiences.push(audience.into());
        self
    }

    /// A `resource` (an absolute URI); may be repeated.
    pub fn resource(mut self, resource: impl Into<String>) -> Self {
        self.resources.push(resource.into());
        self
    }

    /// Asks for `scope` (one scope, or several space-separated); may be repeated.
    pub fn scope(mut self, scope: impl Into<String>) -> Self {
        self.scopes.push(scope.into());
        self
    }

    /// Sends another parameter with every exchange; may be repeated.
    pub fn param(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.params.push((name.into(), value.into()));
        self
    }

    cache_options!();

    /// The token source. Without a subject token, every call fails with
    /// [`TokenError::Unavailable`].
    pub fn build(self) -> CachedTokenSource {
        let grant = ExchangeGrant {
            subject: self.subject,
            actor: self.actor,
            requested_token_type: self.requested_token_type,
            audiences: self.audiences,
            resources: self.resources,
            scopes: self.scopes,
            params: self.params,
        };
        CachedTokenSource::new(self.endpoint, grant, self.options)
    }
}

#[derive(Debug)]
struct ExchangeGrant {
    subject: Option<Input>,
    actor: Option<Input>,
    requested_token_type: Option<String>,
    audiences: Vec<String>,
    resources: Vec<String>,
    scopes: Vec<String>,
    params: Vec<(String, String)>,
}

impl ExchangeGrant {
    fn form(&self, subject: (&Secret, &str), actor: Option<(&Secret, &str)>) -> Vec<(String, String)> {
        let mut form = vec![
            ("grant_type".to_string(), GrantType::TokenExchange.as_str().to_string()),
            ("subject_token".to_string(), subject.0.expose().to_string()),
            ("subject_token_type".to_string(), subject.1.to_string()),
        ];
        if let Some((token, kind)) = actor {
            form.push(("actor_token".into(), token.expose().to_string()));
            form.push(("actor_token_type".into(), kind.to_string()));
        }
        if let Some(kind) = &self.requested_token_type {
            form.push(("requested_token_type".into(), kind.clone()));
        }
        form.extend(self.audiences.iter().map(|a| ("audience".to_string(), a.clone())));
        form.extend(self.resources.iter().map(|r| ("resource".to_string(), r.clone())));
        if let Some(scope) = scope_param(&self.scopes) {
            form.push(("scope".into(), scope));
        }
        form.extend(self.params.iter().cloned());
        form
    }

    async fn exchange(&self, endpoint: &TokenEndpoint) -> Result<TokenResponse, TokenError> {
        let subject = self.subject.as_ref().ok_or_else(|| TokenError::Unavailable("the token exchange has no subject token".into()))?;
        for attempt in 0..2 {
            let (subject_token, from_source) = subject.get().await?;
            let actor = match &self.actor {
                Some(actor) => Some((actor.get().await?.0, actor.kind())),
                None => None,
            };
            let form = self.form((&subject_token, subject.kind()), actor.as_ref().map(|(t, k)| (t, *k)));
            match endpoint.send(form, super::endpoint::Credentials::Client).await {
                Err(TokenError::OAuth { status, error })
                    if attempt == 0 && matches!(error.error, ErrorCode::InvalidRequest | ErrorCode::InvalidGrant) =>
                {
                    match (&self.subject, from_source) {
                        (Some(Input::Source(source, _)), Some(token)) => source.invalidate(&token),
                        _ => return Err(TokenError::OAuth { status, error }),
                    }
                }
                other => return other,
            }
        }
        Err(TokenError::Unavailable("the token exchange was refused twice".into()))
    }
}

impl Grant for ExchangeGrant {
    fn name(&self) -> &'static str {
        "token exchange"
    }

    fn fetch<'a>(&'a self, endpoint: &'a TokenEndpoint) -> Option<BoxFuture<'a, Result<TokenResponse, TokenError>>> {
        Some(Box::pin(self.exchange(endpoint)))
    }
}
